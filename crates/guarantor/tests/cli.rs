//! The `guarantor` command as a user runs it: output, JSON, exit codes, and what happens on bad input.

use std::path::Path;
use std::process::{Command, Output};

mod common;

use common::{Server, guarantor_with_input};

fn guarantor(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guarantor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("guarantor runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", text(&output.stdout)))
}

#[test]
fn with_no_arguments_it_summarises_the_default_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&[], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for expected in [
        "Reassurance Force Ukraine",
        "required",
        "pledged",
        "Political facts",
        "Troops by domain",
        "Troops by capability",
        "Nations (",
        "Sites (",
        "DeepStateMap",
    ] {
        assert!(
            stdout.contains(expected),
            "summary lacks {expected:?}:\n{stdout}"
        );
    }
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
}

#[test]
fn summary_json_has_the_documented_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["name"], "Reassurance Force Ukraine");
    let totals = &v["totals"];
    let required = totals["required_troops"].as_u64().unwrap();
    let live = totals["live_troops"].as_u64().unwrap();
    let potential = totals["potential_troops"].as_u64().unwrap();
    assert!((25_000..=30_000).contains(&required));
    assert!(live < required && required < potential);
    assert!(v["nations"].as_array().unwrap().len() >= 28);
    assert!(v["pledges"]["waiting_on_conditions"].as_u64().unwrap() > 0);
    let domains: Vec<&str> = v["domains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["land", "air", "sea", "border"]);
    assert!(
        v["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["required_troops"].is_u64())
    );
    assert!(
        v["sites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "nuclear_plant")
    );
    // The same summary, explicitly.
    let again = guarantor(&["summary", "--json"], tmp.path());
    assert_eq!(
        again.stdout, out.stdout,
        "summary and no-argument output differ"
    );
}

#[test]
fn a_world_state_changes_what_is_live() {
    let tmp = tempfile::tempdir().unwrap();
    let today = json(&guarantor(&["--json"], tmp.path()));
    let backstop = json(&guarantor(
        &["--json", "--world", "us_backstop=true"],
        tmp.path(),
    ));
    assert!(backstop["totals"]["live_troops"].as_u64() > today["totals"]["live_troops"].as_u64());
    assert!(
        backstop["world"]
            .as_str()
            .unwrap()
            .contains("us_backstop=true")
    );

    let bad = guarantor(&["--world", "us_backstp=true"], tmp.path());
    assert_eq!(bad.status.code(), Some(2));
    let stderr = text(&bad.stderr);
    assert!(
        stderr.contains("unknown political fact `us_backstp`")
            && stderr.contains("did you mean `us_backstop`"),
        "{stderr}"
    );
}

#[test]
fn init_then_check_passes_and_the_files_read_as_a_planner_wants() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["init", "plan"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let check = guarantor(&["check", "plan"], tmp.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert!(
        text(&check.stdout).starts_with("ok: plan is valid"),
        "{}",
        text(&check.stdout)
    );
    for file in guarantor_scenario::MODEL_FILES {
        let body = std::fs::read_to_string(tmp.path().join("plan").join(file)).unwrap();
        assert!(
            body.starts_with('#'),
            "{file} does not open with a comment for the planner"
        );
        assert!(body.contains("source"), "{file} does not cite its sources");
    }
    // A summary of the folder equals the built-in one.
    let from_dir = guarantor(&["summary", "plan", "--json"], tmp.path());
    let builtin = guarantor(&["--json"], tmp.path());
    assert_eq!(from_dir.stdout, builtin.stdout);
    // init refuses to overwrite.
    let again = guarantor(&["init", "plan"], tmp.path());
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("already holds scenario files"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn check_shows_problems_the_way_rustc_does() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        guarantor(&["init", "plan"], tmp.path()).status.code(),
        Some(0)
    );
    let pledges = tmp.path().join("plan/pledges.toml");
    let body = std::fs::read_to_string(&pledges).unwrap();
    let broken = body
        .replacen("nation = \"FRA\"", "nation = \"FRX\"", 1)
        .replacen("\nnotice_days =", "\nnotice_day =", 1);
    std::fs::write(&pledges, broken).unwrap();

    let out = guarantor(&["check", "plan"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error[unknown-reference]: unknown nation `FRX`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> pledges.toml:"), "{stderr}");
    assert!(
        stderr.contains("^^^^^"),
        "no caret under the problem:\n{stderr}"
    );
    assert!(stderr.contains("did you mean `FRA`?"), "{stderr}");
    assert!(stderr.contains("unknown field `notice_day`"), "{stderr}");
    assert!(stderr.contains("problems in plan"), "{stderr}");

    let out = guarantor(&["check", "plan", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert!(v["errors"].as_u64().unwrap() >= 2);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-reference")
        .unwrap();
    assert_eq!(d["file"], "pledges.toml");
    assert!(d["line"].as_u64().unwrap() > 0 && d["column"].as_u64().unwrap() > 0);
    assert_eq!(
        d["field"].as_str().unwrap().split('.').next_back(),
        Some("nation")
    );
    assert!(d["expected"].as_str().unwrap().contains("nations.toml"));

    // Summarising a broken scenario fails the same way instead of guessing.
    let out = guarantor(&["summary", "plan"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown nation `FRX`"));
}

#[test]
fn check_json_of_a_valid_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["check", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["origin"], "<built-in default>");
}

#[test]
fn check_lists_every_illustrative_figure_where_it_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        guarantor(&["init", "plan"], tmp.path()).status.code(),
        Some(0)
    );
    let out = guarantor(&["check", "plan", "--illustrative", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let listed = json(&out)["illustrative"].as_array().unwrap().clone();
    assert!(listed.len() > 10, "{listed:?}");
    for c in &listed {
        let file = c["file"].as_str().unwrap();
        let line = c["line"].as_u64().unwrap() as usize;
        let body = std::fs::read_to_string(tmp.path().join("plan").join(file)).unwrap();
        let written = body.lines().nth(line - 1).unwrap_or_default();
        let source = c["source"].as_str().unwrap();
        assert!(
            written.trim_start().starts_with("source") && written.contains(source),
            "{file}:{line} is {written:?}, not the source {source:?}"
        );
        assert!(source.to_lowercase().contains("illustrative"), "{c}");
    }
    // The text output counts the same records.
    let shown = guarantor(&["check", "plan", "--illustrative"], tmp.path());
    let shown = text(&shown.stdout);
    assert!(
        shown.contains(&format!(
            "{} records say their figures are illustrative",
            listed.len()
        )),
        "{shown}"
    );
    // Without the flag, no list.
    let plain = guarantor(&["check", "plan", "--json"], tmp.path());
    assert!(json(&plain).get("illustrative").is_none());
}

#[test]
fn a_goal_time_limit_must_be_a_positive_number_of_seconds() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in ["0", "-3", "soon", "inf"] {
        let arg = format!("--goal-time-limit={bad}");
        let out = guarantor(&["plan", &arg], tmp.path());
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            text(&out.stderr).contains("expected a positive number of seconds"),
            "{bad}: {}",
            text(&out.stderr)
        );
    }
    let out = guarantor(&["plan", "--json", "--goal-time-limit", "30"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let goals = json(&out)["sourcing"]["objectives"]["goals"].clone();
    assert_eq!(goals.as_array().map(Vec::len), Some(6), "{goals}");
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [&["check", "nowhere"][..], &["summary", "nowhere"][..]] {
        let out = guarantor(args, tmp.path());
        assert_eq!(out.status.code(), Some(2));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("nowhere is not a scenario folder")
                && stderr.contains("guarantor init nowhere"),
            "{stderr}"
        );
    }
}

#[test]
fn bad_arguments_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["frobnicate"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plan_json_has_the_sourcing_fields_and_no_broken_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["plan", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let s = &v["sourcing"];
    assert_eq!(s["violations"].as_array().unwrap().len(), 0);
    let lines = s["lines"].as_array().unwrap();
    assert!(lines.len() >= 30);
    let mut filled = 0;
    for l in lines {
        for key in [
            "requirement",
            "capability",
            "site",
            "required_troops",
            "filled_troops",
            "assignments",
            "shortfall_reasons",
        ] {
            assert!(!l[key].is_null(), "line lacks {key}: {l}");
        }
        let sum: u64 = l["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                for key in ["nation", "pledge", "units", "troops"] {
                    assert!(!a[key].is_null(), "assignment lacks {key}");
                }
                a["troops"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(sum, l["filled_troops"].as_u64().unwrap());
        if l["filled_troops"].as_u64() < l["required_troops"].as_u64() {
            assert!(
                !l["shortfall_reasons"].as_array().unwrap().is_empty(),
                "{}",
                l["requirement"]
            );
        }
        filled += sum;
    }
    assert_eq!(filled, s["totals"]["filled_troops"].as_u64().unwrap());
    assert!(
        filled < s["totals"]["required_troops"].as_u64().unwrap(),
        "today falls short"
    );
    let nations = s["nations"].as_array().unwrap();
    assert!(nations.iter().all(|n| n["nation"].is_string()
        && n["troops"].is_u64()
        && n["fair_share_troops"].is_u64()));
    let fra = nations.iter().find(|n| n["nation"] == "FRA").unwrap();
    assert!(fra["troops"].as_u64().unwrap() <= 10_000);
    assert!(
        s["sites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["framework_nation"].is_string() && x["nations_present"].as_u64() >= Some(2))
    );
}

#[test]
fn plan_text_says_how_far_short_and_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["plan"], tmp.path());
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stderr) + &text(&out.stdout);
    for expected in [
        "sourcing plan",
        "shortfall",
        "no broken rule",
        "Requirement lines",
        "lines fall short",
        "unlocked by",
        "us_backstop",
        "fair share",
        "framework",
    ] {
        assert!(stdout.contains(expected), "plan lacks {expected:?}");
    }
}

#[test]
fn a_us_backstop_raises_the_plans_fill() {
    let tmp = tempfile::tempdir().unwrap();
    let filled = |world: &str| {
        let v = json(&guarantor(
            &["plan", "--json", "--world", world],
            tmp.path(),
        ));
        v["sourcing"]["totals"]["filled_troops"].as_u64().unwrap()
    };
    assert!(filled("us_backstop=true") > filled("us_backstop=false"));
}

#[test]
fn whatif_json_has_every_state_and_the_critical_nations() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["whatif", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let states = v["states"].as_array().unwrap();
    let k = states[0]["facts"].as_object().unwrap().len();
    assert_eq!(states.len(), 1 << k);
    assert!(
        states
            .iter()
            .all(|s| s["filled_troops"].is_u64() && s["required_troops"].is_u64())
    );
    let fills: Vec<u64> = states
        .iter()
        .map(|s| s["filled_troops"].as_u64().unwrap())
        .collect();
    assert!(
        fills.windows(2).all(|w| w[0] <= w[1]),
        "sorted worst to best"
    );
    let critical = v["critical_nations"].as_array().unwrap();
    assert!(
        critical
            .iter()
            .all(|c| c["nation"].is_string() && c["filled_troops_without"].is_u64())
    );
    assert_eq!(critical[0]["nation"], "FRA");
    // Each state's cost a year comes from the same sourcing as its fill: equal fills of equal live pledges
    // cost the same, and the state with the base's facts costs what the base does.
    let base = &v["base_cost_per_year"];
    assert!(base["best"].as_f64().unwrap() > 0.0);
    assert!(
        v["cost_basis"]
            .as_str()
            .unwrap()
            .contains("fill goals only")
    );
    assert!(states.iter().all(|s| s["cost_per_year"]["best"].is_f64()));
    let facts_of_base: Vec<(String, bool)> = v["base"]
        .as_str()
        .unwrap()
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v == "true"))
        .collect();
    let base_state = states
        .iter()
        .find(|s| {
            s["facts"].as_object().unwrap().iter().all(|(f, b)| {
                facts_of_base
                    .iter()
                    .any(|(g, c)| g == f && b.as_bool() == Some(*c))
            })
        })
        .expect("the base state is among the states");
    assert_eq!(&base_state["cost_per_year"], base);
    let backstop = v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fact"] == "us_backstop")
        .unwrap();
    assert!(
        backstop["flip_cost_per_year"].as_f64().unwrap() > 0.0,
        "the backstop brings troops and US enablers: {backstop}"
    );
    let text_out = text(&guarantor(&["whatif"], tmp.path()).stdout);
    assert!(text_out.contains("cost a year if flipped"));
    assert!(
        text_out.contains("The facts that matter most") && text_out.contains("Who matters most")
    );
}

#[test]
fn generate_writes_a_reproducible_valid_scenario_that_plans() {
    let tmp = tempfile::tempdir().unwrap();
    let args = [
        "--nations",
        "6",
        "--pledges",
        "60",
        "--lines",
        "20",
        "--sites",
        "8",
        "--facts",
        "3",
        "--seed",
        "9",
    ];
    let mut first = vec!["generate", "a"];
    first.extend(args);
    let mut second = vec!["generate", "b"];
    second.extend(args);
    assert_eq!(guarantor(&first, tmp.path()).status.code(), Some(0));
    assert_eq!(guarantor(&second, tmp.path()).status.code(), Some(0));
    for file in guarantor_scenario::MODEL_FILES {
        let a = std::fs::read(tmp.path().join("a").join(file)).unwrap();
        let b = std::fs::read(tmp.path().join("b").join(file)).unwrap();
        assert_eq!(a, b, "{file} differs between two runs with the same seed");
    }
    let check = guarantor(&["check", "a"], tmp.path());
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let plan = guarantor(&["plan", "a", "--json"], tmp.path());
    assert_eq!(plan.status.code(), Some(0), "{}", text(&plan.stderr));
    assert_eq!(
        json(&plan)["sourcing"]["violations"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn export_instance_gives_the_model_data_for_other_solvers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["export-instance"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["format"], "guarantor.sourcing-instance.v1");
    let facts: Vec<&str> = v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(facts.contains(&"us_backstop"), "{facts:?}");
    let offers = v["offers"].as_array().unwrap();
    let lines = v["lines"].as_array().unwrap();
    assert!(offers.len() > 50 && lines.len() == 45);
    // The base state's index, by the documented bit rule.
    let base: usize = facts
        .iter()
        .enumerate()
        .filter(|(_, f)| v["base"][**f] == true)
        .map(|(i, _)| 1 << i)
        .sum();
    for o in offers {
        let states = o["live_in_state"].as_str().unwrap();
        assert_eq!(states.len(), 1 << facts.len());
        let live_in_base = states.as_bytes()[base] == b'1';
        assert_eq!(live_in_base, o["live"] == true, "{o}");
    }
    for pair in v["pairs"].as_array().unwrap() {
        let (o, l) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
        assert!((o as usize) < offers.len() && (l as usize) < lines.len());
        assert_eq!(
            offers[o as usize]["capability"],
            lines[l as usize]["capability"]
        );
    }
    assert_eq!(v["nation_caps"]["FRA"], 10000);
}

#[test]
fn plan_rotates_the_sourced_force_and_says_what_it_ties_up() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["plan", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let r = &v["rotation"];
    assert_eq!(r["cycle"], "2:1:2");
    let months = r["months"].as_array().unwrap();
    assert_eq!(months.len() as u64, r["horizon_months"].as_u64().unwrap());
    for m in months {
        let get = |k: &str| m[k].as_u64().unwrap();
        assert_eq!(
            get("committed"),
            get("deployed") + get("preparing") + get("recovering"),
            "{m}"
        );
    }
    // Everything sourced that arrives is deployed from the month it arrives, and never before (seed 000's
    // count: 2.5 troops committed for each deployed).
    let filled = v["sourcing"]["totals"]["filled_troops"].as_u64().unwrap();
    let missing: u64 = r["not_arrived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["troops"].as_u64().unwrap())
        .sum();
    let steady = r["steady_deployed"].as_u64().unwrap();
    assert_eq!(steady, filled - missing);
    assert_eq!(r["peak_deployed"].as_u64().unwrap(), steady);
    assert_eq!(r["committed_per_deployed"].as_f64().unwrap(), 2.5);
    assert_eq!(
        r["steady_committed"].as_u64().unwrap(),
        (steady as f64 * 2.5).round() as u64
    );
    let days_per_month = 365.25 / 12.0;
    for (m, month) in months.iter().enumerate() {
        let arrived: u64 = v["movement"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| {
                u["arrival_day"]
                    .as_f64()
                    .is_some_and(|d| (d / days_per_month).floor() as usize <= m)
            })
            .map(|u| u["troops"].as_u64().unwrap())
            .sum();
        assert_eq!(month["deployed"].as_u64().unwrap(), arrived, "month {m}");
    }
    let nations = r["nations"].as_array().unwrap();
    assert!(nations.iter().any(|n| n["nation"] == "FRA"));
    for w in r["warnings"].as_array().unwrap() {
        assert!(
            ["too_few_rotations", "sustain_too_short", "active_share"]
                .contains(&w["kind"].as_str().unwrap())
        );
        assert!(!w["message"].as_str().unwrap().is_empty());
    }

    // Movement: every sourced unit moves, none before it is ready, and the curve adds up.
    let m = &v["movement"];
    let units = m["units"].as_array().unwrap();
    let filled_units: u64 = v["sourcing"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["filled_units"].as_u64().unwrap())
        .sum();
    assert_eq!(units.len() as u64, filled_units);
    let troops: u64 = units.iter().map(|u| u["troops"].as_u64().unwrap()).sum();
    assert_eq!(troops, filled);
    let mut closed = 0;
    for u in units {
        let ready = u["ready_day"].as_u64().unwrap();
        let arrival = u["arrival_day"]
            .as_u64()
            .expect("every default unit closes");
        assert!(arrival > ready, "{u}");
        assert!(u["not_closed"].is_null(), "{u}");
        assert!(
            ["network", "own"].contains(&u["route"].as_str().unwrap()),
            "{u}"
        );
        closed += u["troops"].as_u64().unwrap();
    }
    let curve = m["closure_curve"].as_array().unwrap();
    assert_eq!(curve.last().unwrap()["troops"].as_u64().unwrap(), closed);
    for w in curve.windows(2) {
        assert!(w[0]["day"].as_u64() < w[1]["day"].as_u64());
        assert!(w[0]["troops"].as_u64() < w[1]["troops"].as_u64());
    }
    // Today the force is short of the requirement, so the IOC threshold is not reached; the tables say so.
    let ioc = m["ioc_troops"].as_u64().unwrap();
    assert_eq!(m["ioc_day"].is_null(), closed < ioc, "{m}");
    assert!(!m["stockpiles"].as_array().unwrap().is_empty());
    for b in m["bottlenecks"].as_array().unwrap() {
        assert!(b["days_full"].as_u64().unwrap() >= 1);
        assert!(["troops", "tonnes"].contains(&b["commodity"].as_str().unwrap()));
    }
    // Reinforcement once the force stands: a cell for each site and capability that fits it, in hours from the
    // violation (decisions + notice + movement), the force's own units and the reserves both fastest somewhere.
    let cells = v["reinforcement"].as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> = cells
        .iter()
        .map(|c| c["source_kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains("in_theatre") && kinds.contains("reserve"),
        "{kinds:?}"
    );
    assert!(
        kinds
            .iter()
            .all(|k| ["in_theatre", "reserve", "home"].contains(k))
    );
    for c in cells {
        let hours = c["hours"].as_u64().unwrap();
        let parts = c["decision_hours"].as_u64().unwrap()
            + c["notice_hours"].as_u64().unwrap()
            + c["move_hours"].as_u64().unwrap();
        assert_eq!(hours, parts, "{c}");
        assert_eq!(c["days"].as_u64().unwrap(), hours.div_ceil(24), "{c}");
        // Today there is no US backstop: no US-led reserve reinforces.
        assert_ne!(c["nation"], "USA", "{c}");
    }
    assert!(
        cells
            .iter()
            .any(|c| c["site"] == "npp-south-ukraine" && c["capability"] == "mech_inf_bn")
    );
    assert!(
        !cells
            .iter()
            .any(|c| c["site"] == "npp-south-ukraine" && c["capability"] == "frigate"),
        "no frigates to a nuclear plant"
    );

    let out = guarantor(&["plan"], tmp.path());
    let stdout = text(&out.stdout);
    for heading in [
        "Rotation:",
        "committed",
        "Movement:",
        "IOC",
        "Reinforcement once the force stands: hours from a violation",
    ] {
        assert!(stdout.contains(heading), "{heading}: {stdout}");
    }
}

#[test]
fn with_every_fact_true_the_force_reaches_full_operating_capability() {
    let tmp = tempfile::tempdir().unwrap();
    let world = "permanent_ceasefire=true,us_backstop=true,un_mandate=true,mutual_defence_pact=true,\
                 gbr_if_necessary=true,deu_bundestag_mandate=true,nld_parliament_approved=true,\
                 pol_ground_troops=true";
    let out = guarantor(&["plan", "--json", "--world", world], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let m = &v["movement"];
    let (ioc, foc) = (
        m["ioc_day"].as_u64().expect("IOC is reached"),
        m["foc_day"].as_u64().expect("FOC is reached"),
    );
    assert!(ioc <= foc, "{m}");
    // Full capability needs the lines of the full-capability phase, which start on day 120.
    assert!(foc >= 120, "{m}");
}

#[test]
fn closure_bench_solves_a_generated_problem_and_writes_it_for_the_peer() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("closure.json");
    let out = guarantor(
        &[
            "closure-bench",
            "--nodes",
            "30",
            "--units",
            "40",
            "--days",
            "90",
            "--instance",
            file.to_str().unwrap(),
            "--json",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let run = json(&out);
    assert_eq!(run["nodes"], 30);
    assert_eq!(run["units"], 40);
    assert!(run["closure_day"].as_u64().unwrap() < 90, "{run}");
    let instance: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(instance["format"], "guarantor.closure-instance.v1");
    assert_eq!(instance["nodes"].as_array().unwrap().len(), 30);
    assert_eq!(instance["loads"].as_array().unwrap().len(), 40);
    let troops: u64 = instance["loads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["troops"].as_u64().unwrap())
        .sum();
    assert_eq!(run["troops"].as_u64().unwrap(), troops);
    for l in instance["links"].as_array().unwrap() {
        assert!(l["transit_days"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn monitor_ingests_reports_once_and_judges_the_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let reports = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text\n\
        p-1,smm-patrol-7,patrol,2026-12-05T06:10:00+02:00,0.25,47.5119,34.5863,0.5,artillery,,12,shelling near Enerhodar\n\
        m-1,ukrinform,media,2026-12-05T06:30:00+02:00,1,47.52,34.60,2,artillery,,10,shelling of Enerhodar\n\
        p-2,smm-patrol-7,patrol,yesterday,0.25,47.65,36.26,0.5,artillery,,1,\n\
        s-1,sensor-3,sensor,2026-12-05T11:00:00Z,0.1,46.3,30.9,0.2,naval,,1,fast boat attack off Odesa\n";
    std::fs::write(tmp.path().join("day1.csv"), reports).unwrap();

    // The bad row is named (file:line, the value, what was expected); the rest is stored; exit 1.
    let out = guarantor(&["monitor", "ingest", "day1.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("day1.csv:4:"), "{stderr}");
    assert!(stderr.contains("yesterday"), "{stderr}");
    assert!(tmp.path().join("guarantor-monitor.sqlite").exists());

    // Again: stored once.
    let out = guarantor(&["monitor", "ingest", "day1.csv", "--json"], tmp.path());
    let v = json(&out);
    let f = &v["files"][0];
    assert_eq!(
        (
            f["read"].as_u64(),
            f["new"].as_u64(),
            f["duplicates"].as_u64()
        ),
        (Some(3), Some(0), Some(3))
    );
    assert_eq!(f["rejected"], 1);
    assert_eq!(f["diagnostics"][0]["line"], 4);

    let out = guarantor(
        &["monitor", "incidents", "--since", "2026-12-05", "--json"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v = json(&out);
    let incidents = v["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2);
    let npp = &incidents[0];
    assert_eq!(npp["confidence"], "confirmed");
    assert_eq!(npp["severity"], "grave");
    assert_eq!(npp["protected_site"], "zaporizhzhia-npp");
    assert_eq!(npp["occupied"], true);
    assert_eq!(npp["oblast"], "Zaporizhzhia");
    assert_eq!(incidents[1]["surface"], "black_sea");
    // The confirmed strike at the nuclear plant calls for reinforcement, first, with the days it needs.
    let first = &v["responses"][0];
    assert_eq!(first["step"], "reinforce-site");
    assert_eq!(first["incidents"][0], 0);
    assert_eq!(first["site"], "npp-south-ukraine");
    assert!(
        first["reinforcement_days"].as_u64().unwrap() >= 1,
        "{first}"
    );

    // A window that ends before it starts is an error, not an empty answer.
    let out = guarantor(
        &[
            "monitor",
            "incidents",
            "--since",
            "2026-12-10",
            "--until",
            "2026-12-01",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--since 2026-12-10 is after until 2026-12-01"),
        "{}",
        text(&out.stderr)
    );

    // The daily report to 19:30 Kyiv time on 5 December: Markdown by default, JSON on request.
    let out = guarantor(&["monitor", "report", "--day", "2026-12-05"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    for part in [
        "# Daily report, 2026-12-05",
        "## By zone",
        "occupied area",
        "## Spot reports",
        "zaporizhzhia-npp",
        // A spot report names the place, the party (or that no report says), the sources and their words.
        "### Incident #",
        " of Enerhodar, Zaporizhzhia oblast",
        "Black Sea, 19 km E of Chornomorsk",
        "- **Party**: ",
        "- **Confidence**: ",
        "- **Reports**:",
        "## By party",
        // The ladder: one line per step.
        "## Responses the terms call for",
    ] {
        assert!(md.contains(part), "{part}: {md}");
    }
    let steps: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("## Responses the terms call for"))
        .skip(2)
        .take_while(|l| l.starts_with("- "))
        .map(|l| l.split(" (`").next().unwrap_or(l))
        .collect();
    let distinct: std::collections::BTreeSet<&&str> = steps.iter().collect();
    assert_eq!(steps.len(), distinct.len(), "one line per step: {steps:?}");
    let out = guarantor(
        &[
            "monitor",
            "report",
            "--day",
            "2026-12-06",
            "--cut",
            "07:00",
            "--json",
        ],
        tmp.path(),
    );
    let v = json(&out);
    // 6 December 07:00 Kyiv is 05:00 UTC: the period from 5 December 05:00 UTC holds only the naval attack.
    assert_eq!(v["from"], "2026-12-05T05:00:00Z");
    assert_eq!(v["totals"]["incidents"], 1);
    assert_eq!(v["previous"]["incidents"], 1);
    let out = guarantor(
        &["monitor", "report", "--day", "2026-12-06", "--cut", "25:00"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));

    // Two accounts of one shelling either side of the 19:30 cut on 7 December (17:30 UTC) are one confirmed
    // incident, in the period of its first report.
    let cut = "id,source,source_kind,time,lat,lon,kind\n\
        c-1,smm-patrol-7,patrol,2026-12-07T17:25:00Z,47.65,36.26,artillery\n\
        c-2,ukrinform,media,2026-12-07T17:35:00Z,47.65,36.26,artillery\n";
    std::fs::write(tmp.path().join("cut.csv"), cut).unwrap();
    let out = guarantor(&["monitor", "ingest", "cut.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = guarantor(
        &["monitor", "report", "--day", "2026-12-07", "--json"],
        tmp.path(),
    );
    let v = json(&out);
    assert_eq!(v["totals"]["incidents"], 1, "{v}");
    assert_eq!(
        v["totals"]["reports"], 1,
        "reports are counted in the period they came in"
    );
    assert_eq!(v["incidents"][0]["confidence"], "confirmed");
    assert_eq!(v["incidents"][0]["reports"].as_array().unwrap().len(), 2);

    // A mistyped database is an error, not an empty one.
    let out = guarantor(
        &["monitor", "--db", "monitr.sqlite", "incidents"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no monitoring database"),
        "{}",
        text(&out.stderr)
    );
    assert!(!tmp.path().join("monitr.sqlite").exists());

    // A window that holds nothing, and a bad bound.
    let out = guarantor(
        &["monitor", "incidents", "--until", "2026-12-01", "--json"],
        tmp.path(),
    );
    assert_eq!(json(&out)["incidents"].as_array().unwrap().len(), 0);
    let out = guarantor(
        &["monitor", "incidents", "--since", "last week"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--since"),
        "{}",
        text(&out.stderr)
    );

    // The real UCDP extract reads whole into the same store.
    let ucdp = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../guarantor-scenario/tests/fixtures/ucdp_ged_ukraine_extract.csv");
    let out = guarantor(
        &["monitor", "ingest", ucdp.to_str().unwrap(), "--json"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json(&out)["files"][0]["new"], 195);
}

/// Reports of `file` stored in the monitoring database.
fn stored_from(db: &Path, file: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("the database opens");
    conn.query_row("SELECT count(*) FROM report WHERE file = ?1", [file], |r| {
        r.get(0)
    })
    .expect("the count reads")
}

#[test]
fn each_file_is_read_on_its_own_as_its_bytes_say() {
    let tmp = tempfile::tempdir().unwrap();
    // A patrol's list saved by a Cyrillic spreadsheet: Windows-1251, `;`, day-first dates without an offset.
    let header = "id;source;source_kind;time;time_precision_hours;lat;lon;place_precision_km;kind;target;count;text";
    let list = format!(
        "{header}\np-1;patrol-2;patrol;05/12/2026 06:10;0.25;47.65;36.26;0.5;artillery;;12;Обстріл Гуляйполя\n\
         p-2;patrol-2;patrol;13/12/2026 07:00;0.25;47.66;36.27;0.5;drone;;1;Дрон\n"
    );
    let bytes: Vec<u8> = list
        .chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            'і' => 0xB3,
            'І' => 0xB2,
            c => c as u8,
        })
        .collect();
    std::fs::write(tmp.path().join("patrol.csv"), bytes).unwrap();
    // A file whose dates read both ways, and one that is not there.
    std::fs::write(
        tmp.path().join("ambiguous.csv"),
        "id,source,source_kind,time,lat,lon,kind\na,s,patrol,03/04/2026,47.6,36.2,drone\nb,s,patrol,05/06/2026,47.6,36.2,drone\n",
    )
    .unwrap();
    let out = guarantor(
        &[
            "monitor",
            "ingest",
            "missing.csv",
            "ambiguous.csv",
            "patrol.csv",
            "--json",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let v = json(&out);
    let files = v["files"].as_array().unwrap();
    assert!(
        files[0]["refused"]
            .as_str()
            .unwrap()
            .contains("cannot read")
    );
    assert!(
        files[1]["refused"]
            .as_str()
            .unwrap()
            .contains("--date-order"),
        "{}",
        files[1]
    );
    assert_eq!(files[1]["new"], 0);
    let patrol = &files[2];
    assert_eq!(patrol["encoding"], "windows-1251");
    assert_eq!(patrol["delimiter"], ";");
    assert_eq!(patrol["date_order"], "dmy");
    assert_eq!(
        (patrol["new"].as_u64(), patrol["rejected"].as_u64()),
        (Some(2), Some(0))
    );
    // The ambiguous file, said, is read.
    let out = guarantor(
        &[
            "monitor",
            "ingest",
            "ambiguous.csv",
            "--date-order",
            "mdy",
            "--json",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json(&out)["files"][0]["new"], 2);
    let out = guarantor(
        &["monitor", "incidents", "--since", "2026-12-05", "--json"],
        tmp.path(),
    );
    let incidents = json(&out);
    // Kyiv's 06:10 on 5 December is 04:10 UTC.
    assert_eq!(
        incidents["incidents"][0]["time"], "2026-12-05T04:10:00Z",
        "{incidents}"
    );
    assert_eq!(incidents["reports"], 2);
}

#[test]
fn a_revised_export_updates_its_rows_and_incidents_see_the_latest() {
    let tmp = tempfile::tempdir().unwrap();
    let header = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text";
    let first = format!(
        "{header}\nm-1,outlet,media,2026-12-05T06:10:00+02:00,1,47.65,36.26,2,artillery,,3,three rounds\n"
    );
    std::fs::write(tmp.path().join("feed.csv"), first).unwrap();
    let out = guarantor(&["monitor", "ingest", "feed.csv", "--json"], tmp.path());
    assert_eq!(json(&out)["files"][0]["new"], 1);
    // The outlet revises the event: a drone, not artillery.
    let revised = format!(
        "{header}\nm-1,outlet,media,2026-12-05T06:10:00+02:00,1,47.65,36.26,2,drone,,1,one drone\n"
    );
    std::fs::write(tmp.path().join("feed.csv"), revised).unwrap();
    let out = guarantor(&["monitor", "ingest", "feed.csv", "--json"], tmp.path());
    let f = &json(&out)["files"][0];
    assert_eq!(
        (f["new"].as_u64(), f["updated"].as_u64()),
        (Some(0), Some(1)),
        "{f}"
    );
    let out = guarantor(
        &["monitor", "incidents", "--since", "2026-12-05", "--json"],
        tmp.path(),
    );
    let v = json(&out);
    assert_eq!(v["reports"], 1);
    assert_eq!(v["incidents"][0]["kinds"][0], "drone", "{v}");
    // A full export without the event: named as missing, kept.
    let other = format!(
        "{header}\nm-2,outlet,media,2026-12-06T06:10:00+02:00,1,47.65,36.26,2,drone,,1,another\n"
    );
    std::fs::write(tmp.path().join("full.csv"), other).unwrap();
    let out = guarantor(
        &["monitor", "ingest", "full.csv", "--full-export", "--json"],
        tmp.path(),
    );
    let f = &json(&out)["files"][0];
    assert_eq!(f["missing"], 1, "{f}");
    assert_eq!(f["missing_ids"][0], "outlet/m-1");
    let out = guarantor(&["monitor", "incidents", "--json"], tmp.path());
    assert_eq!(json(&out)["reports"], 2);
}

#[test]
fn an_ingest_killed_midway_stores_its_file_whole_or_not_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let header = "id,source,source_kind,time,lat,lon,kind\n";
    let small = format!("{header}a-1,smm-7,patrol,2026-12-05T06:10:00Z,47.65,36.26,artillery\n");
    std::fs::write(tmp.path().join("small.csv"), small).unwrap();
    let out = guarantor(&["monitor", "ingest", "small.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let db = tmp.path().join("guarantor-monitor.sqlite");

    let rows = 200_000;
    let mut outcomes = Vec::new();
    for (k, delay_ms) in [30u64, 150, 400, 900, 1600].into_iter().enumerate() {
        // Each run its own reports (ids), so one run's commit does not make the next one's duplicates.
        let name = format!("big-{k}.csv");
        let mut big = String::from(header);
        for i in 0..rows {
            big.push_str(&format!(
                "{k}-{i},sensor-{},sensor,2026-12-05T{:02}:{:02}:00Z,{:.4},36.26,artillery\n",
                i % 7,
                (i / 60) % 24,
                i % 60,
                47.0 + (i % 1000) as f64 / 1000.0
            ));
        }
        std::fs::write(tmp.path().join(&name), big).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_guarantor"))
            .args(["monitor", "ingest", &name])
            .current_dir(tmp.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        let stored = stored_from(&db, &name);
        assert!(
            stored == 0 || stored == rows,
            "killed after {delay_ms} ms: {stored} of {rows} stored"
        );
        // What was acknowledged before is all there.
        assert_eq!(stored_from(&db, "small.csv"), 1);
        outcomes.push((delay_ms, stored));
    }
    // The first kill (30 ms) came before the commit: the test did kill an ingest midway.
    assert_eq!(outcomes[0].1, 0, "{outcomes:?}");
    // And a run left alone stores its file whole.
    let out = guarantor(&["monitor", "ingest", "big-0.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(stored_from(&db, "big-0.csv"), rows, "{outcomes:?}");
}

#[test]
fn a_generated_feed_ingests_cleanly_and_the_bench_places_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("feed.csv");
    let out = guarantor(
        &[
            "monitor",
            "generate",
            "--reports",
            "600",
            "--days",
            "3",
            "--seed",
            "7",
            "--out",
            feed.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("600 reports over 3 days"));
    // The same seed gives the same bytes.
    let again = tmp.path().join("again.csv");
    guarantor(
        &[
            "monitor",
            "generate",
            "--reports",
            "600",
            "--days",
            "3",
            "--seed",
            "7",
            "--out",
        ]
        .into_iter()
        .chain([again.to_str().unwrap()])
        .collect::<Vec<_>>(),
        tmp.path(),
    );
    assert_eq!(
        std::fs::read(&feed).unwrap(),
        std::fs::read(&again).unwrap()
    );

    // Every row reads back (no progress bar on a pipe: stderr stays empty).
    let out = guarantor(
        &[
            "monitor",
            "--db",
            "m.sqlite",
            "--json",
            "ingest",
            feed.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    let v = json(&out);
    assert_eq!(v["files"][0]["new"], 600);
    assert_eq!(v["files"][0]["rejected"], 0);

    let (placements, incidents) = (tmp.path().join("p.csv"), tmp.path().join("i.csv"));
    let out = guarantor(
        &[
            "monitor",
            "--json",
            "bench",
            feed.to_str().unwrap(),
            "--placements",
            placements.to_str().unwrap(),
            "--incidents",
            incidents.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let run = json(&out);
    assert_eq!(run["reports"], 600);
    let n = run["incidents"].as_u64().unwrap();
    assert!((100..600).contains(&n), "{run}");
    let placed = std::fs::read_to_string(&placements).unwrap();
    assert!(placed.starts_with(
        "id,occupied,km_to_line,buffer_zone,surface,country,oblast,nearest_site,nearest_km,inside_site,place,\
         place_km\n"
    ));
    assert_eq!(placed.lines().count(), 601);
    // Most of the feed is along the contact line, in Ukraine.
    assert!(placed.matches(",land,UKR,").count() > 300, "{placed}");
    let labels = std::fs::read_to_string(&incidents).unwrap();
    let distinct: std::collections::BTreeSet<&str> = labels
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(distinct.len() as u64, n);

    // A feed with a bad row is refused, with the row's place.
    let bad = tmp.path().join("bad.csv");
    let mut text_of_feed = std::fs::read_to_string(&feed).unwrap();
    text_of_feed.push_str("x1,ru-mod,party,not-a-time,1,47.0,37.0,5,drone,,1,\n");
    std::fs::write(&bad, text_of_feed).unwrap();
    let out = guarantor(&["monitor", "bench", bad.to_str().unwrap()], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("bad.csv:602") && stderr.contains("time"),
        "{stderr}"
    );
}

#[test]
fn plan_out_writes_a_self_contained_briefing_with_pictures_and_spreadsheets() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["plan", "--out", "brief"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Briefing written to brief"));
    let dir = tmp.path().join("brief");
    for stem in [
        "map",
        "closure",
        "rotation",
        "fill-capability",
        "fill-domain",
        "nations",
        "cost-months",
        "cost-burden",
        "responses",
    ] {
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{stem}"
        );
        let png = std::fs::read(dir.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png");
    }
    let html = std::fs::read_to_string(dir.join("briefing.html")).unwrap();
    // Every picture inline, nothing fetched.
    assert_eq!(html.matches("<svg").count(), 9);
    // What it costs and who pays, with the ranges.
    assert!(html.contains("What it costs, and who pays"));
    assert!(html.contains("Cost: who pays (lie where they fall; common fund by gdp)"));
    assert!(html.contains("net (low)") && html.contains("net (high)"));
    // The response page: the troops at each threatened site, what is there by each tier's hour, and each
    // option's synchronisation with who decides.
    assert!(html.contains("If the ceasefire breaks"));
    assert!(html.contains("Responses: at the threatened site by each tier"));
    assert!(html.contains("Responses: synchronisation by option"));
    assert!(html.contains("coalition-leaders (12 h)"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    assert!(
        html.contains("Natural Earth"),
        "the attribution is at the foot"
    );
    let xlsx = std::fs::read(dir.join("sourcing.xlsx")).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let csv = std::fs::read_to_string(dir.join("sourcing.csv")).unwrap();
    assert!(csv.starts_with("requirement,capability,site,nation,pledge,units,troops\n"));
    // As many rows as the plan's assignments.
    let plan = json(&guarantor(&["plan", "--json"], tmp.path()));
    let assignments: usize = plan["sourcing"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["assignments"].as_array().unwrap().len())
        .sum();
    assert_eq!(csv.lines().count(), assignments + 1);
    // A file in the way of the folder is a clear error.
    std::fs::write(tmp.path().join("taken"), "").unwrap();
    let out = guarantor(&["plan", "--out", "taken"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot create taken"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_daily_report_writes_its_briefing_with_a_map_of_the_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = guarantor(args, tmp.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        out
    };
    run(&[
        "monitor",
        "generate",
        "--reports",
        "3000",
        "--days",
        "20",
        "--out",
        "feed.csv",
    ]);
    run(&["monitor", "ingest", "feed.csv"]);
    run(&["monitor", "report", "--day", "2027-01-15", "--out", "day"]);
    let dir = tmp.path().join("day");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 2);
    let report = json(&run(&[
        "monitor",
        "report",
        "--day",
        "2027-01-15",
        "--json",
    ]));
    let n = report["incidents"].as_array().unwrap().len();
    assert!(n > 10, "{n}");
    // One mark per incident shown on the map (those in the picture), one row each in the CSV.
    let csv = std::fs::read_to_string(dir.join("incidents.csv")).unwrap();
    assert_eq!(csv.lines().count(), n + 1);
    let history = report["history"].as_array().unwrap();
    assert_eq!(history.len(), 14);
    assert_eq!(history.last().unwrap()["day"], "2027-01-15");
    let last = &history[13];
    let counted: u64 = ["confirmed", "probable", "possible", "single_source"]
        .iter()
        .map(|k| last[k].as_u64().unwrap())
        .sum();
    assert_eq!(
        counted as usize, n,
        "the last day of the history is the report's period"
    );
    for f in ["incidents-map.png", "incidents-per-day.png", "report.xlsx"] {
        assert!(dir.join(f).exists(), "{f}");
    }
}

/// `GET path` on `addr` with an optional bearer token: the whole HTTP answer.
fn http_get(addr: &str, path: &str, token: Option<&str>) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).expect("connects");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .expect("sends");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
}

/// The first run creates the planner `admin`; `user token` issues a token the server takes.
fn serve_story(dir: &std::path::Path, database: &[&str]) {
    let server = Server::start(dir, database);
    let addr = server.addr.clone();
    let health = http_get(&addr, "/api/v1/health", None);
    let anonymous = http_get(&addr, "/api/v1/me", None);
    let token = guarantor(&[&["user", "token", "admin"], database].concat(), dir);
    assert!(token.status.success(), "{}", text(&token.stderr));
    let me = http_get(&addr, "/api/v1/me", Some(text(&token.stdout).trim()));
    // A disabled account's token stops working.
    guarantor_with_input(
        dir,
        &[&["user", "add", "ghost", "--role", "observer"], database].concat(),
        "a password for the ghost\n",
    );
    let ghost = guarantor(&[&["user", "token", "ghost"], database].concat(), dir);
    let disabled = guarantor(&[&["user", "disable", "ghost"], database].concat(), dir);
    assert!(disabled.status.success(), "{}", text(&disabled.stderr));
    let refused = http_get(&addr, "/api/v1/me", Some(text(&ghost.stdout).trim()));
    // Enabled again: the old token stays revoked; a new one works until revoked by its label.
    let user = |args: &[&str]| guarantor(&[&["user"], args, database].concat(), dir);
    assert!(user(&["enable", "ghost"]).status.success());
    let still_refused = http_get(&addr, "/api/v1/me", Some(text(&ghost.stdout).trim()));
    let fresh = user(&["token", "ghost", "--label", "script"]);
    let fresh = text(&fresh.stdout).trim().to_owned();
    let taken = http_get(&addr, "/api/v1/me", Some(&fresh));
    let unknown = user(&["revoke", "ghost", "--label", "nothing"]);
    let revoked = user(&["revoke", "ghost", "--label", "script"]);
    let after_revoke = http_get(&addr, "/api/v1/me", Some(&fresh));
    let other = user(&["token", "ghost", "--label", "other"]);
    let other = text(&other.stdout).trim().to_owned();
    let passwd = guarantor_with_input(
        dir,
        &[&["user", "passwd", "ghost"], database].concat(),
        "a new password for the ghost\n",
    );
    let after_passwd = http_get(&addr, "/api/v1/me", Some(&other));
    let logout = user(&["logout-all", "ghost"]);
    let err = server.kill();
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(still_refused.starts_with("HTTP/1.1 401"), "{still_refused}");
    assert!(taken.starts_with("HTTP/1.1 200"), "{taken}");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("no token labelled \"nothing\""),
        "{}",
        text(&unknown.stderr)
    );
    assert!(revoked.status.success(), "{}", text(&revoked.stderr));
    assert!(after_revoke.starts_with("HTTP/1.1 401"), "{after_revoke}");
    assert!(passwd.status.success(), "{}", text(&passwd.stderr));
    assert!(after_passwd.starts_with("HTTP/1.1 401"), "{after_passwd}");
    assert!(logout.status.success(), "{}", text(&logout.stderr));
    assert!(text(&logout.stdout).contains("0 session(s) of ghost ended"));
    assert!(err.contains("created the planner `admin`"), "{err}");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    assert!(me.contains("\"role\":\"planner\""), "{me}");
    // Started again: the accounts are there, no second admin is made.
    let err = Server::start(dir, database).kill();
    assert!(!err.contains("created the planner"), "{err}");
}

#[test]
fn serve_answers_http_on_the_address_it_prints() {
    let tmp = tempfile::tempdir().unwrap();
    serve_story(tmp.path(), &["--db", "m.sqlite"]);
    assert!(
        tmp.path().join("m.sqlite").exists(),
        "the database is created on first run"
    );
}

#[test]
fn reports_stored_by_another_process_show_in_the_servers_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let server = Server::start(dir, &["--db", "m.sqlite"]);
    let token = guarantor(&["user", "token", "admin", "--db", "m.sqlite"], dir);
    let token = text(&token.stdout).trim().to_owned();
    let total = || {
        let answer = http_get(
            &server.addr,
            "/api/v1/incidents?since=2027-01-10&until=2027-01-11",
            Some(&token),
        );
        let body = answer
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let value: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {answer}"));
        value["page"]["total"].as_u64().expect("a total")
    };
    assert_eq!(total(), 0);
    std::fs::write(
        dir.join("day.csv"),
        "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text\n\
         p-1,smm-patrol-4,patrol,2027-01-10T06:40:00Z,0.25,47.5119,34.5863,0.5,artillery,,3,three rounds\n",
    )
    .unwrap();
    // The command line stores the day's report in the same file while the server runs.
    let ingest = guarantor(&["monitor", "ingest", "day.csv", "--db", "m.sqlite"], dir);
    assert!(ingest.status.success(), "{}", text(&ingest.stderr));
    assert_eq!(
        total(),
        1,
        "the server does not answer from what it computed before"
    );
    server.kill();
}

#[test]
fn serve_keeps_its_data_in_postgresql() {
    let Ok(url) = std::env::var("GUARANTOR_TEST_DATABASE_URL") else {
        panic!(
            "GUARANTOR_TEST_DATABASE_URL is not set: run `eval $(scripts/test-postgres)` first, or .ci/run"
        );
    };
    let name = format!("cli_serve_{}", std::process::id());
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .expect("drops");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("creates");
    let (base, _) = url.rsplit_once('/').expect("a database name");
    let db_url = format!("{base}/{name}");
    let tmp = tempfile::tempdir().unwrap();
    serve_story(tmp.path(), &["--database-url", &db_url]);
}

#[test]
fn the_plan_and_the_monitor_give_the_same_reinforcement_time() {
    // A confirmed strike at Khmelnytskyi NPP on day 300 (2027-09-27), once the force stands: the spot report's
    // reinforcement is the plan's matrix for that site (one code path), both counting the force's own units.
    let tmp = tempfile::tempdir().unwrap();
    let reports = "id,source,source_kind,time,lat,lon,kind\n\
        p-1,smm-patrol-2,patrol,2027-09-27T08:00:00Z,50.3024,26.6473,missile\n\
        m-1,ukrinform,media,2027-09-27T08:20:00Z,50.305,26.65,missile\n";
    std::fs::write(tmp.path().join("strike.csv"), reports).unwrap();
    let out = guarantor(&["monitor", "ingest", "strike.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = guarantor(&["monitor", "incidents", "--json"], tmp.path());
    let v = json(&out);
    let response = v["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["step"] == "reinforce-site")
        .unwrap_or_else(|| panic!("no reinforcement: {v}"))
        .clone();
    assert_eq!(response["site"], "npp-khmelnytskyi", "{response}");
    assert_eq!(response["day"], 300, "{response}");
    let monitor_hours = response["reinforcement_hours"].as_u64().unwrap();

    let out = guarantor(&["plan", "--json"], tmp.path());
    let plan = json(&out);
    let cells: Vec<&serde_json::Value> = plan["reinforcement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["site"] == "npp-khmelnytskyi")
        .collect();
    let plan_hours = cells
        .iter()
        .map(|c| c["hours"].as_u64().unwrap())
        .min()
        .unwrap();
    assert_eq!(monitor_hours, plan_hours, "{response}\n{cells:?}");
    let fastest = cells
        .iter()
        .find(|c| c["hours"].as_u64() == Some(plan_hours))
        .unwrap();
    assert_eq!(response["reinforcement_source"], fastest["source"]);
    // And `guarantor respond` for the same site says it too.
    let out = guarantor(
        &["respond", "--site", "npp-khmelnytskyi", "--json"],
        tmp.path(),
    );
    let r = json(&out);
    let first_unit = r["elements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "troops")
        .filter_map(|e| e["closed_hour"].as_u64())
        .min()
        .unwrap();
    assert_eq!(first_unit, plan_hours);
    // The plan carries each planned contingency exactly as `respond --contingency` prints it.
    let planned = plan["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["contingency"]["id"] == "offensive-zaporizhzhia")
        .unwrap();
    let out = guarantor(
        &[
            "respond",
            "--contingency",
            "offensive-zaporizhzhia",
            "--json",
        ],
        tmp.path(),
    );
    assert_eq!(planned, &json(&out));
}

#[test]
fn respond_answers_a_stored_incident_by_its_id() {
    let tmp = tempfile::tempdir().unwrap();
    // A patrol and the media saw one shelling near Enerhodar; a sensor a boat off Odesa: two incidents.
    let reports = "id,source,source_kind,time,time_precision_hours,lat,lon,place_precision_km,kind,target,count,text\n\
        p-1,smm-patrol-7,patrol,2026-12-05T06:10:00+02:00,0.25,47.5119,34.5863,0.5,artillery,,12,shelling near Enerhodar\n\
        m-1,ukrinform,media,2026-12-05T06:30:00+02:00,1,47.515,34.59,2,artillery,,10,shelling of Enerhodar\n\
        s-1,sensor-3,sensor,2026-12-05T11:00:00Z,0.1,46.3,30.9,0.2,naval,,1,fast boat attack off Odesa\n";
    std::fs::write(tmp.path().join("day1.csv"), reports).unwrap();
    let out = guarantor(&["monitor", "ingest", "day1.csv"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = guarantor(&["monitor", "incidents", "--json"], tmp.path());
    let listed = json(&out);
    let shelling = listed["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["reports"].as_array().unwrap().len() == 2)
        .expect("the shelling is one incident of two reports");
    let id = shelling["id"].as_u64().unwrap().to_string();
    let out = guarantor(&["respond", "--incident", &id, "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let answer = json(&out);
    // The same site as an attack at its best-located report (the patrol's) would threaten.
    let out = guarantor(
        &["respond", "--point", "47.5119,34.5863", "--json"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        answer["contingency"]["site"],
        json(&out)["contingency"]["site"]
    );
    assert!(
        answer["contingency"]["name"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Incident #{id} ")),
        "{answer}"
    );
    let out = guarantor(&["respond", "--incident", "999"], tmp.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no incident #999"));
    let out = guarantor(
        &["respond", "--incident", "1", "--db", "missing.sqlite"],
        tmp.path(),
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("no monitoring database"));
}

#[test]
fn respond_answers_a_contingency_a_site_a_point_and_says_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["respond", "--list"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("offensive-zaporizhzhia"));

    let out = guarantor(
        &["respond", "--contingency", "offensive-zaporizhzhia"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for part in [
        "Tier 1: warning and Ukrainian action",
        "Build-up at the place against the need",
        "diplomatic-warning",
        "Left out in this world state",
        "condition `us_backstop` does not hold",
    ] {
        assert!(stdout.contains(part), "{part}: {stdout}");
    }

    // Without the UK the Typhoons and Storm Shadows are gone; the sorties at 72 hours drop.
    let sorties_at_72 = |args: &[&str]| {
        let out = guarantor(args, tmp.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let v = json(&out);
        v["checkpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["hour"] == 72)
            .unwrap()["have"]["sorties_per_day"]
            .as_f64()
            .unwrap()
    };
    let with = sorties_at_72(&[
        "respond",
        "--contingency",
        "offensive-zaporizhzhia",
        "--json",
    ]);
    let without = sorties_at_72(&[
        "respond",
        "--contingency",
        "offensive-zaporizhzhia",
        "--without",
        "GBR",
        "--json",
    ]);
    assert!(without < with, "{without} < {with}");

    let out = guarantor(&["respond", "--point", "46.48,30.72", "--json"], tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(json(&out)["contingency"]["site"], "port-odesa");

    for (args, says) in [
        (
            vec!["respond", "--contingency", "nope"],
            "no contingency `nope`",
        ),
        (
            vec!["respond", "--site", "hub-rzeszow"],
            "not a site reinforcements can go to",
        ),
        (vec!["respond", "--point", "95,30"], "bad --point"),
        (
            vec!["respond", "--site", "npp-rivne", "--without", "XXX"],
            "no nation `XXX`",
        ),
    ] {
        let out = guarantor(&args, tmp.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn respond_costs_the_response_beyond_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let cost_of = |args: &[&str]| {
        let out = guarantor(args, tmp.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        json(&out)["cost"].clone()
    };
    let c = cost_of(&[
        "respond",
        "--contingency",
        "offensive-zaporizhzhia",
        "--json",
    ]);
    let best = |v: &serde_json::Value| v["best"].as_f64().unwrap();
    let elements = c["elements"].as_array().unwrap();
    let sum: f64 = elements.iter().map(|e| best(&e["total"])).sum();
    assert!(
        (sum - best(&c["total"])).abs() <= elements.len() as f64,
        "{c}"
    );
    let by_nation: f64 = c["by_nation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| best(&n["amount"]))
        .sum();
    assert!((by_nation - sum).abs() < 1.0, "{c}");
    for e in elements {
        // A unit already deployed costs only its move; every element here has a price or says it has none.
        if e["in_plan"] == true {
            assert_eq!(best(&e["troops"]), 0.0, "{e}");
        }
        assert!(e["unpriced"] == true || best(&e["total"]) > 0.0, "{e}");
    }
    // The Storm Shadows: 40 missiles within the 30 days at the default's $958,500 each.
    let storm = elements
        .iter()
        .find(|e| e["option"] == "gbr-storm-shadow")
        .unwrap();
    assert_eq!(storm["quantity"], 40.0);
    assert_eq!(best(&storm["total"]), 40.0 * 958_500.0);
    // Without the UK the response costs less, and the UK pays nothing.
    let without = cost_of(&[
        "respond",
        "--contingency",
        "offensive-zaporizhzhia",
        "--without",
        "GBR",
        "--json",
    ]);
    assert!(best(&without["total"]) < best(&c["total"]));
    assert!(
        !without["by_nation"].to_string().contains("GBR"),
        "{without}"
    );
    // The table says it too.
    let out = guarantor(
        &["respond", "--contingency", "offensive-zaporizhzhia"],
        tmp.path(),
    );
    assert!(text(&out.stdout).contains("What the response costs beyond the plan"));
}

#[test]
fn plan_costs_the_force_and_says_who_pays() {
    let tmp = tempfile::tempdir().unwrap();
    let cost_of = |args: &[&str]| {
        let out = guarantor(args, tmp.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        json(&out)["cost"].clone()
    };
    let c = cost_of(&["plan", "--json"]);
    let best = |v: &serde_json::Value| v["best"].as_f64().unwrap();
    let total = best(&c["total"]);
    assert!(c["total"]["low"].as_f64().unwrap() <= total);
    assert!(total <= c["total"]["high"].as_f64().unwrap());
    // Financing creates and loses nothing: the nations' net burdens add up to the total (each rounded).
    let nations = c["nations"].as_array().unwrap();
    let nets: f64 = nations.iter().map(|n| best(&n["net"])).sum();
    assert!(
        (nets - total).abs() <= nations.len() as f64,
        "{nets} vs {total}"
    );
    let categories: f64 = c["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| best(&x["amount"]))
        .sum();
    assert!((categories - total).abs() <= 10.0);
    for n in nations {
        let months: f64 = n["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["net"].as_f64().unwrap())
            .sum();
        assert!((months - best(&n["net"])).abs() <= 30.0, "{n}");
    }
    // Without the US backstop no US enabler costs anything; with it the US pays for its own.
    assert!(!nations.iter().any(|n| n["nation"] == "USA"));
    let with_us = cost_of(&["plan", "--json", "--world", "us_backstop=true"]);
    let usa = with_us["nations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["nation"] == "USA")
        .expect("the US pays for its enablers");
    assert!(best(&usa["own"]) >= 24.0 * 46e6, "{usa}");

    let out = guarantor(&["plan"], tmp.path());
    let stdout = text(&out.stdout);
    for part in [
        "Cost (incremental, USD at 2025 prices",
        "net burden",
        "fair share",
    ] {
        assert!(stdout.contains(part), "{part}");
    }
}

#[test]
fn layouts_are_listed_and_a_layout_file_reads_an_export_no_shipped_layout_knows() {
    let tmp = tempfile::tempdir().unwrap();
    let out = guarantor(&["monitor", "layouts", "--json"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let names: Vec<String> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "csv",
            "jsonl",
            "geojson",
            "ucdp",
            "ucdp-articles",
            "acled",
            "cir",
            "bellingcat"
        ]
    );
    // A shipped layout's file, to start one's own from.
    let out = guarantor(&["monitor", "layouts", "cir"], tmp.path());
    assert!(text(&out.stdout).contains("[layout]\nname = \"cir\""));
    // A sensor feed in a layout of its own, checked first with a dry run (nothing stored), then stored.
    std::fs::write(
        tmp.path().join("sensor.toml"),
        "[layout]\nname = \"acoustic\"\nformat = \"csv\"\nsource = \"sensor-net\"\nsource_kind = \"sensor\"\n\
         [id]\nfield = \"event\"\n[time]\nfield = \"utc\"\nprecision_hours = 0.1\n\
         [place]\nlat = \"y\"\nlon = \"x\"\nprecision_km = { field = \"err_m\", default = 2 }\n\
         [kind]\ndefault = \"artillery\"\n[[kind.rule]]\nfield = \"class\"\ntable = { \"UAV\" = \"drone\" }\n\
         [count]\nfield = \"shots\"\ndefault = 1\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("feed.csv"),
        "event\tutc\ty\tx\terr_m\tclass\tshots\n\
         e1\t2026-12-05T06:10:00Z\t47.65\t36.26\t0.3\tMLRS\t12\n\
         e2\t2026-12-05T06:20:00Z\t47.66\t36.27\t\tUAV\t\n",
    )
    .unwrap();
    let dry = guarantor(
        &[
            "monitor",
            "ingest",
            "--layout",
            "sensor.toml",
            "--dry-run",
            "feed.csv",
            "--json",
        ],
        tmp.path(),
    );
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    let f = &json(&dry)["files"][0];
    assert_eq!(
        (
            f["layout"].as_str(),
            f["stored"].as_bool(),
            f["read"].as_u64(),
            f["new"].as_u64()
        ),
        (Some("acoustic"), Some(false), Some(2), Some(0))
    );
    assert_eq!(f["delimiter"], "tab");
    assert!(!tmp.path().join("guarantor-monitor.sqlite").exists());
    let out = guarantor(
        &[
            "monitor",
            "ingest",
            "--layout",
            "sensor.toml",
            "feed.csv",
            "--json",
        ],
        tmp.path(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json(&out)["files"][0]["new"], 2);
    let conn = rusqlite::Connection::open(tmp.path().join("guarantor-monitor.sqlite")).unwrap();
    let kinds: Vec<(String, String, f64, i64)> = conn
        .prepare("SELECT id, kind, place_precision_km, count FROM report ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        [
            ("e1".to_owned(), "artillery".to_owned(), 0.3, 12),
            ("e2".to_owned(), "drone".to_owned(), 2.0, 1)
        ]
    );
    // A broken layout: the scenario files' diagnostics, exit 2, nothing read.
    std::fs::write(
        tmp.path().join("broken.toml"),
        "[layout]\nname = \"b\"\nformat = \"xls\"\nsource = \"s\"\nsource_kind = \"sensor\"\n[id]\nfield = \"event\"\n",
    )
    .unwrap();
    let out = guarantor(
        &["monitor", "ingest", "--layout", "broken.toml", "feed.csv"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("broken.toml:3:"), "{err}");
    assert!(err.contains("`xls` is not a known format"), "{err}");
    assert!(err.contains("missing section `[time]`"), "{err}");
}

#[test]
fn courses_of_action_are_compared_and_each_has_its_own_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let dir_s = dir.to_str().unwrap();
    assert!(guarantor(&["init", dir_s], tmp.path()).status.success());
    // Keep the two small courses (the whole comparison of the default is in BENCHMARKS.md).
    let courses = std::fs::read_to_string(dir.join("courses.toml")).unwrap();
    let kept: Vec<&str> = courses
        .split("[[course]]")
        .filter(|c| {
            !c.contains("id = \"")
                || c.contains("id = \"training-demining\"")
                || c.contains("id = \"line-monitoring\"")
        })
        .collect();
    // Today second for the monitoring course: its option of today needs `--world today` to be planned.
    let kept = kept.join("[[course]]").replace(
        r#"worlds = ["today", "un_mandate=true"]"#,
        r#"worlds = ["un_mandate=true", "today"]"#,
    );
    assert!(kept.contains(r#"worlds = ["un_mandate=true", "today"]"#));
    std::fs::write(dir.join("courses.toml"), kept).unwrap();

    let out = guarantor(&["compare", dir_s, "-q", "--out", "cmp"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    for f in ["compare.html", "compare.svg", "compare.png", "compare.xlsx"] {
        assert!(tmp.path().join("cmp").join(f).is_file(), "{f}");
    }
    let page = std::fs::read_to_string(tmp.path().join("cmp/compare.html")).unwrap();
    assert!(
        page.contains("courses of action")
            && page.contains("guarantor plan --course line-monitoring"),
        "the briefing names the options and how to see each plan"
    );
    let shown = text(&out.stdout);
    assert!(
        shown.contains("training-demining")
            && shown.contains("line-monitoring")
            && shown.contains("guarantor plan --course line-monitoring --world today"),
        "{shown}"
    );
    let compared = json(&guarantor(&["compare", dir_s, "-q", "--json"], tmp.path()));
    let options = compared["options"].as_array().unwrap();
    assert_eq!(options.len(), 3);
    // The comparison's figures are those of the plan its command prints.
    for o in options {
        let command = o["plan_command"].as_str().unwrap();
        let mut words = command.split_whitespace();
        assert_eq!(words.next(), Some("guarantor"));
        let mut args: Vec<&str> = words.collect();
        args.extend([dir_s, "-q", "--json"]);
        let plan = json(&guarantor(&args, tmp.path()));
        let totals = &plan["sourcing"]["totals"];
        assert_eq!(o["filled_troops"], totals["filled_troops"]);
        assert_eq!(
            o["essential_filled_troops"],
            totals["essential_filled_troops"]
        );
        assert_eq!(o["committed_troops"], plan["rotation"]["steady_committed"]);
        assert_eq!(o["ioc_day"], plan["movement"]["ioc_day"]);
        assert_eq!(o["world"], plan["world"]);
    }

    let bad = guarantor(&["plan", dir_s, "--course", "deterence"], tmp.path());
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(
        text(&bad.stderr).contains("no course of action `deterence`; its courses are"),
        "{}",
        text(&bad.stderr)
    );

    // A broken courses.toml is reported like every other file: file, line, field.
    std::fs::write(
        dir.join("courses.toml"),
        "[[course]]\nid = \"x\"\nname = \"X\"\nmission = \"peace\"\ncoalition = \"named\"\nnations = [\"ZZZ\"]\nrequirements = \"courses/none.toml\"\nsource = \"illustrative\"\n",
    )
    .unwrap();
    let check = text(&guarantor(&["check", dir_s], tmp.path()).stderr);
    assert!(
        check.contains("courses.toml:4:11")
            && check.contains("`peace` is not a known mission")
            && check.contains("ZZZ")
            && check.contains("courses/none.toml"),
        "{check}"
    );
}

#[test]
fn the_smallest_core_names_its_nations_and_what_others_add() {
    let tmp = tempfile::tempdir().unwrap();
    let core = json(&guarantor(
        &[
            "core",
            "--json",
            "--share",
            "0.9",
            "--world",
            "us_backstop=true,un_mandate=true,mutual_defence_pact=true,deu_bundestag_mandate=true,nld_parliament_approved=true,pol_ground_troops=true",
        ],
        tmp.path(),
    ));
    let nations = core["nations"].as_array().unwrap();
    assert!((5..=8).contains(&nations.len()), "{core}");
    assert!(core["essential_filled_troops"].as_u64() >= core["target_troops"].as_u64());
    assert!(!core["additions"].as_array().unwrap().is_empty());
    let bad = guarantor(&["core", "--share", "1.5"], tmp.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("expected a share between 0 and 1"));
}
