//! Briefings: a plan (or a what-if) turned into the files a staff hands out — a self-contained HTML page, each
//! picture as SVG and PNG, and the tables as XLSX and CSV. The pictures are drawn by the rendering engine; this
//! module decides what goes in them.

use std::collections::BTreeMap;

use guarantor_core::{CapabilityId, Scenario, SiteId};
use guarantor_render::briefing::{Block, Briefing, Section};
use guarantor_render::chart::{self, Against, Frame, Marker, Series, Stack};
use guarantor_render::table::{Cell, Table};
use guarantor_render::{Laydown, Overlay};

use crate::Progress;
use crate::sourcing::{PlanReport, SourcingDto, WhatIfReport};

/// A file of a briefing: its name in the output folder and its bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputFile {
    /// File name, e.g. `map.svg`.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Why a briefing could not be made (its pictures or workbook failed to encode: a bug, not bad input).
#[derive(Debug, thiserror::Error)]
pub enum BriefingError {
    /// A picture could not be rasterised.
    #[error(transparent)]
    Raster(#[from] guarantor_render::raster::RasterError),
    /// The workbook could not be written.
    #[error(transparent)]
    Xlsx(#[from] guarantor_render::table::XlsxError),
}

/// Pictures are rasterised at twice their size, for slides.
const PNG_SCALE: f32 = 2.0;

/// A picture of a briefing: its file stem, its SVG and its caption.
type Picture = (&'static str, String, String);

/// The picture with this stem (its SVG and caption), or an empty one.
fn picture(pictures: &[(&str, String, String)], stem: &str) -> (String, String, String) {
    pictures
        .iter()
        .find(|p| p.0 == stem)
        .map(|p| (p.0.to_owned(), p.1.clone(), p.2.clone()))
        .unwrap_or_default()
}

/// Column headings.
fn header(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// A briefing's files: the page, each picture as SVG and PNG, the tables as a workbook, and one table as CSV.
/// A briefing of one page and its workbook, `stem.html` and `stem.xlsx`, dated the terms' effective day.
fn package_parts(
    stem: &str,
    (briefing, pictures, tables): Parts,
    scenario: &Scenario,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    package(
        (&format!("{stem}.html"), &briefing),
        &pictures,
        (&format!("{stem}.xlsx"), &tables),
        None,
        scenario.terms.effective,
        progress,
    )
}

fn package(
    (page_name, page): (&str, &Briefing),
    pictures: &[(&str, String, String)],
    (book_name, tables): (&str, &[Table]),
    csv: Option<(&str, &Table)>,
    created: jiff::civil::Date,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    let file = |name: String, bytes: Vec<u8>| OutputFile { name, bytes };
    let mut files = vec![file(
        page_name.to_owned(),
        guarantor_render::briefing::html(page).into_bytes(),
    )];
    progress.begin("rasterising pictures", pictures.len() as u64);
    for (i, (stem, svg, _)) in pictures.iter().enumerate() {
        files.push(file(format!("{stem}.svg"), svg.clone().into_bytes()));
        files.push(file(
            format!("{stem}.png"),
            guarantor_render::raster::png(svg, PNG_SCALE)?,
        ));
        progress.advance_to(i as u64 + 1);
    }
    progress.end();
    let created = (
        u16::try_from(created.year()).unwrap_or(2000),
        created.month().unsigned_abs(),
        created.day().unsigned_abs(),
    );
    files.push(file(
        book_name.to_owned(),
        guarantor_render::table::xlsx(tables, created)?,
    ));
    if let Some((name, table)) = csv {
        files.push(file(
            name.to_owned(),
            guarantor_render::table::csv(table).into_bytes(),
        ));
    }
    Ok(files)
}

/// The plan's map overlay: the force at its sites, and the routes that ran full.
pub fn plan_overlay(scenario: &Scenario, report: &PlanReport) -> Overlay {
    let mut laydown: BTreeMap<(String, String), Laydown> = BTreeMap::new();
    for line in &report.sourcing.lines {
        for a in &line.assignments {
            let (Ok(site), Ok(capability)) =
                (SiteId::new(&line.site), CapabilityId::new(&line.capability))
            else {
                continue;
            };
            let entry = laydown
                .entry((line.site.clone(), line.capability.clone()))
                .or_insert_with(|| Laydown {
                    site,
                    capability,
                    units: 0,
                    nations: Vec::new(),
                });
            entry.units += a.units;
            if !entry.nations.contains(&a.nation) {
                entry.nations.push(a.nation.clone());
            }
        }
    }
    Overlay {
        title: format!("{}: force laydown", scenario.name),
        subtitle: format!(
            "{} of {} troops sourced · {}",
            chart::thousands(report.sourcing.totals.filled_troops),
            chart::thousands(report.sourcing.totals.required_troops),
            facts_that_hold(&report.world)
        ),
        laydown: laydown.into_values().collect(),
        busy_links: report
            .movement
            .bottlenecks
            .iter()
            .filter(|b| b.kind == "link")
            .map(|b| b.id.clone())
            .collect(),
        incidents: Vec::new(),
        network: true,
    }
}

/// `fact=true,other=false,…` as the facts that hold: `facts that hold: fact` (or `no fact holds`).
fn facts_that_hold(world: &str) -> String {
    let holding: Vec<&str> = world
        .split(',')
        .filter_map(|kv| kv.strip_suffix("=true"))
        .collect();
    if holding.is_empty() {
        "no political fact holds".to_owned()
    } else {
        format!("facts that hold: {}", holding.join(", "))
    }
}

/// The pictures of a plan, by file stem: the map and the charts.
pub fn plan_pictures(
    scenario: &Scenario,
    report: &PlanReport,
) -> Vec<(&'static str, String, String)> {
    let mut pictures = vec![
        map_picture(scenario, report),
        closure_picture(&report.movement),
        rotation_picture(&report.rotation),
    ];
    pictures.extend(fill_pictures(scenario, report));
    pictures.push(nations_picture(report));
    if let Some(c) = &report.cost {
        pictures.extend(cost_pictures(c));
    }
    if let Some(picture) = responses_picture(&report.responses) {
        pictures.push(picture);
    }
    pictures
}

/// The plan's map: the force at its sites, and the routes that ran full.
fn map_picture(scenario: &Scenario, report: &PlanReport) -> Picture {
    (
        "map",
        guarantor_render::map(scenario, &plan_overlay(scenario, report), 1200.0),
        "The force at its sites (APP-6 style frames: sign inside, echelon above, nations below), the line of \
         contact and occupied area, buffer zones, protected sites and the routes in theatre."
            .to_owned(),
    )
}

/// Closure: troops in place by day, with the IOC and FOC thresholds.
fn closure_picture(m: &crate::movement::MovementDto) -> Picture {
    let mut points: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    points.extend(
        m.closure_curve
            .iter()
            .map(|p| (f64::from(p.day), p.troops as f64)),
    );
    let mut days = Vec::new();
    if let Some(d) = m.ioc_day {
        days.push(Marker {
            value: f64::from(d),
            label: format!("IOC day {d}"),
        });
    }
    if let Some(d) = m.foc_day {
        days.push(Marker {
            value: f64::from(d),
            label: format!("FOC day {d}"),
        });
    }
    (
        "closure",
        chart::lines(
            &Frame::new("Closure: troops in place by day", "day", "troops"),
            &[Series {
                name: "troops closed".into(),
                points,
                steps: true,
            }],
            f64::from(m.horizon_days),
            &[
                Marker {
                    value: m.ioc_troops as f64,
                    label: format!("IOC {}", chart::thousands(m.ioc_troops)),
                },
                Marker {
                    value: m.foc_troops as f64,
                    label: format!("FOC {}", chart::thousands(m.foc_troops)),
                },
            ],
            &days,
        ),
        format!(
            "{} of the {} troops sourced close within {} days. IOC: {}. FOC: {}.",
            chart::thousands(m.closed_troops),
            chart::thousands(m.sourced_troops),
            m.horizon_days,
            m.ioc_day.map_or_else(
                || format!(
                    "not reached ({})",
                    m.ioc_not_reached.unwrap_or("-").replace('_', " ")
                ),
                |d| format!("day {d}")
            ),
            m.foc_day.map_or_else(
                || format!(
                    "not reached ({})",
                    m.foc_not_reached.unwrap_or("-").replace('_', " ")
                ),
                |d| format!("day {d}")
            ),
        ),
    )
}

/// Rotation: deployed, preparing and recovering by month.
fn rotation_picture(r: &crate::rotation::RotationDto) -> Picture {
    let months: Vec<String> = r.months.iter().map(|x| format!("M{}", x.month)).collect();
    let stack = |name: &str, f: fn(&crate::rotation::MonthDto) -> u64| Stack {
        name: name.to_owned(),
        values: r.months.iter().map(|x| f(x) as f64).collect(),
        colour: None,
    };
    (
        "rotation",
        chart::stacked_bars(
            &Frame::new(
                "Rotation: the force committed, by month",
                "month of the mission",
                "troops",
            ),
            &months,
            &[
                stack("deployed", |x| x.deployed),
                stack("preparing", |x| x.preparing),
                stack("recovering", |x| x.recovering),
            ],
        ),
        format!(
            "{} deployed at the steady state tie up {} (x{:.2}: deployed, preparing and recovering; the month's total \
             swings around it as sets of units rotate together, {} at the peak) on a {} cycle of {}-month tours; each \
             unit from the month it arrives.",
            chart::thousands(r.steady_deployed),
            chart::thousands(r.steady_committed),
            r.committed_per_deployed,
            chart::thousands(r.peak_committed),
            r.cycle,
            r.tour_months
        ),
    )
}

/// Fill by capability and by domain: troops sourced against those required.
fn fill_pictures(scenario: &Scenario, report: &PlanReport) -> [Picture; 2] {
    let mut by_capability: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut by_domain: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for line in &report.sourcing.lines {
        let cap = CapabilityId::new(&line.capability)
            .ok()
            .and_then(|c| scenario.capability(&c));
        let name = cap.map_or(line.capability.clone(), |c| c.name.clone());
        let e = by_capability.entry(name).or_default();
        e.0 += line.filled_troops as f64;
        e.1 += line.required_troops as f64;
        let domain = cap
            .and_then(|c| c.domains.iter().next())
            .map_or("land", |d| d.as_str())
            .to_owned();
        let e = by_domain.entry(domain).or_default();
        e.0 += line.filled_troops as f64;
        e.1 += line.required_troops as f64;
    }
    let against = |m: BTreeMap<String, (f64, f64)>| -> Vec<Against> {
        m.into_iter()
            .map(|(label, (value, target))| Against {
                label,
                value,
                target,
            })
            .collect()
    };
    [
        (
            "fill-capability",
            chart::bars_against(
                &Frame::new("Fill by capability", "troops", ""),
                &against(by_capability),
                "sourced",
                "required",
            ),
            "Troops sourced for each capability against the requirement's.".to_owned(),
        ),
        (
            "fill-domain",
            chart::bars_against(
                &Frame::new("Fill by domain", "troops", ""),
                &against(by_domain),
                "sourced",
                "required",
            ),
            "Troops sourced for each domain against the requirement's (a capability of several domains counts under \
             the first of land, air, sea, border)."
                .to_owned(),
        ),
    ]
}

/// Each nation's troops against its fair share.
fn nations_picture(report: &PlanReport) -> Picture {
    let nations: Vec<Against> = report
        .sourcing
        .nations
        .iter()
        .filter(|n| n.troops > 0 || n.fair_share_troops > 0)
        .map(|n| Against {
            label: format!("{} {}", n.nation, n.name),
            value: n.troops as f64,
            target: n.fair_share_troops as f64,
        })
        .collect();
    (
        "nations",
        chart::bars_against(
            &Frame::new("Each nation's troops against its fair share", "troops", ""),
            &nations,
            "troops",
            "fair share",
        ),
        "Troops each nation sends in this plan, and its fair share of the requirement by the scenario's key.".to_owned(),
    )
}

/// The plan's cost charts: each month's net burden stacked by nation, and each nation's net burden against its
/// fair share (best estimates, in millions; the ranges are in the tables).
fn cost_pictures(c: &crate::CostDto) -> Vec<Picture> {
    let mut by_net: Vec<&crate::NationCostDto> = c.nations.iter().collect();
    by_net.sort_by(|a, b| b.net.best.total_cmp(&a.net.best));
    let top: Vec<&crate::NationCostDto> = by_net.iter().take(7).copied().collect();
    let months: Vec<String> = (0..c.horizon_months).map(|m| m.to_string()).collect();
    let m = |x: f64| x / 1e6;
    let mut stacks: Vec<Stack> = top
        .iter()
        .map(|n| Stack {
            name: n.nation.clone(),
            values: n.months.iter().map(|x| m(x.net)).collect(),
            colour: None,
        })
        .collect();
    if by_net.len() > top.len() {
        let mut others = vec![0.0; months.len()];
        for n in &by_net[top.len()..] {
            for (i, x) in n.months.iter().enumerate() {
                others[i] += m(x.net);
            }
        }
        stacks.push(Stack {
            name: format!("{} others", by_net.len() - top.len()),
            values: others,
            colour: Some("#cccccc".to_owned()),
        });
    }
    let burden: Vec<Against> = by_net
        .iter()
        .map(|n| Against {
            label: n.nation.clone(),
            value: m(n.net.best),
            target: m(n.fair_share),
        })
        .collect();
    vec![
        (
            "cost-months",
            chart::stacked_bars(
                &Frame::new(
                    "What each nation bears, month by month",
                    "month of the mission",
                    "US$ million (best estimate)",
                ),
                &months,
                &stacks,
            ),
            format!(
                "Net burden by month (its own forces and items, what it pays into the common fund, less what the \
                 fund pays back), best estimate; over the horizon {} m, low {} m, high {} m ({} at {} prices).",
                chart::thousands(c.total.best as u64 / 1_000_000),
                chart::thousands(c.total.low as u64 / 1_000_000),
                chart::thousands(c.total.high as u64 / 1_000_000),
                c.currency,
                c.price_year
            ),
        ),
        (
            "cost-burden",
            chart::bars_against(
                &Frame::new("Each nation's net burden against its fair share", "US$ million", ""),
                &burden,
                "net burden",
                "fair share",
            ),
            "Net burden over the horizon (best) against the nation's fair share of the total by the scenario's key; \
             the low-high range of each is in the cost table."
                .to_owned(),
        ),
    ]
}

/// The plan's cost tables: by category, and each nation's burden with its range.
fn cost_tables(c: &crate::CostDto) -> Vec<Table> {
    let categories = Table {
        name: format!(
            "Cost by category ({} at {} prices, {} months; incremental)",
            c.currency, c.price_year, c.horizon_months
        ),
        header: header(&["category", "low", "best", "high"]),
        rows: c
            .categories
            .iter()
            .map(|x| {
                vec![
                    x.category.replace('_', " ").into(),
                    x.amount.low.into(),
                    x.amount.best.into(),
                    x.amount.high.into(),
                ]
            })
            .chain([vec![
                "total".into(),
                c.total.low.into(),
                c.total.best.into(),
                c.total.high.into(),
            ]])
            .collect(),
    };
    let nations = Table {
        name: format!(
            "Cost: who pays ({}; common fund by {})",
            c.rule.replace('_', " "),
            c.key
        ),
        header: header(&[
            "nation",
            "own forces",
            "paid in",
            "reimbursed",
            "net (low)",
            "net (best)",
            "net (high)",
            "fair share",
            "net / fair share",
            "% of defence a year",
            "% of GDP a year",
            "full cost beside",
        ]),
        rows: c
            .nations
            .iter()
            .map(|n| {
                let pct = |x: Option<f64>| {
                    x.map_or(Cell::from("-"), |x| Cell::from((x * 1e5).round() / 1e3))
                };
                vec![
                    n.nation.clone().into(),
                    n.own.best.into(),
                    n.paid_in.best.into(),
                    n.reimbursed.best.into(),
                    n.net.low.into(),
                    n.net.best.into(),
                    n.net.high.into(),
                    n.fair_share.into(),
                    n.net_over_fair_share.map_or(Cell::from("-"), Cell::from),
                    pct(n.share_of_defence),
                    pct(n.share_of_gdp),
                    n.full_cost.into(),
                ]
            })
            .collect(),
    };
    vec![categories, nations]
}

/// The plan's response chart: ground troops at each planned contingency's threatened site, hour by hour for a
/// week, the tiers' target hours marked (`None` without contingencies).
fn responses_picture(responses: &[crate::ResponseReport]) -> Option<Picture> {
    let first = responses.first()?;
    let week = 168.min(first.horizon_hours.saturating_sub(1));
    // Contingencies at one site often bring the same troops: one line for them, named by all.
    let mut series: Vec<Series> = Vec::new();
    for r in responses {
        let name = r
            .contingency
            .id
            .clone()
            .unwrap_or_else(|| r.contingency.name.clone());
        let points: Vec<(f64, f64)> = r
            .timeline
            .iter()
            .filter(|t| t.hour <= week)
            .map(|t| (f64::from(t.hour), t.have.troops as f64))
            .collect();
        match series.iter_mut().find(|s| s.points == points) {
            Some(same) => same.name = format!("{}, {name}", same.name),
            None => series.push(Series {
                name,
                points,
                steps: true,
            }),
        }
    }
    let tiers = tier_markers(&first.tiers);
    Some((
        "responses",
        chart::lines(
            &Frame::new(
                "If the ceasefire breaks: ground troops at each threatened site",
                "hours from the violation",
                "troops",
            ),
            &series,
            f64::from(week),
            &[],
            &tiers,
        ),
        "For each planned contingency, the force already at the threatened site and every ground unit that may          reinforce it moving together over the network, hour by hour for a week; the dashed verticals are the          tiers' target hours. Each contingency in full: guarantor respond --contingency ID."
            .to_owned(),
    ))
}

/// A dashed vertical at each tier's target hour.
fn tier_markers(tiers: &[crate::TierDto]) -> Vec<Marker> {
    tiers
        .iter()
        .map(|t| Marker {
            value: f64::from(t.target_hours),
            label: format!("{} h", t.target_hours),
        })
        .collect()
}

/// How far along an element is: deciding, on notice, moving, arriving, acting (for the most advanced of an
/// option's elements).
fn phase_rank(p: &str) -> u8 {
    match p {
        "ACTS" => 4,
        "arriving" => 3,
        "moving" => 2,
        "notice" => 1,
        _ => 0,
    }
}

/// The plan's response tables: what is at each threatened site by each tier's target hour against the need,
/// and the synchronisation of each option (the most advanced of its elements) with who decides.
fn responses_tables(responses: &[crate::ResponseReport]) -> Vec<Table> {
    let mut by_tier = Table {
        name: "Responses: at the threatened site by each tier's hour, against the need".into(),
        header: header(&[
            "contingency",
            "site",
            "tier",
            "by (hours)",
            "troops",
            "short",
            "tonnes",
            "short",
            "sorties a day",
            "short",
            "missiles",
            "ships",
        ]),
        rows: Vec::new(),
    };
    let mut sync_header = vec![
        "contingency",
        "option",
        "tier",
        "decided by",
        "first acts (h)",
    ];
    sync_header.extend(SPANS.iter().map(|(_, _, name)| *name));
    let mut sync = Table {
        name: "Responses: synchronisation by option (the most advanced of its elements by the end of each span;                decision, notice, moving, arriving, ACTS at the place)"
            .into(),
        header: header(&sync_header),
        rows: Vec::new(),
    };
    for r in responses {
        let last = r.horizon_hours.saturating_sub(1);
        for t in &r.tiers {
            let hour = t.target_hours.min(last);
            let Some(p) = r.timeline.iter().rev().find(|p| p.hour <= hour) else {
                continue;
            };
            let (have, need) = (&p.have, &r.needs);
            by_tier.rows.push(vec![
                r.contingency.name.clone().into(),
                r.contingency.site_name.clone().into(),
                t.name.clone().into(),
                hour.into(),
                have.troops.into(),
                need.troops.saturating_sub(have.troops).into(),
                have.tonnes.into(),
                need.tonnes.saturating_sub(have.tonnes).into(),
                have.sorties_per_day.into(),
                (need.sorties_per_day - have.sorties_per_day)
                    .max(0.0)
                    .into(),
                have.missiles.into(),
                have.ships.into(),
            ]);
        }
        let mut options: Vec<&str> = Vec::new();
        for e in &r.elements {
            if !options.contains(&e.option.as_str()) {
                options.push(&e.option);
            }
        }
        for option in options {
            let elements: Vec<&crate::ElementDto> =
                r.elements.iter().filter(|e| e.option == option).collect();
            let mut deciders: Vec<String> = Vec::new();
            for d in elements.iter().flat_map(|e| &e.decisions) {
                let text = format!("{} ({} h)", d.name, d.hours);
                if !deciders.contains(&text) {
                    deciders.push(text);
                }
            }
            let first = elements.iter().filter_map(|e| e.first_hour).min();
            let mut row: Vec<Cell> = vec![
                r.contingency.name.clone().into(),
                option.to_owned().into(),
                elements[0].tier.clone().into(),
                deciders.join(", ").into(),
                first.map_or(Cell::from("-"), Cell::from),
            ];
            row.extend(SPANS.iter().map(|(_, end, _)| {
                let hour = (*end).min(last);
                Cell::from(
                    elements
                        .iter()
                        .map(|e| phase(e, hour))
                        .max_by_key(|p| phase_rank(p))
                        .unwrap_or("-"),
                )
            }));
            sync.rows.push(row);
        }
    }
    let mut out = vec![by_tier, sync];
    out.extend(response_cost_table(responses));
    out
}

/// What each response costs beyond the plan, element by element (`None` when no response has a cost).
fn response_cost_table(responses: &[crate::ResponseReport]) -> Option<Table> {
    let mut t = Table {
        name: "Responses: what each costs beyond the plan (over the response's horizon; costs lie where they fall)"
            .into(),
        header: header(&[
            "contingency",
            "element",
            "nation",
            "uses",
            "unit",
            "in the plan's cost already",
            "priced",
            "troops",
            "move",
            "sorties, missiles, ships",
            "low",
            "best",
            "high",
        ]),
        rows: Vec::new(),
    };
    for r in responses {
        let Some(c) = &r.cost else { continue };
        for e in &c.elements {
            t.rows.push(vec![
                r.contingency.name.clone().into(),
                e.label.clone().into(),
                e.nation.clone().into(),
                e.quantity.into(),
                e.unit.into(),
                if e.in_plan { "yes" } else { "" }.into(),
                if e.unpriced { "no price" } else { "" }.into(),
                e.troops.best.into(),
                e.transport.best.into(),
                e.uses.best.into(),
                e.total.low.into(),
                e.total.best.into(),
                e.total.high.into(),
            ]);
        }
        t.rows.push(vec![
            r.contingency.name.clone().into(),
            "in all".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            c.total.low.into(),
            c.total.best.into(),
            c.total.high.into(),
        ]);
    }
    (!t.rows.is_empty()).then_some(t)
}

/// The plan's tables: lines, assignments, nations, sites, moves.
pub fn plan_tables(report: &PlanReport) -> Vec<Table> {
    let s = &report.sourcing;
    let mut tables = vec![
        lines_table(s),
        sourcing_table(s),
        nations_table(s),
        sites_table(s),
        movement_table(&report.movement),
    ];
    if let Some(c) = &report.cost {
        tables.extend(cost_tables(c));
    }
    if !report.responses.is_empty() {
        tables.extend(responses_tables(&report.responses));
    }
    tables
}

/// The lines of the requirement: what each asks for, what it got, from whom, and why it falls short.
fn lines_table(s: &SourcingDto) -> Table {
    Table {
        name: "Lines".into(),
        header: [
            "requirement",
            "capability",
            "site",
            "priority",
            "units required",
            "units filled",
            "troops required",
            "troops filled",
            "nations",
            "why short",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .lines
            .iter()
            .map(|l| {
                let mut nations: Vec<&str> =
                    l.assignments.iter().map(|a| a.nation.as_str()).collect();
                // Each nation once, in the order of the assignments.
                let mut seen = std::collections::BTreeSet::new();
                nations.retain(|n| seen.insert(*n));
                vec![
                    l.requirement.clone().into(),
                    l.capability.clone().into(),
                    l.site.clone().into(),
                    l.priority.into(),
                    l.required_units.into(),
                    l.filled_units.into(),
                    l.required_troops.into(),
                    l.filled_troops.into(),
                    nations.join(" ").into(),
                    l.shortfall_reasons
                        .iter()
                        .map(|r| r.message.clone())
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                ]
            })
            .collect(),
    }
}

/// Who sends what where: each assignment of a pledge to a line.
fn sourcing_table(s: &SourcingDto) -> Table {
    Table {
        name: "Sourcing".into(),
        header: [
            "requirement",
            "capability",
            "site",
            "nation",
            "pledge",
            "units",
            "troops",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .lines
            .iter()
            .flat_map(|l| {
                l.assignments.iter().map(move |a| {
                    vec![
                        l.requirement.clone().into(),
                        l.capability.clone().into(),
                        l.site.clone().into(),
                        a.nation.clone().into(),
                        a.pledge.clone().into(),
                        a.units.into(),
                        a.troops.into(),
                    ]
                })
            })
            .collect(),
    }
}

/// Each nation's troops against its fair share and its cap.
fn nations_table(s: &SourcingDto) -> Table {
    Table {
        name: "Nations".into(),
        header: header(&["nation", "name", "troops", "fair share", "cap"]),
        rows: s
            .nations
            .iter()
            .map(|n| {
                vec![
                    n.nation.clone().into(),
                    n.name.clone().into(),
                    n.troops.into(),
                    n.fair_share_troops.into(),
                    n.cap.map_or(Cell::Text(String::new()), Cell::from),
                ]
            })
            .collect(),
    }
}

/// Each site's troops against its requirement, with its framework nation.
fn sites_table(s: &SourcingDto) -> Table {
    Table {
        name: "Sites".into(),
        header: [
            "site",
            "name",
            "troops required",
            "troops",
            "framework nation",
            "nations",
        ]
        .map(String::from)
        .to_vec(),
        rows: s
            .sites
            .iter()
            .map(|x| {
                vec![
                    x.site.clone().into(),
                    x.name.clone().into(),
                    x.required_troops.into(),
                    x.troops.into(),
                    x.framework_nation.clone().unwrap_or_default().into(),
                    x.nations
                        .iter()
                        .map(|(n, t)| format!("{n} {t}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                ]
            })
            .collect(),
    }
}

/// Each unit's move: its route, the day it is ready and the day it closes.
fn movement_table(m: &crate::movement::MovementDto) -> Table {
    Table {
        name: "Movement".into(),
        header: [
            "pledge",
            "nation",
            "capability",
            "site",
            "troops",
            "route",
            "ready day",
            "closes on day",
        ]
        .map(String::from)
        .to_vec(),
        rows: m
            .units
            .iter()
            .map(|u| {
                vec![
                    u.pledge.clone().into(),
                    u.nation.clone().into(),
                    u.capability.clone().into(),
                    u.site.clone().into(),
                    u.troops.into(),
                    u.route.into(),
                    u.ready_day
                        .map_or(Cell::Text("withheld".into()), Cell::from),
                    u.arrival_day.map_or(
                        Cell::Text(u.not_closed.unwrap_or("").replace('_', " ")),
                        Cell::from,
                    ),
                ]
            })
            .collect(),
    }
}

/// Every file of a plan's briefing: `briefing.html`, each picture as `.svg` and `.png`, `sourcing.xlsx` (all
/// the tables) and `sourcing.csv` (who sends what where).
pub fn plan_briefing(
    scenario: &Scenario,
    report: &PlanReport,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    let (briefing, pictures, tables) = plan_parts(scenario, report);
    package(
        ("briefing.html", &briefing),
        &pictures,
        ("sourcing.xlsx", &tables),
        Some(("sourcing.csv", &tables[1])),
        scenario.terms.effective,
        progress,
    )
}

/// The plan's tables as the briefing writes them: the workbook (`sourcing.xlsx`) and who sends what where
/// (`sourcing.csv`), for the dashboard's downloads.
pub fn plan_exports(
    scenario: &Scenario,
    report: &PlanReport,
) -> Result<(Vec<u8>, String), BriefingError> {
    let tables = plan_tables(report);
    let d = scenario.terms.effective;
    let created = (
        u16::try_from(d.year()).unwrap_or(2000),
        d.month().unsigned_abs(),
        d.day().unsigned_abs(),
    );
    Ok((
        guarantor_render::table::xlsx(&tables, created)?,
        guarantor_render::table::csv(&tables[1]),
    ))
}

/// The plan's briefing page (for the dashboard, which shows it in its own frame).
pub fn plan_page(scenario: &Scenario, report: &PlanReport) -> Briefing {
    plan_parts(scenario, report).0
}

/// A briefing page's parts: the page, its pictures by stem, its tables.
type Parts = (Briefing, Vec<Picture>, Vec<Table>);

fn plan_parts(scenario: &Scenario, report: &PlanReport) -> Parts {
    let pictures = plan_pictures(scenario, report);
    let tables = plan_tables(report);
    let t = &report.sourcing.totals;
    let m = &report.movement;
    let day = |d: Option<u32>| d.map_or_else(|| "not reached".to_owned(), |d| format!("day {d}"));
    let mut sections = vec![Section {
        heading: "The force at its sites".into(),
        intro: String::new(),
        blocks: Vec::new(),
    }];
    let mut charts = Section {
        heading: "Sourcing, rotation and closure".into(),
        intro: String::new(),
        blocks: Vec::new(),
    };
    let mut cost = Section {
        heading: "What it costs, and who pays".into(),
        intro: "The incremental cost (what nations would not spend otherwise) of this force over the horizon, and \
                who bears it under the financing rule. Best estimates in the charts; every figure's low-high range \
                in the tables (docs/cost.md has the rules, docs/sources.md the sources)."
            .into(),
        blocks: Vec::new(),
    };
    let mut responses = Section {
        heading: "If the ceasefire breaks".into(),
        intro: "What follows a violation, and how swiftly: each planned contingency of the response plan in this                 world state, with this force. Hours from the violation; each tier is a political decision and its                 hours count."
            .into(),
        blocks: Vec::new(),
    };
    for (i, (stem, svg, caption)) in pictures.iter().enumerate() {
        let block = Block::Picture {
            svg: svg.clone(),
            caption: caption.clone(),
        };
        if i == 0 {
            sections[0].blocks.push(block);
        } else if *stem == "responses" {
            responses.blocks.push(block);
        } else if stem.starts_with("cost-") {
            cost.blocks.push(block);
        } else {
            charts.blocks.push(block);
        }
    }
    sections.push(charts);
    // The cost and response tables go with their charts; the plan's own under "Tables".
    let mut own = Vec::new();
    for t in &tables {
        if t.name.starts_with("Responses:") {
            responses.blocks.push(Block::Table(t.clone()));
        } else if t.name.starts_with("Cost") {
            cost.blocks.push(Block::Table(t.clone()));
        } else {
            own.push(t.clone());
        }
    }
    for section in [cost, responses] {
        if !section.blocks.is_empty() {
            sections.push(section);
        }
    }
    sections.push(Section {
        heading: "Tables".into(),
        intro: "The same tables are in sourcing.xlsx, one sheet each (the responses' too); sourcing.csv has who \
                sends what where."
            .into(),
        blocks: own.into_iter().map(Block::Table).collect(),
    });
    let briefing = Briefing {
        title: format!("{}: plan", scenario.name),
        subtitle: format!("World state: {}", facts_that_hold(&report.world)),
        figures: vec![
            (
                "Troops sourced".into(),
                chart::thousands(t.filled_troops),
                format!("of {} required", chart::thousands(t.required_troops)),
            ),
            (
                "Essential lines".into(),
                chart::thousands(t.essential_filled_troops),
                format!(
                    "of {} troops",
                    chart::thousands(t.essential_required_troops)
                ),
            ),
            (
                "Committed with rotation".into(),
                chart::thousands(report.rotation.steady_committed),
                format!(
                    "x{:.1} at the steady state; {} at the peak month",
                    report.rotation.committed_per_deployed,
                    chart::thousands(report.rotation.peak_committed)
                ),
            ),
        ]
        .into_iter()
        .chain(report.cost.as_ref().map(|c| {
            (
                "Cost a year".into(),
                format!("${:.2} bn", c.per_year.best / 1e9),
                format!(
                    "incremental, best; ${:.2}-{:.2} bn",
                    c.per_year.low / 1e9,
                    c.per_year.high / 1e9
                ),
            )
        }))
        .chain([
            (
                "Initial capability".into(),
                day(m.ioc_day),
                // The threshold, whether it is reached or not: not the troops in place on that day.
                format!(
                    "when {} of the {} troops required are in place",
                    chart::thousands(m.ioc_troops),
                    chart::thousands(m.required_troops)
                ),
            ),
            (
                "Full capability".into(),
                day(m.foc_day),
                format!(
                    "when {} of the {} troops required are in place",
                    chart::thousands(m.foc_troops),
                    chart::thousands(m.required_troops)
                ),
            ),
        ])
        .collect(),
        sections,
        attribution: scenario.theatre.attribution.clone(),
    };
    (briefing, pictures, tables)
}

/// The what-if heat map: each world state a row, each fact a column (dark when true), then the fill.
pub fn whatif_picture(report: &WhatIfReport) -> String {
    let facts: Vec<String> = report.facts.iter().map(|f| f.fact.clone()).collect();
    let rows: Vec<(String, Vec<Option<f64>>, String)> = report
        .states
        .iter()
        .map(|s| {
            let cells = facts
                .iter()
                .map(|f| s.facts.get(f).map(|v| if *v { 1.0 } else { 0.0 }))
                .chain(std::iter::once(Some(
                    s.filled_troops as f64 / s.required_troops.max(1) as f64,
                )))
                .collect();
            let share = 100.0 * s.filled_troops as f64 / s.required_troops.max(1) as f64;
            (
                format!("{:.0}%", share),
                cells,
                chart::thousands(s.filled_troops),
            )
        })
        .collect();
    let mut columns: Vec<(String, chart::Scale)> = facts
        .iter()
        .map(|f| (f.clone(), chart::Scale::Flag))
        .collect();
    columns.push(("share filled".into(), chart::Scale::Share));
    chart::heat_map(
        &Frame::new(
            &format!(
                "What if: {} world states, worst to best",
                report.states.len()
            ),
            "Each row a world state: its facts (dark grey = true), then the share of the requirement filled (pale yellow = none, dark blue = all).",
            "",
        ),
        &columns,
        &rows,
    )
}

/// The what-if briefing: the heat map as SVG and PNG, and a page with it and the facts that matter.
pub fn whatif_briefing(
    scenario: &Scenario,
    report: &WhatIfReport,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    package_parts("whatif", whatif_parts(scenario, report), scenario, progress)
}

/// The what-if briefing page (for the dashboard).
pub fn whatif_page(scenario: &Scenario, report: &WhatIfReport) -> Briefing {
    whatif_parts(scenario, report).0
}

fn whatif_parts(scenario: &Scenario, report: &WhatIfReport) -> Parts {
    let svg = whatif_picture(report);
    let costed = report.base_cost_per_year.is_some();
    let mut facts_header = vec!["fact", "mean gain (troops)", "flip from today (troops)"];
    if costed {
        facts_header.push("flip from today (cost a year, best)");
    }
    let facts = Table {
        name: "Facts, by mean gain".into(),
        header: header(&facts_header),
        rows: report
            .facts
            .iter()
            .map(|f| {
                let mut row = vec![
                    f.fact.clone().into(),
                    Cell::Real(f.mean_gain_troops.round()),
                    Cell::Int(f.flip_from_base_troops),
                ];
                if costed {
                    row.push(f.flip_cost_per_year.map_or(Cell::from("-"), Cell::Real));
                }
                row
            })
            .collect(),
    };
    let mut states_header: Vec<String> = report
        .states
        .first()
        .map(|s| s.facts.keys().cloned().collect())
        .unwrap_or_default();
    states_header.extend(["troops filled".to_owned(), "troops required".to_owned()]);
    if costed {
        states_header.extend(["cost a year, low", "best", "high"].map(str::to_owned));
    }
    let states = Table {
        name: "World states, worst first".into(),
        header: states_header,
        rows: report
            .states
            .iter()
            .map(|s| {
                let mut row: Vec<Cell> = s
                    .facts
                    .values()
                    .map(|v| Cell::from(if *v { "true" } else { "false" }))
                    .collect();
                row.push(s.filled_troops.into());
                row.push(s.required_troops.into());
                if let Some(c) = &s.cost_per_year {
                    row.extend([c.low, c.best, c.high].map(Cell::Real));
                } else if costed {
                    row.extend(["-", "-", "-"].map(Cell::from));
                }
                row
            })
            .collect(),
    };
    let critical = Table {
        name: "Nations that matter most (today's world without them)".into(),
        header: header(&["nation", "name", "troops filled without it", "loss"]),
        rows: report
            .critical_nations
            .iter()
            .map(|c| {
                vec![
                    c.nation.clone().into(),
                    c.name.clone().into(),
                    c.filled_troops_without.into(),
                    c.loss_troops.into(),
                ]
            })
            .collect(),
    };
    let briefing = Briefing {
        title: format!("{}: what if", scenario.name),
        subtitle: format!("Today: {}", report.base.replace(',', ", ")),
        figures: [(
            "Filled today".into(),
            chart::thousands(report.base_filled_troops),
            format!("of {} troops", chart::thousands(report.required_troops)),
        )]
        .into_iter()
        .chain(report.base_cost_per_year.map(|c| {
            (
                "Cost a year today".into(),
                format!("${:.2} bn", c.best / 1e9),
                format!(
                    "steady state, best; ${:.2}-{:.2} bn",
                    c.low / 1e9,
                    c.high / 1e9
                ),
            )
        }))
        .collect(),
        sections: vec![Section {
            heading: "World states".into(),
            intro: report.cost_basis.clone().unwrap_or_default(),
            blocks: vec![
                Block::Picture {
                    svg: svg.clone(),
                    caption: "Every combination of the political facts the pledges name.".into(),
                },
                Block::Table(facts.clone()),
                Block::Table(critical.clone()),
            ],
        }],
        attribution: Vec::new(),
    };
    (
        briefing,
        vec![("whatif", svg, String::new())],
        vec![facts, critical, states],
    )
}

/// A map of `incidents` where their best-located report puts them: colour by confidence, a triangle for a
/// violation, larger for graver.
pub fn incidents_picture(
    scenario: &Scenario,
    title: &str,
    subtitle: &str,
    incidents: &[crate::IncidentDto],
) -> String {
    let incidents = incidents
        .iter()
        .map(|i| guarantor_render::IncidentMark {
            at: geo_types::Point::new(i.lon, i.lat),
            confidence: guarantor_core::Confidence::from_name(i.confidence)
                .unwrap_or(guarantor_core::Confidence::SingleSource),
            violation: i.violation,
            severity: guarantor_core::Severity::from_name(i.severity)
                .unwrap_or(guarantor_core::Severity::None),
        })
        .collect();
    let overlay = Overlay {
        title: title.to_owned(),
        subtitle: subtitle.to_owned(),
        incidents,
        ..Overlay::default()
    };
    guarantor_render::map(scenario, &overlay, 1200.0)
}

/// The daily monitoring report's pictures, by file stem: the map of the period's incidents and the incidents
/// per day by confidence.
pub fn daily_pictures(
    scenario: &Scenario,
    report: &crate::DailyReport,
) -> Vec<(&'static str, String, String)> {
    let map = incidents_picture(
        scenario,
        &format!("Daily report, {}", report.day),
        &format!(
            "{} incidents ({} violations) in the period to {} Kyiv time",
            report.totals.incidents, report.totals.violations, report.cut
        ),
        &report.incidents,
    );
    let days: Vec<String> = report
        .history
        .iter()
        .map(|d| d.day.get(5..).unwrap_or(&d.day).to_owned())
        .collect();
    let layer = |c: guarantor_core::Confidence, f: fn(&crate::DayCountsDto) -> usize| Stack {
        name: c.as_str().replace('_', " "),
        values: report.history.iter().map(|d| f(d) as f64).collect(),
        colour: Some(guarantor_render::confidence_colour(c).to_owned()),
    };
    vec![
        (
            "incidents-map",
            map,
            "The period's incidents where their best-located report puts them: colour by confidence, a triangle for a violation, larger for graver.".to_owned(),
        ),
        (
            "incidents-per-day",
            chart::stacked_bars(
                &Frame::new(
                    &format!("Incidents per day by confidence, the last {} days", report.history.len()),
                    "day (period to the cut)",
                    "incidents",
                ),
                &days,
                &[
                    layer(guarantor_core::Confidence::Confirmed, |d| d.confirmed),
                    layer(guarantor_core::Confidence::Probable, |d| d.probable),
                    layer(guarantor_core::Confidence::Possible, |d| d.possible),
                    layer(guarantor_core::Confidence::SingleSource, |d| d.single_source),
                ],
            ),
            "Each daily period's incidents, counted on the day of their first report.".to_owned(),
        ),
    ]
}

/// The daily report's tables: counts against the day before, every incident, the responses.
pub fn daily_tables(report: &crate::DailyReport) -> Vec<Table> {
    let counts = |name: &str, rows: &[crate::CountDto]| Table {
        name: name.to_owned(),
        header: header(&["", "this period", "the day before"]),
        rows: rows
            .iter()
            .map(|c| {
                vec![
                    c.key.replace('_', " ").into(),
                    Cell::Int(c.count as i64),
                    Cell::Int(c.previous as i64),
                ]
            })
            .collect(),
    };
    let incidents = Table {
        name: "Incidents".into(),
        header: [
            "#",
            "time (UTC)",
            "where",
            "lat",
            "lon",
            "what",
            "hit",
            "hit: decided by",
            "party",
            "party: firmness",
            "confidence",
            "sources",
            "independent sources",
            "zone",
            "oblast",
            "km to line",
            "protected site",
            "violation",
            "severity",
            "first report",
        ]
        .map(String::from)
        .to_vec(),
        rows: report
            .incidents
            .iter()
            .map(|i| {
                vec![
                    Cell::Int(i64::try_from(i.id).unwrap_or(i64::MAX)),
                    i.time.clone().into(),
                    i.where_text().into(),
                    Cell::Real(i.lat),
                    Cell::Real(i.lon),
                    i.kinds.join("/").into(),
                    i.hit
                        .as_ref()
                        .map_or("", |h| h.category)
                        .replace('_', " ")
                        .into(),
                    i.hit
                        .as_ref()
                        .map(|h| h.by.clone())
                        .unwrap_or_default()
                        .into(),
                    i.attribution.party.into(),
                    i.attribution.firmness.into(),
                    i.confidence.replace('_', " ").into(),
                    i.sources.join(", ").into(),
                    Cell::Int(i.independent_sources as i64),
                    i.zone.clone().into(),
                    i.oblast.clone().unwrap_or_default().into(),
                    i.km_to_line.map_or(Cell::Text(String::new()), Cell::Real),
                    i.protected_site.clone().unwrap_or_default().into(),
                    (if i.violation { "yes" } else { "no" }).into(),
                    i.severity.into(),
                    i.accounts
                        .first()
                        .map(|a| a.text.clone())
                        .unwrap_or_default()
                        .into(),
                ]
            })
            .collect(),
    };
    // What the ladder asks: one row per step, with every incident and site that calls for it.
    let ladder = Table {
        name: "The ladder: what the terms call for".into(),
        header: [
            "step",
            "incidents",
            "rules",
            "reinforce (first ground unit closes)",
        ]
        .map(String::from)
        .to_vec(),
        rows: report
            .ladder
            .iter()
            .map(|s| {
                vec![
                    s.step_name.clone().into(),
                    s.incident_ids
                        .iter()
                        .map(|i| format!("#{i}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                        .into(),
                    s.rules.join(", ").into(),
                    s.sites
                        .iter()
                        .map(|x| match (x.reinforcement_hours, &x.reinforcement_source) {
                            (Some(h), Some(u)) => format!("{} ({u}, {h} h)", x.site),
                            _ => format!("{} (none within the horizon)", x.site),
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                        .into(),
                ]
            })
            .collect(),
    };
    vec![
        incidents,
        ladder,
        counts("By kind", &report.by_kind),
        counts(
            "By party (the evidence: a proposal, not a finding)",
            &report.by_party,
        ),
        counts("By what was hit", &report.by_target),
        counts("By zone", &report.by_zone),
        counts("By oblast", &report.by_oblast),
        counts("By confidence", &report.by_confidence),
        counts("Violations by severity", &report.by_severity),
    ]
}

/// Every file of the daily report's briefing: `report.html`, the map and the chart as SVG and PNG,
/// `report.xlsx` (all the tables) and `incidents.csv`.
pub fn daily_briefing(
    scenario: &Scenario,
    report: &crate::DailyReport,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    let (briefing, pictures, tables) = daily_parts(scenario, report);
    package(
        ("report.html", &briefing),
        &pictures,
        ("report.xlsx", &tables),
        Some(("incidents.csv", &tables[0])),
        report.day.parse().unwrap_or(scenario.terms.effective),
        progress,
    )
}

/// A spot report as paragraphs: where and what, who (the evidence), how sure, the verdict, and each report's
/// own words with its link.
fn spot_blocks(i: &crate::IncidentDto) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(format!(
        "Incident #{} — {}{}, {} — {} violation",
        i.id,
        i.kinds.join("/").replace('_', " "),
        i.hit
            .as_ref()
            .map(|h| format!(" on {}", h.category.replace('_', " ")))
            .unwrap_or_default(),
        i.where_text(),
        i.severity
    ))];
    blocks.push(Block::Text(format!(
        "First report {}; {:.4} N {:.4} E ± {} km{}{}.{}",
        i.when_text(),
        i.lat,
        i.lon,
        i.place_precision_km,
        i.km_to_line
            .map(|km| format!(", {km:.0} km from the contact line"))
            .unwrap_or_default(),
        i.protected_site
            .as_ref()
            .map(|p| format!(", inside protected site {p}"))
            .unwrap_or_default(),
        i.hit
            .as_ref()
            .map(|h| format!(" Hit: {} — {}.", h.category.replace('_', " "), h.by))
            .unwrap_or_default(),
    )));
    blocks.push(Block::Text(format!(
        "Party: {}. Confidence: {}, {} report(s) from {} ({} independent: {}). Verdict: {} violation — {}.",
        i.attribution.text(),
        i.confidence.replace('_', " "),
        i.reports.len(),
        i.sources.join(", "),
        i.independent_sources,
        i.source_kinds.join(", "),
        i.severity,
        i.reasons.join("; ")
    )));
    for a in &i.accounts {
        blocks.push(Block::Quote {
            text: a.text.split_whitespace().collect::<Vec<_>>().join(" "),
            cite: format!(
                "{}, {}, {}",
                a.report,
                a.when_text(),
                a.kind.replace('_', " ")
            ),
            link: a.links.first().cloned(),
        });
    }
    blocks
}

/// The daily report's briefing page (for the dashboard).
pub fn daily_page(scenario: &Scenario, report: &crate::DailyReport) -> Briefing {
    daily_parts(scenario, report).0
}

fn daily_parts(scenario: &Scenario, report: &crate::DailyReport) -> Parts {
    let pictures = daily_pictures(scenario, report);
    let tables = daily_tables(report);
    let spot: Vec<Block> = report
        .spot_reports
        .iter()
        .filter_map(|&k| report.incidents.get(k))
        .flat_map(spot_blocks)
        .collect();
    let mut sections = vec![Section {
        heading: "Where".into(),
        intro: String::new(),
        blocks: vec![Block::Picture {
            svg: picture(&pictures, "incidents-map").1,
            caption: picture(&pictures, "incidents-map").2,
        }],
    }];
    if !report.ladder.is_empty() {
        sections.push(Section {
            heading: "What the terms call for".into(),
            intro: "One line per step of the ladder, highest first, with every incident and site that calls for \
                    it (`guarantor respond --incident ID` gives one incident's response in full)."
                .into(),
            blocks: tables
                .iter()
                .find(|t| t.name.starts_with("The ladder"))
                .cloned()
                .map(Block::Table)
                .into_iter()
                .collect(),
        });
    }
    if !spot.is_empty() {
        sections.push(Section {
            heading: "Spot reports".into(),
            intro: "Grave incidents, and serious ones that are confirmed or probable. What was hit and the party \
                    are the engine's proposals from the sources' coding and the reports' words, each with its \
                    grounds: the commission confirms or corrects them."
                .into(),
            blocks: spot,
        });
    }
    sections.push(Section {
        heading: "Trend".into(),
        intro: String::new(),
        blocks: vec![Block::Picture {
            svg: picture(&pictures, "incidents-per-day").1,
            caption: picture(&pictures, "incidents-per-day").2,
        }],
    });
    sections.push(Section {
        heading: "Tables".into(),
        intro: "The same tables are in report.xlsx; incidents.csv lists the incidents.".into(),
        // The ladder is shown above, under what the terms call for.
        blocks: tables
            .iter()
            .filter(|t| !t.name.starts_with("The ladder") || report.ladder.is_empty())
            .cloned()
            .map(Block::Table)
            .collect(),
    });
    let (t, p) = (&report.totals, &report.previous);
    let briefing = Briefing {
        title: format!("{}: daily monitoring report, {}", scenario.name, report.day),
        subtitle: format!(
            "Period {} to {} (UTC), cut at {} Kyiv time. {}{}",
            report.from,
            report.to,
            report.cut,
            match &report.occupied_as_of {
                Some(d) => format!("Zones as they were on {d}."),
                None =>
                    "Zones as the scenario draws them now (the line may have been elsewhere then)."
                        .to_owned(),
            },
            if report.day < report.terms_effective {
                format!(
                    " The terms take effect on {}: nothing before is a violation.",
                    report.terms_effective
                )
            } else {
                String::new()
            }
        ),
        figures: vec![
            (
                "Reports".into(),
                t.reports.to_string(),
                format!("{} the day before", p.reports),
            ),
            (
                "Incidents".into(),
                t.incidents.to_string(),
                format!("{} the day before", p.incidents),
            ),
            (
                "Violations".into(),
                t.violations.to_string(),
                format!("{} the day before", p.violations),
            ),
            (
                "Ladder steps".into(),
                report.ladder.len().to_string(),
                format!("called for by {} responses", report.responses.len()),
            ),
        ],
        sections,
        attribution: scenario.theatre.attribution.clone(),
    };
    (briefing, pictures, tables)
}

/// The response briefing's files (`guarantor respond --out DIR`): response.html, the build-up charts as SVG and
/// PNG, and its tables as response.xlsx.
pub fn response_briefing(
    scenario: &Scenario,
    report: &crate::ResponseReport,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    package_parts("response", response_parts(report), scenario, progress)
}

/// The response briefing page (for the dashboard).
pub fn response_page(report: &crate::ResponseReport) -> Briefing {
    response_parts(report).0
}

/// The synchronisation table's columns: what each element is doing by the end of each span of hours.
const SPANS: [(u32, u32, &str); 7] = [
    (0, 12, "0–12 h"),
    (12, 24, "12–24 h"),
    (24, 48, "24–48 h"),
    (48, 72, "48–72 h"),
    (72, 168, "3–7 days"),
    (168, 336, "7–14 days"),
    (336, u32::MAX, "14–30 days"),
];

/// What an element is doing at `hour`: deciding, on notice, moving, there (acting).
fn phase(e: &crate::ElementDto, hour: u32) -> &'static str {
    if hour < e.decision_hours {
        "decision"
    } else if hour < e.ready_hour {
        "notice"
    } else if e.first_hour.is_some_and(|f| hour >= f) {
        if e.closed_hour.is_none_or(|c| hour >= c) {
            "ACTS"
        } else {
            "arriving"
        }
    } else if e.first_hour.is_some() {
        "moving"
    } else {
        "not within the horizon"
    }
}

fn response_parts(r: &crate::ResponseReport) -> Parts {
    let pictures = build_up_pictures(r);
    let sync = element_sync_table(r);
    let elements = elements_table(r);
    let gaps = against_need_table(r);
    let left_out = left_out_table(r);
    let cost = response_cost_table(std::slice::from_ref(r));
    let first = |prefix: &str| {
        r.first.iter().find(|f| f.what.starts_with(prefix)).map_or(
            ("-".to_owned(), "none within the horizon".to_owned()),
            |f| (format!("{} h", f.hour), f.label.clone()),
        )
    };
    let (troops_h, troops_who) = first("troops:");
    let (air_h, air_who) = first("sorties");
    let (mat_h, mat_who) = first("materiel");
    let c = &r.contingency;
    let briefing = Briefing {
        title: format!("If the ceasefire breaks: {}", c.name),
        subtitle: format!(
            "Threatened site {} on day {}; world state {}",
            c.site_name,
            c.day,
            r.world.replace(',', ", ")
        ),
        figures: vec![
            ("First ground unit".into(), troops_h, troops_who),
            ("First sorties".into(), air_h, air_who),
            ("First materiel".into(), mat_h, mat_who),
            (
                "Force already there".into(),
                chart::thousands(r.in_place_troops),
                "troops".into(),
            ),
        ],
        sections: vec![
            Section {
                heading: "Build-up at the place".into(),
                intro:
                    "Hours from the violation. Each tier is a political decision; its hours count."
                        .into(),
                blocks: pictures
                    .iter()
                    .map(|(_, svg, caption)| Block::Picture {
                        svg: svg.clone(),
                        caption: caption.clone(),
                    })
                    .chain([Block::Table(gaps.clone())])
                    .collect(),
            },
            Section {
                heading: "Synchronisation".into(),
                intro: String::new(),
                blocks: vec![Block::Table(sync.clone()), Block::Table(elements.clone())],
            },
            Section {
                heading: "What does not take part".into(),
                intro: String::new(),
                blocks: vec![Block::Table(left_out.clone())],
            },
        ]
        .into_iter()
        .chain(cost.iter().map(|c| {
            Section {
                heading: "What it costs".into(),
                intro: r
                    .cost
                    .as_ref()
                    .map(|x| x.notes.join(" "))
                    .unwrap_or_default(),
                blocks: vec![Block::Table(c.clone())],
            }
        }))
        .collect(),
        attribution: Vec::new(),
    };
    let mut tables = vec![sync, elements, gaps, left_out];
    tables.extend(cost);
    (briefing, pictures, tables)
}

/// The build-up at the threatened site, hour by hour for a week: ground troops, air sorties and materiel, each
/// against the need, the tiers' target hours marked.
fn build_up_pictures(r: &crate::ResponseReport) -> Vec<Picture> {
    let last = r.horizon_hours.saturating_sub(1);
    let week = 168.min(last);
    let points = |f: &dyn Fn(&crate::AmountsDto) -> f64| -> Vec<(f64, f64)> {
        r.timeline
            .iter()
            .filter(|t| t.hour <= week)
            .map(|t| (f64::from(t.hour), f(&t.have)))
            .collect()
    };
    let tiers = tier_markers(&r.tiers);
    let chart = |title: &str, y: &str, name: &str, need: f64, pts: Vec<(f64, f64)>| {
        let thresholds = if need > 0.0 {
            vec![Marker {
                value: need,
                label: format!("needed: {}", chart::axis_number(need)),
            }]
        } else {
            Vec::new()
        };
        chart::lines(
            &Frame::new(title, "hours from the violation", y),
            &[Series {
                name: name.to_owned(),
                points: pts,
                steps: true,
            }],
            f64::from(week),
            &thresholds,
            &tiers,
        )
    };
    vec![
        (
            "response-troops",
            chart(
                "Ground troops at the threatened site",
                "troops",
                "the force there and the reinforcements received",
                r.needs.troops as f64,
                points(&|a| a.troops as f64),
            ),
            "Troops at the site hour by hour for a week: the force already there and every ground unit moving \
             together over the network; the dashed verticals are the tiers' target hours."
                .to_owned(),
        ),
        (
            "response-air",
            chart(
                "Air sorties over the objective",
                "sorties a day",
                "sorties a day",
                r.needs.sorties_per_day,
                points(&|a| a.sorties_per_day),
            ),
            "Sorties a day the aircraft in reach can fly over the objective, from their first hour over it."
                .to_owned(),
        ),
        (
            "response-materiel",
            chart(
                "Materiel released to Ukraine's forces",
                "tonnes",
                "tonnes received",
                r.needs.tonnes as f64,
                points(&|a| a.tonnes as f64),
            ),
            "Stockpiles received at the threatened site, all moving together over the network.".to_owned(),
        ),
    ]
}

/// What each element of the response is doing by the end of each span of hours, with who decides.
fn element_sync_table(r: &crate::ResponseReport) -> Table {
    let last = r.horizon_hours.saturating_sub(1);
    let mut sync_header = vec!["option", "element", "nation", "decided by"];
    sync_header.extend(SPANS.iter().map(|(_, _, name)| *name));
    Table {
        name: "Synchronisation: what each element is doing by the end of each span (decision, notice, moving, \
               arriving, ACTS at the place)"
            .into(),
        header: header(&sync_header),
        rows: r
            .elements
            .iter()
            .map(|e| {
                let mut row: Vec<Cell> = vec![
                    e.option.clone().into(),
                    e.label.clone().into(),
                    e.nation.clone().into(),
                    e.decisions
                        .iter()
                        .map(|d| format!("{} ({} h)", d.name, d.hours))
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                ];
                row.extend(
                    SPANS
                        .iter()
                        .map(|(_, end, _)| Cell::from(phase(e, (*end).min(last)))),
                );
                row
            })
            .collect(),
    }
}

/// Each element of the response: what it brings, from where, and its hours of decision, notice and movement.
fn elements_table(r: &crate::ResponseReport) -> Table {
    Table {
        name: "Elements: decision + notice + movement".into(),
        header: header(&[
            "option",
            "tier",
            "element",
            "nation",
            "brings",
            "troops",
            "tonnes",
            "sorties a day",
            "missiles",
            "ships",
            "from",
            "decision (h)",
            "notice (h)",
            "ready (h)",
            "first at the place (h)",
            "all there (h)",
        ]),
        rows: r
            .elements
            .iter()
            .map(|e| {
                let hour = |h: Option<u32>| h.map_or(Cell::from("-"), Cell::from);
                vec![
                    e.option.clone().into(),
                    e.tier.clone().into(),
                    e.label.clone().into(),
                    e.nation.clone().into(),
                    if e.what.is_empty() {
                        e.kind.into()
                    } else {
                        e.what.clone().into()
                    },
                    e.troops.into(),
                    e.tonnes.into(),
                    e.sorties_per_day.into(),
                    e.missiles.into(),
                    e.ships.into(),
                    e.from.clone().unwrap_or_default().into(),
                    e.decision_hours.into(),
                    e.notice_hours.into(),
                    e.ready_hour.into(),
                    hour(e.first_hour),
                    hour(e.closed_hour),
                ]
            })
            .collect(),
    }
}

/// What is at the threatened site by each checkpoint hour, and how far short of the need.
fn against_need_table(r: &crate::ResponseReport) -> Table {
    Table {
        name: "Against the need".into(),
        header: header(&[
            "by (hours)",
            "troops",
            "short",
            "tonnes",
            "short",
            "sorties a day",
            "short",
            "missiles",
            "short",
        ]),
        rows: r
            .checkpoints
            .iter()
            .map(|c| {
                vec![
                    c.hour.into(),
                    c.have.troops.into(),
                    c.gap.troops.into(),
                    c.have.tonnes.into(),
                    c.gap.tonnes.into(),
                    c.have.sorties_per_day.into(),
                    c.gap.sorties_per_day.into(),
                    c.have.missiles.into(),
                    c.gap.missiles.into(),
                ]
            })
            .collect(),
    }
}

/// The elements left out of the response in this world state, and why.
fn left_out_table(r: &crate::ResponseReport) -> Table {
    Table {
        name: "Left out in this world state".into(),
        header: header(&["option", "element", "nation", "why not"]),
        rows: r
            .excluded
            .iter()
            .map(|x| {
                vec![
                    x.option.clone().into(),
                    x.label.clone().into(),
                    x.nation.clone().into(),
                    x.detail.clone().into(),
                ]
            })
            .collect(),
    }
}

/// The response what-if briefing (`respond --whatif --out`): the heat map of every world state's first ground
/// unit at each site, the states worst first, and who matters most.
pub fn response_whatif_briefing(
    scenario: &Scenario,
    report: &crate::ResponseWhatIf,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    package_parts(
        "response-whatif",
        response_whatif_parts(report),
        scenario,
        progress,
    )
}

/// The response what-if page (for the dashboard).
pub fn response_whatif_page(report: &crate::ResponseWhatIf) -> Briefing {
    response_whatif_parts(report).0
}

/// The facts true in a state, in words.
fn facts_on(facts: &BTreeMap<String, bool>) -> String {
    let on: Vec<&str> = facts
        .iter()
        .filter(|(_, v)| **v)
        .map(|(f, _)| f.as_str())
        .collect();
    if on.is_empty() {
        "(no fact true)".to_owned()
    } else {
        on.join(", ")
    }
}

fn response_whatif_parts(report: &crate::ResponseWhatIf) -> Parts {
    let sites: Vec<String> = report
        .states
        .first()
        .map(|s| s.sites.iter().map(|x| x.site.clone()).collect())
        .unwrap_or_default();
    let svg = response_whatif_picture(report, &sites);
    let states = world_states_table(report, &sites);
    let nations = critical_nations_table(report);
    let base = report
        .states
        .iter()
        .find(|s| s.world == report.base)
        .or_else(|| report.states.first());
    let fastest = fastest_units_table(base);
    let worst = report.states.first();
    let best = report.states.last();
    let state_figure = |s: Option<&crate::StateResponseDto>, name: &str| {
        (
            name.to_owned(),
            s.map_or("-".to_owned(), |s| {
                format!("{} of {}", s.sites_reached_by_72h, s.sites.len())
            }),
            s.map_or(String::new(), |s| {
                format!("sites reached within 72 h: {}", facts_on(&s.facts))
            }),
        )
    };
    let briefing = Briefing {
        title: "If the ceasefire breaks: every site, every world state".into(),
        subtitle: format!(
            "{}: an attack on every site on day {}; today {}",
            report.scenario,
            report.day,
            report.base.replace(',', ", ")
        ),
        figures: vec![
            state_figure(worst, "Worst state"),
            state_figure(base, "Today"),
            state_figure(best, "Best state"),
            (
                "Matters most".into(),
                report
                    .critical_nations
                    .first()
                    .map_or("-".to_owned(), |n| n.nation.clone()),
                report.critical_nations.first().map_or(String::new(), |n| {
                    n.delay_hours
                        .map_or("a site no longer reached without it".to_owned(), |d| {
                            format!("the slowest site {d} h later without it")
                        })
                }),
            ),
        ],
        sections: vec![Section {
            heading: "Every world state".into(),
            intro: format!(
                "Hours from the violation to the first ground unit closed at each site: decisions, notice to \
                     move and movement ({} distinct sourced plans behind the states).",
                report.distinct_plans
            ),
            blocks: vec![
                Block::Picture {
                    svg: svg.clone(),
                    caption: "Worst state first.".into(),
                },
                Block::Table(nations.clone()),
                Block::Table(fastest.clone()),
            ],
        }],
        attribution: Vec::new(),
    };
    (
        briefing,
        vec![("response-whatif", svg, String::new())],
        vec![nations, states, fastest],
    )
}

/// The heat map of every world state, worst first: its facts, then how soon each site's first ground unit
/// closes.
fn response_whatif_picture(report: &crate::ResponseWhatIf, sites: &[String]) -> String {
    // A week: the span over which hours make the difference (the 72-hour tier inside it).
    const WEEK: f64 = 168.0;
    let facts: Vec<String> = report
        .states
        .first()
        .map(|s| s.facts.keys().cloned().collect())
        .unwrap_or_default();
    // Each site's cell: how soon its first ground unit closes (dark: within the hour; pale: a week or more;
    // grey: not within the horizon).
    let rows: Vec<(String, Vec<Option<f64>>, String)> = report
        .states
        .iter()
        .map(|s| {
            let cells = facts
                .iter()
                .map(|f| s.facts.get(f).map(|v| if *v { 1.0 } else { 0.0 }))
                .chain(s.sites.iter().map(|x| {
                    x.first_troops_hour
                        .map(|h| (1.0 - f64::from(h) / WEEK).clamp(0.0, 1.0))
                }))
                .collect();
            (
                format!("{} of {} ≤72 h", s.sites_reached_by_72h, s.sites.len()),
                cells,
                s.worst_first_troops_hour
                    .map_or("a site not reached".to_owned(), |h| {
                        format!("slowest {h} h")
                    }),
            )
        })
        .collect();
    let columns: Vec<(String, chart::Scale)> = facts
        .iter()
        .map(|f| (f.clone(), chart::Scale::Flag))
        .chain(sites.iter().map(|s| (s.clone(), chart::Scale::Share)))
        .collect();
    chart::heat_map(
        &Frame::new(
            &format!(
                "If the ceasefire breaks: an attack on every site, {} world states, worst first",
                report.states.len()
            ),
            "Each row a world state: its facts (dark grey = true), then each site's first ground unit closed (dark blue = within the hour, pale = a week or more, grey = none within the horizon).",
            "",
        ),
        &columns,
        &rows,
    )
}

/// Every world state, worst first: how many sites it reaches within 72 hours, and each site's first ground unit.
fn world_states_table(report: &crate::ResponseWhatIf, sites: &[String]) -> Table {
    let mut states_header = vec![
        "facts true",
        "sites reached within 72 h",
        "sites",
        "slowest site's first unit (h)",
        "sorties a day at 72 h",
    ];
    states_header.extend(sites.iter().map(String::as_str));
    Table {
        name: "World states, worst first (each site's first ground unit, hours)".into(),
        header: header(&states_header),
        rows: report
            .states
            .iter()
            .map(|s| {
                let mut row: Vec<Cell> = vec![
                    facts_on(&s.facts).into(),
                    s.sites_reached_by_72h.into(),
                    s.sites.len().into(),
                    s.worst_first_troops_hour
                        .map_or(Cell::from("-"), Cell::from),
                    s.sorties_per_day_at_72h.into(),
                ];
                row.extend(
                    s.sites
                        .iter()
                        .map(|x| x.first_troops_hour.map_or(Cell::from("-"), Cell::from)),
                );
                row
            })
            .collect(),
    }
}

/// Who matters most: the response without each nation, against today's.
fn critical_nations_table(report: &crate::ResponseWhatIf) -> Table {
    Table {
        name: format!(
            "Who matters most: the response without each nation ({})",
            report.base
        )
        .chars()
        .take(200)
        .collect(),
        header: header(&[
            "without",
            "slowest site's first unit (h)",
            "later by (h)",
            "sites reached within 72 h",
            "sorties a day at 72 h",
            "sorties a day lost",
        ]),
        rows: report
            .critical_nations
            .iter()
            .map(|n| {
                vec![
                    n.nation.clone().into(),
                    n.worst_first_troops_hour
                        .map_or(Cell::from("-"), Cell::from),
                    n.delay_hours
                        .map_or(Cell::from("a site no longer reached"), Cell::from),
                    n.sites_reached_by_72h.into(),
                    n.sorties_per_day_at_72h.into(),
                    n.sorties_lost.into(),
                ]
            })
            .collect(),
    }
}

/// The first unit of each capability at each site, in today's world state (`base`; empty without one).
fn fastest_units_table(base: Option<&crate::StateResponseDto>) -> Table {
    Table {
        name: "Today: the first unit of each capability at each site".into(),
        header: header(&[
            "site",
            "capability",
            "unit",
            "nation",
            "option",
            "from",
            "ready (h)",
            "first (h)",
            "all there (h)",
        ]),
        rows: base
            .map(|s| {
                s.sites
                    .iter()
                    .flat_map(|x| {
                        x.fastest.iter().map(|f| {
                            vec![
                                x.site.clone().into(),
                                f.capability.clone().into(),
                                f.label.clone().into(),
                                f.nation.clone().into(),
                                f.option.clone().into(),
                                f.from.clone().into(),
                                f.ready_hour.into(),
                                f.first_hour.map_or(Cell::from("-"), Cell::from),
                                f.closed_hour.map_or(Cell::from("-"), Cell::from),
                            ]
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The short name of an option's world state: `today`, or `+k facts` (set on top of today's).
pub fn world_label(facts: &str) -> String {
    if facts.is_empty() {
        "today".to_owned()
    } else {
        format!("+{} facts", facts.split(',').count())
    }
}

/// The comparison's picture: each option's fill (troops filled of those required, the measure of initial and
/// full operating capability) against the IOC and FOC thresholds, with its deployed troops, cost a year, days
/// to IOC and FOC, nations and robustness beside it.
pub fn compare_picture(report: &crate::CompareReport) -> String {
    let rows: Vec<chart::Compared> = report
        .options
        .iter()
        .map(|o| {
            let share = if o.required_troops == 0 {
                0.0
            } else {
                o.filled_troops as f64 / o.required_troops as f64
            };
            let day = |d: Option<u32>| d.map_or("never".to_owned(), |d| format!("day {d}"));
            let cost = o
                .cost_per_year
                .map_or("no cost model".to_owned(), |c| {
                    format!("${:.2} bn a year", c.best / 1e9)
                });
            chart::Compared {
                label: format!("{} ({})", o.name, world_label(&o.world_facts)),
                share,
                note: format!(
                    "{} deployed ({} on the ground in Ukraine; {} committed) · {cost} · IOC {} · FOC {} · {} nations ({} NATO){} · robust in {:.0}% of world states",
                    chart::thousands(o.filled_troops),
                    chart::thousands(o.troops_in_ukraine),
                    chart::thousands(o.committed_troops),
                    match (o.ioc_day, o.ioc_short_by()) {
                        (Some(d), _) => format!("day {d}"),
                        (None, Some(short)) => format!("never ({} troops short)", chart::thousands(short)),
                        (None, None) => "never".to_owned(),
                    },
                    day(o.foc_day),
                    o.nations,
                    o.nato_nations,
                    if o.acceptable_to_both { ", all accepted by both parties" } else { "" },
                    100.0 * o.robust_share()
                ),
            }
        })
        .collect();
    chart::comparison(
        &Frame::new(
            &format!("{}: courses of action side by side", report.scenario),
            "troops filled, of those required (initial and full operating capability are shares of them)",
            "",
        ),
        &rows,
        report.ioc_fill,
        report.foc_fill,
    )
}

/// The comparison's tables: the force, how fast, and each option's shortfall and payers.
pub fn compare_tables(report: &crate::CompareReport) -> Vec<Table> {
    let opt = |o: &crate::OptionDto| -> Vec<Cell> {
        vec![o.course.clone().into(), world_label(&o.world_facts).into()]
    };
    let force = Table {
        name: "The force".into(),
        header: header(&[
            "course",
            "world",
            "essential troops filled",
            "essential troops required",
            "troops deployed",
            "of which on the ground in Ukraine",
            "in the air and at sea",
            "in other countries",
            "troops required",
            "troops committed",
            "cost a year, best (USD)",
            "nations",
            "NATO members",
            "accepted by both parties",
            "robust states",
            "states",
        ]),
        rows: report
            .options
            .iter()
            .map(|o| {
                let mut row = opt(o);
                row.extend([
                    o.essential_filled_troops.into(),
                    o.essential_required_troops.into(),
                    o.filled_troops.into(),
                    o.troops_in_ukraine.into(),
                    o.troops_air_sea.into(),
                    o.troops_outside.into(),
                    o.required_troops.into(),
                    o.committed_troops.into(),
                    o.cost_per_year
                        .map_or(Cell::from("-"), |c| Cell::Real(c.best.round())),
                    o.nations.into(),
                    o.nato_nations.into(),
                    o.acceptable_to_both_nations.into(),
                    o.robust_states.into(),
                    o.states.into(),
                ]);
                row
            })
            .collect(),
    };
    let day = |d: Option<u32>| d.map_or(Cell::from("never"), Cell::from);
    let hours = |h: Option<u32>| h.map_or(Cell::from("-"), Cell::from);
    let timing = Table {
        name: "How fast".into(),
        header: header(&[
            "course",
            "world",
            "IOC day",
            "FOC day",
            "fastest reinforcement of a key site, median (h)",
            "slowest (h)",
            "key sites",
        ]),
        rows: report
            .options
            .iter()
            .map(|o| {
                let mut row = opt(o);
                row.extend([
                    day(o.ioc_day),
                    day(o.foc_day),
                    hours(o.response_median_hours),
                    hours(o.response_worst_hours),
                    o.response_sites.into(),
                ]);
                row
            })
            .collect(),
    };
    let why = Table {
        name: "Shortfall and who pays".into(),
        header: header(&[
            "course",
            "world",
            "short by (troops, first reason of each short line)",
            "pays most (net a year, best)",
            "full plan",
        ]),
        rows: report
            .options
            .iter()
            .map(|o| {
                let mut row = opt(o);
                row.extend([
                    o.shortfall
                        .iter()
                        .map(|s| {
                            format!(
                                "{} {}",
                                chart::thousands(s.troops),
                                s.reason.replace('_', " ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                    o.top_payers
                        .iter()
                        .map(|p| {
                            format!(
                                "{} ${:.0} m ({:.0}%)",
                                p.nation,
                                p.net_per_year / 1e6,
                                100.0 * p.share
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                        .into(),
                    o.plan_command.clone().into(),
                ]);
                row
            })
            .collect(),
    };
    vec![force, timing, why]
}

fn compare_parts(scenario: &Scenario, report: &crate::CompareReport) -> Parts {
    let svg = compare_picture(report);
    let tables = compare_tables(report);
    let worlds = report.worlds();
    let mut courses: Vec<Block> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for o in &report.options {
        if seen.contains(&o.course.as_str()) {
            continue;
        }
        seen.push(&o.course);
        courses.push(Block::Heading(format!("{} ({})", o.name, o.course)));
        courses.push(Block::Text(format!(
            "{} Mission: {}. Requirements: {}. Coalition: {}.",
            o.description,
            o.mission,
            o.requirements_from,
            o.coalition_text()
        )));
    }
    let briefing = Briefing {
        title: format!("{}: courses of action", scenario.name),
        subtitle: format!(
            "{} options: each course in each of its world states, planned on the same criteria",
            report.options.len()
        ),
        figures: Vec::new(),
        sections: vec![
            Section {
                heading: "Side by side".into(),
                intro: format!(
                    "Robust: the world states (every combination of the facts the pledges name) in which the fill \
                     still reaches initial operating capability ({:.0}% of the troops required). World states: {}.",
                    100.0 * report.ioc_fill,
                    if worlds.is_empty() {
                        "today".to_owned()
                    } else {
                        worlds
                            .iter()
                            .map(|w| format!("{} = {}", world_label(w), w.replace(',', ", ")))
                            .collect::<Vec<_>>()
                            .join("; ")
                    }
                ),
                blocks: std::iter::once(Block::Picture {
                    svg: svg.clone(),
                    caption: "Each option's fill (troops filled of those required) against the thresholds of \
                              initial and full operating capability, with its other figures beside it."
                        .into(),
                })
                .chain(tables.iter().cloned().map(Block::Table))
                .collect(),
            },
            Section {
                heading: "The courses".into(),
                intro: String::new(),
                blocks: courses,
            },
        ],
        attribution: Vec::new(),
    };
    (briefing, vec![("compare", svg, String::new())], tables)
}

/// `guarantor compare --out`: compare.html, the chart as SVG and PNG, compare.xlsx.
pub fn compare_briefing(
    scenario: &Scenario,
    report: &crate::CompareReport,
    progress: &dyn Progress,
) -> Result<Vec<OutputFile>, BriefingError> {
    package_parts(
        "compare",
        compare_parts(scenario, report),
        scenario,
        progress,
    )
}

/// The comparison page (for the dashboard).
pub fn compare_page(scenario: &Scenario, report: &crate::CompareReport) -> Briefing {
    compare_parts(scenario, report).0
}
