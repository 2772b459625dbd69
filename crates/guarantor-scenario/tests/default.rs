//! The built-in default scenario: valid, faithful to the seed articles and FACTS.md, and it survives `init`.

use guarantor_core::{NationCode, Offer, PledgeStatus, SiteKind};
use guarantor_scenario::{RenderOptions, SourceSet, check, render_diagnostics};

fn default_scenario() -> guarantor_core::Scenario {
    let sources = SourceSet::builtin_default();
    let checked = check(&sources);
    assert!(
        checked.diagnostics.is_empty(),
        "the default scenario raises diagnostics:\n{}",
        render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default())
    );
    checked.scenario.expect("valid")
}

#[test]
fn is_valid_with_no_warnings() {
    let s = default_scenario();
    assert_eq!(s.name, "Reassurance Force Ukraine");
}

#[test]
fn has_the_coalition_the_seeds_describe() {
    let s = default_scenario();
    // "around 30 nations and delegations" (seeds 001, 002)
    assert!(
        (28..=35).contains(&s.nations.len()),
        "{} nations",
        s.nations.len()
    );
    for code in [
        "FRA", "GBR", "DEU", "POL", "NLD", "ITA", "CAN", "TUR", "JPN", "KOR", "AUS", "NZL", "NOR",
        "SWE", "FIN", "EST", "LVA", "LTU",
    ] {
        assert!(
            s.nation(&NationCode::new(code).unwrap()).is_some(),
            "{code} is missing"
        );
    }
    // France could commit up to 10,000 troops (seed 003)
    let fra = s.nation(&NationCode::new("FRA").unwrap()).unwrap();
    assert_eq!(fra.max_troops, Some(10_000));
    let fra_troops: u64 = s
        .pledges
        .iter()
        .filter(|p| p.nation == fra.code)
        .map(|p| s.pledged_troops(p))
        .sum();
    assert!(fra_troops <= 10_000, "France pledges {fra_troops}");
    // The Netherlands needs a parliamentary vote (seed 003)
    assert!(
        s.nation(&NationCode::new("NLD").unwrap())
            .unwrap()
            .parliament_vote_days
            .is_some()
    );
}

#[test]
fn asks_for_a_force_of_25_to_30_thousand() {
    let s = default_scenario();
    let required: u64 = s.requirements.iter().map(|r| s.required_troops(r)).sum();
    assert!(
        (25_000..=30_000).contains(&required),
        "{required} troops required"
    );
}

#[test]
fn today_leaves_a_shortfall_that_conditions_would_close() {
    let s = default_scenario();
    let today = s.today();
    let required: u64 = s.requirements.iter().map(|r| s.required_troops(r)).sum();
    let live: u64 = s
        .pledges
        .iter()
        .filter(|p| p.is_live(&today))
        .map(|p| s.pledged_troops(p))
        .sum();
    let potential: u64 = s
        .pledges
        .iter()
        .filter(|p| p.status != PledgeStatus::Withdrawn)
        .map(|p| s.pledged_troops(p))
        .sum();
    assert!(live < required, "live {live} >= required {required}");
    assert!(
        potential > required,
        "potential {potential} <= required {required}"
    );
    assert!(s.pledges.iter().any(|p| p.is_conditional()));
    assert!(
        s.pledges
            .iter()
            .any(|p| matches!(p.offer, Offer::Materiel { .. }))
    );
    assert!(
        s.pledges
            .iter()
            .any(|p| matches!(p.offer, Offer::Enabler { .. }))
    );
}

#[test]
fn stands_at_key_infrastructure_away_from_the_line() {
    let s = default_scenario();
    let kinds: Vec<SiteKind> = s.sites.iter().map(|site| site.kind).collect();
    for kind in [
        SiteKind::NuclearPlant,
        SiteKind::Port,
        SiteKind::Energy,
        SiteKind::Headquarters,
        SiteKind::LogisticsHub,
        SiteKind::SeaArea,
        SiteKind::AirArea,
    ] {
        assert!(kinds.contains(&kind), "no {kind} site");
    }
    for site in s
        .sites
        .iter()
        .filter(|x| x.country.as_str() == "UKR" && !x.kind.is_area())
    {
        let km = s.theatre.km_to_contact_line(site.location).unwrap();
        assert!(
            km >= s.mission.standoff_km,
            "{} is {km:.0} km from the line",
            site.id
        );
        assert!(
            !s.theatre.is_occupied(site.location),
            "{} is in the occupied area",
            site.id
        );
    }
}

#[test]
fn carries_the_real_contact_line_with_attribution() {
    let s = default_scenario();
    let km: f64 = s
        .theatre
        .contact_line
        .0
        .iter()
        .flat_map(|l| l.0.windows(2))
        .map(|w| guarantor_core::geodesic_km(w[0].into(), w[1].into()))
        .sum();
    // about 1,160 km on 2026-08-22 (FACTS.md); the simplified line is a little shorter
    assert!((1_050.0..=1_200.0).contains(&km), "contact line {km:.0} km");
    assert!(
        s.theatre
            .attribution
            .iter()
            .any(|a| a.contains("DeepStateMap"))
    );
    assert!(
        s.theatre
            .attribution
            .iter()
            .any(|a| a.contains("Natural Earth"))
    );
    // Zaporizhzhia NPP is inside the occupied area, ~1 km from the line (FACTS.md)
    let znpp = geo_types::Point::new(34.5863, 47.5119);
    assert!(s.theatre.is_occupied(znpp));
    let kyiv = geo_types::Point::new(30.52, 50.45);
    assert_eq!(
        s.theatre.country_at(kyiv).map(|c| c.iso3.as_str()),
        Some("UKR")
    );
}

#[test]
fn every_record_says_where_its_figures_come_from() {
    let s = default_scenario();
    let sources: Vec<&str> = s
        .nations
        .iter()
        .map(|n| n.source.as_str())
        .chain(s.pledges.iter().map(|p| p.source.as_str()))
        .chain(s.sites.iter().map(|x| x.source.as_str()))
        .chain(s.requirements.iter().map(|r| r.source.as_str()))
        .chain(s.capabilities.iter().map(|c| c.source.as_str()))
        .collect();
    for source in sources {
        assert!(!source.trim().is_empty());
    }
}

#[test]
fn init_writes_files_that_load_to_the_same_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let written = SourceSet::builtin_default().write_dir(dir.path()).unwrap();
    assert!(written.len() >= 12);
    let again = SourceSet::read_dir(dir.path()).unwrap();
    let checked = check(&again);
    assert!(checked.diagnostics.is_empty());
    assert_eq!(checked.scenario.unwrap(), default_scenario());
    // A second init into the same folder refuses and writes nothing.
    assert!(SourceSet::builtin_default().write_dir(dir.path()).is_err());
}

#[test]
fn named_places_come_with_their_oblast_and_a_bad_row_is_pointed_at() {
    let s = default_scenario();
    let places = &s.theatre.places;
    assert!(places.len() > 10_000, "{} places", places.len());
    let irpin = places
        .iter()
        .find(|p| p.name == "Irpin")
        .expect("Irpin is named");
    assert_eq!(irpin.region.as_deref(), Some("UA-32"));
    // Renamed by law, and written without the soft sign as Ukraine transliterates.
    for name in ["Kyiv", "Bakhmut", "Lyman", "Dnipro", "Lviv"] {
        assert!(places.iter().any(|p| p.name == name), "{name}");
    }
    assert!(
        !places
            .iter()
            .any(|p| p.name == "L'viv" || p.name == "Artemivs'k")
    );

    // A row with a latitude that is no number and a region the admin1 file does not have: each is named by line
    // and field, and nothing is loaded.
    let mut sources = SourceSet::builtin_default();
    let text = sources
        .get("geometry/places.csv")
        .expect("shipped")
        .to_owned();
    let broken = text.replacen(
        "50.5217,30.2506,Irpin,Kiev,UA-32,UA",
        "fifty,30.2506,Irpin,Kiev,UA-32,UA",
        1,
    );
    assert!(broken != text, "the Irpin row is in the file");
    let broken = broken.replacen(",UA-23,UA\n", ",UA-99,UA\n", 1);
    sources.set("geometry/places.csv", broken);
    let checked = check(&sources);
    assert!(checked.scenario.is_none());
    let shown = render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default());
    assert_eq!(checked.diagnostics.len(), 2, "{shown}");
    assert!(shown.contains("geometry/places.csv:"), "{shown}");
    assert!(
        shown.contains("`fifty`, `30.2506` is not a position in Europe"),
        "{shown}"
    );
    assert!(shown.contains("`UA-99` is not a region"), "{shown}");
}

#[test]
fn the_occupied_area_month_by_month_and_a_bad_day_is_named() {
    let s = default_scenario();
    let series = &s.theatre.occupied_series;
    assert_eq!(series.len(), 26);
    assert!(series.windows(2).all(|w| w[0].date < w[1].date));
    assert_eq!(series[0].date.to_string(), "2024-07-08");
    let mut sources = SourceSet::builtin_default();
    let text = sources
        .get("geometry/occupied_monthly.geojson")
        .expect("shipped")
        .to_owned();
    let broken = text.replacen("\"date\":\"2024-08-01\"", "\"date\":\"August\"", 1);
    assert!(broken != text, "the series has August 2024");
    sources.set("geometry/occupied_monthly.geojson", broken);
    let checked = check(&sources);
    assert!(checked.scenario.is_none());
    let shown = render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default());
    assert!(shown.contains("`August` is not a day"), "{shown}");
    assert!(
        shown.contains("geometry/occupied_monthly.geojson:3:"),
        "{shown}"
    );
}

/// Loading skips the OGC validity check of polygons in a file byte-identical to the built-in one (a third of a
/// plan's load time): this test is what vouches for them. With a newline added, no geometry file is the
/// built-in's any more, every polygon is checked, and the scenario is still valid.
#[test]
fn the_built_in_geometry_is_valid_when_checked_in_full() {
    let mut sources = SourceSet::builtin_default();
    let geometry: Vec<(String, String)> = sources
        .iter()
        .filter(|(path, _)| path.ends_with(".geojson"))
        .map(|(path, text)| (path.to_owned(), format!("{text}\n")))
        .collect();
    assert!(
        geometry.len() >= 4,
        "the default ships its contact line, areas and boundaries"
    );
    for (path, text) in geometry {
        sources.set(&path, text);
    }
    let checked = check(&sources);
    assert!(
        checked.diagnostics.is_empty(),
        "the built-in geometry, checked in full, raises diagnostics:\n{}",
        render_diagnostics(&sources, &checked.diagnostics, RenderOptions::default())
    );
}
