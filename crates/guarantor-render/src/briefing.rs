//! Briefings: one self-contained HTML page (inline SVG and CSS, nothing fetched) with key figures, pictures and
//! tables, readable on screen and on paper.

use std::fmt::Write;

use crate::svg::esc;
use crate::table::Table;

/// A briefing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Briefing {
    /// Title.
    pub title: String,
    /// A line under it (the world state, the day).
    pub subtitle: String,
    /// Key figures across the top: (label, value, note).
    pub figures: Vec<(String, String, String)>,
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// Attribution lines owed for the data, at the foot.
    pub attribution: Vec<String>,
}

/// A section: a heading, a sentence or two, then its pictures (side by side when there are several), then its
/// other blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// Heading.
    pub heading: String,
    /// Text under the heading.
    pub intro: String,
    /// Pictures and tables.
    pub blocks: Vec<Block>,
}

/// A part of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// An SVG picture and its caption.
    Picture {
        /// The SVG text.
        svg: String,
        /// Its caption.
        caption: String,
    },
    /// A table (its name is the caption).
    Table(Table),
    /// A paragraph.
    Text(String),
    /// A heading inside the section (a spot report's title).
    Heading(String),
    /// A source's own words, with who said it and where it can be read (a link is shown only when it is
    /// `http://` or `https://`).
    Quote {
        /// The words.
        text: String,
        /// Who and when.
        cite: String,
        /// Where the source's record can be read.
        link: Option<String>,
    },
}

/// The page's style sheet (also for pages that embed a briefing's [`body`]).
pub const STYLE: &str = "
body{font-family:'DejaVu Sans',Verdana,sans-serif;margin:0;background:#f3f3f0;color:#1c1c1c}
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px;background:#fff}
header h1{font-size:26px;margin:0 0 4px}header p{margin:0;color:#555}
.figures{display:flex;flex-wrap:wrap;gap:12px;margin:20px 0 8px}
.figure{flex:1 1 160px;border:1px solid #d6d6d0;border-radius:4px;padding:10px 12px;background:#fafaf7}
.figure b{display:block;font-size:22px;margin:2px 0}.figure span{font-size:12px;color:#555}
h2{font-size:19px;border-bottom:2px solid #1b4f72;padding-bottom:4px;margin-top:34px}
figure{margin:16px 0}.pictures{display:grid;grid-template-columns:repeat(auto-fit,minmax(540px,1fr));gap:0 20px}figure svg{max-width:100%;height:auto;border:1px solid #e2e2dc}
figcaption{font-size:12px;color:#555;margin-top:4px}
table{border-collapse:collapse;font-size:12px;margin:10px 0 18px;width:100%}
caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border-bottom:1px solid #e4e4de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
h3{font-size:15px;margin:24px 0 4px;color:#1b4f72}
blockquote{margin:4px 0 8px 18px;padding:2px 10px;border-left:3px solid #c9c9c0;font-size:13px;color:#333}
blockquote p{margin:2px 0}cite{font-size:11px;color:#666;font-style:normal;word-break:break-all}
footer{font-size:11px;color:#666;margin-top:36px;border-top:1px solid #ddd;padding-top:8px}
@media print{body{background:#fff}main{padding:0}figure,table{break-inside:avoid}}
";

/// The briefing as one HTML page.
pub fn html(b: &Briefing) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&b.title),
    );
    out.push_str(&body(b));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The briefing's content (title, figures, sections, attribution) without the page around it, for a page of
/// its own (styled by [`STYLE`]).
pub fn body(b: &Briefing) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p>{}</p></header>",
        esc(&b.title),
        esc(&b.subtitle)
    );
    if !b.figures.is_empty() {
        out.push_str("<div class=\"figures\">\n");
        for (label, value, note) in &b.figures {
            let _ = writeln!(
                out,
                "<div class=\"figure\"><span>{}</span><b>{}</b><span>{}</span></div>",
                esc(label),
                esc(value),
                esc(note)
            );
        }
        out.push_str("</div>\n");
    }
    for s in &b.sections {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(&s.heading));
        if !s.intro.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", esc(&s.intro));
        }
        // Two pictures or more side by side where the page is wide enough.
        let pictures = s
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Picture { .. }))
            .count();
        if pictures > 1 {
            out.push_str("<div class=\"pictures\">\n");
        }
        for block in &s.blocks {
            if let Block::Picture { svg, caption } = block {
                let _ = writeln!(
                    out,
                    "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>",
                    esc(caption)
                );
            }
        }
        if pictures > 1 {
            out.push_str("</div>\n");
        }
        for block in &s.blocks {
            match block {
                Block::Picture { .. } => {}
                Block::Text(t) => {
                    let _ = writeln!(out, "<p>{}</p>", esc(t));
                }
                Block::Heading(t) => {
                    let _ = writeln!(out, "<h3>{}</h3>", esc(t));
                }
                Block::Quote { text, cite, link } => {
                    let link = link
                        .as_deref()
                        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
                        .map(|l| {
                            format!(
                                " — <a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                                esc(l),
                                esc(l)
                            )
                        })
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "<blockquote><p>\u{201c}{}\u{201d}</p><cite>{}{link}</cite></blockquote>",
                        esc(text),
                        esc(cite)
                    );
                }
                Block::Table(t) => table_html(&mut out, t),
            }
        }
        out.push_str("</section>\n");
    }
    if !b.attribution.is_empty() {
        out.push_str("<footer>\n");
        for a in &b.attribution {
            let _ = writeln!(out, "<div>{}</div>", esc(a));
        }
        out.push_str("</footer>\n");
    }
    out
}

fn table_html(out: &mut String, t: &Table) {
    let _ = write!(
        out,
        "<table>\n<caption>{}</caption>\n<thead><tr>",
        esc(&t.name)
    );
    for h in &t.header {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for cell in row {
            let class = if cell.is_number() { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", esc(&cell.text()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Cell;

    #[test]
    fn the_page_is_self_contained_and_escapes_text() {
        let b = Briefing {
            title: "Plan <draft>".into(),
            subtitle: "us_backstop=true".into(),
            figures: vec![("Troops".into(), "27 000".into(), "required".into())],
            sections: vec![Section {
                heading: "Map".into(),
                intro: String::new(),
                blocks: vec![
                    Block::Picture {
                        svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".into(),
                        caption: "The force & its sites".into(),
                    },
                    Block::Table(Table {
                        name: "Lines".into(),
                        header: vec!["line".into(), "troops".into()],
                        rows: vec![vec!["a".into(), Cell::Int(3)]],
                    }),
                ],
            }],
            attribution: vec!["Natural Earth".into()],
        };
        let page = html(&b);
        assert!(page.contains("<title>Plan &lt;draft&gt;</title>"));
        assert!(page.contains("The force &amp; its sites"));
        assert!(page.contains("<td class=\"n\">3</td>"));
        assert!(
            !page.contains("http://") || page.matches("http").count() == 1,
            "only the SVG namespace"
        );
        assert!(!page.contains("<script") && !page.contains("<link"));
    }
}
