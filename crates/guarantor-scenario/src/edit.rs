//! Edits made to scenario files through the server: a pledge, given as JSON with the keys of a `[[pledge]]`
//! table, is written into `pledges.toml` — replacing the table with its id, or appended — keeping every comment
//! and every other table as it was. The edited files are then loaded like any others, so an edit is checked
//! by the same rules, and its problems reported at their line and field of `pledges.toml`.

use serde_json::Value;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

use crate::SourceSet;

/// The file pledges live in.
pub const PLEDGES_FILE: &str = "pledges.toml";

/// Why an edit could not be written (what it writes is checked afterwards, by loading).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EditError {
    /// The pledge is not a JSON object.
    #[error("a pledge is a JSON object with the keys of a [[pledge]] table of pledges.toml")]
    NotAnObject,
    /// No `id`, or not a string.
    #[error("`id`: expected the pledge's id as a string, e.g. \"fra-mech-inf\"")]
    NoId,
    /// A value TOML cannot hold.
    #[error("`{field}`: {message}")]
    BadValue {
        /// The key.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// `pledges.toml` is missing or does not parse (it was valid when stored, so this is the store's fault).
    #[error("pledges.toml: {0}")]
    File(String),
}

/// What [`put_pledge`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Put {
    /// A new `[[pledge]]` table was appended.
    Created,
    /// The table with this id was replaced; its text before is kept here.
    Replaced(String),
}

/// Writes `pledge` (a JSON object with a string `id`) into `sources`' `pledges.toml`: replaces the
/// `[[pledge]]` table with that id (keeping the comments above it), or appends one. JSON `null` values are left
/// out; nested objects (the caveats) become inline tables.
pub fn put_pledge(sources: &mut SourceSet, pledge: &Value) -> Result<Put, EditError> {
    let Value::Object(fields) = pledge else {
        return Err(EditError::NotAnObject);
    };
    let id = fields
        .get("id")
        .and_then(Value::as_str)
        .ok_or(EditError::NoId)?
        .to_owned();
    let mut table = Table::new();
    for (key, value) in fields {
        if value.is_null() {
            continue;
        }
        table.insert(key, Item::Value(toml_value(key, value)?));
    }
    let mut doc = pledges_document(sources)?;
    if !doc.contains_key("pledge") {
        doc.insert("pledge", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = doc
        .get_mut("pledge")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| EditError::File("`pledge` is not an array of tables".into()))?;
    let found = tables
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(id.as_str()));
    let put = match found.and_then(|i| tables.get_mut(i)) {
        Some(old) => {
            let mut before = Table::new();
            for (k, v) in old.iter() {
                before.insert(k, v.clone());
            }
            *table.decor_mut() = old.decor().clone();
            *old = table;
            Put::Replaced(format!("[[pledge]]\n{before}"))
        }
        None => {
            table.decor_mut().set_prefix("\n");
            tables.push(table);
            Put::Created
        }
    };
    sources.set(PLEDGES_FILE, doc.to_string());
    Ok(put)
}

/// Removes the `[[pledge]]` table with id `id` from `sources`' `pledges.toml`, with the comments above it:
/// its text before, or `None` when no table has that id (nothing is changed).
pub fn delete_pledge(sources: &mut SourceSet, id: &str) -> Result<Option<String>, EditError> {
    let mut doc = pledges_document(sources)?;
    let Some(tables) = doc.get_mut("pledge").and_then(Item::as_array_of_tables_mut) else {
        return Ok(None);
    };
    let Some(i) = tables
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(id))
    else {
        return Ok(None);
    };
    let before = tables
        .get(i)
        .map(|t| format!("[[pledge]]\n{t}"))
        .unwrap_or_default();
    // The comments above the table after its last blank line are its own and go with it; those before (the
    // file's header, a section's heading) stay, above whatever comes next.
    let prefix = tables
        .get(i)
        .and_then(|t| t.decor().prefix())
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_owned();
    let kept = prefix
        .rfind("\n\n")
        .map_or("", |k| &prefix[..=k])
        .to_owned();
    tables.remove(i);
    match tables.get_mut(i) {
        Some(next) => {
            let after = next
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_owned();
            next.decor_mut().set_prefix(format!("{kept}{after}"));
        }
        None if !kept.is_empty() => {
            let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
            doc.set_trailing(format!("\n{kept}{trailing}"));
        }
        None => {}
    }
    sources.set(PLEDGES_FILE, doc.to_string());
    Ok(Some(before))
}

/// The bytes of the `[[pledge]]` table with id `id` in the text of a `pledges.toml`: from its header to the end
/// of the line of its last value (`None` when the text does not parse or has no such table). What an edit
/// wrote, so that the problems found in it can be told relative to it.
pub fn pledge_span(text: &str, id: &str) -> Option<std::ops::Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let table = doc
        .get("pledge")?
        .as_array_of_tables()?
        .iter()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))?;
    let start = table.span()?.start;
    let last = table
        .iter()
        .filter_map(|(_, item)| item.span())
        .map(|s| s.end)
        .max()
        .unwrap_or(start);
    let end = text[last..].find('\n').map_or(text.len(), |i| last + i + 1);
    Some(start..end)
}

/// `sources`' `pledges.toml`, parsed to be edited.
fn pledges_document(sources: &SourceSet) -> Result<DocumentMut, EditError> {
    sources
        .get(PLEDGES_FILE)
        .ok_or_else(|| EditError::File("the scenario has no pledges.toml".into()))?
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::File(e.to_string()))
}

fn toml_value(field: &str, v: &Value) -> Result<toml_edit::Value, EditError> {
    let bad = |message: &str| EditError::BadValue {
        field: field.to_owned(),
        message: message.to_owned(),
    };
    Ok(match v {
        Value::Null => {
            return Err(bad(
                "null inside a list or table: leave the key out instead",
            ));
        }
        Value::Bool(b) => (*b).into(),
        Value::String(s) => s.as_str().into(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.into(),
            (None, Some(f)) if f.is_finite() => f.into(),
            _ => return Err(bad("a number TOML cannot hold")),
        },
        Value::Array(items) => {
            let mut a = Array::new();
            for item in items {
                a.push(toml_value(field, item)?);
            }
            toml_edit::Value::Array(a)
        }
        Value::Object(fields) => {
            let mut t = InlineTable::new();
            for (k, item) in fields {
                if item.is_null() {
                    continue;
                }
                t.insert(k, toml_value(&format!("{field}.{k}"), item)?);
            }
            toml_edit::Value::InlineTable(t)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sources(text: &str) -> SourceSet {
        SourceSet::from_files("test", [(PLEDGES_FILE.to_owned(), text.to_owned())])
    }

    const FILE: &str = "# header comment\n\n# the first\n[[pledge]]\nid = \"a\"\ncount = 1\n\n# the second\n[[pledge]]\nid = \"b\"\ncount = 2\n";

    #[test]
    fn a_pledge_is_replaced_in_place_keeping_comments() {
        let mut s = sources(FILE);
        let put = put_pledge(
            &mut s,
            &json!({"id": "a", "count": 5, "caveats": {"roles": ["training"], "restricted": true}, "x": null}),
        )
        .expect("written");
        assert_eq!(
            put,
            Put::Replaced("[[pledge]]\nid = \"a\"\ncount = 1\n".into())
        );
        assert_eq!(
            s.get(PLEDGES_FILE).expect("there"),
            "# header comment\n\n# the first\n[[pledge]]\nid = \"a\"\ncount = 5\ncaveats = { roles = [\"training\"], restricted = true }\n\n# the second\n[[pledge]]\nid = \"b\"\ncount = 2\n"
        );
    }

    #[test]
    fn a_pledge_is_deleted_with_its_comments_and_nothing_else() {
        let mut s = sources(FILE);
        let gone = delete_pledge(&mut s, "a").expect("written");
        assert_eq!(gone.as_deref(), Some("[[pledge]]\nid = \"a\"\ncount = 1\n"));
        assert_eq!(
            s.get(PLEDGES_FILE).expect("there"),
            "# header comment\n\n# the second\n[[pledge]]\nid = \"b\"\ncount = 2\n"
        );
        assert_eq!(delete_pledge(&mut s, "a"), Ok(None));
        // The last one: the file's header stays.
        assert!(delete_pledge(&mut s, "b").expect("written").is_some());
        assert_eq!(
            s.get(PLEDGES_FILE).expect("there").trim(),
            "# header comment"
        );
    }

    #[test]
    fn a_pledges_span_is_its_table() {
        let span = pledge_span(FILE, "b").expect("there");
        assert_eq!(&FILE[span], "[[pledge]]\nid = \"b\"\ncount = 2\n");
        let span = pledge_span(FILE, "a").expect("there");
        assert_eq!(&FILE[span], "[[pledge]]\nid = \"a\"\ncount = 1\n");
        assert_eq!(pledge_span(FILE, "c"), None);
    }

    #[test]
    fn a_new_pledge_is_appended() {
        let mut s = sources(FILE);
        let put = put_pledge(&mut s, &json!({"id": "c", "tonnes": 1.5})).expect("written");
        assert_eq!(put, Put::Created);
        assert!(
            s.get(PLEDGES_FILE)
                .expect("there")
                .ends_with("count = 2\n\n[[pledge]]\nid = \"c\"\ntonnes = 1.5\n"),
            "{}",
            s.get(PLEDGES_FILE).unwrap_or_default()
        );
    }

    #[test]
    fn what_cannot_be_written_is_refused() {
        let mut s = sources(FILE);
        assert_eq!(put_pledge(&mut s, &json!([1])), Err(EditError::NotAnObject));
        assert_eq!(put_pledge(&mut s, &json!({"id": 3})), Err(EditError::NoId));
        assert!(matches!(
            put_pledge(&mut s, &json!({"id": "a", "roles": [null]})),
            Err(EditError::BadValue { field, .. }) if field == "roles"
        ));
        assert_eq!(s.get(PLEDGES_FILE), Some(FILE), "nothing written");
    }
}
