//! Places by name, for reports that name an area instead of giving coordinates: Ukraine's oblasts (the default
//! scenario's Natural Earth admin-1 outlines), each at a point inside it with the radius of a circle of its area
//! as the place's precision. Names are matched loosely: case, "oblast"/"region"/"obl." and the common
//! transliterations (Kiev, Kharkov, Odessa, Zaporozhye, Lugansk…) do not matter.

use std::sync::OnceLock;

use geo::{ChamberlainDuquetteArea, InteriorPoint};
use geo_types::{MultiPolygon, Point};

/// A named area: where a report naming it is placed, and how precisely.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// The area's name as the outlines give it.
    pub name: String,
    /// A point inside it.
    pub point: Point<f64>,
    /// The radius of a circle of its area (km).
    pub radius_km: f64,
}

/// Other spellings of the oblasts' names as exports write them (Russian-style transliterations, old names).
const ALIASES: [(&str, &str); 22] = [
    ("kiev", "kyiv"),
    ("kyivska", "kyiv"),
    ("kharkov", "kharkiv"),
    ("odessa", "odesa"),
    ("zaporozhye", "zaporizhzhia"),
    ("zaporizhia", "zaporizhzhia"),
    ("zaporizhzhya", "zaporizhzhia"),
    ("lugansk", "luhansk"),
    ("nikolaev", "mykolaiv"),
    ("nikolayev", "mykolaiv"),
    ("dnepropetrovsk", "dnipropetrovsk"),
    ("dnipro", "dnipropetrovsk"),
    ("chernigov", "chernihiv"),
    ("zhitomir", "zhytomyr"),
    ("vinnitsa", "vinnytsia"),
    ("vinnytsya", "vinnytsia"),
    ("kirovograd", "kirovohrad"),
    ("kropyvnytskyi", "kirovohrad"),
    ("khmelnitsky", "khmelnytskyi"),
    ("crimea", "autonomous republic of crimea"),
    ("transcarpathia", "zakarpattia"),
    ("volhynia", "volyn"),
];

/// A name as compared: lower case, letters and digits only, without "oblast", "region" and the like.
fn key(name: &str) -> String {
    let lower = name.to_lowercase().replace(['’', '\''], "");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !["oblast", "obl", "region", "province", "oblasts"].contains(w)
        })
        .collect();
    let joined = words.join(" ");
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == joined)
        .map_or(joined.clone(), |(_, to)| (*to).to_owned())
}

/// The areas reports may name.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    places: Vec<(String, Place)>,
}

impl Gazetteer {
    /// From named outlines.
    pub fn new<'a>(areas: impl IntoIterator<Item = (&'a str, &'a MultiPolygon<f64>)>) -> Gazetteer {
        let places = areas
            .into_iter()
            .filter_map(|(name, shape)| {
                let point = shape.interior_point()?;
                let km2 = shape.chamberlain_duquette_unsigned_area() / 1e6;
                Some((
                    key(name),
                    Place {
                        name: name.to_owned(),
                        point,
                        radius_km: (km2 / std::f64::consts::PI).sqrt(),
                    },
                ))
            })
            .collect();
        Gazetteer { places }
    }

    /// Ukraine's oblasts, from the default scenario's outlines (read once).
    pub fn ukraine() -> &'static Gazetteer {
        static UKRAINE: OnceLock<Gazetteer> = OnceLock::new();
        UKRAINE.get_or_init(|| {
            let text = include_str!("../default/geometry/admin1.geojson");
            let Ok(geojson::GeoJson::FeatureCollection(fc)) = text.parse::<geojson::GeoJson>()
            else {
                return Gazetteer::default();
            };
            let areas: Vec<(String, MultiPolygon<f64>)> = fc
                .features
                .iter()
                .filter_map(|f| {
                    let name = f.property("name")?.as_str()?.to_owned();
                    let geometry = f.geometry.as_ref()?;
                    let shape = match geo_types::Geometry::<f64>::try_from(geometry.clone()).ok()? {
                        geo_types::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
                        geo_types::Geometry::MultiPolygon(m) => m,
                        _ => return None,
                    };
                    Some((name, shape))
                })
                .collect();
            Gazetteer::new(areas.iter().map(|(n, s)| (n.as_str(), s)))
        })
    }

    /// The area `name` names, if any.
    pub fn find(&self, name: &str) -> Option<&Place> {
        let k = key(name);
        self.places.iter().find(|(n, _)| *n == k).map(|(_, p)| p)
    }

    /// Every area's name, for messages.
    pub fn names(&self) -> Vec<&str> {
        self.places.iter().map(|(_, p)| p.name.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oblasts_are_found_however_they_are_spelt() {
        let g = Gazetteer::ukraine();
        assert_eq!(g.names().len(), 27);
        for (asked, found) in [
            ("Kharkiv Oblast", "Kharkiv"),
            ("Kharkov region", "Kharkiv"),
            ("ZAPOROZHYE", "Zaporizhzhia"),
            ("Odessa Oblast", "Odesa"),
            ("Kyiv City", "Kyiv City"),
            ("Kiev", "Kyiv"),
            ("Crimea", "Autonomous Republic of Crimea"),
        ] {
            assert_eq!(
                g.find(asked).map(|p| p.name.as_str()),
                Some(found),
                "{asked}"
            );
        }
        assert!(g.find("Atlantis").is_none());
        // Kharkiv oblast is about 31,400 km²: a circle of that area has a radius of about 100 km.
        let kharkiv = g.find("Kharkiv").expect("Kharkiv");
        assert!(
            (90.0..110.0).contains(&kharkiv.radius_km),
            "{}",
            kharkiv.radius_km
        );
        assert!(
            (35.0..38.5).contains(&kharkiv.point.x()) && (48.5..50.5).contains(&kharkiv.point.y())
        );
    }
}
