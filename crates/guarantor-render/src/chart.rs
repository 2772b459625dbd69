//! Charts as SVG: a small renderer of our own (a plotting crate would need its own styling and fonts to match
//! the map; these are four simple kinds): lines over days, stacked bars, bars against a target, and a heat map.

use crate::svg::{Svg, num, text_width};

/// Colours of the series, in order (Okabe–Ito, readable by the colour-blind).
pub const PALETTE: [&str; 7] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999",
];

/// A chart's size and titles.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Title, top left.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// Width, px.
    pub width: f64,
    /// Height, px.
    pub height: f64,
}

impl Frame {
    /// A frame of the usual size (760 × 360 px).
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Frame {
        Frame {
            title: title.to_owned(),
            x_label: x_label.to_owned(),
            y_label: y_label.to_owned(),
            width: 760.0,
            height: 360.0,
        }
    }
}

/// Round tick values covering `[lo, hi]`: about `n` of them, at 1, 2 or 5 × 10^k. With `whole`, steps are
/// whole numbers (for counts and days: no tick at 0.5 incidents).
pub fn ticks(lo: f64, hi: f64, n: usize, whole: bool) -> Vec<f64> {
    let span = (hi - lo).abs();
    if span <= 0.0 || !span.is_finite() {
        return vec![lo];
    }
    let raw = span / n.max(1) as f64;
    let mut mag = 10f64.powf(raw.log10().floor());
    let mut m = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| span / (m * mag) <= n as f64 * 1.2)
        .unwrap_or(10.0);
    if whole && m * mag < 1.0 {
        (m, mag) = (1.0, 1.0);
    }
    // A tick is k·m·10^e: for negative e divide by 10^-e, which is exact, so 3 × 0.2 reads 0.6.
    let value = |k: f64| {
        if mag < 1.0 {
            k * m / (1.0 / mag).round()
        } else {
            k * m * mag
        }
    };
    let step = m * mag;
    let first = (lo / step).ceil();
    (0..1000)
        .map(|i| value(first + f64::from(i)))
        .take_while(|t| *t <= hi + step * 1e-9)
        .map(|t| if t.abs() < step * 1e-9 { 0.0 } else { t })
        .collect()
}

/// The top of an axis for values up to `max`: `max` itself, or 1 when there is nothing to show (all zero).
fn axis_top(max: f64) -> f64 {
    if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    }
}

/// A whole number with thin spaces between thousands, exactly: for key figures.
pub fn thousands(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// A number for an axis: thousands with a thin space, `k` beyond 100,000.
pub fn axis_number(v: f64) -> String {
    if v.abs() >= 100_000.0 {
        format!("{}k", num(v / 1000.0))
    } else if v.abs() >= 1000.0 && v.fract() == 0.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(v.abs() as u64))
    } else {
        num(v)
    }
}

/// The plotting area inside a frame's margins.
struct Plot {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

/// A white picture with the title at its top left.
fn titled(width: f64, height: f64, title: &str) -> Svg {
    let mut svg = Svg::new(width, height);
    svg.rect(0.0, 0.0, width, height, r##"fill="#ffffff""##);
    svg.text((12.0, 22.0), 15.0, "start", r##"fill="#111""##, title);
    svg
}

fn start(frame: &Frame, left_margin: f64) -> (Svg, Plot) {
    let mut svg = titled(frame.width, frame.height, &frame.title);
    let plot = Plot {
        left: left_margin,
        top: 44.0,
        width: frame.width - left_margin - 24.0,
        height: frame.height - 44.0 - 52.0,
    };
    svg.text(
        (plot.left + plot.width / 2.0, frame.height - 10.0),
        11.0,
        "middle",
        r##"fill="#333""##,
        &frame.x_label,
    );
    svg.text_rotated(
        (14.0, plot.top + plot.height / 2.0),
        -90.0,
        11.0,
        "middle",
        r##"fill="#333""##,
        &frame.y_label,
    );
    (svg, plot)
}

/// Horizontal grid lines and y tick labels for `[0, y_max]`; returns the scale (px per unit).
fn y_axis(svg: &mut Svg, plot: &Plot, y_max: f64) -> f64 {
    let y_max = axis_top(y_max);
    let per = plot.height / y_max;
    for t in ticks(0.0, y_max, 5, true) {
        let y = plot.top + plot.height - t * per;
        svg.line(
            (plot.left, y),
            (plot.left + plot.width, y),
            r##"stroke="#e5e5e5" stroke-width="1""##,
        );
        svg.text(
            (plot.left - 6.0, y + 3.5),
            10.0,
            "end",
            r##"fill="#444""##,
            &axis_number(t),
        );
    }
    svg.line(
        (plot.left, plot.top + plot.height),
        (plot.left + plot.width, plot.top + plot.height),
        r##"stroke="#444" stroke-width="1""##,
    );
    per
}

/// A series of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Name, in the legend.
    pub name: String,
    /// Points (x, y), x ascending.
    pub points: Vec<(f64, f64)>,
    /// Drawn as steps (a value holds until the next point).
    pub steps: bool,
}

/// A marked value: a horizontal (`y`) or vertical (`x`) dashed line with a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// The value.
    pub value: f64,
    /// Its label.
    pub label: String,
}

/// Lines over `[0, x_max]` with horizontal markers (thresholds) and vertical ones (days).
pub fn lines(
    frame: &Frame,
    series: &[Series],
    x_max: f64,
    thresholds: &[Marker],
    days: &[Marker],
) -> String {
    let (mut svg, plot) = start(frame, 70.0);
    let y_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(thresholds.iter().map(|m| m.value))
        .fold(0.0f64, f64::max)
        * 1.08;
    let per_y = y_axis(&mut svg, &plot, y_max);
    let x_max = x_max.max(1.0);
    let per_x = plot.width / x_max;
    for t in ticks(0.0, x_max, 8, true) {
        let x = plot.left + t * per_x;
        svg.line(
            (x, plot.top + plot.height),
            (x, plot.top + plot.height + 4.0),
            r##"stroke="#444""##,
        );
        svg.text(
            (x, plot.top + plot.height + 16.0),
            10.0,
            "middle",
            r##"fill="#444""##,
            &axis_number(t),
        );
    }
    let at = |(x, y): (f64, f64)| (plot.left + x * per_x, plot.top + plot.height - y * per_y);
    for m in thresholds {
        let (_, y) = at((0.0, m.value));
        svg.line(
            (plot.left, y),
            (plot.left + plot.width, y),
            r##"stroke="#c0392b" stroke-width="1" stroke-dasharray="5 3""##,
        );
        svg.text(
            (plot.left + plot.width - 4.0, y - 4.0),
            10.0,
            "end",
            r##"fill="#c0392b""##,
            &m.label,
        );
    }
    for (k, m) in days.iter().enumerate() {
        let (x, _) = at((m.value, 0.0));
        svg.line(
            (x, plot.top),
            (x, plot.top + plot.height),
            r##"stroke="#555" stroke-width="1" stroke-dasharray="2 3""##,
        );
        // Staggered, so that markers close together do not write over each other.
        svg.text(
            (x + 4.0, plot.top + 12.0 + 13.0 * k as f64),
            10.0,
            "start",
            r##"fill="#333""##,
            &m.label,
        );
    }
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let mut d = String::new();
        let mut started = false;
        for &p in &s.points {
            let (x, y) = at(p);
            d.push_str(&match (started, s.steps) {
                (false, _) => format!("M{} {}", num(x), num(y)),
                (true, true) => format!("H{}V{}", num(x), num(y)),
                (true, false) => format!("L{} {}", num(x), num(y)),
            });
            started = true;
        }
        if s.steps && started {
            // The last value holds to the end of the chart.
            d.push_str(&format!("H{}", num(plot.left + plot.width)));
        }
        svg.path(
            &d,
            &format!(r#"fill="none" stroke="{colour}" stroke-width="2""#),
        );
    }
    let entries = series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), PALETTE[i % PALETTE.len()].to_owned()));
    legend_row(&mut svg, frame, entries);
    svg.finish(&frame.title)
}

/// One layer of a stacked bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    /// Name, in the legend.
    pub name: String,
    /// One value per category.
    pub values: Vec<f64>,
    /// Its colour (`#rrggbb`), else the palette's in order.
    pub colour: Option<String>,
}

impl Stack {
    fn colour(&self, k: usize) -> String {
        self.colour
            .clone()
            .unwrap_or_else(|| PALETTE[k % PALETTE.len()].to_owned())
    }
}

/// Bars per category, their layers stacked bottom up.
pub fn stacked_bars(frame: &Frame, categories: &[String], stacks: &[Stack]) -> String {
    let (mut svg, plot) = start(frame, 70.0);
    let n = categories.len().max(1);
    let total = |i: usize| {
        stacks
            .iter()
            .map(|s| s.values.get(i).copied().unwrap_or(0.0))
            .sum::<f64>()
    };
    let y_max = (0..n).map(total).fold(0.0f64, f64::max) * 1.1;
    let per_y = y_axis(&mut svg, &plot, y_max);
    let slot = plot.width / n as f64;
    let bar = (slot * 0.72).max(1.0);
    let label_every = (n as f64 / (plot.width / 36.0)).ceil().max(1.0) as usize;
    for (i, category) in categories.iter().enumerate() {
        let x = plot.left + i as f64 * slot + (slot - bar) / 2.0;
        let mut base = plot.top + plot.height;
        for (k, s) in stacks.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            let hgt = v * per_y;
            svg.rect(
                x,
                base - hgt,
                bar,
                hgt,
                &format!(r#"fill="{}""#, s.colour(k)),
            );
            base -= hgt;
        }
        if i % label_every == 0 {
            svg.text(
                (x + bar / 2.0, plot.top + plot.height + 16.0),
                10.0,
                "middle",
                r##"fill="#444""##,
                category,
            );
        }
    }
    let entries = stacks
        .iter()
        .enumerate()
        .map(|(k, s)| (s.name.as_str(), s.colour(k)));
    legend_row(&mut svg, frame, entries);
    svg.finish(&frame.title)
}

/// The legend as one row under the title: (name, colour).
fn legend_row<'a>(svg: &mut Svg, frame: &Frame, entries: impl Iterator<Item = (&'a str, String)>) {
    let mut x = frame.width - 20.0;
    let entries: Vec<(&str, String)> = entries.collect();
    for (name, colour) in entries.iter().rev() {
        x -= text_width(name, 10.0) + 24.0;
        svg.rect(x, 28.0, 12.0, 10.0, &format!(r#"fill="{colour}""#));
        svg.text((x + 16.0, 37.0), 10.0, "start", r##"fill="#222""##, name);
    }
}

/// One row of a bars-against-target chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Against {
    /// Row label.
    pub label: String,
    /// The value (a bar).
    pub value: f64,
    /// The target (a tick across the bar).
    pub target: f64,
}

/// Horizontal bars, each with its target marked: fill against requirement, troops against fair share. Bars
/// at or above their target are drawn in the first colour, short ones in the second.
pub fn bars_against(
    frame: &Frame,
    rows: &[Against],
    value_name: &str,
    target_name: &str,
) -> String {
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label, 10.0))
        .fold(60.0f64, f64::max)
        + 16.0;
    let row_h = 18.0;
    let height = (rows.len() as f64 * row_h + 110.0).max(frame.height.min(200.0));
    let frame = Frame {
        height,
        ..frame.clone()
    };
    let mut svg = titled(frame.width, frame.height, &frame.title);
    let (left, top) = (label_w, 50.0);
    let width = frame.width - left - 70.0;
    let x_max = axis_top(
        rows.iter()
            .flat_map(|r| [r.value, r.target])
            .fold(0.0f64, f64::max),
    ) * 1.05;
    let per = width / x_max;
    let bottom = top + rows.len() as f64 * row_h;
    for t in ticks(0.0, x_max, 6, true) {
        let x = left + t * per;
        svg.line((x, top - 4.0), (x, bottom), r##"stroke="#e5e5e5""##);
        svg.text(
            (x, bottom + 14.0),
            10.0,
            "middle",
            r##"fill="#444""##,
            &axis_number(t),
        );
    }
    svg.text(
        (left + width / 2.0, bottom + 32.0),
        11.0,
        "middle",
        r##"fill="#333""##,
        &frame.x_label,
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let colour = if r.value + 1e-9 >= r.target {
            PALETTE[0]
        } else {
            PALETTE[1]
        };
        svg.text(
            (left - 6.0, y + 12.0),
            10.0,
            "end",
            r##"fill="#222""##,
            &r.label,
        );
        svg.rect(
            left,
            y + 3.0,
            r.value * per,
            row_h - 6.0,
            &format!(r#"fill="{colour}""#),
        );
        let tx = left + r.target * per;
        svg.line(
            (tx, y + 1.0),
            (tx, y + row_h - 1.0),
            r##"stroke="#111" stroke-width="2""##,
        );
        svg.text(
            (left + r.value.max(r.target) * per + 6.0, y + 12.0),
            9.0,
            "start",
            r##"fill="#444""##,
            &format!(
                "{} / {}",
                axis_number(r.value.round()),
                axis_number(r.target.round())
            ),
        );
    }
    // Legend: the bar and the target tick.
    let lx =
        frame.width - 20.0 - text_width(value_name, 10.0) - text_width(target_name, 10.0) - 140.0;
    svg.rect(lx, 28.0, 12.0, 10.0, &format!(r#"fill="{}""#, PALETTE[0]));
    svg.rect(
        lx + 12.0,
        28.0,
        12.0,
        10.0,
        &format!(r#"fill="{}""#, PALETTE[1]),
    );
    svg.text(
        (lx + 30.0, 37.0),
        10.0,
        "start",
        r##"fill="#222""##,
        &format!("{value_name} (met / short)"),
    );
    let tx = lx + 30.0 + text_width(value_name, 10.0) + 90.0;
    svg.line(
        (tx, 27.0),
        (tx, 39.0),
        r##"stroke="#111" stroke-width="2""##,
    );
    svg.text(
        (tx + 6.0, 37.0),
        10.0,
        "start",
        r##"fill="#222""##,
        target_name,
    );
    svg.finish(&frame.title)
}

/// How a heat map's column is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Yes (0.5 or more: dark grey) or no (pale).
    Flag,
    /// A share in [0, 1], pale yellow to dark blue.
    Share,
}

/// A heat map: rows × columns of values (or none), each column coloured by its [`Scale`], with an extra text
/// column on the right.
pub fn heat_map(
    frame: &Frame,
    columns: &[(String, Scale)],
    rows: &[(String, Vec<Option<f64>>, String)],
) -> String {
    let scales: Vec<Scale> = columns.iter().map(|c| c.1).collect();
    let columns: Vec<String> = columns.iter().map(|c| c.0.clone()).collect();
    let columns = columns.as_slice();
    // At most MAX_ROWS rows: beyond that, every k-th row (first and last kept), and the title says so.
    let every = rows.len().div_ceil(MAX_ROWS).max(1);
    let shown: Vec<&(String, Vec<Option<f64>>, String)> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0 || *i + 1 == rows.len())
        .map(|(_, r)| r)
        .collect();
    let title = if every > 1 {
        format!("{} (every {every}th of {} rows)", frame.title, rows.len())
    } else {
        frame.title.clone()
    };
    let rows = shown;
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.0, 9.0))
        .fold(40.0f64, f64::max)
        + 12.0;
    let cell_w = ((frame.width - label_w - 90.0) / columns.len().max(1) as f64).clamp(8.0, 60.0);
    let cell_h = if rows.len() > 60 { 4.0 } else { 14.0 };
    let header = columns
        .iter()
        .map(|c| text_width(c, 9.0))
        .fold(0.0f64, f64::max)
        .min(140.0)
        + 10.0;
    let top = 40.0 + header;
    let height = top + rows.len() as f64 * cell_h + 40.0;
    let width = (label_w + columns.len() as f64 * cell_w + 100.0)
        .max(text_width(&frame.x_label, 10.0) + 24.0)
        .max(text_width(&title, 15.0) + 24.0);
    let mut svg = titled(width, height, &title);
    for (j, c) in columns.iter().enumerate() {
        let x = label_w + j as f64 * cell_w + cell_w / 2.0 + 3.0;
        svg.text_rotated((x, top - 4.0), -60.0, 9.0, "start", r##"fill="#333""##, c);
    }
    for (i, (label, values, note)) in rows.iter().enumerate() {
        let y = top + i as f64 * cell_h;
        if cell_h >= 10.0 {
            svg.text(
                (label_w - 6.0, y + cell_h - 3.0),
                9.0,
                "end",
                r##"fill="#222""##,
                label,
            );
            svg.text(
                (
                    label_w + columns.len() as f64 * cell_w + 6.0,
                    y + cell_h - 3.0,
                ),
                9.0,
                "start",
                r##"fill="#222""##,
                note,
            );
        }
        for (j, v) in values.iter().enumerate() {
            let x = label_w + j as f64 * cell_w;
            let fill = match (v, scales.get(j).copied().unwrap_or(Scale::Share)) {
                (None, _) => "#f4f4f4".to_owned(),
                (Some(v), Scale::Flag) if *v >= 0.5 => "#3d4a57".to_owned(),
                (Some(_), Scale::Flag) => "#f1eee4".to_owned(),
                (Some(v), Scale::Share) => shade(*v),
            };
            svg.rect(
                x,
                y,
                cell_w - 1.0,
                cell_h - (if cell_h >= 10.0 { 1.0 } else { 0.0 }),
                &format!(r#"fill="{fill}""#),
            );
        }
    }
    svg.text(
        (12.0, height - 14.0),
        10.0,
        "start",
        r##"fill="#444""##,
        &frame.x_label,
    );
    svg.finish(&title)
}

/// The most rows a heat map draws.
pub const MAX_ROWS: usize = 512;

/// Pale yellow (0) to dark blue (1); grey for a value that is not a number.
pub fn shade(v: f64) -> String {
    if !v.is_finite() {
        return "#f4f4f4".to_owned();
    }
    let v = v.clamp(0.0, 1.0);
    let lerp = |a: f64, b: f64| (a + (b - a) * v).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        lerp(255.0, 8.0),
        lerp(247.0, 48.0),
        lerp(188.0, 107.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5, false),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            ticks(0.0, 27_000.0, 5, true),
            vec![0.0, 5000.0, 10000.0, 15000.0, 20000.0, 25000.0]
        );
        assert_eq!(ticks(3.0, 3.0, 5, true), vec![3.0]);
        // Counts: no half incidents; and nothing to show still gives an axis.
        assert_eq!(ticks(0.0, 2.0, 5, true), vec![0.0, 1.0, 2.0]);
        assert_eq!(ticks(0.0, axis_top(0.0), 5, true), vec![0.0, 1.0]);
        assert_eq!(ticks(0.0, 0.6, 3, false), vec![0.0, 0.2, 0.4, 0.6]);
        assert_eq!(shade(f64::NAN), "#f4f4f4");
        assert_eq!(thousands(1_234_567), "1\u{2009}234\u{2009}567");
        assert_eq!(axis_number(25_000.0), "25\u{2009}000");
        assert_eq!(axis_number(250_000.0), "250k");
        assert_eq!(shade(0.0), "#fff7bc");
    }
}

/// One course of action in a comparison chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    /// Row label (the course and its world state).
    pub label: String,
    /// Troops filled, as a share of those required (0..1): the measure the thresholds apply to.
    pub share: f64,
    /// The figures written beside the bar (deployed, cost, days, nations…).
    pub note: String,
}

/// Courses of action side by side: each option's fill as a bar against the initial and full operating
/// capability thresholds (dashed lines across every row), coloured by the threshold it reaches (the
/// first colour at full, the second at initial, the sixth below), with its other figures written beside it.
pub fn comparison(frame: &Frame, rows: &[Compared], ioc: f64, foc: f64) -> String {
    let label_w = rows
        .iter()
        .map(|r| text_width(&r.label, 10.0))
        .fold(60.0f64, f64::max)
        + 16.0;
    let row_h = 26.0;
    let note_w = rows
        .iter()
        .map(|r| text_width(&r.note, 9.0))
        .fold(0.0f64, f64::max)
        + 16.0;
    let bar_w = 260.0;
    let width = frame.width.max(label_w + bar_w + note_w + 20.0);
    let height = rows.len() as f64 * row_h + 110.0;
    let frame = Frame {
        width,
        height,
        ..frame.clone()
    };
    let mut svg = titled(frame.width, frame.height, &frame.title);
    let (left, top) = (label_w, 56.0);
    let bottom = top + rows.len() as f64 * row_h;
    let x = |share: f64| left + share.clamp(0.0, 1.0) * bar_w;
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        svg.line((x(t), top - 4.0), (x(t), bottom), r##"stroke="#e5e5e5""##);
        svg.text(
            (x(t), bottom + 14.0),
            10.0,
            "middle",
            r##"fill="#444""##,
            &format!("{:.0}%", 100.0 * t),
        );
    }
    svg.text(
        (left + bar_w / 2.0, bottom + 32.0),
        11.0,
        "middle",
        r##"fill="#333""##,
        &frame.x_label,
    );
    for (i, r) in rows.iter().enumerate() {
        let y = top + i as f64 * row_h;
        let colour = if r.share + 1e-9 >= foc {
            PALETTE[0]
        } else if r.share + 1e-9 >= ioc {
            PALETTE[1]
        } else {
            PALETTE[5]
        };
        if i % 2 == 1 {
            svg.rect(4.0, y, frame.width - 8.0, row_h, r##"fill="#f6f6f3""##);
        }
        svg.text(
            (left - 6.0, y + 16.0),
            10.0,
            "end",
            r##"fill="#222""##,
            &r.label,
        );
        svg.rect(
            left,
            y + 5.0,
            r.share.clamp(0.0, 1.0) * bar_w,
            row_h - 10.0,
            &format!(r#"fill="{colour}""#),
        );
        svg.text(
            (left + bar_w + 12.0, y + 16.0),
            9.0,
            "start",
            r##"fill="#333""##,
            &r.note,
        );
    }
    for (share, name) in [(ioc, "IOC"), (foc, "FOC")] {
        svg.line(
            (x(share), top - 6.0),
            (x(share), bottom),
            r##"stroke="#111" stroke-width="1.5" stroke-dasharray="4 3""##,
        );
        svg.text(
            (x(share), top - 10.0),
            9.0,
            "middle",
            r##"fill="#111""##,
            &format!("{name} {:.0}%", 100.0 * share),
        );
    }
    // Legend: the three colours.
    let mut lx = frame.width - 20.0;
    for (colour, name) in [
        (PALETTE[5], "short of IOC"),
        (PALETTE[1], "enough for IOC"),
        (PALETTE[0], "enough for FOC"),
    ] {
        lx -= text_width(name, 10.0) + 24.0;
        svg.rect(lx, 28.0, 12.0, 10.0, &format!(r#"fill="{colour}""#));
        svg.text((lx + 16.0, 37.0), 10.0, "start", r##"fill="#222""##, name);
    }
    svg.finish(&frame.title)
}
