//! A small TopoJSON decoder: quantized, delta-encoded arcs and the polygons
//! of one geometry collection. Enough for Natural Earth's `world-atlas`
//! files; the `topojson` crate is tied to an old `geojson`.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A ring of (longitude, latitude) points, closed (first == last).
pub type Ring = Vec<(f64, f64)>;

/// One feature: an ISO 3166-1 numeric id, a name and its polygons (each an
/// outer ring followed by its holes).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: String,
    pub name: String,
    pub polygons: Vec<Vec<Ring>>,
}

/// Why a TopoJSON document could not be decoded.
#[derive(Debug)]
pub enum TopoError {
    Json(serde_json::Error),
    MissingObject(String),
    BadArc(i64),
}

impl std::error::Error for TopoError {}

impl std::fmt::Display for TopoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TopoError::Json(e) => write!(f, "TopoJSON does not parse: {e}"),
            TopoError::MissingObject(o) => write!(f, "TopoJSON has no object `{o}`"),
            TopoError::BadArc(i) => write!(f, "TopoJSON refers to a missing arc {i}"),
        }
    }
}

#[derive(Deserialize)]
struct Topology {
    #[serde(default)]
    transform: Option<Transform>,
    arcs: Vec<Vec<[f64; 2]>>,
    objects: BTreeMap<String, Object>,
}

#[derive(Deserialize)]
struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Object {
    GeometryCollection {
        geometries: Vec<Object>,
    },
    Polygon {
        #[serde(default)]
        id: Option<serde_json::Value>,
        #[serde(default)]
        properties: Option<Properties>,
        arcs: Vec<Vec<i64>>,
    },
    MultiPolygon {
        #[serde(default)]
        id: Option<serde_json::Value>,
        #[serde(default)]
        properties: Option<Properties>,
        arcs: Vec<Vec<Vec<i64>>>,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize, Default)]
struct Properties {
    #[serde(default)]
    name: Option<String>,
}

/// Decodes the polygons of the geometry collection `object`.
pub fn decode(json: &str, object: &str) -> Result<Vec<Feature>, TopoError> {
    let topo: Topology = serde_json::from_str(json).map_err(TopoError::Json)?;
    // Absolute coordinates of every arc, once.
    let arcs: Vec<Vec<(f64, f64)>> = topo
        .arcs
        .iter()
        .map(|arc| {
            let (mut x, mut y) = (0.0, 0.0);
            arc.iter()
                .map(|[dx, dy]| match &topo.transform {
                    Some(t) => {
                        x += dx;
                        y += dy;
                        (
                            x * t.scale[0] + t.translate[0],
                            y * t.scale[1] + t.translate[1],
                        )
                    }
                    None => (*dx, *dy),
                })
                .collect()
        })
        .collect();
    let ring = |indices: &[i64]| -> Result<Ring, TopoError> {
        let mut out: Ring = Vec::new();
        for &i in indices {
            // A negative index is the one's complement of a reversed arc.
            let (index, reversed) = if i < 0 { (!i, true) } else { (i, false) };
            let arc = usize::try_from(index)
                .ok()
                .and_then(|k| arcs.get(k))
                .ok_or(TopoError::BadArc(i))?;
            let mut points = arc.clone();
            if reversed {
                points.reverse();
            }
            // Consecutive arcs share their joining point.
            let skip = usize::from(!out.is_empty());
            out.extend(points.into_iter().skip(skip));
        }
        Ok(out)
    };
    let geometries = match topo.objects.get(object) {
        Some(Object::GeometryCollection { geometries }) => geometries,
        _ => return Err(TopoError::MissingObject(object.to_string())),
    };
    let mut features = Vec::new();
    for g in geometries {
        let (id, properties, polygons): (_, _, Vec<&Vec<Vec<i64>>>) = match g {
            Object::Polygon {
                id,
                properties,
                arcs,
            } => (id, properties, vec![arcs]),
            Object::MultiPolygon {
                id,
                properties,
                arcs,
            } => (id, properties, arcs.iter().collect()),
            _ => continue,
        };
        let polygons = polygons
            .into_iter()
            .map(|rings| rings.iter().map(|r| ring(r)).collect())
            .collect::<Result<Vec<Vec<Ring>>, _>>()?;
        features.push(Feature {
            id: match id {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => String::new(),
            },
            name: properties
                .as_ref()
                .and_then(|p| p.name.clone())
                .unwrap_or_default(),
            polygons,
        });
    }
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two squares sharing an edge (arc 1), one of them walking it backwards,
    /// with a quantized transform.
    const SMALL: &str = r#"{
      "type": "Topology",
      "transform": {"scale": [0.5, 2], "translate": [10, -10]},
      "objects": {"shapes": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "id": "001", "properties": {"name": "West"}, "arcs": [[0, 1]]},
        {"type": "MultiPolygon", "id": 2, "arcs": [[[2, -2]]]},
        {"type": "LineString", "arcs": [0]}
      ]}},
      "arcs": [
        [[2, 0], [-2, 0], [0, 2], [2, 0]],
        [[2, 2], [0, -2]],
        [[2, 2], [2, 0], [0, -2], [-2, 0]]
      ]
    }"#;

    #[test]
    fn decodes_delta_arcs_with_transform() {
        let f = decode(SMALL, "shapes").unwrap();
        assert_eq!(f.len(), 2, "the line string is not a polygon");
        assert_eq!(f[0].id, "001");
        assert_eq!(f[0].name, "West");
        // Arc 0 in quantized units: (2,0) (0,0) (0,2) (2,2); arc 1: (2,2) (2,0).
        let west = &f[0].polygons[0][0];
        let expected = [
            (11.0, -10.0),
            (10.0, -10.0),
            (10.0, -6.0),
            (11.0, -6.0),
            (11.0, -10.0),
        ];
        assert_eq!(west, &expected.to_vec());
        assert_eq!(west.first(), west.last(), "ring is closed");
        // The neighbour walks the shared arc backwards.
        let east = &f[1].polygons[0][0];
        assert_eq!(f[1].id, "2");
        let expected = [
            (11.0, -6.0),
            (12.0, -6.0),
            (12.0, -10.0),
            (11.0, -10.0),
            (11.0, -6.0),
        ];
        assert_eq!(east, &expected.to_vec());
    }

    #[test]
    fn reports_missing_pieces() {
        assert!(matches!(decode(SMALL, "land"), Err(TopoError::MissingObject(o)) if o == "land"));
        let broken = SMALL.replace("[[0, 1]]", "[[0, 7]]");
        assert!(matches!(
            decode(&broken, "shapes"),
            Err(TopoError::BadArc(7))
        ));
        assert!(matches!(decode("{", "shapes"), Err(TopoError::Json(_))));
    }
}
