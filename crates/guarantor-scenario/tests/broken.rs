//! The broken-scenario corpus: each file in `tests/broken/` is one mistake a planner could make, applied to the
//! tiny fixture scenario; the exact diagnostics are pinned as golden snapshots.
//!
//! Re-bless after an intended change with `INSTA_UPDATE=always cargo test -p guarantor-scenario --test broken`
//! (or `cargo insta review`), then read the diff.

use std::path::Path;

use guarantor_scenario::{RenderOptions, SourceSet, check, render_diagnostics};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The mistake, in words.
    what: String,
    /// The diagnostic code the mistake must raise.
    code: String,
    /// `warning` for a mistake the scenario survives (it still loads, with the warning); errors otherwise.
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    edit: Vec<Edit>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    #[serde(default)]
    find: Option<String>,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    append: Option<String>,
}

fn tiny() -> SourceSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny");
    let mut sources = SourceSet::read_dir(&dir).expect("the tiny fixture reads");
    sources.origin = "tiny".into();
    sources
}

fn apply(case: &Case, sources: &mut SourceSet) {
    for path in &case.remove {
        assert!(
            sources.remove(path).is_some(),
            "case removes {path}, which the fixture does not have"
        );
    }
    for edit in &case.edit {
        let mut text = sources
            .get(&edit.file)
            .unwrap_or_else(|| panic!("no fixture file {}", edit.file))
            .to_owned();
        if let Some(find) = &edit.find {
            assert!(
                text.contains(find.as_str()),
                "`{find}` is not in {}",
                edit.file
            );
            text = text.replacen(find.as_str(), edit.replace.as_deref().unwrap_or(""), 1);
        }
        if let Some(append) = &edit.append {
            text.push_str(append);
        }
        sources.set(&edit.file, text);
    }
}

#[test]
fn the_tiny_fixture_is_valid() {
    let checked = check(&tiny());
    assert!(
        checked.diagnostics.is_empty(),
        "{}",
        render_diagnostics(&tiny(), &checked.diagnostics, RenderOptions::default())
    );
    assert!(checked.scenario.is_some());
}

#[test]
fn broken_scenarios() {
    let mut count = 0;
    insta::glob!("broken/*.toml", |path| {
        count += 1;
        let case: Case = toml::from_str(&std::fs::read_to_string(path).expect("case reads"))
            .expect("case parses");
        let mut sources = tiny();
        apply(&case, &mut sources);
        let checked = check(&sources);
        let warning = case.level.as_deref() == Some("warning");
        assert_eq!(
            checked.scenario.is_some(),
            warning,
            "{}: expected {}",
            case.what,
            if warning {
                "a scenario that loads with a warning"
            } else {
                "an error"
            }
        );
        assert!(
            checked.diagnostics.iter().any(|d| d.code == case.code),
            "{}: no `{}` diagnostic among {:?}",
            case.what,
            case.code,
            checked
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        );
        for d in &checked.diagnostics {
            assert!(
                !d.location.file.is_empty(),
                "{}: a diagnostic without a file",
                case.what
            );
        }
        let shown = render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default());
        insta::with_settings!({ description => case.what.as_str(), omit_expression => true }, {
            insta::assert_snapshot!(shown);
        });
    });
    assert!(
        count >= 30,
        "the corpus has {count} cases; it should have at least 30"
    );
}
