//! What each record of a scenario cites (its `source = "…"`), and which of its figures the record says are
//! illustrative: `guarantor check --illustrative` lists them, so a planner knows which numbers are placeholders
//! for a figure nobody has published (docs/sources.md has the keys the default scenario cites).

use serde::Serialize;
use toml_edit::{Item, Table};

use crate::SourceSet;

/// One record's citation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cited {
    /// The file, as the scenario names it (`pledges.toml`).
    pub file: String,
    /// The line of its `source` value (1-based).
    pub line: usize,
    /// The record's table (`pledge`, `link`, `capability`, …; nested tables joined with `.`).
    pub table: String,
    /// The record: its `id`, `code` or `name`, or `from → to` for a link, or its place in the file (`#3`).
    pub record: String,
    /// What it cites, as written.
    pub source: String,
}

impl Cited {
    /// Whether the record says some of its figures are illustrative (not from a published source).
    pub fn is_illustrative(&self) -> bool {
        self.source.to_ascii_lowercase().contains("illustrative")
    }
}

/// Every record with a `source` in the scenario's TOML files, by file then line. A file that does not parse is
/// skipped (`check` tells why).
pub fn citations(sources: &SourceSet) -> Vec<Cited> {
    let mut out = Vec::new();
    for (path, text) in sources.iter() {
        if !path.ends_with(".toml") {
            continue;
        }
        let Ok(doc) = toml_edit::Document::parse(text) else {
            continue;
        };
        let mut found = Vec::new();
        walk(doc.as_table(), "", &mut found);
        for (table, record, source, at) in found {
            out.push(Cited {
                file: path.to_owned(),
                line: text[..at.min(text.len())].matches('\n').count() + 1,
                table,
                record,
                source,
            });
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

/// The records whose `source` says they are illustrative.
pub fn illustrative(sources: &SourceSet) -> Vec<Cited> {
    citations(sources)
        .into_iter()
        .filter(Cited::is_illustrative)
        .collect()
}

/// (table, record, source, byte offset of the source) for `table` and every table under it.
fn walk(table: &Table, path: &str, out: &mut Vec<(String, String, String, usize)>) {
    for (key, item) in table.iter() {
        let here = if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        };
        match item {
            Item::Table(t) => {
                record(t, &here, None, out);
                walk(t, &here, out);
            }
            Item::ArrayOfTables(array) => {
                for (i, t) in array.iter().enumerate() {
                    record(t, &here, Some(i), out);
                    walk(t, &here, out);
                }
            }
            _ => {}
        }
    }
}

fn record(
    t: &Table,
    table: &str,
    index: Option<usize>,
    out: &mut Vec<(String, String, String, usize)>,
) {
    let Some(item) = t.get("source") else { return };
    let Some(source) = item.as_str() else { return };
    let text = |k: &str| t.get(k).and_then(Item::as_str).map(str::to_owned);
    let name = ["id", "code", "name", "nation"]
        .iter()
        .find_map(|k| text(k))
        .or_else(|| Some(format!("{} → {}", text("from")?, text("to")?)))
        .unwrap_or_else(|| index.map_or_else(|| table.to_owned(), |i| format!("#{}", i + 1)));
    let at = item.span().map_or(0, |s| s.start);
    out.push((table.to_owned(), name, source.to_owned(), at));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_named_and_located() {
        let text = "[scenario]\nname = \"x\"\n\n[[link]]\nfrom = \"a\"\nto = \"b\"\nsource = \"illustrative: great circle\"\n\n[[pledge]]\nid = \"p1\"\nsource = \"reuters-2025-03-06\"\n\n[[pledge]]\nsource = \"count illustrative\"\n";
        let sources = SourceSet::from_files("t", [("network.toml".to_owned(), text.to_owned())]);
        let all = citations(&sources);
        let named: Vec<(&str, &str, usize, bool)> = all
            .iter()
            .map(|c| {
                (
                    c.table.as_str(),
                    c.record.as_str(),
                    c.line,
                    c.is_illustrative(),
                )
            })
            .collect();
        assert_eq!(
            named,
            [
                ("link", "a → b", 7, true),
                ("pledge", "p1", 11, false),
                ("pledge", "#2", 14, true),
            ]
        );
        assert_eq!(illustrative(&sources).len(), 2);
    }
}
