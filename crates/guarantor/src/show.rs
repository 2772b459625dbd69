//! The summary as tables in the terminal.

use comfy_table::{Cell, CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use guarantor_app::Summary;

/// Plain columns with one rule under the header: easy to read and to copy.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction(' '));

/// The width tables wrap to.
const WIDTH: u16 = 130;

/// A table whose columns listed in `right` are right-aligned (numbers).
fn table(header: &[&str], right: &[usize]) -> Table {
    let mut t = Table::new();
    t.load_style(STYLE);
    // Long text wraps within a width that reads well in a terminal and in a log.
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH);
    t.set_header(header.iter().map(Cell::new));
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn n(x: u64) -> String {
    let digits = x.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

/// Renders the summary for a terminal.
pub(crate) fn summary(s: &Summary, is_today: bool) -> String {
    let mut out = summary_totals(s, is_today);
    out.push_str(&summary_facts(s));
    out.push_str(&summary_domains(s));
    out.push_str(&summary_capabilities(s));
    out.push_str(&summary_nations(s));
    out.push_str(&summary_sites(s));
    if !s.attribution.is_empty() {
        out.push_str(&format!("\n{}\n", s.attribution.join("; ")));
    }
    out
}

/// The summary's heading: the scenario, the world state, troops required and pledged, and the pledges.
fn summary_totals(s: &Summary, is_today: bool) -> String {
    let t = &s.totals;
    let p = &s.pledges;
    let mut out = String::new();
    out.push_str(&format!("{} — {}\n", s.name, s.mission));
    out.push_str(&format!(
        "world state: {}{}\n\n",
        if is_today { "today " } else { "" },
        if s.world.is_empty() {
            "(no political facts)".to_owned()
        } else {
            format!("({})", s.world.replace(',', ", "))
        }
    ));
    out.push_str(&format!(
        "required   {} troops deployed ({} essential) in {} lines at {} sites\n",
        n(t.required_troops),
        n(t.essential_troops),
        t.requirement_lines,
        t.sites
    ));
    out.push_str(&format!(
        "pledged    {} troops live in this world state ({} of required); {} if every condition were met ({})\n",
        n(t.live_troops),
        pct(t.live_troops, t.required_troops),
        n(t.potential_troops),
        pct(t.potential_troops, t.required_troops)
    ));
    out.push_str(&format!(
        "pledges    {} from {} nations: {} live ({} unconditional), {} waiting on conditions, {} withdrawn; {} units, {} materiel, {} enablers\n\n",
        p.total, t.nations, p.live, p.unconditional, p.waiting_on_conditions, p.withdrawn, p.units, p.materiel, p.enablers
    ));
    out
}

/// The summary's table of political facts.
fn summary_facts(s: &Summary) -> String {
    let mut out = String::from("Political facts\n");
    let mut facts = table(&["fact", "value", "today", "pledges", "meaning"], &[3]);
    for f in &s.facts {
        facts.add_row(vec![
            Cell::new(&f.fact),
            Cell::new(f.value),
            Cell::new(f.today),
            Cell::new(f.pledges_naming_it),
            Cell::new(&f.description),
        ]);
    }
    out.push_str(&format!("{facts}\n\n"));
    out
}

/// The summary's troops by domain: required, live and if all conditions were met.
fn summary_domains(s: &Summary) -> String {
    let mut out = String::from("Troops by domain\n");
    let mut domains = table(
        &[
            "domain",
            "required",
            "live",
            "live %",
            "if all conditions met",
        ],
        &[1, 2, 3, 4],
    );
    for d in s
        .domains
        .iter()
        .filter(|d| d.required_troops + d.potential_troops > 0)
    {
        domains.add_row(vec![
            Cell::new(d.domain),
            Cell::new(n(d.required_troops)),
            Cell::new(n(d.live_troops)),
            Cell::new(pct(d.live_troops, d.required_troops)),
            Cell::new(n(d.potential_troops)),
        ]);
    }
    out.push_str(&format!("{domains}\n\n"));
    out
}

/// The summary's troops by capability, units in brackets.
fn summary_capabilities(s: &Summary) -> String {
    let mut out = String::from("Troops by capability (units in brackets)\n");
    let mut caps = table(
        &[
            "capability",
            "domain",
            "required",
            "live",
            "live %",
            "if all conditions met",
        ],
        &[2, 3, 4, 5],
    );
    for c in &s.capabilities {
        caps.add_row(vec![
            Cell::new(&c.name),
            Cell::new(c.domain),
            Cell::new(format!("{} ({})", n(c.required_troops), c.required_units)),
            Cell::new(format!("{} ({})", n(c.live_troops), c.live_units)),
            Cell::new(pct(c.live_troops, c.required_troops)),
            Cell::new(format!("({})", c.potential_units)),
        ]);
    }
    out.push_str(&format!("{caps}\n\n"));
    out
}

/// The summary's nations: live and waiting troops, caps and what they wait on.
fn summary_nations(s: &Summary) -> String {
    let mut out = format!("Nations ({})\n", s.nations.len());
    let mut nations = table(
        &[
            "nation",
            "name",
            "live troops",
            "waiting troops",
            "cap",
            "pledges",
            "waiting on",
        ],
        &[2, 3, 4, 5],
    );
    for x in &s.nations {
        nations.add_row(vec![
            Cell::new(&x.nation),
            Cell::new(&x.name),
            Cell::new(n(x.live_troops)),
            Cell::new(n(x.conditional_troops)),
            Cell::new(x.max_troops.map_or("-".into(), |c| n(u64::from(c)))),
            Cell::new(x.pledges),
            Cell::new(x.waiting_on.join(", ")),
        ]);
    }
    out.push_str(&format!("{nations}\n\n"));
    out
}

/// The summary's sites: kind, region, troops required and distance to the line.
fn summary_sites(s: &Summary) -> String {
    let mut out = format!("Sites ({})\n", s.sites.len());
    let mut sites = table(
        &[
            "site",
            "name",
            "kind",
            "region",
            "required troops",
            "km to line",
        ],
        &[4, 5],
    );
    for x in &s.sites {
        sites.add_row(vec![
            Cell::new(&x.site),
            Cell::new(&x.name),
            Cell::new(x.kind),
            Cell::new(&x.region),
            Cell::new(n(x.required_troops)),
            Cell::new(
                x.km_to_contact_line
                    .map_or("-".into(), |k| format!("{k:.0}")),
            ),
        ]);
    }
    out.push_str(&format!("{sites}\n"));
    out
}

/// Renders a sourcing plan for a terminal.
pub(crate) fn plan(r: &guarantor_app::PlanReport, scenario: &guarantor_core::Scenario) -> String {
    let s = &r.sourcing;
    let mut out = plan_totals(r);
    out.push_str(&plan_lines(s));
    out.push_str(&plan_shortfalls(s));
    out.push_str(&plan_nations(s, scenario));
    out.push_str(&plan_sites(s));
    out.push_str(&rotation(&r.rotation));
    out.push_str(&movement(&r.movement));
    out.push_str(&reinforcement(&r.reinforcement));
    if let Some(c) = &r.cost {
        out.push_str(&cost(c));
    }
    if !r.responses.is_empty() {
        out.push('\n');
        out.push_str(&contingencies(&r.responses));
    }
    out
}

/// The plan's heading: the world state, the fill and the shortfall, goals a limit stopped, and the checker's
/// verdict.
fn plan_totals(r: &guarantor_app::PlanReport) -> String {
    let s = &r.sourcing;
    let t = &s.totals;
    let mut out = String::new();
    out.push_str(&format!("{} — sourcing plan\n", r.scenario));
    out.push_str(&format!("world state: {}\n\n", r.world.replace(',', ", ")));
    out.push_str(&format!(
        "filled     {} of {} troops ({}); essential {} of {} ({})\n",
        n(t.filled_troops),
        n(t.required_troops),
        pct(t.filled_troops, t.required_troops),
        n(t.essential_filled_troops),
        n(t.essential_required_troops),
        pct(t.essential_filled_troops, t.essential_required_troops)
    ));
    out.push_str(&format!(
        "shortfall  {} troops ({} essential, {} desirable)\n",
        n(t.required_troops - t.filled_troops),
        n(s.objectives.essential_shortfall_troops),
        n(s.objectives.desirable_shortfall_troops)
    ));
    if let Some(goal) = s.objectives.stopped_at {
        out.push_str(&format!(
            "note       the {goal} goal and those after it were not reached ({}): the fill is optimal, the rest is not\n",
            s.objectives
                .stopped_why
                .as_deref()
                .unwrap_or("no solution within the limits")
        ));
    }
    for g in s.objectives.goals.iter().filter(|g| !g.proven) {
        out.push_str(&format!(
            "note       the {} goal was stopped at a limit: {} kept, {}\n",
            g.goal,
            n(g.value.round() as u64),
            match (g.bound, g.gap) {
                (Some(b), Some(gap)) =>
                    format!("bound {}, gap {:.1}%", n(b.round() as u64), gap * 100.0),
                _ => "no bound proved".to_owned(),
            }
        ));
    }
    if s.violations.is_empty() {
        out.push_str("checked    the independent checker finds no broken rule\n\n");
    } else {
        out.push_str(&format!(
            "checked    {} BROKEN RULES:\n",
            s.violations.len()
        ));
        for v in &s.violations {
            out.push_str(&format!("  {v}\n"));
        }
        out.push('\n');
    }
    out
}

/// The plan's requirement lines: need, fill and the nations filling each.
fn plan_lines(s: &guarantor_app::SourcingDto) -> String {
    let mut out = String::from("Requirement lines\n");
    let mut lines = table(
        &["line", "site", "capability", "need", "filled", "by"],
        &[3, 4],
    );
    for l in &s.lines {
        let by: Vec<String> = l
            .assignments
            .iter()
            .map(|a| format!("{} {}", a.nation, a.units))
            .collect();
        let short = if l.filled_units < l.required_units {
            " !"
        } else {
            ""
        };
        lines.add_row(vec![
            Cell::new(format!(
                "{}{}",
                l.requirement,
                if l.priority == "essential" {
                    ""
                } else {
                    " (d)"
                }
            )),
            Cell::new(&l.site),
            Cell::new(&l.capability),
            Cell::new(format!("{} ({})", n(l.required_troops), l.required_units)),
            Cell::new(format!(
                "{} ({}){short}",
                n(l.filled_troops),
                l.filled_units
            )),
            Cell::new(by.join(", ")),
        ]);
    }
    out.push_str(&format!(
        "{lines}\n(d) desirable; troops with units in brackets; ! short\n\n"
    ));
    out
}

/// Why each line that falls short does (nothing when every line is filled).
fn plan_shortfalls(s: &guarantor_app::SourcingDto) -> String {
    let mut out = String::new();
    let short: Vec<_> = s
        .lines
        .iter()
        .filter(|l| l.filled_units < l.required_units)
        .collect();
    if !short.is_empty() {
        out.push_str(&format!("Why {} lines fall short\n", short.len()));
        for l in short {
            out.push_str(&format!(
                "  {} ({} at {}): {} of {} troops\n",
                l.requirement,
                l.capability,
                l.site,
                n(l.filled_troops),
                n(l.required_troops)
            ));
            for r in &l.shortfall_reasons {
                out.push_str(&format!("    - {}\n", r.message));
            }
        }
        out.push('\n');
    }
    out
}

/// The plan's nations against their fair share.
fn plan_nations(s: &guarantor_app::SourcingDto, scenario: &guarantor_core::Scenario) -> String {
    let mut out = String::from("Nations against their fair share (by ");
    out.push_str(scenario.fair_share.as_str());
    out.push_str(")\n");
    let mut nations = table(
        &[
            "nation",
            "name",
            "troops",
            "fair share",
            "difference",
            "cap",
        ],
        &[2, 3, 4, 5],
    );
    for x in s
        .nations
        .iter()
        .filter(|x| x.troops > 0 || x.fair_share_troops > 0)
    {
        let diff = x.troops as i64 - x.fair_share_troops as i64;
        nations.add_row(vec![
            Cell::new(&x.nation),
            Cell::new(&x.name),
            Cell::new(n(x.troops)),
            Cell::new(n(x.fair_share_troops)),
            Cell::new(format!(
                "{}{}",
                if diff > 0 {
                    "+"
                } else if diff < 0 {
                    "-"
                } else {
                    ""
                },
                n(diff.unsigned_abs())
            )),
            Cell::new(x.cap.map_or("-".into(), |c| n(u64::from(c)))),
        ]);
    }
    out.push_str(&format!("{nations}\n\n"));
    out
}

/// The plan's sites: framework nation and tripwire (the nations present).
fn plan_sites(s: &guarantor_app::SourcingDto) -> String {
    let mut out = String::from("Sites: framework nation and tripwire (nations present)\n");
    let mut sites = table(
        &["site", "required", "filled", "framework", "nations", "who"],
        &[1, 2, 4],
    );
    for x in &s.sites {
        let who: Vec<String> = x
            .nations
            .iter()
            .map(|(code, t)| format!("{code} {}", n(*t)))
            .collect();
        sites.add_row(vec![
            Cell::new(&x.site),
            Cell::new(n(x.required_troops)),
            Cell::new(n(x.troops)),
            Cell::new(x.framework_nation.as_deref().unwrap_or("-")),
            Cell::new(x.nations_present),
            Cell::new(who.join(", ")),
        ]);
    }
    out.push_str(&format!("{sites}\n"));
    out
}

/// `day N`, or the reason there is no day.
fn day_or(d: Option<u32>, otherwise: &str) -> String {
    d.map_or_else(|| otherwise.to_owned(), |d| format!("day {d}"))
}

/// The movement section of the plan.
fn movement(m: &guarantor_app::MovementDto) -> String {
    let mut out = movement_milestones(m);
    out.push_str(&closure_curve(m));
    out.push_str(&movement_sites(m));
    out.push_str(&movement_stockpiles(m));
    out.push_str(&movement_bottlenecks(m));
    out
}

/// The movement's heading: what moves, the days of initial and full operating capability, the units closed.
fn movement_milestones(m: &guarantor_app::MovementDto) -> String {
    let mut out = format!(
        "\nMovement: {} units ({} troops) and {} stockpiles, over the network within {} days\n",
        m.units.len(),
        n(m.sourced_troops),
        m.stockpiles.len(),
        m.horizon_days
    );
    let milestone = |name: &str, troops: u64, day: Option<u32>, why: Option<&str>| {
        let why = match why {
            Some("force_too_small") => format!(
                "not reached: the sourced force is {} troops, {} short of it",
                n(m.sourced_troops),
                n(troops.saturating_sub(m.sourced_troops))
            ),
            _ => format!(
                "not reached within the horizon ({} troops close by then)",
                n(m.closed_troops)
            ),
        };
        format!(
            "  {name} ({} troops, {} of the requirement): {}\n",
            n(troops),
            pct(troops, m.required_troops),
            day_or(day, &why)
        )
    };
    out.push_str(&milestone(
        "IOC",
        m.ioc_troops,
        m.ioc_day,
        m.ioc_not_reached,
    ));
    out.push_str(&milestone(
        "FOC",
        m.foc_troops,
        m.foc_day,
        m.foc_not_reached,
    ));
    let open = m.units.iter().filter(|u| u.arrival_day.is_none()).count();
    out.push_str(&format!(
        "  {} of {} units closed{}{}\n\n",
        m.units.len() - open,
        m.units.len(),
        m.closure_curve
            .last()
            .map_or(String::new(), |p| format!(", the last on day {}", p.day)),
        if open > 0 {
            " (see `not closed` below)"
        } else {
            ""
        }
    ));
    out
}

/// The closure curve at each tenth of the troops that close, and its end.
fn closure_curve(m: &guarantor_app::MovementDto) -> String {
    let mut curve = table(
        &["day", "troops in place", "of the requirement"],
        &[0, 1, 2],
    );
    let mut next = 1;
    for (i, p) in m.closure_curve.iter().enumerate() {
        if p.troops * 10 >= m.closed_troops * next || i + 1 == m.closure_curve.len() {
            while next <= 10 && p.troops * 10 >= m.closed_troops * next {
                next += 1;
            }
            curve.add_row(vec![
                Cell::new(p.day),
                Cell::new(n(p.troops)),
                Cell::new(pct(p.troops, m.required_troops)),
            ]);
        }
    }
    format!("{curve}\n(the closure curve at each tenth of the force)\n\n")
}

/// Per site: when its units leave and close; then the units that do not close, and why.
fn movement_sites(m: &guarantor_app::MovementDto) -> String {
    let mut t = table(
        &[
            "site",
            "units",
            "troops",
            "first ready",
            "first closes",
            "all closed",
        ],
        &[1, 2, 3, 4, 5],
    );
    let day = |d: Option<u32>| d.map_or("-".to_owned(), |d| format!("day {d}"));
    for s in &m.sites {
        let all = if s.not_closed > 0 {
            format!("{} not closed", s.not_closed)
        } else {
            day(s.all_closed_day)
        };
        t.add_row(vec![
            Cell::new(&s.site),
            Cell::new(s.units),
            Cell::new(n(s.troops)),
            Cell::new(format!("day {}", s.first_ready_day)),
            Cell::new(day(s.first_closed_day)),
            Cell::new(all),
        ]);
    }
    let mut out = format!("{t}\n");
    let open: Vec<_> = m.units.iter().filter(|u| u.not_closed.is_some()).collect();
    if !open.is_empty() {
        out.push_str("not closed:\n");
        for u in open {
            let why = match u.not_closed {
                Some("no_node") => "no node in network.toml serves the site",
                Some("unreachable") => "no route from its home node",
                _ => "still on its way at the end of the horizon",
            };
            out.push_str(&format!(
                "  - {} ({} {}) for {}: {why}\n",
                u.pledge, u.nation, u.capability, u.site
            ));
        }
    }
    out
}

/// The stockpiles moved: from which depot, to which site, when ready and when they close (nothing without
/// stockpiles).
fn movement_stockpiles(m: &guarantor_app::MovementDto) -> String {
    if m.stockpiles.is_empty() {
        return String::new();
    }
    let mut t = table(
        &["stockpile", "tonnes", "from", "to", "ready", "closes"],
        &[1, 4, 5],
    );
    for s in &m.stockpiles {
        t.add_row(vec![
            Cell::new(format!("{} ({})", s.item, s.pledge)),
            Cell::new(n(s.tonnes)),
            Cell::new(&s.depot),
            Cell::new(&s.site),
            Cell::new(day_or(s.ready_day, "withheld")),
            Cell::new(day_or(s.arrival_day, "not closed")),
        ]);
    }
    format!("\n{t}\n")
}

/// The links and nodes that ran full, the fullest ten.
fn movement_bottlenecks(m: &guarantor_app::MovementDto) -> String {
    if m.bottlenecks.is_empty() {
        return "\nno link or node ran full\n".to_owned();
    }
    let mut t = table(
        &["bottleneck", "of", "days full", "from day", "to day"],
        &[2, 3, 4],
    );
    for b in m.bottlenecks.iter().take(10) {
        let at = match (&b.from, &b.to) {
            (Some(f), Some(to)) => format!("{f} → {to} ({})", b.id),
            _ => format!("{} (reception)", b.id),
        };
        t.add_row(vec![
            Cell::new(at),
            Cell::new(b.commodity),
            Cell::new(b.days_full),
            Cell::new(b.first_day),
            Cell::new(b.last_day),
        ]);
    }
    format!(
        "\n{t}\n({} links and nodes ran full on some day; the {} fullest are shown)\n",
        m.bottlenecks.len(),
        m.bottlenecks.len().min(10)
    )
}

/// The reinforcement matrix: sites down, capabilities across, days (and where the fastest comes from) in each
/// cell.
fn reinforcement(cells: &[guarantor_app::ReinforcementDto]) -> String {
    let mut sites: Vec<&str> = Vec::new();
    let mut caps: Vec<&str> = Vec::new();
    for c in cells {
        if !sites.contains(&c.site.as_str()) {
            sites.push(&c.site);
        }
        if !caps.contains(&c.capability.as_str()) {
            caps.push(&c.capability);
        }
    }
    let mut header = vec!["site"];
    header.extend(caps.iter().copied());
    let right: Vec<usize> = (1..=caps.len()).collect();
    let mut t = table(&header, &right);
    for site in &sites {
        let mut row = vec![Cell::new(site)];
        for cap in &caps {
            let cell = cells
                .iter()
                .find(|c| c.site == *site && c.capability == *cap);
            row.push(Cell::new(cell.map_or("-".to_owned(), |c| {
                let mark = match c.source_kind {
                    "in_theatre" => "T",
                    "reserve" => "R",
                    _ => "H",
                };
                format!("{} {mark}", c.hours)
            })));
        }
        t.add_row(row);
    }
    format!(
        "\nReinforcement once the force stands: hours from a violation until one unit has closed at the site\n\
         (decisions, notice to move and movement; as `guarantor respond --site SITE` times them)\n{t}\n\
         T the force's deterrence units in theatre, R a reserve of network.toml (forward presence, in theatre or\n\
         at home), H a pledge's unassigned unit at home; `--json` names each source and splits its hours.\n"
    )
}

/// Dollars in millions, or billions from 10 bn.
fn money(x: f64) -> String {
    if x.abs() >= 1e10 {
        format!("{:.1} bn", x / 1e9)
    } else {
        format!("{} m", n((x / 1e6).round().max(0.0) as u64))
    }
}

/// A low–best–high range.
fn range(e: &guarantor_app::EstimateDto) -> String {
    format!("{} ({}–{})", money(e.best), money(e.low), money(e.high))
}

/// The cost section of the plan: what the force costs and who pays.
fn cost(c: &guarantor_app::CostDto) -> String {
    let mut out = format!(
        "\nCost (incremental, {} at {} prices, {} months): {} in all, {} a year (best; low–high in brackets); the \
         full cost of the forces beside it {}.\nFinancing: {} (common fund by {}{}).\n",
        c.currency,
        c.price_year,
        c.horizon_months,
        range(&c.total),
        range(&c.per_year),
        money(c.full_cost),
        c.rule.replace('_', " "),
        c.key,
        if c.key == "gdp" {
            ", the proxy for GNI"
        } else {
            ""
        }
    );
    let mut cats = table(&["category", "best", "low", "high"], &[1, 2, 3]);
    for x in &c.categories {
        cats.add_row(vec![
            Cell::new(x.category.replace('_', " ")),
            Cell::new(money(x.amount.best)),
            Cell::new(money(x.amount.low)),
            Cell::new(money(x.amount.high)),
        ]);
    }
    out.push_str(&format!("{cats}\n"));
    let mut t = table(
        &[
            "nation",
            "own forces",
            "paid in",
            "reimbursed",
            "net burden (low–high)",
            "fair share",
            "net / fair",
            "% defence/yr",
            "% GDP/yr",
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8],
    );
    let mut rows: Vec<&guarantor_app::NationCostDto> = c.nations.iter().collect();
    rows.sort_by(|a, b| b.net.best.total_cmp(&a.net.best));
    for x in rows {
        t.add_row(vec![
            Cell::new(&x.nation),
            Cell::new(money(x.own.best)),
            Cell::new(money(x.paid_in.best)),
            Cell::new(money(x.reimbursed.best)),
            Cell::new(range(&x.net)),
            Cell::new(money(x.fair_share)),
            Cell::new(
                x.net_over_fair_share
                    .map_or("-".to_owned(), |r| format!("{r:.2}")),
            ),
            Cell::new(
                x.share_of_defence
                    .map_or("-".to_owned(), |r| format!("{:.2}", r * 100.0)),
            ),
            Cell::new(
                x.share_of_gdp
                    .map_or("-".to_owned(), |r| format!("{:.3}", r * 100.0)),
            ),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    for w in &c.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if !c.not_costed.is_empty() {
        out.push_str(&format!(
            "{} sourced units never arrive and are not costed.\n",
            c.not_costed.len()
        ));
    }
    out
}

/// The rotation section of the plan.
fn rotation(r: &guarantor_app::RotationDto) -> String {
    let mut out = format!(
        "\nRotation: {} deployed ties up {} at the steady state (x{:.2}; {} at the peak month) — cycle \
         deploy:recover:train {} unless a nation says otherwise, {}-month tours, {} months; each unit from the \
         month it arrives\n",
        n(r.steady_deployed),
        n(r.steady_committed),
        r.committed_per_deployed,
        n(r.peak_committed),
        r.cycle,
        r.tour_months,
        r.horizon_months
    );
    if !r.not_arrived.is_empty() {
        let troops: u64 = r.not_arrived.iter().map(|x| x.troops).sum();
        out.push_str(&format!(
            "{} sourced units ({} troops) never arrive within the horizon and are not rotated: {}\n",
            r.not_arrived.len(),
            n(troops),
            r.not_arrived
                .iter()
                .map(|x| format!("{} ({}, {})", x.pledge, x.requirement, x.reason.replace('_', " ")))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut months = table(
        &["month", "deployed", "preparing", "recovering", "committed"],
        &[0, 1, 2, 3, 4],
    );
    // Every month where anything changes, and the last one.
    let mut previous = None;
    for (i, m) in r.months.iter().enumerate() {
        let key = (m.deployed, m.preparing, m.recovering);
        if previous == Some(key) && i + 1 != r.months.len() {
            continue;
        }
        previous = Some(key);
        months.add_row(vec![
            Cell::new(m.month),
            Cell::new(n(m.deployed)),
            Cell::new(n(m.preparing)),
            Cell::new(n(m.recovering)),
            Cell::new(n(m.committed)),
        ]);
    }
    out.push_str(&format!(
        "{months}\n(months where the numbers change; month 0 is the month the ceasefire takes effect)\n\n"
    ));
    let mut nations = table(
        &[
            "nation",
            "cycle",
            "tour",
            "tours",
            "deployed",
            "committed",
            "of active forces",
        ],
        &[2, 3, 4, 5, 6],
    );
    let mut by_commitment: Vec<_> = r.nations.iter().collect();
    by_commitment.sort_by_key(|x| std::cmp::Reverse(x.peak_committed));
    for x in by_commitment {
        nations.add_row(vec![
            Cell::new(&x.nation),
            Cell::new(&x.cycle),
            Cell::new(format!("{} mo", x.tour_months)),
            Cell::new(x.tours),
            Cell::new(n(x.peak_deployed)),
            Cell::new(n(x.peak_committed)),
            Cell::new(format!("{:.1}%", 100.0 * x.share_of_active)),
        ]);
    }
    out.push_str(&format!("{nations}\n"));
    if r.warnings.is_empty() {
        out.push_str("no rotation warnings\n");
    } else {
        out.push_str(&format!("{} rotation warnings\n", r.warnings.len()));
        for w in &r.warnings {
            out.push_str(&format!("  - {}\n", w.message));
        }
    }
    out
}

/// Renders the what-if for a terminal.
pub(crate) fn whatif(r: &guarantor_app::WhatIfReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("{} — what if\n", r.scenario));
    out.push_str(&format!(
        "base world state: {}\nfilled there: {} of {} troops ({})\n\n",
        r.base.replace(',', ", "),
        n(r.base_filled_troops),
        n(r.required_troops),
        pct(r.base_filled_troops, r.required_troops)
    ));

    if let Some(c) = &r.base_cost_per_year {
        out.push_str(&format!(
            "cost a year there at the steady state: {} (best; low–high in brackets) — {}\n\n",
            range(c),
            r.cost_basis.as_deref().unwrap_or("")
        ));
    }
    out.push_str("The facts that matter most\n");
    let costed = r.base_cost_per_year.is_some();
    let mut facts = table(
        if costed {
            &[
                "fact",
                "mean gain when true",
                "if flipped from base",
                "cost a year if flipped",
            ][..]
        } else {
            &["fact", "mean gain when true", "if flipped from base"][..]
        },
        &[1, 2, 3],
    );
    for f in &r.facts {
        let mut row = vec![
            Cell::new(&f.fact),
            Cell::new(format!("{:+.0}", f.mean_gain_troops)),
            Cell::new(format!("{:+}", f.flip_from_base_troops)),
        ];
        if costed {
            row.push(Cell::new(
                f.flip_cost_per_year.map_or("-".to_owned(), |c| {
                    format!("{}{}", if c < 0.0 { "−" } else { "+" }, money(c.abs()))
                }),
            ));
        }
        facts.add_row(row);
    }
    out.push_str(&format!("{facts}\n\n"));

    out.push_str("Who matters most (fill without each nation, base world state)\n");
    let mut crit = table(&["nation", "name", "filled without", "loss"], &[2, 3]);
    for c in &r.critical_nations {
        crit.add_row(vec![
            Cell::new(&c.nation),
            Cell::new(&c.name),
            Cell::new(n(c.filled_troops_without)),
            Cell::new(n(c.loss_troops)),
        ]);
    }
    out.push_str(&format!("{crit}\n\n"));

    let names: Vec<&String> = r
        .states
        .first()
        .map(|s| s.facts.keys().collect())
        .unwrap_or_default();
    out.push_str(&format!(
        "Every world state, worst to best ({} states, {} distinct solves); columns: {}\n",
        r.states.len(),
        r.distinct_solves,
        names
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{}={f}", i + 1))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let mut header: Vec<String> = (1..=names.len()).map(|i| i.to_string()).collect();
    header.extend(["filled".into(), "of required".into()]);
    if costed {
        header.push("cost a year".into());
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let k = names.len();
    let mut states = table(&header_refs, &[k, k + 1, k + 2]);
    for st in &r.states {
        let mut row: Vec<Cell> = st
            .facts
            .values()
            .map(|v| Cell::new(if *v { "T" } else { "·" }))
            .collect();
        row.push(Cell::new(n(st.filled_troops)));
        row.push(Cell::new(pct(st.filled_troops, st.required_troops)));
        if let Some(c) = &st.cost_per_year {
            row.push(Cell::new(money(c.best)));
        }
        states.add_row(row);
    }
    out.push_str(&format!("{states}\n"));
    out
}

/// A file's rejections by reason, the most frequent first (the first eight; the rest summed).
fn reasons(f: &guarantor_app::IngestedFile) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &f.diagnostics {
        *counts.entry(d.message.as_str()).or_default() += 1;
    }
    let mut by: Vec<(String, usize)> = counts.into_iter().map(|(r, c)| (r.to_owned(), c)).collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if by.len() > 8 {
        let rest: usize = by[8..].iter().map(|(_, c)| c).sum();
        let kinds = by.len() - 8;
        by.truncate(8);
        by.push((format!("other reasons ({kinds} of them)"), rest));
    }
    by
}

/// The layouts, one a line.
pub(crate) fn layouts(list: &[guarantor_app::LayoutDto]) -> String {
    let mut t = table(&["layout", "format", "reads", "found by the columns"], &[]);
    for l in list {
        t.add_row(vec![
            Cell::new(&l.name),
            Cell::new(l.format),
            Cell::new(&l.description),
            Cell::new(if l.detect.is_empty() {
                "(by name only)".to_owned()
            } else {
                l.detect.join(", ")
            }),
        ]);
    }
    format!(
        "{t}\n`guarantor monitor layouts NAME` shows a layout's file; `--layout FILE` reads with your own \
         (docs/layouts.md)\n"
    )
}

/// What an ingest did, file by file.
pub(crate) fn ingest(r: &guarantor_app::IngestReport, db: &str) -> String {
    let mut t = table(
        &[
            "file",
            "layout",
            "read as",
            "read",
            "new",
            "duplicates",
            "updated",
            "rejected",
        ],
        &[3, 4, 5, 6, 7],
    );
    for f in &r.files {
        let mut how = vec![f.encoding.to_owned()];
        if let Some(d) = f.delimiter {
            how.push(format!("`{d}`"));
        }
        if let Some(o) = f.date_order {
            how.push(o.to_owned());
        }
        t.add_row(vec![
            Cell::new(&f.file),
            Cell::new(f.layout.as_deref().unwrap_or("none")),
            Cell::new(how.join(", ")),
            Cell::new(f.read),
            Cell::new(f.new),
            Cell::new(f.duplicates),
            Cell::new(f.updated),
            Cell::new(if f.refused.is_some() {
                "the file".to_owned()
            } else {
                f.rejected.to_string()
            }),
        ]);
    }
    let rejected: usize = r.files.iter().map(|f| f.rejected).sum();
    let mut out = format!("{t}\n");
    for f in &r.files {
        if let Some(why) = &f.refused {
            out.push_str(&format!("{}: refused, nothing stored: {why}\n", f.file));
        }
        for note in &f.notes {
            out.push_str(&format!("{}: {note}\n", f.file));
        }
        for (reason, count) in reasons(f) {
            out.push_str(&format!("{}: {} × {reason}\n", f.file, n(count as u64)));
        }
        if f.missing > 0 {
            out.push_str(&format!(
                "{}: {} stored reports of its sources are not in it (kept, not deleted): {}{}\n",
                f.file,
                f.missing,
                f.missing_ids.join(", "),
                if f.missing > f.missing_ids.len() {
                    ", …"
                } else {
                    ""
                }
            ));
        }
    }
    if r.files.iter().all(|f| f.stored) {
        out.push_str(&format!("stored in {db}\n"));
    } else {
        out.push_str("a dry run: nothing stored\n");
    }
    if rejected > 0 {
        out.push_str(&format!(
            "{rejected} row(s) rejected (why: on stderr){}\n",
            if r.files.iter().all(|f| f.stored) {
                "; they are kept in the database's rejects list"
            } else {
                ""
            }
        ));
    }
    out
}

/// The incidents, in time order, numbered for the responses that cite them.
pub(crate) fn incidents(r: &guarantor_app::IncidentsReport) -> String {
    let violations = r.incidents.iter().filter(|i| i.violation).count();
    let mut out = format!(
        "{} reports make {} incidents, {} of them violations\n",
        n(r.reports as u64),
        n(r.incidents.len() as u64),
        n(violations as u64)
    );
    let mut t = table(
        &[
            "#",
            "time (UTC)",
            "where",
            "what",
            "party",
            "confidence",
            "sources",
            "zone / protected site",
            "verdict",
        ],
        &[0],
    );
    // Each incident by its stored id: the number `respond --incident` takes.
    for i in &r.incidents {
        let place = format!(
            "{}{}{}",
            i.where_text(),
            i.km_to_line
                .map_or(String::new(), |km| format!(" ({km:.0} km from the line)")),
            if i.occupied { ", occupied" } else { "" }
        );
        let zone = match (&i.buffer_zone, &i.protected_site) {
            (Some(z), Some(s)) => format!("{z}; {s}"),
            (Some(z), None) => z.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => "-".into(),
        };

        // `2026-12-05T04:10:00Z` as `2026-12-05 04:10`.
        let time = i.time.get(..16).unwrap_or(&i.time).replace('T', " ");
        t.add_row(vec![
            Cell::new(i.id),
            Cell::new(time),
            Cell::new(place),
            Cell::new(what(i)),
            Cell::new(i.attribution.party_text()),
            Cell::new(i.confidence),
            Cell::new(sources(i)),
            Cell::new(zone),
            Cell::new(verdict(i)),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out.push_str(&responses(
        &r.ladder,
        "\nResponses the terms call for (highest step first):\n",
    ));
    out
}

/// The fired escalation rules, one line per step of the ladder with its incidents, rules and sites (empty when
/// none fired): `respond --incident ID` gives one incident's response in full.
fn responses(ladder: &[guarantor_app::LadderStepDto], heading: &str) -> String {
    if ladder.is_empty() {
        return String::new();
    }
    let mut out = heading.to_owned();
    for s in ladder {
        let which: Vec<String> = s.incident_ids.iter().map(|id| format!("#{id}")).collect();
        out.push_str(&format!(
            "- {} (`{}`): {} incident{} ({}); rule{} {}",
            s.step_name,
            s.step,
            which.len(),
            if which.len() == 1 { "" } else { "s" },
            which.join(", "),
            if s.rules.len() == 1 { "" } else { "s" },
            s.rules
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if s.moves_forces {
            let sites: Vec<String> = s
                .sites
                .iter()
                .map(|x| match (x.reinforcement_hours, &x.reinforcement_source) {
                    (Some(h), Some(unit)) => format!("{} (`{unit}` closes in {h} h)", x.site),
                    _ => format!("{} (no ground unit within the horizon)", x.site),
                })
                .collect();
            if sites.is_empty() {
                out.push_str("; no site with a network node to reinforce");
            } else {
                out.push_str(&format!("; reinforce {}", sites.join(", ")));
            }
        }
        let phases: Vec<String> = s
            .suspends
            .iter()
            .map(|(p, d)| format!("`{p}` (planned from day {d})"))
            .collect();
        if !phases.is_empty() {
            out.push_str(&format!("; suspends phase {}", phases.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// The kinds reported and what they hit: `artillery; hit civilian`.
fn what(i: &guarantor_app::IncidentDto) -> String {
    match &i.hit {
        Some(h) => format!(
            "{}; hit {}",
            i.kinds.join(", "),
            h.category.replace('_', " ")
        ),
        None => i.kinds.join(", "),
    }
}

/// The sources and how many are independent: `cir, bellingcat (2 independent)`.
fn sources(i: &guarantor_app::IncidentDto) -> String {
    format!(
        "{} ({} independent)",
        i.sources.join(", "),
        i.independent_sources
    )
}

/// A spot report: where, what, who, how sure, what the terms say, and the reports' own words with links.
fn spot_report(i: &guarantor_app::IncidentDto) -> String {
    let mut out = format!(
        "\n### Incident #{} — {}, {}\n\n",
        i.id,
        what(i),
        i.where_text()
    );
    out.push_str(&format!(
        "- **When**: {} (first report). **Where**: {:.4} N {:.4} E ± {} km{}{}.\n",
        i.when_text(),
        i.lat,
        i.lon,
        i.place_precision_km,
        i.km_to_line.map_or(String::new(), |km| format!(
            ", {km:.0} km from the contact line"
        )),
        if i.occupied {
            ", in the occupied area"
        } else {
            ""
        }
    ));
    if let Some(h) = &i.hit {
        out.push_str(&format!(
            "- **Hit**: {} — {}.\n",
            h.category.replace('_', " "),
            h.by
        ));
    }
    out.push_str(&format!("- **Party**: {}.\n", i.attribution.text()));
    out.push_str(&format!(
        "- **Confidence**: {} — {} report{} from {} ({} independent: {}).\n",
        i.confidence.replace('_', " "),
        i.reports.len(),
        if i.reports.len() == 1 { "" } else { "s" },
        i.sources.join(", "),
        i.independent_sources,
        i.source_kinds.join(", ")
    ));
    out.push_str(&format!(
        "- **Verdict**: {}. {}.\n",
        verdict(i),
        capitalised(&i.reasons.join("; "))
    ));
    out.push_str("- **Reports**:\n");
    for a in &i.accounts {
        let link = a
            .links
            .first()
            .map(|l| format!(" ([link]({l}))"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  - {} ({}, {}): \u{201c}{}\u{201d}{link}\n",
            a.report,
            a.when_text(),
            a.kind.replace('_', " "),
            a.text.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    out
}

/// The daily report as Markdown.
pub(crate) fn daily_report(r: &guarantor_app::DailyReport, terms: &str) -> String {
    let change = |now: usize, before: usize| {
        let d = now as i64 - before as i64;
        match d.cmp(&0) {
            std::cmp::Ordering::Greater => format!("+{d}"),
            std::cmp::Ordering::Less => d.to_string(),
            std::cmp::Ordering::Equal => "=".into(),
        }
    };
    let mut out = format!(
        "# Daily report, {} (period to {} Kyiv time)\n\nTerms: {terms}.\nPeriod {} to {} (UTC).\n\n",
        r.day, r.cut, r.from, r.to
    );
    if r.day < r.terms_effective {
        out.push_str(&format!(
            "The terms take effect on {}: nothing before that day is a violation.\n\n",
            r.terms_effective
        ));
    }
    out.push_str(&match &r.occupied_as_of {
        Some(d) => format!("Zones and the occupied area as they were on {d}.\n\n"),
        None => "Zones and the occupied area as the scenario draws them now (its dated series does not cover \
                 this day: the line may have been elsewhere then).\n\n"
            .to_owned(),
    });
    out.push_str(&format!(
        "{} reports made {} incidents, {} of them violations ({} reports, {} incidents, {} violations the day \
         before).\n",
        r.totals.reports,
        r.totals.incidents,
        r.totals.violations,
        r.previous.reports,
        r.previous.incidents,
        r.previous.violations
    ));
    for (title, rows) in [
        ("By kind", &r.by_kind),
        ("By zone", &r.by_zone),
        ("By oblast", &r.by_oblast),
        (
            "By party (the evidence; a proposal, not a finding)",
            &r.by_party,
        ),
        ("By what was hit", &r.by_target),
        ("By confidence", &r.by_confidence),
        ("Violations by severity", &r.by_severity),
    ] {
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n## {title}\n\n| | this period | the day before | change |\n|---|---:|---:|---:|\n"
        ));
        for c in rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                c.key,
                c.count,
                c.previous,
                change(c.count, c.previous)
            ));
        }
    }
    if !r.spot_reports.is_empty() {
        out.push_str("\n## Spot reports\n");
        for i in r.spot_reports.iter().map(|&k| &r.incidents[k]) {
            out.push_str(&spot_report(i));
        }
    }
    out.push_str(&responses(
        &r.ladder,
        "\n## Responses the terms call for\n\n",
    ));
    if !r.incidents.is_empty() {
        out.push_str(
            "\n## Incidents\n\n| # | time (UTC) | where | what | party | confidence | sources | verdict |\n\
             |---:|---|---|---|---|---|---|---|\n",
        );
        for i in &r.incidents {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                i.id,
                i.time,
                i.where_text(),
                what(i),
                i.attribution.party_text(),
                i.confidence.replace('_', " "),
                sources(i),
                verdict(i)
            ));
        }
    }
    out
}

/// `violation, grave` or `no violation`.
fn verdict(i: &guarantor_app::IncidentDto) -> String {
    if i.violation {
        format!("violation, {}", i.severity)
    } else {
        "no violation".to_owned()
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn hours(h: Option<u32>) -> String {
    h.map_or("-".to_owned(), |h| format!("{h} h"))
}

fn amount(x: f64) -> String {
    if x.fract() == 0.0 {
        n(x as u64)
    } else {
        format!("{x:.1}")
    }
}

/// The response timeline of one contingency.
pub(crate) fn response(r: &guarantor_app::ResponseReport) -> String {
    let mut out = response_heading(r);
    out.push_str(&response_tiers(r));
    out.push_str(&response_first(r));
    out.push_str(&response_build_up(r));
    out.push_str(&response_elements(r));
    out.push_str(&response_excluded(r));
    if let Some(c) = &r.cost {
        out.push_str(&response_cost(c));
    }
    out
}

/// The response's heading: the contingency, the threatened site, the nations left out and the force in place.
fn response_heading(r: &guarantor_app::ResponseReport) -> String {
    let c = &r.contingency;
    let mut out = format!(
        "Response to: {} ({}), day {} — world state: {}\n",
        c.name, c.kind, c.day, r.world
    );
    out.push_str(&format!(
        "Threatened site: {} ({}); objective {:.4} N {:.4} E{}\n",
        c.site_name,
        c.site,
        c.objective.lat,
        c.objective.lon,
        c.origin
            .as_ref()
            .map(|o| format!("; attack from {:.4} N {:.4} E", o.lat, o.lon))
            .unwrap_or_default()
    ));
    if !r.without.is_empty() {
        out.push_str(&format!("Left out: {}\n", r.without.join(", ")));
    }
    out.push_str(&format!(
        "The force at the site already: {} troops. Times are hours from the violation; the response is followed {} days.\n",
        n(r.in_place_troops),
        r.horizon_hours / 24
    ));
    out
}

/// The response's tiers, each a political decision: when it is meant, decided and first acts.
fn response_tiers(r: &guarantor_app::ResponseReport) -> String {
    let mut t = table(
        &["tier", "meant within", "decided", "first acts"],
        &[1, 2, 3],
    );
    for tier in &r.tiers {
        t.add_row(vec![
            Cell::new(&tier.name),
            Cell::new(format!("{} h", tier.target_hours)),
            Cell::new(format!("{} h", tier.decided_hour)),
            Cell::new(hours(tier.first_hour)),
        ]);
    }
    format!("\nTiers (each a political decision)\n{t}\n")
}

/// Who acts first in each way, and when.
fn response_first(r: &guarantor_app::ResponseReport) -> String {
    let mut t = table(&["first to act", "at", "who"], &[1]);
    for f in &r.first {
        t.add_row(vec![
            Cell::new(&f.what),
            Cell::new(format!("{} h", f.hour)),
            Cell::new(&f.label),
        ]);
    }
    format!("\n{t}\n")
}

/// The build-up at the place against the need, at each checkpoint.
fn response_build_up(r: &guarantor_app::ResponseReport) -> String {
    let mut t = table(
        &["by", "troops", "tonnes", "sorties/day", "missiles", "ships"],
        &[1, 2, 3, 4, 5],
    );
    let need = &r.needs;
    t.add_row(vec![
        Cell::new("needed"),
        Cell::new(n(need.troops)),
        Cell::new(n(need.tonnes)),
        Cell::new(amount(need.sorties_per_day)),
        Cell::new(n(u64::from(need.missiles))),
        Cell::new(n(u64::from(need.ships))),
    ]);
    for cp in &r.checkpoints {
        let (h, g) = (&cp.have, &cp.gap);
        let cell =
            |have: String, gap: bool| Cell::new(if gap { format!("{have} short") } else { have });
        t.add_row(vec![
            Cell::new(if cp.hour % 24 == 0 && cp.hour >= 168 {
                format!("day {}", cp.hour / 24)
            } else {
                format!("{} h", cp.hour)
            }),
            cell(n(h.troops), g.troops > 0),
            cell(n(h.tonnes), g.tonnes > 0),
            cell(amount(h.sorties_per_day), g.sorties_per_day > 0.0),
            cell(n(u64::from(h.missiles)), g.missiles > 0),
            cell(n(u64::from(h.ships)), g.ships > 0),
        ]);
    }
    format!("\nBuild-up at the place against the need (\"short\": below what is needed)\n{t}\n")
}

/// What responds: each element's decision, notice and movement, and when it is first and all at the place.
fn response_elements(r: &guarantor_app::ResponseReport) -> String {
    let mut t = table(
        &[
            "option",
            "element",
            "nation",
            "brings",
            "decision",
            "notice",
            "move",
            "first",
            "all there",
        ],
        &[4, 5, 6, 7, 8],
    );
    for e in &r.elements {
        let brings = match e.kind {
            "troops" => format!("{} ({} troops)", e.what, n(e.troops)),
            "materiel" => format!("{} ({} t)", e.what, n(e.tonnes)),
            "sorties" => format!(
                "{} aircraft, {} sorties/day",
                e.aircraft,
                amount(e.sorties_per_day)
            ),
            "missiles" => format!("{} missiles", e.missiles),
            "ships" => format!("{} ships", e.ships),
            _ => "measure".to_owned(),
        };
        let decided: Vec<String> = e
            .decisions
            .iter()
            .map(|d| format!("{} {}", d.name, d.hours))
            .collect();
        t.add_row(vec![
            Cell::new(&e.option),
            Cell::new(&e.label),
            Cell::new(&e.nation),
            Cell::new(brings),
            Cell::new(if decided.is_empty() {
                "0 h".to_owned()
            } else {
                format!("{} h ({})", e.decision_hours, decided.join(" + "))
            }),
            Cell::new(format!("{} h", e.notice_hours)),
            Cell::new(hours(e.move_hours)),
            Cell::new(hours(e.first_hour)),
            Cell::new(e.closed_hour.map_or_else(
                || e.not_closed.unwrap_or("-").to_owned(),
                |h| format!("{h} h"),
            )),
        ]);
    }
    format!("\nWhat responds: decision + notice + movement = first at the place\n{t}\n")
}

/// What is left out in this world state, and why (nothing when nothing is).
fn response_excluded(r: &guarantor_app::ResponseReport) -> String {
    if r.excluded.is_empty() {
        return String::new();
    }
    // The units of one pledge or reserve (`label#k`) left out for one reason: one row.
    let mut rows: Vec<(&str, &str, &str, &str, usize)> = Vec::new();
    for x in &r.excluded {
        let base = x.label.split_once('#').map_or(x.label.as_str(), |(b, _)| b);
        match rows.last_mut() {
            Some(last) if (last.0, last.1, last.3) == (&x.option, base, &x.detail) => last.4 += 1,
            _ => rows.push((&x.option, base, &x.nation, &x.detail, 1)),
        }
    }
    let mut t = table(&["option", "element", "nation", "why not"], &[]);
    for (option, label, nation, detail, count) in rows {
        t.add_row(vec![
            Cell::new(option),
            Cell::new(if count > 1 {
                format!("{label} ({count} units)")
            } else {
                label.to_owned()
            }),
            Cell::new(nation),
            Cell::new(detail),
        ]);
    }
    format!("\nLeft out in this world state\n{t}\n")
}

/// Dollars in millions to one decimal.
fn millions(x: f64) -> String {
    format!("{:.1} m", x / 1e6)
}

/// A low–best–high range in millions: `best (low–high)`.
fn millions_range(e: &guarantor_app::EstimateDto) -> String {
    format!(
        "{} ({}–{})",
        millions(e.best),
        millions(e.low),
        millions(e.high)
    )
}

/// What a response costs beyond the plan, element by element and by nation.
fn response_cost(c: &guarantor_app::ResponseCostDto) -> String {
    let mut t = table(
        &[
            "element",
            "nation",
            "uses",
            "troops",
            "move",
            "sorties, missiles, ships",
            "in all (low–high)",
        ],
        &[2, 3, 4, 5, 6],
    );
    for e in &c.elements {
        let uses = if e.kind == "withheld" {
            String::new()
        } else {
            format!("{} {}", amount(e.quantity), e.unit)
        };
        t.add_row(vec![
            Cell::new(&e.label),
            Cell::new(&e.nation),
            Cell::new(uses),
            Cell::new(match (e.kind, e.in_plan) {
                ("troops", true) => "in the plan".to_owned(),
                ("troops" | "withheld", _) => millions(e.troops.best),
                _ => "-".to_owned(),
            }),
            Cell::new(match e.kind {
                "troops" | "withheld" => millions(e.transport.best),
                _ => "-".to_owned(),
            }),
            Cell::new(match (e.kind, e.unpriced) {
                ("troops", _) => "-".to_owned(),
                (_, true) => "no price".to_owned(),
                _ => millions(e.uses.best),
            }),
            Cell::new(millions_range(&e.total)),
        ]);
    }
    let nations: Vec<String> = c
        .by_nation
        .iter()
        .map(|x| {
            format!(
                "{} {}",
                if x.nation.is_empty() {
                    "coalition"
                } else {
                    &x.nation
                },
                millions(x.amount.best)
            )
        })
        .collect();
    format!(
        "\nWhat the response costs beyond the plan over {} days ({} at {} prices; costs lie where they fall): {}\n\
         {t}\nBy nation: {}\n{}\n",
        c.horizon_hours / 24,
        c.currency,
        c.price_year,
        millions_range(&c.total),
        nations.join(", "),
        c.notes.join("\n")
    )
}

/// One line per planned contingency: when the first help of each kind acts, and the gap at 72 hours.
pub(crate) fn contingencies(reports: &[guarantor_app::ResponseReport]) -> String {
    let mut t = table(
        &[
            "contingency",
            "site",
            "first troops",
            "first sorties",
            "first materiel",
            "troops at 72 h",
            "short at 72 h",
            "cost beyond the plan",
        ],
        &[2, 3, 4, 5, 7],
    );
    for r in reports {
        let first = |prefix: &str| {
            r.first
                .iter()
                .find(|f| f.what.starts_with(prefix))
                .map_or("-".to_owned(), |f| format!("{} h", f.hour))
        };
        let at72 = r.checkpoints.iter().find(|c| c.hour == 72);
        let short = at72.map_or(String::new(), |c| {
            let g = &c.gap;
            let mut s = Vec::new();
            if g.troops > 0 {
                s.push(format!("{} troops", n(g.troops)));
            }
            if g.tonnes > 0 {
                s.push(format!("{} t", n(g.tonnes)));
            }
            if g.sorties_per_day > 0.0 {
                s.push(format!("{} sorties/day", amount(g.sorties_per_day)));
            }
            if g.missiles > 0 {
                s.push(format!("{} missiles", g.missiles));
            }
            if g.ships > 0 {
                s.push(format!("{} ships", g.ships));
            }
            if s.is_empty() {
                "none".to_owned()
            } else {
                s.join(", ")
            }
        });
        t.add_row(vec![
            Cell::new(r.contingency.id.as_deref().unwrap_or(&r.contingency.name)),
            Cell::new(&r.contingency.site),
            Cell::new(first("troops:")),
            Cell::new(first("sorties")),
            Cell::new(first("materiel")),
            Cell::new(at72.map_or("-".to_owned(), |c| n(c.have.troops))),
            Cell::new(short),
            Cell::new(
                r.cost
                    .as_ref()
                    .map_or("-".to_owned(), |c| millions_range(&c.total)),
            ),
        ]);
    }
    let world = reports.first().map_or("", |r| r.world.as_str());
    format!(
        "Planned contingencies: how swiftly the response acts (hours from the violation) — world state: {world}\n{t}\n\
         `guarantor respond --contingency ID` shows one in full; `--site SITE` or `--point LAT,LON` any other place.\n"
    )
}

/// Every world state's response at every site, worst first; the nations that matter most.
pub(crate) fn response_whatif(r: &guarantor_app::ResponseWhatIf) -> String {
    let mut out = format!(
        "An attack on every site on day {} in every world state ({} states, {} distinct plans): how swiftly\n\
         each is reinforced (hours from the violation; decisions, notice and movement)\n",
        r.day,
        r.states.len(),
        r.distinct_plans
    );
    let mut t = table(
        &[
            "world state (facts true)",
            "sites reached ≤72 h",
            "slowest site's first unit",
            "sorties/day at 72 h",
        ],
        &[1, 2, 3],
    );
    let shown = 12.min(r.states.len());
    for s in r.states.iter().take(shown) {
        let on: Vec<&str> = s
            .facts
            .iter()
            .filter(|(_, v)| **v)
            .map(|(f, _)| f.as_str())
            .collect();
        t.add_row(vec![
            Cell::new(if on.is_empty() {
                "(none)".to_owned()
            } else {
                on.join(", ")
            }),
            Cell::new(format!("{} of {}", s.sites_reached_by_72h, s.sites.len())),
            Cell::new(hours(s.worst_first_troops_hour)),
            Cell::new(amount(s.sorties_per_day_at_72h)),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    if r.states.len() > shown {
        out.push_str(&format!(
            "(the {shown} worst of {} states; `--json` has every state and site)\n",
            r.states.len()
        ));
    }
    if let Some(best) = r.states.last() {
        let on: Vec<&str> = best
            .facts
            .iter()
            .filter(|(_, v)| **v)
            .map(|(f, _)| f.as_str())
            .collect();
        out.push_str(&format!(
            "Best: {} — {} of {} sites reached within 72 h, the slowest at {}, {} sorties a day.\n",
            if on.is_empty() {
                "(no fact true)".to_owned()
            } else {
                on.join(", ")
            },
            best.sites_reached_by_72h,
            best.sites.len(),
            hours(best.worst_first_troops_hour),
            amount(best.sorties_per_day_at_72h)
        ));
    }
    if !r.critical_nations.is_empty() {
        let mut t = table(
            &[
                "without",
                "slowest site's first unit",
                "later by",
                "sites reached ≤72 h",
                "sorties/day lost",
            ],
            &[1, 2, 3, 4],
        );
        for n in &r.critical_nations {
            t.add_row(vec![
                Cell::new(&n.nation),
                Cell::new(hours(n.worst_first_troops_hour)),
                Cell::new(
                    n.delay_hours
                        .map_or("a site is no longer reached".to_owned(), |d| {
                            format!("{d} h")
                        }),
                ),
                Cell::new(n.sites_reached_by_72h.to_string()),
                Cell::new(amount(n.sorties_lost)),
            ]);
        }
        out.push_str(&format!(
            "\nWho matters most in the base world state ({}): the response without each nation\n{t}\n",
            r.base
        ));
    }
    out
}

/// Renders the smallest core coalition for a terminal.
pub(crate) fn core(r: &guarantor_app::CoreReport) -> String {
    let mut out = format!("{} — the smallest core coalition\n", r.scenario);
    out.push_str(&format!(
        "world state: {}\nasked: {:.0}% of the essential troops ({} of {})\n",
        r.world.replace(',', ", "),
        100.0 * r.share,
        n((r.share * r.essential_required_troops as f64).ceil() as u64),
        n(r.essential_required_troops)
    ));
    if r.share_out_of_reach {
        out.push_str(&format!(
            "out of reach: every live pledge together fills {} ({}); the core must fill that\n",
            n(r.essential_reachable_troops),
            pct(r.essential_reachable_troops, r.essential_required_troops)
        ));
    }
    let nato = r.nations.iter().filter(|c| c.nato).count();
    out.push_str(&format!(
        "core: {} of {} nations with live pledges ({} in NATO) — proven the fewest; the seeds (000, 004) expect \
         a core of 5–8 states\n\n",
        r.nations.len(),
        r.candidates,
        nato
    ));
    let mut t = table(
        &["nation", "name", "NATO", "troops", "of its active forces"],
        &[3, 4],
    );
    for c in &r.nations {
        t.add_row(vec![
            Cell::new(&c.nation),
            Cell::new(&c.name),
            Cell::new(if c.nato { "yes" } else { "" }),
            Cell::new(n(c.troops)),
            Cell::new(format!("{:.1}%", 100.0 * c.share_of_active)),
        ]);
    }
    out.push_str(&format!("{t}\n"));
    out.push_str(&format!(
        "essential troops filled: {} (target {}); most stretched nation sends {:.1}% of its active forces\n",
        n(r.essential_filled_troops),
        n(r.target_troops),
        100.0 * r.most_strain
    ));
    out.push_str(&format!(
        "on its own the core fills at most {} essential troops and {} in all\n\n",
        n(r.core_fill.essential_troops),
        n(r.core_fill.troops)
    ));
    if !r.additions.is_empty() {
        out.push_str("What each other nation adds to the core\n");
        let mut t = table(
            &[
                "nation",
                "name",
                "essential gain",
                "total gain",
                "essential with it",
            ],
            &[2, 3, 4],
        );
        for a in &r.additions {
            t.add_row(vec![
                Cell::new(&a.nation),
                Cell::new(&a.name),
                Cell::new(format!("+{}", n(a.essential_gain_troops))),
                Cell::new(format!("+{}", n(a.gain_troops))),
                Cell::new(pct(a.essential_troops, r.essential_required_troops)),
            ]);
        }
        out.push_str(&format!("{t}\n"));
    }
    out
}

/// Renders the comparison of courses of action for a terminal.
pub(crate) fn compare(r: &guarantor_app::CompareReport) -> String {
    let mut out = format!("{} — courses of action side by side\n\n", r.scenario);
    let hours = |h: Option<u32>| h.map_or("-".to_owned(), |h| h.to_string());
    let day = |d: Option<u32>| d.map_or("never".to_owned(), |d| d.to_string());
    let mut force = table(
        &[
            "course",
            "world",
            "essential",
            "deployed",
            "committed",
            "a year",
            "nations",
            "both accept",
            "robust",
        ],
        &[2, 3, 4, 5, 8],
    );
    let mut timing = table(
        &[
            "course",
            "world",
            "IOC day",
            "FOC day",
            "response h, median",
            "slowest",
            "short by",
        ],
        &[2, 3, 4, 5],
    );
    for o in &r.options {
        force.add_row(vec![
            Cell::new(&o.course),
            Cell::new(guarantor_app::world_label(&o.world_facts)),
            Cell::new(pct(o.essential_filled_troops, o.essential_required_troops)),
            Cell::new(format!(
                "{} ({})",
                n(o.filled_troops),
                pct(o.filled_troops, o.required_troops)
            )),
            Cell::new(n(o.committed_troops)),
            Cell::new(
                o.cost_per_year
                    .as_ref()
                    .map_or("-".to_owned(), |c| money(c.best)),
            ),
            Cell::new(format!("{} ({} NATO)", o.nations, o.nato_nations)),
            Cell::new(if o.nations == 0 {
                "-".to_owned()
            } else if o.acceptable_to_both {
                "all".to_owned()
            } else {
                format!("{} of {}", o.acceptable_to_both_nations, o.nations)
            }),
            Cell::new(format!("{:.0}%", 100.0 * o.robust_share())),
        ]);
        timing.add_row(vec![
            Cell::new(&o.course),
            Cell::new(guarantor_app::world_label(&o.world_facts)),
            Cell::new(match (o.ioc_day, o.ioc_short_by()) {
                (Some(d), _) => d.to_string(),
                (None, Some(short)) => format!("never ({} short)", n(short)),
                (None, None) => "never".to_owned(),
            }),
            Cell::new(day(o.foc_day)),
            Cell::new(hours(o.response_median_hours)),
            Cell::new(hours(o.response_worst_hours)),
            Cell::new(
                o.shortfall
                    .first()
                    .map_or(String::new(), |s| s.reason.replace('_', " ")),
            ),
        ]);
    }
    out.push_str(&format!("The force\n{force}\n\nHow fast\n{timing}\n"));
    out.push_str(&format!(
        "essential: essential troops filled of those required; deployed: troops filled (of all required); \
         committed: with rotation at the steady state; a year: the cost over the horizon a year, one-offs \
         included (best, USD); both accept: nations both parties accept; IOC, FOC day: the day initial and full \
         operating capability are in place (never: with how many troops short); response h: the fastest \
         reinforcement of each key site in hours from the force and the region's reserves, the median and the \
         slowest; short by: the reason given first on the short lines with most troops; robust: the share of world \
         states (every combination of the facts the course's pledges name) in which the fill reaches initial \
         operating capability ({:.0}% of the troops required)\n\n",
        100.0 * r.ioc_fill
    ));
    let worlds = r.worlds();
    if !worlds.is_empty() {
        out.push_str("World states\n");
        for w in worlds {
            out.push_str(&format!(
                "  {}: {}\n",
                guarantor_app::world_label(w),
                w.replace(',', ", ")
            ));
        }
        out.push('\n');
    }
    out.push_str("Each course\n");
    for o in &r.options {
        out.push_str(&format!(
            "  {} ({}) — {}\n    requirements: {}; coalition: {}\n    troops: {} on the ground in Ukraine, {} in \
             the air and at sea, {} in other countries\n",
            o.course,
            guarantor_app::world_label(&o.world_facts),
            o.name,
            o.requirements_from,
            o.coalition_text(),
            n(o.troops_in_ukraine),
            n(o.troops_air_sea),
            n(o.troops_outside)
        ));
        if !o.shortfall.is_empty() {
            let why: Vec<String> = o
                .shortfall
                .iter()
                .map(|s| format!("{} {}", n(s.troops), s.reason.replace('_', " ")))
                .collect();
            out.push_str(&format!("    short: {}\n", why.join(", ")));
        }
        if !o.top_payers.is_empty() {
            let who: Vec<String> = o
                .top_payers
                .iter()
                .map(|p| {
                    format!(
                        "{} {} ({:.0}%)",
                        p.nation,
                        money(p.net_per_year),
                        100.0 * p.share
                    )
                })
                .collect();
            out.push_str(&format!("    pays most (net a year): {}\n", who.join(", ")));
        }
        out.push_str(&format!("    full plan: {}\n", o.plan_command));
    }
    out
}

/// The records whose figures are illustrative (`check --illustrative`): where, which record, what it says.
pub fn illustrative(cited: &[guarantor_scenario::Cited]) -> String {
    let mut out = format!(
        "\n{} records say their figures are illustrative (not from a published source):\n",
        cited.len()
    );
    let at: Vec<String> = cited
        .iter()
        .map(|c| format!("{}:{}", c.file, c.line))
        .collect();
    let named: Vec<String> = cited
        .iter()
        .map(|c| {
            let named = format!("{} {}", c.table, c.record);
            // A long name (a mission's, the terms') is cut so the sources stay in one column.
            match named.char_indices().nth(56) {
                Some((end, _)) => format!("{}…", &named[..end]),
                None => named,
            }
        })
        .collect();
    let wide = |v: &[String]| v.iter().map(|s| s.chars().count()).max().unwrap_or(0);
    let (w_at, w_named) = (wide(&at), wide(&named));
    for ((c, at), named) in cited.iter().zip(&at).zip(&named) {
        out.push_str(&format!("  {at:<w_at$}  {named:<w_named$}  {}\n", c.source));
    }
    out
}
