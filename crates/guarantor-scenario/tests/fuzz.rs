//! Property tests: random bytes and random mutations of valid files never panic the reader, and a scenario is
//! either valid or explained by at least one diagnostic that points inside the file it names.

use guarantor_scenario::{MODEL_FILES, SourceSet, check};
use proptest::prelude::*;

/// Applies `mutations` to one file of the default scenario and checks the result is explained.
fn mutate_and_check(path: &str, mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let mut sources = SourceSet::builtin_default();
    let mut text = sources
        .get(path)
        .expect("the default scenario has this file")
        .to_owned();
    for m in mutations {
        text = apply(&text, m);
    }
    sources.set(path, text);
    assert_explained(&sources)
}

/// What a test asserts about any input: no panic, and no silent failure.
fn assert_explained(sources: &SourceSet) -> Result<(), TestCaseError> {
    let checked = check(sources);
    prop_assert!(checked.scenario.is_some() || checked.diagnostics.iter().any(|d| d.is_error()));
    for d in &checked.diagnostics {
        if let Some(text) = sources.get(&d.location.file) {
            prop_assert!(d.location.span.end <= text.len(), "{d}");
            prop_assert!(
                text.is_char_boundary(d.location.span.start)
                    && text.is_char_boundary(d.location.span.end)
            );
        }
    }
    // Rendering never panics either.
    let _ =
        guarantor_scenario::render_diagnostics(sources, &checked.diagnostics, Default::default());
    Ok(())
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
    FlipDigit { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop_oneof![
                Just("\"".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just("=".to_owned()),
                Just("\n[[pledge]]\n".to_owned()),
                Just("-".to_owned()),
                Just("{".to_owned()),
                Just("é".to_owned()),
                Just(" && ".to_owned()),
                Just("\u{0}".to_owned()),
                "\\PC{0,8}"
            ]
        )
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::FlipDigit { at }),
    ]
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, m: &Mutation) -> String {
    let len = text.len().max(1);
    match m {
        Mutation::Delete { at, len: n } => {
            let start = floor_boundary(text, at % len);
            let end = floor_boundary(text, start + n);
            format!("{}{}", &text[..start], &text[end..])
        }
        Mutation::Insert { at, text: ins } => {
            let at = floor_boundary(text, at % len);
            format!("{}{ins}{}", &text[..at], &text[at..])
        }
        Mutation::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Mutation::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let n = lines.len();
                lines.swap(a % n, b % n);
            }
            lines.join("\n")
        }
        Mutation::FlipDigit { at } => {
            let digits: Vec<usize> = text
                .char_indices()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            if digits.is_empty() {
                return text.to_owned();
            }
            let i = digits[at % digits.len()];
            format!("{}-{}", &text[..i], &text[i..])
        }
    }
}

const GEOMETRY: [&str; 4] = [
    "geometry/contact_line.geojson",
    "geometry/occupied_area.geojson",
    "geometry/areas.geojson",
    "geometry/countries.geojson",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_model_files_are_explained(file in 0..MODEL_FILES.len(), mutations in proptest::collection::vec(mutation(), 1..4)) {
        mutate_and_check(MODEL_FILES[file], &mutations)?;
    }

    #[test]
    fn mutated_geometry_is_explained(file in 0..GEOMETRY.len(), mutations in proptest::collection::vec(mutation(), 1..3)) {
        mutate_and_check(GEOMETRY[file], &mutations)?;
    }

    #[test]
    fn random_bytes_in_any_file_are_explained(file in 0..MODEL_FILES.len(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut sources = SourceSet::builtin_default();
        sources.set(MODEL_FILES[file], String::from_utf8_lossy(&bytes).into_owned());
        assert_explained(&sources)?;
    }

    #[test]
    fn random_text_as_geojson_is_explained(text in "\\PC{0,200}") {
        let mut sources = SourceSet::builtin_default();
        sources.set("geometry/contact_line.geojson", text);
        assert_explained(&sources)?;
    }
}
