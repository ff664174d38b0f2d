//! The Equal Earth projection (Šavrič, Patterson and Jenny, 2018): an
//! equal-area pseudocylindrical projection that keeps continents' shapes
//! recognisable, so no region looks bigger than it is.

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Projects longitude and latitude (degrees) to unit-sphere plane
/// coordinates, x to the east and y to the north. x spans about ±2.7066 and
/// y about ±1.3174.
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let lambda = lon.to_radians();
    let phi = lat.clamp(-90.0, 90.0).to_radians();
    let m = 3f64.sqrt() / 2.0;
    let theta = (m * phi.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = 2.0 * 3f64.sqrt() * lambda * theta.cos()
        / (3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Half the width of the projected world (at the equator, longitude 180°).
pub fn half_width() -> f64 {
    equal_earth(180.0, 0.0).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn reference_points() {
        // The published extent of the projection on the unit sphere.
        assert!(close(half_width(), 2.706_629_5, 1e-6), "{}", half_width());
        let (x, y) = equal_earth(0.0, 90.0);
        assert!(close(x, 0.0, 1e-12) && close(y, 1.317_362_7, 1e-6), "{y}");
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        // Symmetric about both axes.
        let (x1, y1) = equal_earth(45.0, 30.0);
        let (x2, y2) = equal_earth(-45.0, -30.0);
        assert!(close(x1, -x2, 1e-12) && close(y1, -y2, 1e-12));
    }

    /// Equal area: a small cell of one degree has a projected area
    /// proportional to its area on the sphere (cos φ), at any latitude.
    #[test]
    fn preserves_areas() {
        let cell = |lat: f64| {
            let (x0, y0) = equal_earth(10.0, lat);
            let (x1, _) = equal_earth(10.01, lat);
            let (_, y1) = equal_earth(10.0, lat + 0.01);
            ((x1 - x0) * (y1 - y0)).abs() / (lat + 0.005).to_radians().cos()
        };
        let reference = cell(0.0);
        for lat in [10.0, 33.0, 45.0, 60.0, 75.0, 85.0] {
            let ratio = cell(lat) / reference;
            assert!(close(ratio, 1.0, 1e-3), "lat {lat}: {ratio}");
        }
    }

    /// Parallels are straight lines and latitudes keep their order.
    #[test]
    fn parallels_are_horizontal_and_ordered() {
        let (_, a) = equal_earth(-120.0, 40.0);
        let (_, b) = equal_earth(150.0, 40.0);
        assert!(close(a, b, 1e-12));
        let ys: Vec<f64> = (-8..=8)
            .map(|i| equal_earth(0.0, i as f64 * 10.0).1)
            .collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]));
    }
}
