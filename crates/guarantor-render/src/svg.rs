//! A small SVG writer: elements appended as text, numbers written short and always the same way, text escaped.

use std::fmt::Write;

/// The font every picture names: embedded for rasterising (see [`crate::raster`]), a browser falls back to its
/// sans-serif.
pub const FONT: &str = "DejaVu Sans, Verdana, sans-serif";

/// A number for SVG: at most two decimals, no trailing zeros, `-0` written `0`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let mut s = format!("{:.2}", x);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".to_owned() } else { s }
}

/// `text` escaped for XML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The width of `text` at `size` px in DejaVu Sans, estimated from its characters (for laying out labels
/// without measuring glyphs).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '%' => 0.92,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 0.68,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// An SVG document being written.
#[derive(Clone, Debug)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    /// An empty picture `width` × `height` px.
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    /// Width in px.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height in px.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Appends markup as written.
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
        self.body.push('\n');
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" {style}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A line.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {style}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// A circle.
    pub fn circle(&mut self, (x, y): (f64, f64), r: f64, style: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" {style}/>"#,
            num(x),
            num(y),
            num(r)
        );
    }

    /// A path.
    pub fn path(&mut self, d: &str, style: &str) {
        if !d.is_empty() {
            let _ = writeln!(self.body, r#"<path d="{d}" {style}/>"#);
        }
    }

    /// Text at (`x`, `y`), `anchor` `start`, `middle` or `end`.
    pub fn text(&mut self, (x, y): (f64, f64), size: f64, anchor: &str, style: &str, text: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" {style}>{}</text>"#,
            num(x),
            num(y),
            num(size),
            esc(text)
        );
    }

    /// Text at (`x`, `y`) turned by `degrees` about that point.
    pub fn text_rotated(
        &mut self,
        (x, y): (f64, f64),
        degrees: f64,
        size: f64,
        anchor: &str,
        style: &str,
        text: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<text x="{x}" y="{y}" font-size="{}" text-anchor="{anchor}" transform="rotate({} {x} {y})" {style}>{}</text>"#,
            num(size),
            num(degrees),
            esc(text),
            x = num(x),
            y = num(y),
        );
    }

    /// Opens a group; close it with [`Svg::end_group`].
    pub fn group(&mut self, attributes: &str) {
        let _ = writeln!(self.body, "<g {attributes}>");
    }

    /// Closes the group opened last.
    pub fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The document, with a `<title>` for screen readers.
    pub fn finish(self, title: &str) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             font-family=\"{FONT}\" role=\"img\">\n<title>{}</title>\n{}</svg>\n",
            esc(title),
            self.body,
            w = num(self.width),
            h = num(self.height),
        )
    }
}

/// Path data for closed rings of points (`M … L … Z` each).
pub fn rings_d<'a>(rings: impl IntoIterator<Item = &'a [(f64, f64)]>) -> String {
    let mut d = String::new();
    for ring in rings {
        line_d_into(&mut d, ring);
        if ring.len() > 1 {
            d.push('Z');
        }
    }
    d
}

/// Path data for open lines of points.
pub fn lines_d<'a>(lines: impl IntoIterator<Item = &'a [(f64, f64)]>) -> String {
    let mut d = String::new();
    for line in lines {
        line_d_into(&mut d, line);
    }
    d
}

fn line_d_into(d: &mut String, points: &[(f64, f64)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { "L" },
            num(*x),
            num(*y)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.25");
        assert_eq!(num(1.2), "1.2");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
