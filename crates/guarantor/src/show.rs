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

    out.push_str("Political facts\n");
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

    out.push_str("Troops by domain\n");
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

    out.push_str("Troops by capability (units in brackets)\n");
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

    out.push_str(&format!("Nations ({})\n", s.nations.len()));
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

    out.push_str(&format!("Sites ({})\n", s.sites.len()));
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
    if !s.attribution.is_empty() {
        out.push_str(&format!("\n{}\n", s.attribution.join("; ")));
    }
    out
}
