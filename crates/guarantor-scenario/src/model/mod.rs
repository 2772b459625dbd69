//! The TOML model files, read record by record into domain values, each with the places its references stand.
//!
//! One submodule reads each file (`scenario.toml`, `nations.toml`, …); this module holds what they share:
//! the [`Model`] they fill in, references and their places, and the helpers every record uses.

mod capabilities;
mod conditions;
mod named;
mod nations;
mod network;
mod pledges;
mod requirements;
mod scenario;
mod sites;
mod terms;

use std::collections::{BTreeMap, BTreeSet};

use geo_types::Point;
use guarantor_core::*;

use crate::diag::Sink;
use crate::reader::{Rec, Sp, parse_toml};
use crate::sources::{File, SourceSet};

pub(crate) use conditions::{caveats, condition};
use network::NodeRead;
use requirements::RequirementRead;
pub(crate) use requirements::read_requirements;
pub(crate) use scenario::GeometryPaths;
use sites::SiteRead;
use terms::ProtectedRead;

/// A reference to another record, with where it was written.
#[derive(Clone, Debug)]
pub(crate) struct Ref {
    pub(crate) name: String,
    pub(crate) at: Location,
}

impl Ref {
    pub(crate) fn new(rec: &Rec<'_, '_>, sp: &Sp<String>) -> Self {
        Self {
            name: sp.v.clone(),
            at: rec.location(sp.span.clone()),
        }
    }
}

/// Everything read from the model files, before cross-checks.
#[derive(Default)]
pub(crate) struct Model {
    /// Files that could not be read at all (missing or bad TOML): references into them are not checked.
    pub(crate) broken: BTreeSet<&'static str>,
    pub(crate) name: Option<String>,
    pub(crate) description: String,
    pub(crate) fair_share: Option<FairShareKey>,
    pub(crate) source: Option<String>,
    pub(crate) mission: Option<Mission>,
    pub(crate) mission_at: Option<Location>,
    pub(crate) phases_at: BTreeMap<String, Location>,
    pub(crate) facts: Vec<(PoliticalFact, Location)>,
    pub(crate) geometry: GeometryPaths,
    pub(crate) nations: Vec<Nation>,
    pub(crate) capabilities: Vec<(Capability, Location)>,
    pub(crate) pledges: Vec<Pledge>,
    pub(crate) sites: Vec<SiteRead>,
    pub(crate) requirements: Vec<RequirementRead>,
    pub(crate) nodes: Vec<NodeRead>,
    pub(crate) links: Vec<Link>,
    pub(crate) reserves: Vec<Reserve>,
    pub(crate) terms: Option<Terms>,
    pub(crate) response: Option<ResponsePlan>,
    /// The cost model, when the scenario has a `cost.toml` and it reads without errors.
    pub(crate) cost: Option<CostModel>,
    /// The courses of action of `courses.toml`, requirements not yet resolved.
    pub(crate) courses: Vec<crate::courses::CourseRead>,
    /// For each contingency read: whether its objective is its site's position (filled in on assembly).
    pub(crate) contingency_at_site: Vec<bool>,
    /// Each escalation step's id with where it is written, for the check that some rule reaches it.
    pub(crate) steps_at: Vec<(String, Location)>,
    pub(crate) protected: Vec<ProtectedRead>,
    /// Every id written in each kind of record, even in records with other problems: references resolve
    /// against these, so one bad field does not make every reference to its record an error too.
    pub(crate) declared: BTreeMap<&'static str, BTreeSet<String>>,
    /// Every reference written, with the kind it names and its field, whether or not its record is complete.
    pub(crate) references: Vec<(&'static str, Ref, String)>,
}

/// Records the reference in `key` of `rec`, when it was read, to a record of `kind`.
pub(crate) fn refer<T: std::fmt::Display>(
    m: &mut Model,
    rec: &Rec<'_, '_>,
    kind: &'static str,
    key: &str,
    value: &Option<Sp<T>>,
) {
    if let Some(v) = value {
        let r = Ref {
            name: v.v.to_string(),
            at: rec.location(v.span.clone()),
        };
        m.refer(kind, &r, rec.field(key));
    }
}

impl Model {
    /// Records a reference to be resolved against the declared ids of `kind` once every file is read.
    pub(crate) fn refer(&mut self, kind: &'static str, r: &Ref, field: String) {
        self.references.push((kind, r.clone(), field));
    }

    pub(crate) fn declare(&mut self, kind: &'static str, id: &str) {
        self.declared.entry(kind).or_default().insert(id.to_owned());
    }
}

/// Reads every model file of `sources`.
pub(crate) fn read_model(sources: &SourceSet, sink: &mut Sink) -> Model {
    let mut model = Model::default();
    type Reader = fn(&File<'_>, &toml::Spanned<toml::de::DeTable<'_>>, &mut Model, &mut Sink);
    let readers: [(&'static str, Reader); 9] = [
        ("scenario.toml", scenario::read_scenario),
        ("nations.toml", nations::read_nations),
        ("capabilities.toml", capabilities::read_capabilities),
        ("pledges.toml", pledges::read_pledges),
        ("sites.toml", sites::read_sites),
        ("requirements.toml", read_requirements),
        ("network.toml", network::read_network),
        ("terms.toml", terms::read_terms),
        ("response.toml", crate::response::read_response),
    ];
    for (path, reader) in readers {
        let Some(text) = sources.get(path) else {
            sink.at(Level::Error, crate::sources::whole_file(path), "missing-file", "", format!(
                "the scenario has no `{path}`"
            ))
            .help("every scenario folder has the files `guarantor init` writes; see docs/scenario-format.md");
            model.broken.insert(path);
            continue;
        };
        let file = File::new(path, text);
        let Some(root) = parse_toml(&file, sink) else {
            model.broken.insert(path);
            continue;
        };
        reader(&file, &root, &mut model, sink);
    }
    // Optional: a scenario without it has no cost model.
    if let Some(text) = sources.get(crate::sources::COST_FILE) {
        let file = File::new(crate::sources::COST_FILE, text);
        match parse_toml(&file, sink) {
            Some(root) => crate::cost::read_cost(&file, &root, &mut model, sink),
            None => {
                model.broken.insert(crate::sources::COST_FILE);
            }
        }
    }
    // Optional: a scenario without it has no courses of action to compare.
    if let Some(text) = sources.get(crate::courses::COURSES_FILE) {
        let file = File::new(crate::courses::COURSES_FILE, text);
        match parse_toml(&file, sink) {
            Some(root) => crate::courses::read_courses(&file, &root, sources, &mut model, sink),
            None => {
                model.broken.insert(crate::courses::COURSES_FILE);
            }
        }
    }
    model
}

/// Reports top-level keys a file does not have.
pub(crate) fn top_level<'a, 'i>(
    file: &'a File<'a>,
    root: &'a toml::Spanned<toml::de::DeTable<'i>>,
) -> Rec<'a, 'i> {
    Rec::new(
        file,
        root.get_ref(),
        0..0,
        file.path.trim_end_matches(".toml").to_owned(),
    )
}

pub(crate) fn source(rec: &mut Rec<'_, '_>, sink: &mut Sink) -> Option<String> {
    rec.text(sink, "source", true).map(|s| s.v)
}

/// Records `id` as seen, or reports it as a duplicate (returning true).
pub(crate) fn duplicate(
    sink: &mut Sink,
    seen: &mut BTreeMap<String, Location>,
    id: &str,
    at: &Location,
    kind: &str,
    file: &str,
) -> bool {
    if let Some(first) = seen.get(id) {
        sink.at(
            Level::Error,
            at.clone(),
            "duplicate-id",
            format!("{kind}[{id}]"),
            format!("duplicate {kind} `{id}`"),
        )
        .expected(format!("each {kind} defined once in {file}"))
        .related(first.clone(), "first defined here");
        true
    } else {
        seen.insert(id.to_owned(), at.clone());
        false
    }
}

/// Where a record with id `id` is defined (`at`), if it is the first definition of that id; a later one is
/// reported as a [`duplicate`] and gives `None` (the caller skips the record).
pub(crate) fn first_definition(
    sink: &mut Sink,
    seen: &mut BTreeMap<String, Location>,
    at: Location,
    id: &str,
    kind: &str,
    file: &str,
) -> Option<Location> {
    (!duplicate(sink, seen, id, &at, kind, file)).then_some(at)
}

/// Latitude and longitude of a record, with the span covering both.
pub(crate) fn position(
    rec: &mut Rec<'_, '_>,
    sink: &mut Sink,
    required: bool,
) -> Option<(Point<f64>, std::ops::Range<usize>)> {
    let lat = rec.num(sink, "lat", required, -90.0, false, 90.0);
    let lon = rec.num(sink, "lon", required, -180.0, false, 180.0);
    let (lat, lon) = (lat?, lon?);
    let span = lat.span.start.min(lon.span.start)..lat.span.end.max(lon.span.end);
    Some((Point::new(lon.v, lat.v), span))
}
