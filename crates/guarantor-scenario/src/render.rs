//! Diagnostics for people, the way rustc shows them: `file:line:col`, the line, a caret under the problem.

use annotate_snippets::{AnnotationKind, Group, Level as Lvl, Renderer, Snippet};
use guarantor_core::{Diagnostic, Level};

use crate::sources::SourceSet;

/// How to render.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours (for a terminal).
    pub color: bool,
}

/// Renders every diagnostic, then a one-line summary (`error: 3 problems in <origin>`). Empty input renders "".
///
/// # Examples
///
/// ```
/// use guarantor_scenario::{SourceSet, check, render_diagnostics, RenderOptions};
/// let mut sources = SourceSet::builtin_default();
/// let text = sources.get("pledges.toml").unwrap().replacen("nation = \"FRA\"", "nation = \"FRX\"", 1);
/// sources.set("pledges.toml", text);
/// let checked = check(&sources);
/// let shown = render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default());
/// assert!(shown.contains("unknown nation `FRX`"));
/// assert!(shown.contains("--> pledges.toml:"));
/// ```
pub fn render_diagnostics(
    sources: &SourceSet,
    diagnostics: &[Diagnostic],
    options: RenderOptions,
) -> String {
    let renderer = if options.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&renderer.render(&report(sources, d)));
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        out.push_str(&format!(
            "error: {errors} {} in {}{}\n",
            if errors == 1 { "problem" } else { "problems" },
            sources.origin,
            if warnings > 0 {
                format!(" ({warnings} warnings)")
            } else {
                String::new()
            }
        ));
    } else if warnings > 0 {
        out.push_str(&format!(
            "warning: {warnings} {} in {}\n",
            if warnings == 1 { "warning" } else { "warnings" },
            sources.origin
        ));
    }
    out
}

fn report<'a>(sources: &'a SourceSet, d: &'a Diagnostic) -> Vec<Group<'a>> {
    let level = match d.level {
        Level::Error => Lvl::ERROR,
        Level::Warning => Lvl::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let label = d.expected.as_ref().map(|e| format!("expected {e}"));
    let mut group = match sources.get(&d.location.file) {
        Some(text) if d.location.line > 0 => {
            let mut snippet = Snippet::source(text)
                .path(d.location.file.as_str())
                .fold(true)
                .annotation(
                    AnnotationKind::Primary
                        .span(d.location.span.clone())
                        .label(label.clone()),
                );
            for (loc, note) in &d.related {
                if loc.file == d.location.file {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(loc.span.clone())
                            .label(note.as_str()),
                    );
                }
            }
            let mut group = title.element(snippet);
            for (loc, note) in &d.related {
                if loc.file != d.location.file
                    && let Some(other) = sources.get(&loc.file)
                {
                    group = group.element(
                        Snippet::source(other)
                            .path(loc.file.as_str())
                            .fold(true)
                            .annotation(
                                AnnotationKind::Context
                                    .span(loc.span.clone())
                                    .label(note.as_str()),
                            ),
                    );
                }
            }
            group
        }
        _ => {
            let mut group =
                title.element(annotate_snippets::Origin::path(d.location.file.as_str()));
            if let Some(label) = label {
                group = group.element(Lvl::NOTE.message(label));
            }
            group
        }
    };
    if !d.field.is_empty() {
        group = group.element(Lvl::NOTE.message(format!("field: {}", d.field)));
    }
    if let Some(help) = &d.help {
        group = group.element(Lvl::HELP.message(help.as_str()));
    }
    vec![group]
}
