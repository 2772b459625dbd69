//! The response use case on the default scenario: what exists in each world state, what the engine's shortcuts
//! leave unchanged, and the articles' constraints (no US asset without the backstop, Poland's troops at home
//! unless Warsaw agrees, the phases).

use std::collections::BTreeSet;
use std::sync::LazyLock;

use guarantor_app::{Ask, Hourly, Posture};
use guarantor_core::{
    ContingencyKind, FactId, NationCode, Offer, OptionForce, Scenario, SiteId, TermId, WorldState,
};
use guarantor_response::{Detail, Response, What};
use guarantor_sourcing::SourcingPlan;
use proptest::prelude::*;

static DEFAULT: LazyLock<Scenario> = LazyLock::new(|| {
    guarantor_scenario::check(&guarantor_scenario::SourceSet::builtin_default())
        .scenario
        .expect("the default scenario is valid")
});

/// Today's force, sourced once.
static TODAY: LazyLock<SourcingPlan> =
    LazyLock::new(|| guarantor_sourcing::source(&DEFAULT, &DEFAULT.today()).expect("sources"));

/// Every world state over the scenario's facts.
fn every_world(s: &Scenario) -> Vec<WorldState> {
    (0u32..1 << s.facts.len())
        .map(|bits| {
            let mut w = s.today();
            for (i, f) in s.facts.iter().enumerate() {
                w.set(f.id.clone(), bits & (1 << i) != 0);
            }
            w
        })
        .collect()
}

/// Today's force in `world` (the conditions of options, reserves and pledges read in `world`).
fn posture<'s>(scenario: &'s Scenario, world: &WorldState, transport: Hourly) -> Posture<'s> {
    let mut plan = TODAY.clone();
    plan.world = world.clone();
    let moved = guarantor_app::move_force(scenario, &plan).expect("moved");
    Posture::with_movement(
        scenario,
        std::borrow::Cow::Owned(plan),
        std::borrow::Cow::Owned(moved),
        transport,
    )
}

fn attack(p: &Posture<'_>, scenario: &Scenario, site: &str, day: u32, detail: Detail) -> Response {
    let site = scenario
        .site(&SiteId::new(site).expect("a site id"))
        .expect("a site of the default scenario");
    p.respond_at(
        ContingencyKind::AttackOnSite,
        site,
        site.location,
        None,
        &scenario.response.default_needs,
        day,
        scenario.response.tiers.len(),
        &BTreeSet::new(),
        detail,
    )
}

/// The condition of what an element comes from: its option, and the reserve or pledge behind it.
fn holds_for(scenario: &Scenario, world: &WorldState, option: &TermId, label: &str) -> bool {
    let option_ok = scenario
        .response
        .options
        .iter()
        .find(|o| &o.id == option)
        .is_some_and(|o| o.condition.holds(world));
    let base = label.split_once('#').map_or(label, |(b, _)| b);
    let reserve_ok = scenario
        .network
        .reserves
        .iter()
        .find(|r| r.id.as_str() == base)
        .is_none_or(|r| r.condition.holds(world));
    let pledge_ok = base
        .strip_prefix("pledge:")
        .and_then(|id| scenario.pledges.iter().find(|p| p.id.as_str() == id))
        .is_none_or(|p| p.is_live(world));
    option_ok && reserve_ok && pledge_ok
}

#[test]
fn in_every_world_state_nothing_responds_whose_condition_is_false() {
    let s = &*DEFAULT;
    let mut transport = Some(Hourly::new(s).expect("a network"));
    let us = NationCode::new("USA").unwrap();
    let pol = NationCode::new("POL").unwrap();
    for world in every_world(s) {
        let p = posture(s, &world, transport.take().unwrap());
        // Khmelnytskyi: the plant the issue found reinforced by US armour without the backstop.
        let r = attack(
            &p,
            s,
            "npp-khmelnytskyi",
            p.standing_day(),
            Detail::Elements,
        );
        for e in &r.elements {
            assert!(
                holds_for(s, &world, &e.option, &e.label),
                "{} ({}) responds in {world}",
                e.label,
                e.option
            );
            if e.nation.as_ref() == Some(&us) {
                assert!(
                    world.get(&FactId::new("us_backstop").unwrap()),
                    "{} in {world}",
                    e.label
                );
            }
            if e.nation.as_ref() == Some(&pol) && matches!(e.what, What::Troops { .. }) {
                assert!(
                    world.get(&FactId::new("pol_ground_troops").unwrap()),
                    "Polish troops leave Poland in {world}: {}",
                    e.label
                );
            }
        }
        transport = Some(p.into_transport());
    }
}

#[test]
fn the_fastest_search_finds_the_first_unit_of_each_capability() {
    let s = &*DEFAULT;
    let p = posture(s, &s.today(), Hourly::new(s).expect("a network"));
    for site in [
        "npp-south-ukraine",
        "npp-khmelnytskyi",
        "port-odesa",
        "hq-kyiv",
        "energy-burshtyn",
    ] {
        let all = attack(&p, s, site, p.standing_day(), Detail::Elements);
        let fast = attack(&p, s, site, p.standing_day(), Detail::Fastest);
        // Per capability: the least closing hour over every unit, ties to the one listed first.
        let mut best: std::collections::BTreeMap<String, (u32, String)> = Default::default();
        for e in &all.elements {
            if let (What::Troops { capability, .. }, Some(h)) = (&e.what, e.closed_hour) {
                let cell = best
                    .entry(capability.to_string())
                    .or_insert((h, e.label.clone()));
                if h < cell.0 {
                    *cell = (h, e.label.clone());
                }
            }
        }
        let mut found: std::collections::BTreeMap<String, (u32, String)> = Default::default();
        for e in &fast.elements {
            if let (What::Troops { capability, .. }, Some(h)) = (&e.what, e.closed_hour) {
                assert!(
                    found
                        .insert(capability.to_string(), (h, e.label.clone()))
                        .is_none(),
                    "one unit per capability"
                );
            }
        }
        assert_eq!(found, best, "{site}");
        // Everything but the ground units is the same.
        let others = |r: &Response| -> Vec<(String, Option<u32>)> {
            r.elements
                .iter()
                .filter(|e| !matches!(e.what, What::Troops { .. }))
                .map(|e| (e.label.clone(), e.first_hour))
                .collect()
        };
        assert_eq!(others(&all), others(&fast), "{site}");
    }
}

#[test]
fn during_the_freeze_no_unit_of_the_force_is_in_theatre_yet() {
    let s = &*DEFAULT;
    let p = posture(s, &s.today(), Hourly::new(s).expect("a network"));
    let freeze = s.mission.phases.first().unwrap();
    let early = attack(
        &p,
        s,
        "npp-south-ukraine",
        freeze.start_day + 10,
        Detail::Elements,
    );
    assert!(
        early
            .elements
            .iter()
            .all(|e| !e.label.starts_with("deployed:")),
        "the deterrence units enter in a later phase"
    );
    assert_eq!(early.in_place_troops, 0);
    let later = attack(
        &p,
        s,
        "npp-south-ukraine",
        p.standing_day(),
        Detail::Elements,
    );
    assert!(
        later
            .elements
            .iter()
            .any(|e| e.label.starts_with("deployed:"))
    );
    assert!(later.in_place_troops > 0);
}

#[test]
fn both_contingencies_of_the_issue_in_every_world_state() {
    let s = &*DEFAULT;
    let mut transport = Some(Hourly::new(s).expect("a network"));
    let none = BTreeSet::new();
    let us_backstop = FactId::new("us_backstop").unwrap();
    let worlds = every_world(s);
    for (n, world) in worlds.iter().enumerate() {
        let p = posture(s, world, transport.take().unwrap());
        for id in ["offensive-zaporizhzhia", "strike-south-ukraine-npp"] {
            let c = s.response.contingency(&TermId::new(id).unwrap()).unwrap();
            let site = match &c.site {
                Some(site) => s.site(site).unwrap(),
                None => s.site(&SiteId::new("npp-south-ukraine").unwrap()).unwrap(),
            };
            let r = p.respond_at(
                c.kind,
                site,
                c.objective,
                c.origin,
                &c.needs,
                p.standing_day(),
                s.response.tiers.len(),
                &none,
                Detail::Elements,
            );
            // The warning is in force once the coalition's leaders have decided, in every world state.
            let warning = r
                .elements
                .iter()
                .find(|e| e.option.as_str() == "diplomatic-warning");
            assert_eq!(warning.and_then(|e| e.first_hour), Some(12), "{id} {world}");
            for e in &r.elements {
                assert_eq!(e.ready_hour, e.decision_hours + e.notice_hours, "{e:?}");
                if let (Some(f), Some(c)) = (e.first_hour, e.closed_hour) {
                    assert!(e.ready_hour <= f && f <= c, "{e:?}");
                }
            }
            let us_assets = r
                .elements
                .iter()
                .any(|e| e.nation.as_ref().is_some_and(|n| n.as_str() == "USA"));
            assert_eq!(us_assets, world.get(&us_backstop), "{id} in {world}");
            // The whole timeline with its build-up: in a few world states (it is the costly part).
            if [0, worlds.len() - 1].contains(&n) || *world == s.today() {
                let full = p
                    .respond(&Ask::Contingency(c.id.clone()), None, &none)
                    .expect("a planned contingency");
                assert_eq!(full.timeline[72].hour, 72);
                assert_eq!(full.timeline[168].hour, 168);
                assert_eq!(full.timeline[169].hour, 192);
                for w in full.timeline.windows(2) {
                    assert!(w[0].have.troops <= w[1].have.troops);
                    assert!(w[0].have.tonnes <= w[1].have.tonnes);
                }
                // What each element alone delivers by an hour, the build-up holds at least as much of
                // (the units together get no less than the first to arrive).
                let first_troops = full
                    .elements
                    .iter()
                    .filter(|e| e.kind == "troops")
                    .filter_map(|e| e.closed_hour.map(|h| (h, e.troops)))
                    .min();
                if let Some((h, troops)) = first_troops.filter(|(h, _)| *h <= 72) {
                    let by_then = &full.timeline[h as usize].have;
                    assert!(
                        by_then.troops >= full.in_place_troops + troops,
                        "{id} {world}"
                    );
                }
            }
        }
        transport = Some(p.into_transport());
    }
}

/// The scenario with only the options `keep` says.
fn with_options(keep: &[bool]) -> Scenario {
    let mut s = DEFAULT.clone();
    let mut i = 0;
    s.response.options.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    s
}

/// The first hour of each kind of help (troops by capability).
fn firsts(r: &Response) -> std::collections::BTreeMap<String, u32> {
    let mut out = std::collections::BTreeMap::new();
    for e in &r.elements {
        let Some(h) = e.first_hour else { continue };
        let what = match &e.what {
            What::Troops { capability, .. } => format!("troops:{capability}"),
            other => other.kind().to_owned(),
        };
        let cell = out.entry(what).or_insert(h);
        *cell = (*cell).min(h);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Adding options never delays the first arrival of any kind of help, and a false condition always
    /// removes its option, whatever the world state and the site.
    #[test]
    fn adding_an_option_never_delays_the_first_arrival_of_anything(
        bits in 0u32..256,
        keep in proptest::collection::vec(any::<bool>(), 20),
        site in 0usize..5,
    ) {
        let site = ["npp-south-ukraine", "npp-khmelnytskyi", "port-odesa", "hq-kyiv", "energy-burshtyn"][site];
        let s = &*DEFAULT;
        let world = &every_world(s)[bits as usize];
        let n = s.response.options.len();
        let keep: Vec<bool> = (0..n).map(|i| keep[i % keep.len()]).collect();
        let fewer = with_options(&keep);
        let all = posture(s, world, Hourly::new(s).expect("a network"));
        let full = attack(&all, s, site, all.standing_day(), Detail::Elements);
        let some = posture(&fewer, world, Hourly::new(&fewer).expect("a network"));
        let part = attack(&some, &fewer, site, some.standing_day(), Detail::Elements);
        let (full_first, part_first) = (firsts(&full), firsts(&part));
        for (what, hour) in &part_first {
            let with_more = full_first.get(what);
            prop_assert!(with_more.is_some_and(|h| h <= hour), "{what}: {hour} with fewer, {with_more:?} with all");
        }
        // A false condition removes its option, and a reserve or pledge whose own is false takes no part.
        for e in &full.elements {
            prop_assert!(holds_for(s, world, &e.option, &e.label), "{} in {world}", e.label);
        }
        for o in &s.response.options {
            if !o.condition.holds(world) {
                prop_assert!(full.elements.iter().all(|e| e.option != o.id), "{} in {world}", o.id);
            }
            if let OptionForce::Stockpiles = o.force {
                for p in &s.pledges {
                    if matches!(p.offer, Offer::Materiel { .. }) && !p.is_live(world) {
                        let label = format!("pledge:{}", p.id);
                        prop_assert!(full.elements.iter().all(|e| e.label != label));
                    }
                }
            }
        }
    }
}

/// The response what-if on the tiny fixture (two facts: four world states): every state there, worst first,
/// each site of each state timed as `respond --site` times it, and its page and workbook built.
#[test]
fn the_response_what_if_orders_every_state_and_its_page_shows_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../guarantor-scenario/tests/fixtures/tiny");
    let sources = guarantor_scenario::SourceSet::read_dir(&dir).expect("the fixture reads");
    let tiny = guarantor_scenario::check(&sources)
        .scenario
        .expect("the fixture is valid");
    let r = guarantor_app::response_whatif(
        &tiny,
        &tiny.today(),
        None,
        &guarantor_app::SourcingLimits::default(),
        &guarantor_app::Silent,
    )
    .expect("every state sources");
    assert_eq!(r.states.len(), 1 << tiny.facts.len());
    // Worst first: fewest sites reached within 72 hours, then the slowest first unit (none is worst).
    let key = |s: &guarantor_app::StateResponseDto| {
        (
            std::cmp::Reverse(s.sites_reached_by_72h),
            s.worst_first_troops_hour.map_or(u32::MAX, |h| h),
        )
    };
    for pair in r.states.windows(2) {
        assert!(
            key(&pair[0]) >= key(&pair[1]),
            "{:?} then {:?}",
            pair[0].world,
            pair[1].world
        );
    }
    // Each site's first ground unit is the fastest unit `respond --site` lists in that state.
    let state = r
        .states
        .iter()
        .find(|s| s.world == r.base)
        .expect("the base state");
    let posture = guarantor_app::posture(&tiny, &tiny.today()).expect("sources");
    for site in &state.sites {
        let report = posture
            .respond(
                &Ask::Site(SiteId::new(&site.site).expect("an id")),
                Some(r.day),
                &BTreeSet::new(),
            )
            .expect("a response");
        let first = report
            .elements
            .iter()
            .filter(|e| e.kind == "troops")
            .filter_map(|e| e.closed_hour)
            .min();
        assert_eq!(site.first_troops_hour, first, "{}", site.site);
    }
    let page = guarantor_render::briefing::html(&guarantor_app::response_whatif_page(&r));
    for s in &state.sites {
        assert!(page.contains(&s.site), "{}", s.site);
    }
    let files = guarantor_app::response_whatif_briefing(&tiny, &r, &guarantor_app::Silent)
        .expect("the briefing renders");
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for name in [
        "response-whatif.html",
        "response-whatif.svg",
        "response-whatif.png",
        "response-whatif.xlsx",
    ] {
        assert!(names.contains(&name), "{names:?}");
    }
}

#[test]
fn a_contingency_that_cannot_be_answered_is_told_and_the_plan_stands() {
    // The South Ukraine strike moved to a logistics hub, where no reinforcement goes: `check` lets it pass.
    let mut sources = guarantor_scenario::SourceSet::builtin_default();
    let text = sources
        .get("response.toml")
        .expect("a response plan")
        .replacen("site = \"npp-south-ukraine\"", "site = \"hub-rzeszow\"", 1);
    sources.set("response.toml", text);
    let s = guarantor_scenario::load(&sources)
        .expect("the scenario loads")
        .scenario;
    let report = guarantor_app::plan(&s, &s.today()).expect("the plan stands");
    let told: Vec<(&str, &str)> = report
        .unanswered
        .iter()
        .map(|u| (u.contingency.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].0, "strike-south-ukraine-npp");
    assert!(told[0].1.contains("hub-rzeszow"), "{told:?}");
    assert_eq!(
        report.responses.len() + 1,
        s.response.contingencies.len(),
        "the others are answered"
    );
}
