//! Synthetic scenarios of any size, for benchmarks and load tests: seeded, so the same sizes and seed always give
//! the same files.
//!
//! The result is an ordinary scenario folder (TOML and the default geometry) that `check` accepts, with the
//! default capability catalogue, nations with made-up codes (`XAA`, `XAB`, …), sites spread over western and
//! central Ukraine well away from the contact line (plus the default's air and sea areas), political facts
//! `fact_1` … `fact_k`, and pledges whose conditions, caveats, counts and readiness are drawn at random.

use std::fmt::Write as _;

use geo_types::Point;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::sources::SourceSet;

/// Sizes and seed of a synthetic scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntheticSpec {
    /// Participating nations.
    pub nations: usize,
    /// Pledge records (units pledges).
    pub pledges: usize,
    /// Requirement lines.
    pub lines: usize,
    /// Sites (the three air and sea areas of the default are among them).
    pub sites: usize,
    /// Political facts the conditions draw on.
    pub facts: usize,
    /// Seed of the random stream.
    pub seed: u64,
}

/// Why a spec cannot be generated.
#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    /// A size is out of range.
    #[error("{0}")]
    Size(String),
}

struct Draw(ChaCha8Rng);

impl Draw {
    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.0.next_u64()) * n as u128) >> 64) as usize
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.0.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// How often each capability of the default catalogue is drawn (others: once).
const WEIGHTS: &[(&str, usize)] = &[
    ("mech_inf_bn", 10),
    ("armour_bn", 3),
    ("air_defence_bty", 4),
    ("engineer_coy", 3),
];

const LAND_KINDS: &[&str] = &["nuclear_plant", "port", "energy", "headquarters", "airbase"];
const AREAS: &[(&str, &str, f64, f64)] = &[
    ("black-sea-west", "sea_area", 45.9, 30.9),
    ("odesa-approaches", "sea_area", 46.3, 30.85),
    ("air-west", "air_area", 49.5, 27.5),
];

fn nation_code(i: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    format!(
        "X{}{}",
        letters[(i / 26) % 26] as char,
        letters[i % 26] as char
    )
}

/// An id with its latitude and longitude (a home node, a land site).
type Spot = (String, f64, f64);

/// A site's id with its kind and region.
type SiteOf = (String, &'static str, &'static str);

/// Generates a synthetic scenario.
///
/// # Examples
///
/// ```
/// use guarantor_scenario::{SyntheticSpec, check, synthetic};
/// let spec = SyntheticSpec { nations: 5, pledges: 40, lines: 12, sites: 6, facts: 3, seed: 1 };
/// let checked = check(&synthetic(&spec).unwrap());
/// assert!(checked.scenario.is_some(), "{:?}", checked.diagnostics);
/// // Every land site has a node to move to (small specs may still leave a capability unpledged).
/// assert!(checked.diagnostics.iter().all(|d| d.code != "site-without-node"));
/// ```
pub fn synthetic(spec: &SyntheticSpec) -> Result<SourceSet, SyntheticError> {
    check_sizes(spec)?;
    let mut d = Draw(ChaCha8Rng::seed_from_u64(spec.seed));
    let default = SourceSet::builtin_default();
    let mut files = SourceSet::from_files(
        &format!("<synthetic seed {}>", spec.seed),
        default
            .iter()
            .filter(|(p, _)| p.starts_with("geometry/") || *p == "capabilities.toml")
            .map(|(p, t)| (p.to_owned(), t.to_owned())),
    );
    let header = format!(
        "# Synthetic scenario (guarantor generate): {} nations, {} pledges, {} lines, {} sites, {} facts, seed {}.\n# Every figure is illustrative.\n\n",
        spec.nations, spec.pledges, spec.lines, spec.sites, spec.facts, spec.seed
    );
    let facts: Vec<String> = (1..=spec.facts).map(|i| format!("fact_{i}")).collect();
    files.set("scenario.toml", scenario_file(&header, &facts, &mut d));

    let mut network = header.clone();
    let (nations, homes) = nations_file(spec, &header, &mut network, &mut d);
    files.set("nations.toml", nations);
    let (sites, site_kinds, land_sites) = sites_file(spec, &header, &mut d);
    files.set("sites.toml", sites);
    network_links(&mut network, &homes, &land_sites);
    files.set("network.toml", network);

    // Capabilities, their roles and the site kinds they can serve, from the default catalogue itself.
    let catalogue = crate::load(&default)
        .map(|l| l.scenario.capabilities)
        .unwrap_or_default();
    let weighted: Vec<usize> = catalogue
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let w = WEIGHTS
                .iter()
                .find(|(id, _)| *id == c.id.as_str())
                .map_or(1, |(_, w)| *w);
            std::iter::repeat_n(i, w)
        })
        .collect();
    if weighted.is_empty() {
        return Err(SyntheticError::Size(
            "the default capability catalogue did not load".into(),
        ));
    }
    let draw = CapabilityDraw {
        catalogue: &catalogue,
        weighted: &weighted,
    };
    let requirements = requirements_file(spec, &header, &draw, &site_kinds, &mut d);
    files.set("requirements.toml", requirements);
    let pledges = pledges_file(spec, &header, &draw, &facts, &site_kinds, &mut d);
    files.set("pledges.toml", pledges);

    let terms = format!(
        "{header}[terms]\nname = \"Synthetic terms\"\ncoverage = \"general\"\neffective = 2026-12-01\nsource = \"illustrative\"\n"
    );
    files.set("terms.toml", terms);
    let response = format!(
        "{header}[response]\nhorizon_days = 30\ndefault_needs = {{ troops = 1000 }}\nsource = \"illustrative\"\n"
    );
    files.set("response.toml", response);
    Ok(files)
}

/// The spec's sizes, or why one is out of range.
fn check_sizes(spec: &SyntheticSpec) -> Result<(), SyntheticError> {
    if spec.nations == 0 || spec.nations > 26 * 26 {
        return Err(SyntheticError::Size(format!(
            "nations must be 1..=676, not {}",
            spec.nations
        )));
    }
    if spec.sites < AREAS.len() + 1 {
        return Err(SyntheticError::Size(format!(
            "sites must be at least {}, not {}",
            AREAS.len() + 1,
            spec.sites
        )));
    }
    if spec.facts > 16 {
        return Err(SyntheticError::Size(format!(
            "facts must be at most 16, not {}",
            spec.facts
        )));
    }
    if spec.lines == 0 || spec.pledges == 0 {
        return Err(SyntheticError::Size(
            "lines and pledges must be at least 1".into(),
        ));
    }
    Ok(())
}

/// `scenario.toml`: the scenario, its mission, one phase, the facts (each true today at random) and the default
/// geometry.
fn scenario_file(header: &str, facts: &[String], d: &mut Draw) -> String {
    let mut s = header.to_owned();
    s.push_str("[scenario]\nname = \"Synthetic scenario\"\nfair_share = \"gdp\"\nsource = \"illustrative\"\n\n");
    s.push_str("[mission]\nname = \"Synthetic mission\"\npurposes = [\"reassurance\", \"deterrence\"]\nstandoff_km = 100\ntour_months = 6\nhorizon_months = 24\nioc_fill = 0.6\nfoc_fill = 0.95\nsource = \"illustrative\"\n\n");
    s.push_str("[[phase]]\nid = \"entry\"\nname = \"Entry\"\nstart_day = 0\nduration_days = 60\nsource = \"illustrative\"\n\n");
    for f in facts {
        let _ = write!(
            s,
            "[[fact]]\nid = \"{f}\"\ndescription = \"synthetic fact {f}\"\ntoday = {}\nsource = \"illustrative\"\n\n",
            d.chance(0.5)
        );
    }
    s.push_str("[geometry]\ncontact_line = \"geometry/contact_line.geojson\"\noccupied_area = \"geometry/occupied_area.geojson\"\ncountries = \"geometry/countries.geojson\"\nareas = \"geometry/areas.geojson\"\nattribution = [\"Contact line and occupied area derived from DeepStateMap data via github.com/cyterat/deepstate-map-data (2026-08-22)\", \"Country outlines: Natural Earth (public domain)\"]\n");
    s
}

/// `nations.toml`, with each nation's home node written to `network`; the homes, for the links to the hub.
fn nations_file(
    spec: &SyntheticSpec,
    header: &str,
    network: &mut String,
    d: &mut Draw,
) -> (String, Vec<Spot>) {
    let mut nations = header.to_owned();
    let mut homes: Vec<Spot> = Vec::new();
    for i in 0..spec.nations {
        let code = nation_code(i);
        let gdp = d.float(20.0, 4000.0);
        let cap = if d.chance(0.1) {
            format!("max_troops = {}\n", d.range(2, 10) * 500)
        } else {
            String::new()
        };
        let russia = if d.chance(0.15) { ", \"russia\"" } else { "" };
        let _ = write!(
            nations,
            "[[nation]]\ncode = \"{code}\"\nname = \"Nation {code}\"\nmemberships = [\"nato\"]\npopulation_m = {:.1}\ngdp_usd_bn = {gdp:.1}\ndefence_usd_bn = {:.1}\nactive_forces = {}\nacceptable_to = [\"ukraine\"{russia}]\n{cap}home = \"home-{}\"\nsource = \"illustrative\"\n\n",
            d.float(1.0, 90.0),
            gdp * 0.02,
            d.range(5, 200) * 1000,
            code.to_lowercase()
        );
        let (lat, lon) = (d.float(40.0, 60.0), d.float(-5.0, 30.0));
        let _ = write!(
            network,
            "[[node]]\nid = \"home-{}\"\nname = \"Home of {code}\"\nkind = \"home\"\ncountry = \"{code}\"\nlat = {lat:.3}\nlon = {lon:.3}\nreception_troops_per_day = 5000\nreception_tonnes_per_day = 20000\nsource = \"illustrative\"\n\n",
            code.to_lowercase(),
        );
        homes.push((code.to_lowercase(), lat, lon));
    }
    (nations, homes)
}

/// `sites.toml`: the three areas, then land sites in western and central Ukraine (far from the line); every
/// site with its kind and region, and the land sites' positions.
fn sites_file(
    spec: &SyntheticSpec,
    header: &str,
    d: &mut Draw,
) -> (String, Vec<SiteOf>, Vec<Spot>) {
    let mut sites = header.to_owned();
    let mut site_kinds: Vec<SiteOf> = Vec::new();
    let mut land_sites: Vec<Spot> = Vec::new();
    for (id, kind, lat, lon) in AREAS {
        let region = if *kind == "air_area" {
            "airspace"
        } else {
            "black_sea"
        };
        let _ = write!(
            sites,
            "[[site]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"{kind}\"\ncountry = \"UKR\"\nlat = {lat}\nlon = {lon}\nregion = \"{region}\"\narea = \"{id}\"\nsource = \"illustrative\"\n\n"
        );
        site_kinds.push(((*id).to_owned(), kind, region));
    }
    for i in 0..spec.sites - AREAS.len() {
        // Every kind of land site at least once, then at random.
        let kind = match LAND_KINDS.get(i) {
            Some(kind) => *kind,
            None => *d.pick(LAND_KINDS),
        };
        let (lat, lon) = (d.float(48.3, 51.3), d.float(23.5, 30.5));
        let region = if lon < 26.5 {
            "west"
        } else if lat > 50.0 {
            "north"
        } else {
            "centre"
        };
        let id = format!("site-{i:03}");
        let _ = write!(
            sites,
            "[[site]]\nid = \"{id}\"\nname = \"Synthetic site {i}\"\nkind = \"{kind}\"\ncountry = \"UKR\"\nlat = {lat:.4}\nlon = {lon:.4}\nregion = \"{region}\"\nsource = \"illustrative\"\n\n"
        );
        land_sites.push((id.clone(), lat, lon));
        site_kinds.push((id, kind, region));
    }
    (sites, site_kinds, land_sites)
}

/// The network around the sites, after the home nodes in `network`: one staging hub (at Rzeszów) that every
/// home reaches by air and by rail, and a node for each land site, by rail from the hub. Derived from the
/// positions already drawn, so the rest of the scenario is the same stream of random numbers as without it.
fn network_links(network: &mut String, homes: &[Spot], land_sites: &[Spot]) {
    let hub = (50.11, 22.02);
    network.push_str("[[node]]\nid = \"hub\"\nname = \"Staging hub\"\nkind = \"staging_hub\"\ncountry = \"POL\"\nlat = 50.11\nlon = 22.02\nreception_troops_per_day = 20000\nreception_tonnes_per_day = 60000\nsource = \"illustrative\"\n\n");
    let km = |(a, b): (f64, f64), (c, e): (f64, f64)| {
        guarantor_core::geodesic_km(Point::new(b, a), Point::new(e, c))
            .round()
            .max(1.0)
    };
    for (home, lat, lon) in homes {
        let far = km((*lat, *lon), hub);
        for (mode, detour, speed, troops, tonnes) in [
            ("air", 1.0, 8000, 2000, 600),
            ("rail", 1.2, 500, 3000, 8000),
        ] {
            let _ = write!(
                network,
                "[[link]]\nid = \"home-{home}-hub-{mode}\"\nfrom = \"home-{home}\"\nto = \"hub\"\nmode = \"{mode}\"\ndistance_km = {:.0}\nspeed_km_per_day = {speed}\ntroops_per_day = {troops}\ntonnes_per_day = {tonnes}\nsource = \"illustrative\"\n\n",
                far * detour
            );
        }
    }
    for (id, lat, lon) in land_sites {
        let _ = write!(
            network,
            "[[node]]\nid = \"node-{id}\"\nname = \"{id}\"\nkind = \"site\"\ncountry = \"UKR\"\nlat = {lat:.4}\nlon = {lon:.4}\nreception_troops_per_day = 3000\nreception_tonnes_per_day = 8000\nsite = \"{id}\"\nsource = \"illustrative\"\n\n[[link]]\nid = \"hub-{id}-rail\"\nfrom = \"hub\"\nto = \"node-{id}\"\nmode = \"rail\"\ndistance_km = {:.0}\nspeed_km_per_day = 500\ntroops_per_day = 3000\ntonnes_per_day = 8000\nsource = \"illustrative\"\n\n",
            km((*lat, *lon), hub) * 1.2
        );
    }
}

/// The default capability catalogue, and each capability's index as often as it is drawn (see [`WEIGHTS`]).
struct CapabilityDraw<'a> {
    catalogue: &'a [guarantor_core::Capability],
    weighted: &'a [usize],
}

impl CapabilityDraw<'_> {
    /// A capability drawn by weight.
    fn pick(&self, d: &mut Draw) -> &guarantor_core::Capability {
        &self.catalogue[*d.pick(self.weighted)]
    }
}

/// `requirements.toml`: `spec.lines` lines, each a capability drawn by weight at a site of a kind it can serve.
fn requirements_file(
    spec: &SyntheticSpec,
    header: &str,
    draw: &CapabilityDraw<'_>,
    site_kinds: &[SiteOf],
    d: &mut Draw,
) -> String {
    let kinds_of = |c: &guarantor_core::Capability| -> Vec<&'static str> {
        guarantor_core::SiteKind::ALL
            .iter()
            .filter(|k| !k.domains().is_disjoint(&c.domains))
            .map(|k| k.as_str())
            .collect()
    };
    let mut requirements = header.to_owned();
    let mut made = 0;
    while made < spec.lines {
        let c = draw.pick(d);
        let (cap, kinds) = (c.id.as_str(), kinds_of(c));
        let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
        let fitting: Vec<&SiteOf> = site_kinds
            .iter()
            .filter(|(_, k, _)| kinds.contains(k))
            .collect();
        if fitting.is_empty() {
            continue;
        }
        let (site, _, _) = *d.pick(&fitting);
        let min_nations = if d.chance(0.8) {
            1
        } else if d.chance(0.75) {
            2
        } else {
            3
        };
        let both = if d.chance(0.05) {
            "acceptable_to = [\"ukraine\", \"russia\"]\n"
        } else {
            ""
        };
        // Every tenth line asks for a framework nation at its site (by its number, not a draw: the scenario
        // is otherwise the one the same seed always gave).
        let framework = if made % 10 == 0 {
            "framework = true\n"
        } else {
            ""
        };
        let _ = write!(
            requirements,
            "[[requirement]]\nid = \"line-{made:04}\"\ncapability = \"{cap}\"\ncount = {}\nsite = \"{site}\"\nphase = \"entry\"\npriority = \"{}\"\nrole = \"{}\"\nmin_nations = {min_nations}\n{both}{framework}source = \"illustrative\"\n\n",
            d.range(1, 4),
            if d.chance(0.7) {
                "essential"
            } else {
                "desirable"
            },
            d.pick(&roles)
        );
        made += 1;
    }
    requirements
}

/// `pledges.toml`: `spec.pledges` units pledges, each a capability drawn by weight with a random nation,
/// condition on the facts, caveats, count, notice and status.
fn pledges_file(
    spec: &SyntheticSpec,
    header: &str,
    draw: &CapabilityDraw<'_>,
    facts: &[String],
    site_kinds: &[SiteOf],
    d: &mut Draw,
) -> String {
    // Caveats name only regions some site is in.
    let mut regions: Vec<&str> = site_kinds
        .iter()
        .map(|(_, _, r)| *r)
        .filter(|r| !matches!(*r, "airspace" | "black_sea"))
        .collect();
    regions.sort_unstable();
    regions.dedup();
    let mut pledges = header.to_owned();
    for i in 0..spec.pledges {
        let c = draw.pick(d);
        let cap = c.id.as_str();
        let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
        let nation = nation_code(d.below(spec.nations));
        let condition = if facts.is_empty() || d.chance(0.3) {
            String::new()
        } else {
            let a = d.pick(facts).clone();
            let b = d.pick(facts).clone();
            match d.below(3) {
                0 => format!("condition = \"{a}\"\n"),
                1 => format!("condition = \"{a} && {b}\"\n"),
                _ => format!("condition = \"{a} || {b}\"\n"),
            }
        };
        let mut caveats = Vec::new();
        if d.chance(0.3) {
            caveats.push(format!("roles = [\"{}\"]", d.pick(&roles)));
        }
        if d.chance(0.2) {
            caveats.push(format!("regions = [\"{}\"]", d.pick(&regions)));
        }
        if d.chance(0.2) {
            caveats.push(format!("min_km_from_line = {}", d.pick(&[150, 300, 450])));
        }
        let caveats = if caveats.is_empty() {
            String::new()
        } else {
            format!("caveats = {{ {} }}\n", caveats.join(", "))
        };
        let status = if d.chance(0.02) {
            "withdrawn"
        } else if d.chance(0.5) {
            "confirmed"
        } else {
            "offered"
        };
        let _ = write!(
            pledges,
            "[[pledge]]\nid = \"pledge-{i:05}\"\nnation = \"{nation}\"\nkind = \"units\"\ncapability = \"{cap}\"\ncount = {}\nnotice_days = {}\nstatus = \"{status}\"\n{condition}{caveats}source = \"illustrative\"\n\n",
            d.range(1, 3),
            d.range(2, 90)
        );
    }
    pledges
}
