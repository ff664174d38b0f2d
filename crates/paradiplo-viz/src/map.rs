//! The world map: Natural Earth countries in the Equal Earth projection, a
//! mark per partner and per representation abroad, the home state marked and
//! named at its seat of government, two enlarged insets where marks crowd
//! (Europe, northeastern North America) and a legend.

use crate::fmt::{esc, format_count};
use crate::projection::{equal_earth, half_width};
use crate::svg::{FONT, num, push_nums};
use crate::{Links, Messages, fill};
use paradiplo_core::records::{Partner, Representation, WorldRegion};
use paradiplo_core::{GeoPoint, Lang, Registry};
use std::fmt::Write;
use std::sync::OnceLock;

/// Natural Earth 1:110m countries, from the npm package `world-atlas` 2.0.2
/// (see `data/README.md`).
const COUNTRIES_110M: &str = include_str!("../data/countries-110m.json");

/// Width of the drawing in viewBox units; everything scales from it.
const WIDTH: f64 = 1000.0;
/// The world panel leaves out Antarctica and the empty far north.
const NORTH: f64 = 84.0;
const SOUTH: f64 = -57.0;
/// Simplification tolerance of coastlines, in viewBox units.
const TOLERANCE: f64 = 0.6;
const MARK_R: f64 = 6.0;
const INSET_MARK_R: f64 = 9.0;
const LAND: &str = "#dfe3e8";
const BORDER: &str = "#ffffff";
const SEA: &str = "#f4f8fb";
const INK: &str = "#1f2937";
/// The representations' mark: the same for every office.
const REPRESENTATION_COLOUR: &str = "#111827";
/// The home state's mark: a bull's-eye no region uses, named on the map.
const HOME_COLOUR: &str = "#7f1d1d";
/// The row index standing for the home state among placed marks (it has no
/// row in the table of partners and representations).
const HOME_INDEX: usize = usize::MAX;

/// A colour (contrast at least 3:1 on land and sea, WCAG 1.4.11) and a
/// shape for each world region, so colour is never the only cue.
fn region_style(region: WorldRegion) -> (&'static str, Shape) {
    match region {
        WorldRegion::WesternEurope => ("#1d4ed8", Shape::Circle),
        WorldRegion::EasternEurope => ("#6d28d9", Shape::Square),
        WorldRegion::NorthAmerica => ("#b45309", Shape::Diamond),
        WorldRegion::CentralAmerica => ("#be185d", Shape::TriangleDown),
        WorldRegion::SouthAmerica => ("#15803d", Shape::TriangleUp),
        WorldRegion::Asia => ("#b91c1c", Shape::Pentagon),
        WorldRegion::MiddleEast => ("#7c2d12", Shape::Hexagon),
        WorldRegion::Africa => ("#0f766e", Shape::Star),
        WorldRegion::Oceania => ("#4d7c0f", Shape::Cross),
    }
}

/// The colour of a world region, shared with the charts.
pub(crate) fn region_colour(region: WorldRegion) -> &'static str {
    region_style(region).0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Square,
    Diamond,
    TriangleUp,
    TriangleDown,
    Pentagon,
    Hexagon,
    Star,
    Cross,
    /// A ring: the representations.
    Ring,
    /// A bull's-eye: the home state.
    Home,
}

/// The path of a shape of radius `r` centred on (x, y).
fn shape_path(shape: Shape, x: f64, y: f64, r: f64) -> String {
    let polygon = |points: &[(f64, f64)]| {
        let mut d = String::new();
        for (i, (px, py)) in points.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            let _ = write!(d, "{} {}", num(x + px * r), num(y + py * r));
        }
        d.push('Z');
        d
    };
    let regular = |n: usize, start: f64, scale: f64| -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let a = start + i as f64 * std::f64::consts::TAU / n as f64;
                (scale * a.cos(), scale * a.sin())
            })
            .collect()
    };
    let up = -std::f64::consts::FRAC_PI_2;
    match shape {
        Shape::Circle => format!(
            "M{} {}a{r} {r} 0 1 0 {d} 0a{r} {r} 0 1 0 -{d} 0Z",
            num(x - r),
            num(y),
            r = num(r),
            d = num(2.0 * r)
        ),
        Shape::Ring => {
            let inner = r * 0.45;
            format!(
                "M{} {}a{r} {r} 0 1 0 {d} 0a{r} {r} 0 1 0 -{d} 0ZM{} {}a{ri} {ri} 0 1 1 {di} 0a{ri} {ri} 0 1 1 -{di} 0Z",
                num(x - r),
                num(y),
                num(x - inner),
                num(y),
                r = num(r),
                d = num(2.0 * r),
                ri = num(inner),
                di = num(2.0 * inner)
            )
        }
        Shape::Home => {
            let (outer, hole, dot) = (r * 1.3, r * 0.85, r * 0.45);
            let circle = |rad: f64, sweep: u8| {
                format!(
                    "M{} {}a{rad} {rad} 0 1 {sweep} {d} 0a{rad} {rad} 0 1 {sweep} -{d} 0Z",
                    num(x - rad),
                    num(y),
                    rad = num(rad),
                    d = num(2.0 * rad)
                )
            };
            format!("{}{}{}", circle(outer, 0), circle(hole, 1), circle(dot, 0))
        }
        Shape::Square => polygon(&[(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)]),
        Shape::Diamond => polygon(&regular(4, up, 1.15)),
        Shape::TriangleUp => polygon(&regular(3, up, 1.25)),
        Shape::TriangleDown => polygon(&regular(3, -up, 1.25)),
        Shape::Pentagon => polygon(&regular(5, up, 1.1)),
        Shape::Hexagon => polygon(&regular(6, 0.0, 1.05)),
        Shape::Star => {
            let points: Vec<(f64, f64)> = (0..10)
                .map(|i| {
                    let a = up + i as f64 * std::f64::consts::PI / 5.0;
                    let s = if i % 2 == 0 { 1.35 } else { 0.6 };
                    (s * a.cos(), s * a.sin())
                })
                .collect();
            polygon(&points)
        }
        Shape::Cross => {
            let (a, b) = (0.38, 1.05);
            polygon(&[
                (-a, -b),
                (a, -b),
                (a, -a),
                (b, -a),
                (b, a),
                (a, a),
                (a, b),
                (-a, b),
                (-a, a),
                (-b, a),
                (-b, -a),
                (-a, -a),
            ])
        }
    }
}

/// The projected world: viewBox coordinates of a longitude and latitude.
fn to_view(lon: f64, lat: f64) -> (f64, f64) {
    let scale = WIDTH / (2.0 * half_width());
    let top = equal_earth(0.0, NORTH).1;
    let (x, y) = equal_earth(lon, lat);
    ((x + half_width()) * scale, (top - y) * scale)
}

fn world_height() -> f64 {
    to_view(0.0, SOUTH).1
}

/// The land as one path, computed once per process.
fn land_path() -> &'static str {
    static LAND_PATH: OnceLock<String> = OnceLock::new();
    LAND_PATH.get_or_init(|| {
        let features = crate::topo::decode(COUNTRIES_110M, "countries")
            .expect("the vendored world-atlas file decodes (checked by tests)");
        let mut d = String::new();
        for f in features.iter().filter(|f| f.id != "010") {
            for polygon in &f.polygons {
                for ring in polygon {
                    for piece in split_antimeridian(ring) {
                        push_ring(&mut d, &piece);
                    }
                }
            }
        }
        d
    })
}

/// Cuts a ring where it jumps across the ±180° meridian (Fiji, Chukotka),
/// so no line crosses the whole map; each piece is closed along the edge.
fn split_antimeridian(ring: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, p) in ring.iter().enumerate() {
        if i > 0 {
            let q = ring[i - 1];
            if (p.0 - q.0).abs() > 180.0 {
                // The latitude where the segment, going the short way, meets the meridian.
                let edge = if q.0 > 0.0 { 180.0 } else { -180.0 };
                let span = 360.0 - (p.0 - q.0).abs();
                let t = (edge - q.0).abs() / span;
                let lat = q.1 + (p.1 - q.1) * t;
                pieces.last_mut().unwrap().push((edge, lat));
                pieces.push(vec![(-edge, lat)]);
            }
        }
        pieces.last_mut().unwrap().push(*p);
    }
    if pieces.len() > 1 {
        // The ring's end continues its start.
        let last = pieces.pop().unwrap();
        let mut first = last;
        first.append(&mut pieces[0]);
        pieces[0] = first;
    }
    for piece in &mut pieces {
        if piece.first() != piece.last()
            && let Some(start) = piece.first().copied()
        {
            piece.push(start);
        }
    }
    pieces
}

/// Projects, simplifies and rounds a ring, and appends it in relative moves.
fn push_ring(d: &mut String, ring: &[(f64, f64)]) {
    let projected: Vec<(f64, f64)> = ring.iter().map(|(lon, lat)| to_view(*lon, *lat)).collect();
    let simplified = simplify(&projected, TOLERANCE);
    let mut tenths: Vec<(i64, i64)> = Vec::with_capacity(simplified.len());
    for (x, y) in simplified {
        let p = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        if tenths.last() != Some(&p) {
            tenths.push(p);
        }
    }
    if tenths.len() > 1 && tenths.first() == tenths.last() {
        tenths.pop();
    }
    // Islands smaller than a few units vanish at any size the map is shown.
    if tenths.len() < 3 || ring_area(&tenths) < 150.0 {
        return;
    }
    d.push('M');
    push_nums(d, &[tenths[0].0, tenths[0].1]);
    d.push('l');
    for w in tenths.windows(2) {
        push_nums(d, &[w[1].0 - w[0].0, w[1].1 - w[0].1]);
    }
    d.push('z');
}

/// Area of a ring in tenths of units, squared.
fn ring_area(points: &[(i64, i64)]) -> f64 {
    let mut twice = 0i64;
    for i in 0..points.len() {
        let (x0, y0) = points[i];
        let (x1, y1) = points[(i + 1) % points.len()];
        twice += x0 * y1 - x1 * y0;
    }
    (twice as f64 / 2.0).abs()
}

/// Douglas–Peucker simplification, keeping both ends.
fn simplify(points: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (mut best, mut index) = (0.0, 0);
        for (i, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let dist = segment_distance(*p, points[a], points[b]);
            if dist > best {
                best = dist;
                index = i;
            }
        }
        if best > tolerance {
            keep[index] = true;
            stack.push((a, index));
            stack.push((index, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return (p.0 - a.0).hypot(p.1 - a.1);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}

/// An enlarged part of the world where marks would overlap.
struct Inset {
    title_key: &'static str,
    west: f64,
    east: f64,
    south: f64,
    north: f64,
}

const INSETS: [Inset; 2] = [
    Inset {
        title_key: "viz_map_inset_europe",
        west: -11.0,
        east: 26.0,
        south: 35.0,
        north: 60.0,
    },
    Inset {
        title_key: "viz_map_inset_north_america",
        west: -96.0,
        east: -60.0,
        south: 36.0,
        north: 50.0,
    },
];

impl Inset {
    fn contains(&self, p: &GeoPoint) -> bool {
        (self.west..=self.east).contains(&p.lon) && (self.south..=self.north).contains(&p.lat)
    }

    /// The inset's frame on the world panel: left, top, right, bottom.
    fn frame(&self) -> (f64, f64, f64, f64) {
        let corners = [
            to_view(self.west, self.north),
            to_view(self.east, self.north),
            to_view(self.west, self.south),
            to_view(self.east, self.south),
        ];
        let left = corners.iter().map(|c| c.0).fold(f64::MAX, f64::min);
        let right = corners.iter().map(|c| c.0).fold(f64::MIN, f64::max);
        let top = corners.iter().map(|c| c.1).fold(f64::MAX, f64::min);
        let bottom = corners.iter().map(|c| c.1).fold(f64::MIN, f64::max);
        (left, top, right, bottom)
    }
}

/// What a mark stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Partner,
    Representation,
}

/// One row of the map's table: every partner and representation, on the map
/// or not.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MapMark {
    pub kind: MarkKind,
    pub slug: String,
    pub name: String,
    /// The page of the record, when it has one.
    pub href: Option<String>,
    /// The world region (partners) or the kind of office (representations).
    pub group: String,
    /// The accessible name of the mark.
    pub label: String,
    /// False when the record has no coordinates: it is listed, not drawn.
    pub located: bool,
    /// A partner with a bilateral relationship (false: met only in
    /// groupings; false for representations).
    pub bilateral: bool,
}

/// The map, and the data of its table.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldMap {
    pub svg: String,
    pub marks: Vec<MapMark>,
}

struct Placed {
    index: usize,
    shape: Shape,
    colour: &'static str,
    anchor: (f64, f64),
    pos: (f64, f64),
}

/// Pushes overlapping marks apart, keeping each near its true position.
fn dodge(marks: &mut [Placed], r: f64) {
    let min = 2.0 * r + 1.5;
    // Marks on the very same spot start on a small circle around it.
    for i in 0..marks.len() {
        let same: Vec<usize> = (0..i)
            .filter(|&j| marks[j].anchor == marks[i].anchor)
            .collect();
        if !same.is_empty() {
            let a = same.len() as f64 * 2.4;
            marks[i].pos = (
                marks[i].anchor.0 + r * a.cos(),
                marks[i].anchor.1 + r * a.sin(),
            );
        }
    }
    for _ in 0..120 {
        let mut moved = false;
        for i in 0..marks.len() {
            for j in i + 1..marks.len() {
                let (dx, dy) = (
                    marks[j].pos.0 - marks[i].pos.0,
                    marks[j].pos.1 - marks[i].pos.1,
                );
                let d = dx.hypot(dy);
                if d < min {
                    let (ux, uy) = if d > 1e-9 {
                        (dx / d, dy / d)
                    } else {
                        let a = (i * 7 + j) as f64;
                        (a.cos(), a.sin())
                    };
                    // The home state stays on its seat: the other mark
                    // moves the whole way.
                    let (wi, wj) = match (marks[i].index, marks[j].index) {
                        (HOME_INDEX, _) => (0.0, 2.0),
                        (_, HOME_INDEX) => (2.0, 0.0),
                        _ => (1.0, 1.0),
                    };
                    let push = (min - d) / 2.0 + 0.01;
                    marks[i].pos.0 -= ux * push * wi;
                    marks[i].pos.1 -= uy * push * wi;
                    marks[j].pos.0 += ux * push * wj;
                    marks[j].pos.1 += uy * push * wj;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
        for m in marks.iter_mut() {
            m.pos.0 += (m.anchor.0 - m.pos.0) * 0.02;
            m.pos.1 += (m.anchor.1 - m.pos.1) * 0.02;
        }
    }
}

/// A drawn mark before placement: its row in the table, where it is, how it looks.
struct Located {
    index: usize,
    location: GeoPoint,
    shape: Shape,
    colour: &'static str,
}

/// An inset's projected bounds (left, top, right, bottom), its scale and its x offset.
type InsetFrame = ((f64, f64, f64, f64), f64, f64);

/// Where the panels sit: the world on top, the insets side by side below it,
/// then the legend.
struct Layout {
    world_h: f64,
    inset_w: f64,
    inset_top: f64,
    inset_h: f64,
    /// Each inset's frame on the world panel, its scale and its left edge.
    inset_frames: Vec<InsetFrame>,
    legend_top: f64,
}

const INSET_GAP: f64 = 20.0;
const INSET_TITLE_H: f64 = 42.0;
/// Two legend columns and large type: the map is read at 375 px wide too.
const LEGEND_COLUMNS: usize = 2;
const LEGEND_ROW_H: f64 = 42.0;

impl Layout {
    fn new() -> Layout {
        let world_h = world_height();
        let inset_w = (WIDTH - INSET_GAP) / 2.0;
        let inset_top = world_h + 16.0;
        let mut inset_frames = Vec::new();
        let mut inset_h: f64 = 0.0;
        for (i, inset) in INSETS.iter().enumerate() {
            let (l, t, r, b) = inset.frame();
            let scale = inset_w / (r - l);
            let x = i as f64 * (inset_w + INSET_GAP);
            inset_h = inset_h.max((b - t) * scale);
            inset_frames.push(((l, t, r, b), scale, x));
        }
        let legend_top = inset_top + INSET_TITLE_H + inset_h + 34.0;
        Layout {
            world_h,
            inset_w,
            inset_top,
            inset_h,
            inset_frames,
            legend_top,
        }
    }

    /// The top of the insets' drawing area, below their titles.
    fn inset_y0(&self) -> f64 {
        self.inset_top + INSET_TITLE_H
    }
}

/// Draws the world map of `registry`'s partners and representations.
pub fn world_map(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
    links: &dyn Links,
) -> WorldMap {
    let (marks, mut located) = collect_marks(registry, lang, msg, links);
    let home = home_mark(registry, lang, msg);
    if let Some(h) = &home {
        located.push(Located {
            index: HOME_INDEX,
            location: h.location,
            shape: Shape::Home,
            colour: HOME_COLOUR,
        });
    }
    let layout = Layout::new();
    let (world_marks, inset_marks) = place_marks(&located, &layout);
    let mut legend = legend_entries(registry, lang, msg, &marks);
    if let Some(h) = &home {
        legend.insert(0, (Shape::Home, HOME_COLOUR, h.legend.clone()));
    }
    let rows = legend.len().div_ceil(LEGEND_COLUMNS);
    let unlocated = marks.iter().filter(|m| !m.located).count();
    let height = layout.legend_top
        + rows as f64 * LEGEND_ROW_H
        + if unlocated > 0 { LEGEND_ROW_H } else { 0.0 }
        + 8.0;

    let mut s = String::with_capacity(64 * 1024);
    write_svg_head(&mut s, &marks, height, lang, msg);
    write_world_panel(&mut s, &layout);
    write_insets(&mut s, &layout, msg);
    let panels: Vec<(&Vec<Placed>, f64)> = std::iter::once((&world_marks, MARK_R))
        .chain(inset_marks.iter().map(|m| (m, INSET_MARK_R)))
        .collect();
    write_leader_lines(&mut s, &panels);
    write_marks(&mut s, &panels, &marks);
    if let Some(h) = &home {
        write_home_mark(&mut s, &panels, h);
    }
    write_legend(&mut s, &legend, layout.legend_top, unlocated, lang, msg);
    s.push_str("</g></svg>");
    WorldMap { svg: s, marks }
}

/// A row per partner and per open representation, each in name order, and
/// a drawn mark per located one.
fn collect_marks(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
    links: &dyn Links,
) -> (Vec<MapMark>, Vec<Located>) {
    let mut marks: Vec<MapMark> = Vec::new();
    let mut located: Vec<Located> = Vec::new();
    let mut add = |mark: MapMark, location: Option<GeoPoint>, shape: Shape, colour| {
        if let Some(location) = location {
            located.push(Located {
                index: marks.len(),
                location,
                shape,
                colour,
            });
        }
        marks.push(mark);
    };
    let mut partners: Vec<&Partner> = registry.typed::<Partner>().collect();
    partners.sort_by_key(|p| crate::sort_key(p.name.get(lang)));
    for p in partners {
        let (colour, shape) = region_style(p.world_region);
        let name = p.name.get(lang).to_string();
        let group = p.world_region.label(lang).to_string();
        let key = match p.bilateral {
            true => "viz_map_partner",
            false => "viz_map_partner_groupings",
        };
        let label = fill(msg.text(key), &[("name", &name), ("region", &group)]);
        let mark = MapMark {
            kind: MarkKind::Partner,
            slug: p.slug.to_string(),
            name,
            href: Some(links.partner(&p.slug)),
            group,
            label,
            located: p.location.is_some(),
            bilateral: p.bilateral,
        };
        add(mark, p.location, shape, colour);
    }
    let mut offices: Vec<&Representation> = registry
        .typed::<Representation>()
        .filter(|r| r.closed.is_none())
        .collect();
    offices.sort_by_key(|r| crate::sort_key(r.name.get(lang)));
    for r in offices {
        let name = r.name.get(lang).to_string();
        let label = fill(
            msg.text("viz_map_representation"),
            &[("name", &name), ("city", r.city.get(lang))],
        );
        let mark = MapMark {
            kind: MarkKind::Representation,
            slug: r.slug.to_string(),
            name,
            href: links.representation(&r.slug),
            group: r.kind.label(lang).to_string(),
            label,
            located: r.location.is_some(),
            bilateral: false,
        };
        add(mark, r.location, Shape::Ring, REPRESENTATION_COLOUR);
    }
    (marks, located)
}

/// Puts each located mark on the world panel or in the inset that contains
/// it, then pushes overlapping marks apart within each panel.
fn place_marks(located: &[Located], layout: &Layout) -> (Vec<Placed>, Vec<Vec<Placed>>) {
    let mut world_marks: Vec<Placed> = Vec::new();
    let mut inset_marks: Vec<Vec<Placed>> = INSETS.iter().map(|_| Vec::new()).collect();
    for mark in located {
        let loc = &mark.location;
        let (vx, vy) = to_view(loc.lon, loc.lat);
        let (anchor, panel) = match INSETS.iter().position(|inset| inset.contains(loc)) {
            Some(k) => {
                let ((l, t, _, _), scale, x) = layout.inset_frames[k];
                let p = (x + (vx - l) * scale, layout.inset_y0() + (vy - t) * scale);
                (p, &mut inset_marks[k])
            }
            None => ((vx, vy), &mut world_marks),
        };
        panel.push(Placed {
            index: mark.index,
            shape: mark.shape,
            colour: mark.colour,
            anchor,
            pos: anchor,
        });
    }
    dodge(&mut world_marks, MARK_R);
    for m in inset_marks.iter_mut() {
        dodge(m, INSET_MARK_R);
    }
    (world_marks, inset_marks)
}

/// The legend's entries: the regions present, then the representations.
fn legend_entries(
    registry: &Registry,
    lang: Lang,
    msg: &dyn Messages,
    marks: &[MapMark],
) -> Vec<(Shape, &'static str, String)> {
    let mut regions: Vec<WorldRegion> = registry
        .typed::<Partner>()
        .map(|p| p.world_region)
        .collect();
    regions.sort();
    regions.dedup();
    let mut legend: Vec<(Shape, &'static str, String)> = regions
        .iter()
        .map(|r| {
            let (c, s) = region_style(*r);
            (s, c, r.label(lang).to_string())
        })
        .collect();
    if marks.iter().any(|m| m.kind == MarkKind::Representation) {
        legend.push((
            Shape::Ring,
            REPRESENTATION_COLOUR,
            msg.text("viz_map_legend_representation").to_string(),
        ));
    }
    legend
}

/// Opens the drawing with its accessible title and description.
fn write_svg_head(s: &mut String, marks: &[MapMark], height: f64, lang: Lang, msg: &dyn Messages) {
    let title = msg.text("viz_map_title");
    let partners_n = marks.iter().filter(|m| m.kind == MarkKind::Partner).count();
    let bilateral_n = marks.iter().filter(|m| m.bilateral).count();
    let desc = fill(
        msg.text("viz_map_desc"),
        &[
            ("bilateral", &format_count(bilateral_n as u64, lang)),
            (
                "groupings",
                &format_count((partners_n - bilateral_n) as u64, lang),
            ),
            (
                "representations",
                &format_count((marks.len() - partners_n) as u64, lang),
            ),
        ],
    );
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="group" aria-labelledby="viz-map-title" aria-describedby="viz-map-desc" font-family="{FONT}" class="viz viz-map"><title id="viz-map-title">{title}</title><desc id="viz-map-desc">{desc}</desc>"#,
        w = num(WIDTH),
        h = num(height),
        title = esc(title),
        desc = esc(&desc),
    );
}

/// The world panel: sea, land, and the dashed frames of the insets.
fn write_world_panel(s: &mut String, layout: &Layout) {
    let _ = write!(
        s,
        r#"<rect width="{w}" height="{h}" fill="{SEA}"/><path id="viz-land" d="{d}" fill="{LAND}" stroke="{BORDER}" stroke-width="0.7" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>"#,
        w = num(WIDTH),
        h = num(layout.world_h),
        d = land_path(),
    );
    for ((l, t, r, b), _, _) in &layout.inset_frames {
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK}" stroke-width="1" stroke-dasharray="4 3" aria-hidden="true"/>"#,
            num(*l),
            num(*t),
            num(r - l),
            num(b - t)
        );
    }
}

/// The insets: the same land, enlarged and clipped, each under its title.
fn write_insets(s: &mut String, layout: &Layout, msg: &dyn Messages) {
    let y0 = layout.inset_y0();
    s.push_str("<defs>");
    for (k, (_, _, x)) in layout.inset_frames.iter().enumerate() {
        let _ = write!(
            s,
            r#"<clipPath id="viz-inset-clip-{k}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
            num(*x),
            num(y0),
            num(layout.inset_w),
            num(layout.inset_h)
        );
    }
    s.push_str("</defs>");
    for (k, ((l, t, _, _), scale, x)) in layout.inset_frames.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="25" font-weight="bold" fill="{INK}">{}</text>"#,
            num(*x),
            num(layout.inset_top + 28.0),
            esc(msg.text(INSETS[k].title_key))
        );
        let _ = write!(
            s,
            r##"<g clip-path="url(#viz-inset-clip-{k})"><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{SEA}"/><use href="#viz-land" transform="translate({tx} {ty}) scale({sc})"/></g><rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="{INK}" stroke-width="1"/>"##,
            x = num(*x),
            y = num(y0),
            w = num(layout.inset_w),
            h = num(layout.inset_h),
            tx = num(x - l * scale),
            ty = num(y0 - t * scale),
            sc = (scale * 1000.0).round() / 1000.0,
        );
    }
}

/// Leader lines from a moved mark back to its true position, drawn first so
/// marks sit on top.
fn write_leader_lines(s: &mut String, panels: &[(&Vec<Placed>, f64)]) {
    s.push_str(r##"<g aria-hidden="true" stroke="#4b5563" stroke-width="1" fill="#4b5563">"##);
    for (panel, r) in panels {
        for m in panel.iter() {
            let (dx, dy) = (m.pos.0 - m.anchor.0, m.pos.1 - m.anchor.1);
            if dx.hypot(dy) > r * 0.9 {
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}"/><circle cx="{}" cy="{}" r="1.6"/>"#,
                    num(m.anchor.0),
                    num(m.anchor.1),
                    num(m.pos.0),
                    num(m.pos.1),
                    num(m.anchor.0),
                    num(m.anchor.1)
                );
            }
        }
    }
    s.push_str("</g>");
}

/// The radius, in map units, of a mark's clickable disc.
const HIT_RADIUS: f64 = 14.0;

/// The marks: a link to the record's page when it has one, else an image.
fn write_marks(s: &mut String, panels: &[(&Vec<Placed>, f64)], marks: &[MapMark]) {
    for (panel, r) in panels {
        for m in panel.iter().filter(|m| m.index != HOME_INDEX) {
            let mark = &marks[m.index];
            let d = shape_path(m.shape, m.pos.0, m.pos.1, *r);
            let shape = format!(
                r##"<path d="{d}" fill="{c}" fill-rule="evenodd" stroke="#ffffff" stroke-width="1.5"/>"##,
                c = m.colour
            );
            let title = format!("<title>{}</title>", esc(&mark.label));
            match &mark.href {
                Some(href) => {
                    // An unpainted disc around the mark: a target of at least
                    // 24 × 24 px (WCAG 2.5.8) wherever the map is drawn at
                    // 0.9 px per unit or more (the page scrolls it below that).
                    let hit = format!(
                        r#"<circle cx="{}" cy="{}" r="{HIT_RADIUS}" fill="none" pointer-events="all"/>"#,
                        num(m.pos.0),
                        num(m.pos.1)
                    );
                    let _ = write!(
                        s,
                        r#"<a href="{}" aria-label="{}" class="viz-mark" data-kind="{}" data-slug="{}">{title}{hit}{shape}</a>"#,
                        esc(href),
                        esc(&mark.label),
                        kind_str(mark.kind),
                        esc(&mark.slug),
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        r#"<g role="img" aria-label="{}" class="viz-mark" data-kind="{}" data-slug="{}">{title}{shape}</g>"#,
                        esc(&mark.label),
                        kind_str(mark.kind),
                        esc(&mark.slug),
                    );
                }
            }
        }
    }
}

/// The legend, in columns, and the count of records not drawn. Leaves the
/// legend's group open for the caller to close with the drawing.
fn write_legend(
    s: &mut String,
    legend: &[(Shape, &'static str, String)],
    legend_top: f64,
    unlocated: usize,
    lang: Lang,
    msg: &dyn Messages,
) {
    let col_w = WIDTH / LEGEND_COLUMNS as f64;
    s.push_str(&format!(
        r#"<g class="viz-legend" font-size="27" fill="{INK}">"#
    ));
    for (i, (shape, colour, label)) in legend.iter().enumerate() {
        let x = (i % LEGEND_COLUMNS) as f64 * col_w;
        let y = legend_top + (i / LEGEND_COLUMNS) as f64 * LEGEND_ROW_H;
        let _ = write!(
            s,
            r#"<path d="{}" fill="{colour}" fill-rule="evenodd" aria-hidden="true"/><text x="{}" y="{}">{}</text>"#,
            shape_path(*shape, x + 13.0, y, 11.0),
            num(x + 34.0),
            num(y + 9.0),
            esc(label)
        );
    }
    if unlocated > 0 {
        let rows = legend.len().div_ceil(LEGEND_COLUMNS);
        let y = legend_top + rows as f64 * LEGEND_ROW_H;
        let _ = write!(
            s,
            r#"<text x="0" y="{}">{}</text>"#,
            num(y + 9.0),
            esc(&fill(
                msg.text("viz_map_unlocated"),
                &[("count", &format_count(unlocated as u64, lang))]
            ))
        );
    }
}

/// The home state on the map: its name, where its government sits, and the
/// texts of its mark and legend entry.
struct HomeMark {
    name: String,
    location: GeoPoint,
    label: String,
    legend: String,
}

/// The home state's mark, when the registry has a home whose seat of
/// government is known ([`crate::seats`]).
fn home_mark(registry: &Registry, lang: Lang, msg: &dyn Messages) -> Option<HomeMark> {
    let home = registry.home()?;
    let location = crate::seats::seat_of(home.subdivision.as_str())?;
    let name = home.name.get(lang).to_string();
    Some(HomeMark {
        label: fill(msg.text("viz_map_home"), &[("name", &name)]),
        legend: fill(msg.text("viz_map_legend_home"), &[("name", &name)]),
        name,
        location,
    })
}

/// The home state's bull's-eye, on top of the other marks, with its name
/// beside it (a light halo keeps the name readable over land and marks).
fn write_home_mark(s: &mut String, panels: &[(&Vec<Placed>, f64)], home: &HomeMark) {
    for (panel, r) in panels {
        for m in panel.iter().filter(|m| m.index == HOME_INDEX) {
            let (x, y) = m.pos;
            let _ = write!(
                s,
                r##"<g role="img" aria-label="{label}" class="viz-mark viz-home" data-kind="home"><title>{label}</title><path d="{d}" fill="{HOME_COLOUR}" fill-rule="evenodd" stroke="#ffffff" stroke-width="1.5"/><text class="viz-home-label" x="{tx}" y="{ty}" font-size="{fs}" font-weight="bold" fill="{INK}" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" paint-order="stroke" aria-hidden="true">{name}</text></g>"##,
                label = esc(&home.label),
                d = shape_path(Shape::Home, x, y, *r),
                tx = num(x + r * 1.3 + 5.0),
                ty = num(y - r * 1.3),
                fs = num(r * 2.6),
                name = esc(&home.name),
            );
        }
    }
}

fn kind_str(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Partner => "partner",
        MarkKind::Representation => "representation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_countries_decode() {
        let features = crate::topo::decode(COUNTRIES_110M, "countries").unwrap();
        assert_eq!(features.len(), 177);
        let canada = features.iter().find(|f| f.id == "124").unwrap();
        assert_eq!(canada.name, "Canada");
        // Every ring is closed.
        for f in &features {
            for ring in f.polygons.iter().flatten() {
                assert_eq!(ring.first(), ring.last(), "{}", f.name);
            }
        }
    }

    #[test]
    fn rings_across_the_antimeridian_are_cut() {
        let ring = [
            (170.0, 0.0),
            (-170.0, 0.0),
            (-170.0, 10.0),
            (170.0, 10.0),
            (170.0, 0.0),
        ];
        let pieces = split_antimeridian(&ring);
        assert_eq!(pieces.len(), 2);
        for piece in &pieces {
            assert_eq!(piece.first(), piece.last());
            let xs: Vec<f64> = piece.iter().map(|p| p.0).collect();
            assert!(
                xs.iter().all(|x| *x > 0.0) || xs.iter().all(|x| *x < 0.0),
                "{piece:?}"
            );
        }
        assert!(pieces.iter().flatten().any(|p| *p == (180.0, 0.0)));
        assert!(pieces.iter().flatten().any(|p| *p == (-180.0, 10.0)));
        let plain = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)];
        assert_eq!(split_antimeridian(&plain), vec![plain.to_vec()]);
    }

    #[test]
    fn simplification_keeps_ends_and_drops_collinear_points() {
        let line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 5.0)];
        assert_eq!(
            simplify(&line, 0.1),
            vec![(0.0, 0.0), (2.0, 0.0), (3.0, 5.0)]
        );
    }

    #[test]
    fn dodged_marks_do_not_overlap() {
        let mut marks: Vec<Placed> = (0..6)
            .map(|i| Placed {
                index: i,
                shape: Shape::Circle,
                colour: "#000",
                anchor: (100.0, 100.0),
                pos: (100.0, 100.0),
            })
            .collect();
        dodge(&mut marks, 6.0);
        for i in 0..marks.len() {
            for j in i + 1..marks.len() {
                let d = (marks[i].pos.0 - marks[j].pos.0).hypot(marks[i].pos.1 - marks[j].pos.1);
                assert!(d >= 12.0, "{i} and {j} overlap: {d}");
            }
            let off = (marks[i].pos.0 - 100.0).hypot(marks[i].pos.1 - 100.0);
            assert!(off < 30.0, "mark {i} went far: {off}");
        }
    }

    #[test]
    fn land_is_drawn_within_the_panel() {
        let d = land_path();
        assert!(d.starts_with('M'));
        let (w, h) = (WIDTH, world_height());
        // Walk the relative path and check every point stays in the panel.
        let mut count = 0;
        for ring in d.split('M').filter(|r| !r.is_empty()) {
            let nums = parse_numbers(ring);
            let (mut x, mut y) = (nums[0], nums[1]);
            for pair in nums[2..].chunks(2) {
                x += pair[0];
                y += pair[1];
                assert!((-1.0..=w + 1.0).contains(&x) && (-1.0..=h + 1.0).contains(&y));
                count += 1;
            }
        }
        assert!(count > 1500, "{count} points");
    }

    fn parse_numbers(s: &str) -> Vec<f64> {
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in s.chars() {
            if c == '-' || c == ' ' || c == 'l' || c == 'z' {
                if !cur.is_empty() {
                    out.push(cur.parse().unwrap());
                    cur.clear();
                }
                if c == '-' {
                    cur.push(c);
                }
            } else {
                cur.push(c);
            }
        }
        if !cur.is_empty() {
            out.push(cur.parse().unwrap());
        }
        out
    }
}
