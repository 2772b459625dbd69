//! Placement: where a report stands against the ceasefire's geography — the side of the contact line, the
//! distance to it, the buffer zone, land or sea, the country and oblast, and the nearest protected site.

use geo_types::Point;
use guarantor_core::{NationCode, ProtectedPlace, Scenario, TermId, geodesic_km};

/// Land, or which sea.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Surface {
    /// Inside a country's outline.
    Land,
    /// The Black Sea.
    BlackSea,
    /// The Sea of Azov.
    Azov,
    /// Outside every country of the theatre, away from both seas.
    Elsewhere,
}

impl Surface {
    /// `land`, `black_sea`, `azov` or `elsewhere`.
    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Land => "land",
            Surface::BlackSea => "black_sea",
            Surface::Azov => "azov",
            Surface::Elsewhere => "elsewhere",
        }
    }
}

/// Where a point stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// Inside the occupied area.
    pub occupied: bool,
    /// Geodesic distance to the contact line (`None` when the scenario has no line).
    ///
    /// # Units
    /// km
    pub km_to_line: Option<f64>,
    /// The buffer zone it falls in (the narrowest that holds it: the most specific), if any.
    pub buffer_zone: Option<TermId>,
    /// Land or sea.
    pub surface: Surface,
    /// The country whose outline holds it.
    pub country: Option<NationCode>,
    /// The oblast (first-level unit) that holds it, by name, when the scenario has them.
    pub oblast: Option<String>,
    /// The nearest protected site and the distance to its centre.
    pub nearest_protected: Option<(TermId, f64)>,
    /// The protected site whose radius holds it (the nearest such), if any.
    pub inside_protected: Option<TermId>,
}

/// The Sea of Azov, as a box north-east of the Kerch Strait (its water outside every country's outline there).
fn in_azov(p: Point<f64>) -> bool {
    (34.8..=39.4).contains(&p.x()) && (45.25..=47.3).contains(&p.y())
}

/// The Black Sea, as a box (its water outside every country's outline there, and not the Sea of Azov).
fn in_black_sea(p: Point<f64>) -> bool {
    (27.3..=42.0).contains(&p.x()) && (40.8..=46.7).contains(&p.y())
}

/// Places `point` in `scenario`'s theatre and terms.
pub fn place(scenario: &Scenario, point: Point<f64>) -> Placement {
    let theatre = &scenario.theatre;
    let km_to_line = theatre.km_to_contact_line(point);
    let country = theatre.country_at(point).map(|c| c.iso3.clone());
    let surface = if country.is_some() {
        Surface::Land
    } else if in_azov(point) {
        Surface::Azov
    } else if in_black_sea(point) {
        Surface::BlackSea
    } else {
        Surface::Elsewhere
    };
    let buffer_zone = km_to_line.and_then(|km| {
        scenario
            .terms
            .buffer_zones
            .iter()
            .filter(|z| km <= z.width_km)
            .min_by(|a, b| a.width_km.total_cmp(&b.width_km))
            .map(|z| z.id.clone())
    });
    let mut nearest: Option<(TermId, f64)> = None;
    let mut inside: Option<(TermId, f64)> = None;
    for site in &scenario.terms.protected_sites {
        let centre = match &site.place {
            ProtectedPlace::Point(p) => Some(*p),
            ProtectedPlace::Site(id) => scenario.site(id).map(|s| s.location),
        };
        let Some(centre) = centre else { continue };
        let km = geodesic_km(point, centre);
        if nearest.as_ref().is_none_or(|(_, d)| km < *d) {
            nearest = Some((site.id.clone(), km));
        }
        if km <= site.radius_km && inside.as_ref().is_none_or(|(_, d)| km < *d) {
            inside = Some((site.id.clone(), km));
        }
    }
    Placement {
        occupied: theatre.is_occupied(point),
        km_to_line,
        buffer_zone,
        surface,
        country,
        oblast: theatre.region_at(point).map(|r| r.name.clone()),
        nearest_protected: nearest,
        inside_protected: inside.map(|(id, _)| id),
    }
}
