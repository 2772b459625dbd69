//! `courses.toml` (optional): the courses of action planners compare, each a mission, a statement of
//! requirements (the scenario's, or a file of its own under `courses/`, either scaled to a size), a coalition
//! and the world states it is judged in. Read after the required files: its references to nations and facts
//! are resolved with theirs, and a course's requirements file is read like `requirements.toml`.

use guarantor_core::*;

use crate::diag::Sink;
use crate::model::{Model, Ref, first_definition, read_requirements, source, top_level};
use crate::reader::{Rec, parse_toml};
use crate::sources::{File, SourceSet};

/// The file's name.
pub const COURSES_FILE: &str = "courses.toml";

/// One course as read, before its requirements are resolved against the scenario's.
pub(crate) struct CourseRead {
    pub(crate) course: Course,
    /// Its own requirements file's lines (`None`: the scenario's).
    pub(crate) own: Option<Vec<Requirement>>,
    /// The troops its requirements are scaled to.
    pub(crate) scale_to: Option<u64>,
}

/// Reads `courses.toml` into `m.courses`: each `[[course]]` record, with its own requirements file when it
/// names one.
pub(crate) fn read_courses(
    file: &File<'_>,
    root: &toml::Spanned<toml::de::DeTable<'_>>,
    sources: &SourceSet,
    m: &mut Model,
    sink: &mut Sink,
) {
    let mut top = top_level(file, root);
    top.allow("course");
    top.finish(sink);
    let mut seen = std::collections::BTreeMap::new();
    for mut rec in Rec::records(file, root.get_ref(), "course", sink) {
        let id = rec.id(sink, "id", true, CourseId::new);
        if let Some(id) = &id {
            rec.path = format!("course[{}]", id.v);
        }
        let name = rec.text(sink, "name", true);
        let description = rec.str(sink, "description", false);
        let mission = rec.enum_field::<CourseMission>(sink, "mission", true);
        let own = own_requirements(file, &mut rec, sources, m, sink);
        let scale_to = rec.uint(sink, "scale_to", false, 1);
        let units_only = rec.boolean(sink, "units_only", false).is_some_and(|b| b.v);
        let coalition = coalition(file, &mut rec, m, sink);
        let worlds = worlds(file, &mut rec, m, sink);
        let src = source(&mut rec, sink);
        rec.finish(sink);
        let Some(id) = id else { continue };
        let Some(_) = first_definition(
            sink,
            &mut seen,
            file.location(id.span.clone()),
            id.v.as_str(),
            "course",
            COURSES_FILE,
        ) else {
            continue;
        };
        let (Some(name), Some(mission), Some(coalition), Some(source)) =
            (name, mission, coalition, src)
        else {
            continue;
        };
        let from = own
            .as_ref()
            .map_or("requirements.toml".to_owned(), |(p, _)| p.clone());
        m.courses.push(CourseRead {
            course: Course {
                id: id.v,
                name: name.v,
                description: description.map(|d| d.v).unwrap_or_default(),
                mission: mission.v,
                requirements: Vec::new(),
                requirements_from: from,
                coalition,
                units_only,
                worlds,
                source,
            },
            own: own.map(|(_, lines)| lines),
            scale_to: scale_to.map(|s| s.v),
        });
    }
}

/// A course's own requirements file named in `requirements`, with its path, read like `requirements.toml`
/// (`None`: none named, or the file is missing or not TOML, reported).
fn own_requirements(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    sources: &SourceSet,
    m: &mut Model,
    sink: &mut Sink,
) -> Option<(String, Vec<Requirement>)> {
    let path = rec.text(sink, "requirements", false)?;
    let Some(text) = sources.get(&path.v) else {
        sink.error(
            file,
            path.span.clone(),
            "missing-file",
            rec.field("requirements"),
            format!("the scenario has no file `{}`", path.v),
        )
        .expected("a requirements file of the scenario folder, e.g. \"courses/backstop.toml\" (files under courses/ are read)");
        return None;
    };
    let own_file = File::new(&path.v, text);
    let root = parse_toml(&own_file, sink)?;
    // Read like requirements.toml, into the model's list for its references, then taken out again.
    let before = m.requirements.len();
    read_requirements(&own_file, &root, m, sink);
    let lines: Vec<Requirement> = m
        .requirements
        .drain(before..)
        .map(|r| r.requirement)
        .collect();
    Some((path.v, lines))
}

/// A course's coalition, from `coalition` (`"all"` when absent), `nations` and `core_share` (`None`: an
/// unknown coalition, reported).
fn coalition(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    m: &mut Model,
    sink: &mut Sink,
) -> Option<Coalition> {
    let coalition_kind = rec.str(sink, "coalition", false);
    let nations = rec.str_list(sink, "nations");
    let share = rec.num(sink, "core_share", false, 0.0, true, 1.0);
    match coalition_kind.as_ref().map(|c| c.v.as_str()) {
        None | Some("all") => Some(Coalition::All),
        Some("core") => Some(Coalition::Core {
            share: share
                .as_ref()
                .map_or(m.mission.as_ref().map_or(0.95, |x| x.foc_fill), |s| s.v),
        }),
        Some("named") => {
            let mut codes = Vec::new();
            for n in nations.iter().flat_map(|l| l.v.iter()) {
                match NationCode::new(&n.v) {
                    Ok(code) => {
                        m.refer(
                            "nation",
                            &Ref {
                                name: code.to_string(),
                                at: rec.location(n.span.clone()),
                            },
                            rec.field("nations"),
                        );
                        codes.push(code);
                    }
                    Err(e) => {
                        sink.error(
                            file,
                            n.span.clone(),
                            "bad-id",
                            rec.field("nations"),
                            e.to_string(),
                        );
                    }
                }
            }
            if codes.is_empty() {
                rec.missing(
                    sink,
                    "nations",
                    "a list of the coalition's nation codes, e.g. [\"FRA\", \"GBR\"]",
                );
            }
            Some(Coalition::Named(codes))
        }
        Some(other) => {
            if let Some(c) = &coalition_kind {
                sink.error(
                    file,
                    c.span.clone(),
                    "unknown-name",
                    rec.field("coalition"),
                    format!("unknown coalition `{other}`"),
                )
                .expected("one of \"all\" (every willing nation), \"core\" (the smallest core, with `core_share`), \"named\" (with `nations`)");
            }
            None
        }
    }
}

/// A course's `worlds`: each the facts set on top of today's (`"today"`: none); today alone when the list is
/// absent or empty.
fn worlds(
    file: &File<'_>,
    rec: &mut Rec<'_, '_>,
    m: &mut Model,
    sink: &mut Sink,
) -> Vec<Vec<(FactId, bool)>> {
    let mut worlds = Vec::new();
    for w in rec.str_list(sink, "worlds").iter().flat_map(|l| l.v.iter()) {
        let mut facts = Vec::new();
        let text = w.v.trim();
        if text != "today" {
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let parsed = part.split_once('=').and_then(|(f, v)| {
                    let value = match v.trim() {
                        "true" => true,
                        "false" => false,
                        _ => return None,
                    };
                    Some((FactId::new(f.trim()).ok()?, value))
                });
                match parsed {
                    Some((fact, value)) => {
                        m.refer(
                            "fact",
                            &Ref {
                                name: fact.to_string(),
                                at: rec.location(w.span.clone()),
                            },
                            rec.field("worlds"),
                        );
                        facts.push((fact, value));
                    }
                    None => {
                        sink.error(
                            file,
                            w.span.clone(),
                            "bad-world",
                            rec.field("worlds"),
                            format!("`{part}` is not `fact=true` or `fact=false`"),
                        )
                        .expected("\"today\", or facts set on top of today's, e.g. \"us_backstop=true,un_mandate=true\"");
                    }
                }
            }
        }
        worlds.push(facts);
    }
    if worlds.is_empty() {
        worlds.push(Vec::new());
    }
    worlds
}

/// The course with its requirements resolved: its own or the scenario's, scaled to `scale_to` troops (each
/// line's count in proportion, at least one unit).
pub(crate) fn resolve(read: CourseRead, scenario: &Scenario) -> Course {
    let mut course = read.course;
    let mut lines = read.own.unwrap_or_else(|| scenario.requirements.clone());
    if let Some(target) = read.scale_to {
        let troops = |r: &Requirement| {
            u64::from(r.count)
                * scenario
                    .capability(&r.capability)
                    .map_or(0, |c| u64::from(c.personnel))
        };
        // Each line's count in proportion (at least one unit, and as many as the nations it needs), rounded by
        // largest remainder: every line its whole part, then a unit more to the lines with the largest
        // fractions while that brings the total closer to the target.
        let total_of = |ls: &[Requirement]| ls.iter().map(troops).sum::<u64>();
        let total = total_of(&lines);
        if total > 0 {
            let factor = target as f64 / total as f64;
            let wanted: Vec<f64> = lines.iter().map(|l| f64::from(l.count) * factor).collect();
            for (line, w) in lines.iter_mut().zip(&wanted) {
                line.count = (w.floor() as u32).max(line.min_nations).max(1);
            }
            let mut order: Vec<usize> = (0..lines.len()).collect();
            order.sort_by(|&a, &b| {
                let frac = |i: usize| wanted[i] - f64::from(lines[i].count);
                frac(b).total_cmp(&frac(a)).then(a.cmp(&b))
            });
            for i in order {
                let now = total_of(&lines);
                let step = troops(&lines[i]) / u64::from(lines[i].count.max(1));
                if wanted[i] > f64::from(lines[i].count) && now + step / 2 < target {
                    lines[i].count += 1;
                }
            }
            let scaled: u64 = total_of(&lines);
            course.requirements_from = format!(
                "{} scaled to about {target} troops ({scaled} on {} lines)",
                course.requirements_from,
                lines.len()
            );
        }
    }
    course.requirements = lines;
    course
}
