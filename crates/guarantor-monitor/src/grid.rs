//! Grid indexes that make placement fast on millions of points, with the same answers as the plain tests.
//!
//! - [`PolygonGrid`]: which of a list of (multi)polygons holds a point. Cells that no polygon's boundary
//!   touches are known inside one polygon (or none) once, when the grid is built; only a point in a boundary
//!   cell is tested exactly, by counting crossings with the few edges of its row of cells (a horizontal strip).
//! - [`LineGrid`]: the nearest segment of a set of lines in each point's own local equirectangular projection
//!   (as [`guarantor_core::km_to_lines`] measures it). Each cell keeps the segments that can be nearest for
//!   some point in it, sorted by their distance to the cell, so a point looks at a handful.
//!
//! Points outside a grid fall back to the plain test over everything.

use std::collections::HashMap;

use geo::Contains;
use geo_types::{Coord, MultiLineString, MultiPolygon, Point};

/// A regular lon/lat grid over a bounding box.
#[derive(Clone, Copy, Debug)]
struct Frame {
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    nx: usize,
    ny: usize,
}

impl Frame {
    /// A frame over `[min, max]` with about `cells` square (in degrees) cells; `None` when the box is empty.
    fn over(min: Coord<f64>, max: Coord<f64>, cells: usize) -> Option<Frame> {
        let (w, h) = (max.x - min.x, max.y - min.y);
        if !(w.is_finite() && h.is_finite()) || w < 0.0 || h < 0.0 {
            return None;
        }
        // A little margin so that points on the box's edge fall inside.
        let (w, h) = (w.max(1e-6) * 1.0001, h.max(1e-6) * 1.0001);
        let size = (w * h / cells.max(1) as f64).sqrt();
        let nx = ((w / size).ceil() as usize).max(1);
        let ny = ((h / size).ceil() as usize).max(1);
        Some(Frame {
            x0: min.x,
            y0: min.y,
            dx: w / nx as f64,
            dy: h / ny as f64,
            nx,
            ny,
        })
    }

    fn col_of(&self, x: f64) -> f64 {
        (x - self.x0) / self.dx
    }

    fn row_of(&self, y: f64) -> f64 {
        (y - self.y0) / self.dy
    }

    /// The cell holding `p`, as (column, row).
    fn cell(&self, p: Point<f64>) -> Option<(usize, usize)> {
        let (c, r) = (self.col_of(p.x()), self.row_of(p.y()));
        (c >= 0.0 && r >= 0.0 && (c as usize) < self.nx && (r as usize) < self.ny)
            .then_some((c as usize, r as usize))
    }

    /// Rows (clamped) that the y-range `[lo, hi]` overlaps, widened by one each side against rounding.
    fn rows(&self, lo: f64, hi: f64) -> std::ops::RangeInclusive<usize> {
        self.span(self.row_of(lo), self.row_of(hi), self.ny)
    }

    /// Columns (clamped) that the x-range `[lo, hi]` overlaps, widened by one each side against rounding.
    fn cols(&self, lo: f64, hi: f64) -> std::ops::RangeInclusive<usize> {
        self.span(self.col_of(lo), self.col_of(hi), self.nx)
    }

    fn span(&self, lo: f64, hi: f64, n: usize) -> std::ops::RangeInclusive<usize> {
        let last = n as f64 - 1.0;
        let a = (lo.floor() - 1.0).clamp(0.0, last) as usize;
        let b = (hi.floor() + 1.0).clamp(0.0, last) as usize;
        a..=b
    }
}

/// The smallest box holding `coords` (its lower-left and upper-right corners), `None` when there are none.
pub fn bounds(coords: impl IntoIterator<Item = Coord<f64>>) -> Option<(Coord<f64>, Coord<f64>)> {
    coords.into_iter().fold(None, |acc, c| {
        let (lo, hi) = acc.unwrap_or((c, c));
        Some((
            Coord {
                x: lo.x.min(c.x),
                y: lo.y.min(c.y),
            },
            Coord {
                x: hi.x.max(c.x),
                y: hi.y.max(c.y),
            },
        ))
    })
}

/// An edge of a polygon's ring.
#[derive(Clone, Copy, Debug)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
}

impl Edge {
    /// Whether a ray from `p` towards +x crosses this edge (the half-open rule, so a vertex counts once).
    fn crossed_by_ray(&self, p: Coord<f64>) -> bool {
        let (a, b) = (self.a, self.b);
        (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
    }
}

/// High bit of a cell: the cell is on some boundary, the rest indexes [`PolygonGrid::boundary`].
const BOUNDARY: u32 = 1 << 31;

/// A cell some polygon's boundary crosses.
#[derive(Clone, Debug)]
struct BoundaryCell {
    /// The first polygon that holds the whole cell, if any.
    whole: Option<u16>,
    /// Polygons whose boundary crosses the cell, ascending.
    touching: Vec<u16>,
}

/// Which of a list of polygons holds a point: the first in list order, as
/// `shapes.iter().position(|s| s.contains(&p))` answers (for points not on a boundary, nor within rounding of
/// one). Each part of a multipolygon is judged on its own, as `contains` judges them, so parts that overlap
/// (an occupied area drawn as several features) are no trouble.
#[derive(Clone, Debug)]
pub struct PolygonGrid<'a> {
    shapes: Vec<&'a MultiPolygon<f64>>,
    /// The shape each part (each polygon of each multipolygon, in order) belongs to.
    owner: Vec<usize>,
    frame: Option<Frame>,
    /// Per cell: 0 none, `k + 1` the whole cell is in polygon `k` (and no boundary crosses it), or
    /// [`BOUNDARY`] | index into `boundary`.
    cells: Vec<u32>,
    boundary: Vec<BoundaryCell>,
    /// Per row of cells: the edges that span some of its height, grouped by polygon.
    strips: Vec<Vec<(u16, Vec<Edge>)>>,
}

impl<'a> PolygonGrid<'a> {
    /// Indexes `shapes` (at most 65,535 polygons in all; beyond that, no index) on a grid of about `cells`
    /// cells over their bounding box.
    pub fn new(shapes: Vec<&'a MultiPolygon<f64>>, cells: usize) -> PolygonGrid<'a> {
        let mut edges: Vec<(u16, Edge)> = Vec::new();
        let mut owner = Vec::new();
        for (k, shape) in shapes.iter().enumerate() {
            for polygon in &shape.0 {
                let part = owner.len();
                owner.push(k);
                if part >= u16::MAX as usize {
                    continue;
                }
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    for line in ring.lines() {
                        edges.push((
                            part as u16,
                            Edge {
                                a: line.start,
                                b: line.end,
                            },
                        ));
                    }
                }
            }
        }
        let too_many = owner.len() > u16::MAX as usize;
        let frame = bounds(edges.iter().flat_map(|(_, e)| [e.a, e.b]))
            .and_then(|(min, max)| Frame::over(min, max, cells))
            .filter(|_| !too_many);
        let Some(frame) = frame else {
            return PolygonGrid {
                shapes,
                owner,
                frame: None,
                cells: Vec::new(),
                boundary: Vec::new(),
                strips: Vec::new(),
            };
        };
        // Edges into the strips they span, and the cells they touch.
        let mut strips: Vec<Vec<(u16, Vec<Edge>)>> = vec![Vec::new(); frame.ny];
        let mut touched: Vec<(u32, u16)> = Vec::new();
        for &(k, e) in &edges {
            let (ylo, yhi) = (e.a.y.min(e.b.y), e.a.y.max(e.b.y));
            for row in frame.rows(ylo, yhi) {
                let strip = &mut strips[row];
                match strip.last_mut() {
                    Some((last, list)) if *last == k => list.push(e),
                    _ => strip.push((k, vec![e])),
                }
                // The edge's x-range within this row's band of y.
                let band_lo = (frame.y0 + row as f64 * frame.dy).max(ylo);
                let band_hi = (frame.y0 + (row + 1) as f64 * frame.dy).min(yhi);
                let x_at = |y: f64| {
                    if e.b.y == e.a.y {
                        e.a.x
                    } else {
                        e.a.x + (e.b.x - e.a.x) * ((y - e.a.y) / (e.b.y - e.a.y)).clamp(0.0, 1.0)
                    }
                };
                let (x1, x2) = if e.b.y == e.a.y || band_lo > band_hi {
                    (e.a.x.min(e.b.x), e.a.x.max(e.b.x))
                } else {
                    let (p, q) = (x_at(band_lo), x_at(band_hi));
                    (p.min(q), p.max(q))
                };
                for col in frame.cols(x1, x2) {
                    touched.push(((row * frame.nx + col) as u32, k));
                }
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let mut touching: HashMap<u32, Vec<u16>> = HashMap::new();
        for (cell, k) in touched {
            touching.entry(cell).or_default().push(k);
        }
        // Cells no boundary of a polygon crosses are wholly in it or out of it: its centre tells which.
        let mut whole: Vec<Option<u16>> = vec![None; frame.nx * frame.ny];
        for (row, strip) in strips.iter().enumerate() {
            let yc = frame.y0 + (row as f64 + 0.5) * frame.dy;
            for (k, list) in strip {
                let mut xs: Vec<f64> = list
                    .iter()
                    .filter(|e| (e.a.y > yc) != (e.b.y > yc))
                    .map(|e| e.a.x + (e.b.x - e.a.x) * (yc - e.a.y) / (e.b.y - e.a.y))
                    .collect();
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    // Centres x with pair[0] <= x < pair[1] are inside (a ray to +x crosses an odd number).
                    let first = (frame.col_of(pair[0]) - 0.5).ceil().max(0.0) as usize;
                    for col in first..frame.nx {
                        let xc = frame.x0 + (col as f64 + 0.5) * frame.dx;
                        if xc >= pair[1] {
                            break;
                        }
                        if xc < pair[0] {
                            continue;
                        }
                        let cell = row * frame.nx + col;
                        let crossed = touching.get(&(cell as u32)).is_some_and(|t| t.contains(k));
                        if !crossed && whole[cell].is_none_or(|w| *k < w) {
                            whole[cell] = Some(*k);
                        }
                    }
                }
            }
        }
        let mut boundary = Vec::new();
        let cells = whole
            .iter()
            .enumerate()
            .map(|(cell, w)| match touching.remove(&(cell as u32)) {
                Some(touching) => {
                    boundary.push(BoundaryCell {
                        whole: *w,
                        touching,
                    });
                    BOUNDARY | (boundary.len() - 1) as u32
                }
                None => w.map_or(0, |k| u32::from(k) + 1),
            })
            .collect();
        PolygonGrid {
            shapes,
            owner,
            frame: Some(frame),
            cells,
            boundary,
            strips,
        }
    }

    /// The index of the first polygon holding `p`, if any.
    pub fn find(&self, p: Point<f64>) -> Option<usize> {
        let Some(frame) = self.frame else {
            return self.shapes.iter().position(|s| s.contains(&p));
        };
        // The frame covers every edge: a point outside it is outside every polygon.
        let (col, row) = frame.cell(p)?;
        let v = self.cells[row * frame.nx + col];
        if v & BOUNDARY == 0 {
            return v.checked_sub(1).map(|k| self.owner[k as usize]);
        }
        let cell = &self.boundary[(v & !BOUNDARY) as usize];
        for &k in &cell.touching {
            if cell.whole.is_some_and(|w| w < k) {
                break;
            }
            if self.strip_holds(row, k, p) {
                return Some(self.owner[usize::from(k)]);
            }
        }
        cell.whole.map(|k| self.owner[usize::from(k)])
    }

    /// Whether polygon `k` holds `p`, counting crossings with the edges of row `row` only: any edge a ray
    /// from `p` can cross spans `p`'s latitude, so it is in `p`'s strip.
    fn strip_holds(&self, row: usize, k: u16, p: Point<f64>) -> bool {
        let p = p.0;
        self.strips[row]
            .iter()
            .filter(|(poly, _)| *poly == k)
            .flat_map(|(_, list)| list)
            .filter(|e| e.crossed_by_ray(p))
            .count()
            % 2
            == 1
    }
}

/// A segment of a line.
#[derive(Clone, Copy, Debug)]
struct Segment {
    a: Coord<f64>,
    b: Coord<f64>,
}

/// The nearest point to the origin on segment `a`–`b`, and its squared distance.
fn nearest_to_origin(a: Coord<f64>, b: Coord<f64>) -> (Coord<f64>, f64) {
    let d = b - a;
    let len2 = d.x * d.x + d.y * d.y;
    let t = if len2 > 0.0 {
        (-(a.x * d.x + a.y * d.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let q = Coord {
        x: a.x + t * d.x,
        y: a.y + t * d.y,
    };
    (q, q.x * q.x + q.y * q.y)
}

/// The scale of a degree of longitude against one of latitude at latitude `y` (degrees), as
/// [`guarantor_core::km_to_lines`] uses it.
pub fn lon_scale(y: f64) -> f64 {
    y.to_radians().cos().max(0.01)
}

/// The segments of a set of lines, for the nearest point to many points.
#[derive(Clone, Debug)]
pub struct LineGrid {
    segments: Vec<Segment>,
    frame: Option<Frame>,
    /// Per cell: the candidate segments and their distance to the cell (in the cell's reference metric),
    /// nearest first.
    cells: Vec<Vec<(u32, f64)>>,
    /// Per cell: the reference scale of longitude its distances use (the largest over the cell).
    reference: Vec<f64>,
}

impl LineGrid {
    /// Indexes `lines` on a grid of about `cells` cells over the box `[min, max]` (where the points will be).
    pub fn new(
        lines: &MultiLineString<f64>,
        min: Coord<f64>,
        max: Coord<f64>,
        cells: usize,
    ) -> LineGrid {
        let segments: Vec<Segment> = lines
            .0
            .iter()
            // A line that is a single point repeated has no nearest point (as `km_to_lines` has it).
            .filter(|l| l.0.windows(2).any(|w| w[0] != w[1]))
            .flat_map(|l| l.lines())
            .map(|l| Segment {
                a: l.start,
                b: l.end,
            })
            .collect();
        let frame = Frame::over(min, max, cells).filter(|_| !segments.is_empty());
        let Some(frame) = frame else {
            return LineGrid {
                segments,
                frame: None,
                cells: Vec::new(),
                reference: Vec::new(),
            };
        };
        let mut grid_cells = Vec::with_capacity(frame.nx * frame.ny);
        let mut reference = Vec::with_capacity(frame.nx * frame.ny);
        for row in 0..frame.ny {
            let (ya, yb) = (
                frame.y0 + row as f64 * frame.dy,
                frame.y0 + (row + 1) as f64 * frame.dy,
            );
            // Over the cell the scale s of a point lies in [s_min, s_max]; distances in the metric with
            // scale c = s_max bound every point's own: k·d_c <= d_p <= d_c, with k = s_min / s_max.
            let (sa, sb) = (lon_scale(ya), lon_scale(yb));
            let s_min = sa.min(sb);
            // The scale is largest at the equator: a cell across it reaches 1.
            let s_max = if ya < 0.0 && yb > 0.0 {
                1.0
            } else {
                sa.max(sb)
            };
            let k = s_min / s_max;
            for col in 0..frame.nx {
                let (xa, xb) = (
                    frame.x0 + col as f64 * frame.dx,
                    frame.x0 + (col + 1) as f64 * frame.dx,
                );
                // In the scaled plane, the cell is a rectangle.
                let rect = [xa * s_max, ya, xb * s_max, yb];
                let scaled = |c: Coord<f64>| Coord {
                    x: c.x * s_max,
                    y: c.y,
                };
                // No point of the cell is farther than `upper` from its nearest segment: the centre's distance
                // plus half the diagonal.
                let centre = Coord {
                    x: (rect[0] + rect[2]) / 2.0,
                    y: (rect[1] + rect[3]) / 2.0,
                };
                let half_diagonal =
                    ((rect[2] - rect[0]).powi(2) + (rect[3] - rect[1]).powi(2)).sqrt() / 2.0;
                let upper = segments
                    .iter()
                    .map(|s| nearest_to_origin(scaled(s.a) - centre, scaled(s.b) - centre).1)
                    .fold(f64::INFINITY, f64::min)
                    .sqrt()
                    + half_diagonal;
                let mut candidates: Vec<(u32, f64)> = segments
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| {
                        let (a, b) = (scaled(s.a), scaled(s.b));
                        // The segment's box is no farther than the segment: a cheap test first.
                        let bx = (rect[0] - a.x.max(b.x))
                            .max(a.x.min(b.x) - rect[2])
                            .max(0.0);
                        let by = (rect[1] - a.y.max(b.y))
                            .max(a.y.min(b.y) - rect[3])
                            .max(0.0);
                        if k * (bx * bx + by * by).sqrt() > upper {
                            return None;
                        }
                        let d = rect_to_segment(rect, a, b);
                        (k * d <= upper).then_some((i as u32, d))
                    })
                    .collect();
                candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                grid_cells.push(candidates);
                reference.push(s_max);
            }
        }
        LineGrid {
            segments,
            frame: Some(frame),
            cells: grid_cells,
            reference,
        }
    }

    /// The nearest point of the lines to `p` in `p`'s local equirectangular projection (longitude scaled by
    /// [`lon_scale`] of `p`), back in lon/lat; `None` when there are no lines.
    pub fn nearest(&self, p: Point<f64>) -> Option<Point<f64>> {
        let scale = lon_scale(p.y());
        let local = |c: Coord<f64>| Coord {
            x: (c.x - p.x()) * scale,
            y: c.y - p.y(),
        };
        let consider = |best: &mut Option<(f64, Coord<f64>)>, s: &Segment| {
            let (q, d2) = nearest_to_origin(local(s.a), local(s.b));
            if best.is_none_or(|(b, _)| d2 < b) {
                *best = Some((d2, q));
            }
        };
        let mut best: Option<(f64, Coord<f64>)> = None;
        match self
            .frame
            .and_then(|f| f.cell(p).map(|(c, r)| r * f.nx + c))
        {
            Some(cell) => {
                // The point's own distances are at least (scale / reference) of the cell's.
                let k = scale / self.reference[cell];
                for &(i, d) in &self.cells[cell] {
                    if best.is_some_and(|(b, _)| k * d > b.sqrt()) {
                        break;
                    }
                    consider(&mut best, &self.segments[i as usize]);
                }
            }
            None => self.segments.iter().for_each(|s| consider(&mut best, s)),
        }
        best.map(|(_, q)| Point::new(q.x / scale + p.x(), q.y + p.y()))
    }
}

/// Distance between the rectangle `[x0, y0, x1, y1]` and the segment `a`–`b` (0 when they meet).
fn rect_to_segment(rect: [f64; 4], a: Coord<f64>, b: Coord<f64>) -> f64 {
    let inside =
        |c: Coord<f64>| c.x >= rect[0] && c.x <= rect[2] && c.y >= rect[1] && c.y <= rect[3];
    if inside(a) || inside(b) || clip_hits(rect, a, b) {
        return 0.0;
    }
    let to_rect = |c: Coord<f64>| {
        let dx = (rect[0] - c.x).max(c.x - rect[2]).max(0.0);
        let dy = (rect[1] - c.y).max(c.y - rect[3]).max(0.0);
        (dx * dx + dy * dy).sqrt()
    };
    let corners = [
        Coord {
            x: rect[0],
            y: rect[1],
        },
        Coord {
            x: rect[2],
            y: rect[1],
        },
        Coord {
            x: rect[0],
            y: rect[3],
        },
        Coord {
            x: rect[2],
            y: rect[3],
        },
    ];
    corners
        .iter()
        .map(|&c| nearest_to_origin(a - c, b - c).1.sqrt())
        .fold(to_rect(a).min(to_rect(b)), f64::min)
}

/// Whether segment `a`–`b` crosses the rectangle (Liang–Barsky clipping).
fn clip_hits(rect: [f64; 4], a: Coord<f64>, b: Coord<f64>) -> bool {
    let d = b - a;
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-d.x, a.x - rect[0]),
        (d.x, rect[2] - a.x),
        (-d.y, a.y - rect[1]),
        (d.y, rect[3] - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 <= t1
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::{LineString, Polygon, line_string, polygon};

    /// A stream of floats in [0, 1).
    fn uniform(seed: u64) -> impl FnMut() -> f64 {
        let mut rng = guarantor_core::SplitMix64::new(seed);
        move || rng.unit()
    }

    fn star(cx: f64, cy: f64, r: f64, points: usize) -> Polygon<f64> {
        let ring: LineString<f64> = (0..=points)
            .map(|i| {
                let a = i as f64 / points as f64 * std::f64::consts::TAU;
                let rr = if i % 2 == 0 { r } else { r * 0.4 };
                (cx + rr * a.cos(), cy + rr * a.sin())
            })
            .collect();
        Polygon::new(ring, vec![])
    }

    #[test]
    fn polygon_grid_agrees_with_contains_on_random_points() {
        let hole = polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)];
        let outer = Polygon::new(
            line_string![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)],
            vec![hole.exterior().clone()],
        );
        let shapes = [
            MultiPolygon::new(vec![outer]),
            MultiPolygon::new(vec![star(3.0, 3.0, 2.5, 40), star(-2.0, 5.0, 1.0, 9)]),
            MultiPolygon::new(vec![star(1.5, 1.5, 0.4, 12)]),
            // Two parts that overlap: inside either is inside.
            MultiPolygon::new(vec![star(-1.0, 0.0, 1.5, 10), star(-0.5, 0.3, 1.5, 14)]),
        ];
        for cells in [1, 7, 100, 5000] {
            let grid = PolygonGrid::new(shapes.iter().collect(), cells);
            let mut u = uniform(cells as u64);
            for _ in 0..20_000 {
                let p = Point::new(u() * 10.0 - 4.0, u() * 10.0 - 2.0);
                let want = shapes.iter().position(|s| s.contains(&p));
                assert_eq!(grid.find(p), want, "{p:?} with {cells} cells");
            }
        }
    }

    #[test]
    fn line_grid_agrees_with_the_plain_nearest_point() {
        let mut u = uniform(7);
        let lines = MultiLineString::new(vec![
            (0..200)
                .map(|i| (30.0 + i as f64 * 0.03, 47.0 + (i as f64 * 0.3).sin() * 0.8))
                .collect(),
            line_string![(x: 33.0, y: 50.0), (x: 33.5, y: 50.2)],
        ]);
        let everything = LineGrid::new(
            &lines,
            Coord { x: 0.0, y: 0.0 },
            Coord { x: 0.0, y: 0.0 },
            1,
        );
        for cells in [1, 50, 4000] {
            let grid = LineGrid::new(
                &lines,
                Coord { x: 25.0, y: 43.0 },
                Coord { x: 41.0, y: 53.0 },
                cells,
            );
            for _ in 0..5_000 {
                let p = Point::new(u() * 20.0 + 23.0, u() * 12.0 + 42.0);
                let (a, b) = (grid.nearest(p), everything.nearest(p));
                let d = |q: Option<Point<f64>>| {
                    let q = q.expect("a nearest point");
                    let s = lon_scale(p.y());
                    (((q.x() - p.x()) * s).powi(2) + (q.y() - p.y()).powi(2)).sqrt()
                };
                assert!((d(a) - d(b)).abs() < 1e-12, "{p:?}: {a:?} against {b:?}");
            }
        }
    }
}
