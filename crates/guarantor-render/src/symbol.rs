//! Map symbols: friendly units in the manner of NATO's APP-6 (a frame by domain, the capability's sign inside,
//! the echelon above), and sites by kind.

use guarantor_core::{Domain, Echelon, Sign, SiteKind};

use crate::svg::{Svg, num};

/// APP-6's friendly fill (crystal blue) and frame.
const FRIENDLY: &str = r##"fill="#80e0ff" stroke="#000" stroke-width="1""##;
const INK: &str = r##"fill="none" stroke="#000" stroke-width="1""##;

/// Width and height of a unit frame, px.
pub const UNIT_W: f64 = 24.0;
/// See [`UNIT_W`].
pub const UNIT_H: f64 = 16.0;
/// Room above a frame for the echelon marker, px.
pub const ECHELON_H: f64 = 6.0;

/// The frame a unit is drawn in: land units in a rectangle, air units under a dome, sea units in a circle.
pub fn frame_of(domains: impl IntoIterator<Item = Domain>) -> Domain {
    let domains: Vec<Domain> = domains.into_iter().collect();
    if domains.contains(&Domain::Land) || domains.contains(&Domain::Border) || domains.is_empty() {
        Domain::Land
    } else if domains.contains(&Domain::Sea) {
        Domain::Sea
    } else {
        Domain::Air
    }
}

/// A friendly unit with its top-left corner at (`x`, `y`) (the echelon marker goes above it).
pub fn unit(svg: &mut Svg, (x, y): (f64, f64), frame: Domain, sign: Sign, echelon: Echelon) {
    let (w, h) = (UNIT_W, UNIT_H);
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    match frame {
        Domain::Sea => svg.circle((cx, cy), h / 2.0 + 1.0, FRIENDLY),
        Domain::Air => svg.path(
            &format!(
                "M{} {}V{}A{} {} 0 0 1 {} {}V{}Z",
                num(x),
                num(y + h),
                num(y + h / 3.0),
                num(w / 2.0),
                num(h / 1.5),
                num(x + w),
                num(y + h / 3.0),
                num(y + h)
            ),
            FRIENDLY,
        ),
        _ => svg.rect(x, y, w, h, FRIENDLY),
    }
    sign_inside(svg, (x, y, w, h), sign);
    echelon_above(svg, (cx, y - 1.5), echelon);
}

fn sign_inside(svg: &mut Svg, (x, y, w, h): (f64, f64, f64, f64), sign: Sign) {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let text = |svg: &mut Svg, t: &str| {
        svg.text((cx, cy + 2.6), 7.0, "middle", r##"fill="#000""##, t);
    };
    let cross = |svg: &mut Svg| {
        svg.line((x, y), (x + w, y + h), INK);
        svg.line((x, y + h), (x + w, y), INK);
    };
    let oval = |svg: &mut Svg| {
        svg.raw(&format!(
            r#"<ellipse cx="{}" cy="{}" rx="{}" ry="{}" {INK}/>"#,
            num(cx),
            num(cy),
            num(w * 0.32),
            num(h * 0.28)
        ));
    };
    match sign {
        Sign::Infantry => cross(svg),
        Sign::MechanisedInfantry => {
            cross(svg);
            oval(svg);
        }
        Sign::Armour => oval(svg),
        Sign::Artillery => svg.circle((cx, cy), 2.5, r##"fill="#000""##),
        Sign::AirDefence => svg.path(
            &format!(
                "M{} {}A{} {} 0 0 1 {} {}",
                num(x + 3.0),
                num(y + h),
                num(w / 2.0 - 3.0),
                num(h * 0.6),
                num(x + w - 3.0),
                num(y + h)
            ),
            INK,
        ),
        Sign::Engineer => svg.path(
            &format!(
                "M{} {}H{}M{} {}V{}M{} {}V{}M{} {}V{}",
                num(cx - 6.0),
                num(cy - 2.0),
                num(cx + 6.0),
                num(cx - 6.0),
                num(cy - 2.0),
                num(cy + 3.0),
                num(cx),
                num(cy - 2.0),
                num(cy + 3.0),
                num(cx + 6.0),
                num(cy - 2.0),
                num(cy + 3.0)
            ),
            INK,
        ),
        Sign::Medical => svg.path(
            &format!(
                "M{} {}H{}M{} {}V{}",
                num(cx - 5.0),
                num(cy),
                num(cx + 5.0),
                num(cx),
                num(y + 2.0),
                num(y + h - 2.0)
            ),
            r##"fill="none" stroke="#000" stroke-width="2""##,
        ),
        Sign::Signals => svg.path(
            &format!(
                "M{} {}L{} {}L{} {}L{} {}",
                num(x),
                num(y),
                num(cx - 1.0),
                num(cy + 2.0),
                num(cx + 1.0),
                num(cy - 2.0),
                num(x + w),
                num(y + h)
            ),
            INK,
        ),
        Sign::Fighter => text(svg, "F"),
        Sign::SurveillanceAircraft => text(svg, "AEW"),
        Sign::TransportAircraft => text(svg, "C"),
        Sign::Frigate => text(svg, "FF"),
        Sign::MineCountermeasures => text(svg, "MCM"),
        Sign::Uav => text(svg, "UAV"),
        Sign::Cbrn => text(svg, "CBRN"),
        Sign::MilitaryPolice => text(svg, "MP"),
        Sign::Training => text(svg, "TRG"),
        Sign::Logistics => text(svg, "LOG"),
        Sign::Headquarters => text(svg, "HQ"),
        Sign::Liaison => text(svg, "LO"),
        Sign::SpecialForces => text(svg, "SOF"),
    }
}

/// The echelon marker centred at (`cx`, `bottom`): dots for sections and platoons, bars for companies and
/// battalions, an X for a brigade.
fn echelon_above(svg: &mut Svg, (cx, bottom): (f64, f64), echelon: Echelon) {
    let dots = |svg: &mut Svg, n: usize| {
        for i in 0..n {
            let x = cx + (i as f64 - (n as f64 - 1.0) / 2.0) * 3.5;
            svg.circle((x, bottom - 1.5), 1.1, r##"fill="#000""##);
        }
    };
    let bars = |svg: &mut Svg, n: usize| {
        for i in 0..n {
            let x = cx + (i as f64 - (n as f64 - 1.0) / 2.0) * 3.0;
            svg.line(
                (x, bottom),
                (x, bottom - 4.0),
                r##"stroke="#000" stroke-width="1.2""##,
            );
        }
    };
    match echelon {
        Echelon::Team => svg.circle((cx, bottom - 2.0), 1.8, INK),
        Echelon::Section => dots(svg, 2),
        Echelon::Platoon | Echelon::Flight => dots(svg, 3),
        Echelon::Company | Echelon::Battery | Echelon::Squadron => bars(svg, 1),
        Echelon::Battalion => bars(svg, 2),
        Echelon::Regiment => bars(svg, 3),
        Echelon::Brigade => {
            svg.line((cx - 2.5, bottom), (cx + 2.5, bottom - 4.5), INK);
            svg.line((cx - 2.5, bottom - 4.5), (cx + 2.5, bottom), INK);
        }
        Echelon::Ship | Echelon::Element => {}
    }
}

/// A site's symbol centred at (`cx`, `cy`), about 12 px across.
pub fn site(svg: &mut Svg, (cx, cy): (f64, f64), kind: SiteKind) {
    let style = |fill: &str| format!(r##"fill="{fill}" stroke="#222" stroke-width="0.8""##);
    match kind {
        SiteKind::NuclearPlant => {
            // A trefoil: three blades around a hub, on yellow.
            svg.circle((cx, cy), 6.5, &style("#ffd400"));
            for k in 0..3 {
                let a = f64::from(k) * 120.0_f64.to_radians() - 90.0_f64.to_radians();
                let (a0, a1) = (a - 0.5, a + 0.5);
                svg.path(
                    &format!(
                        "M{} {}L{} {}A5 5 0 0 1 {} {}Z",
                        num(cx + 1.6 * a0.cos()),
                        num(cy + 1.6 * a0.sin()),
                        num(cx + 5.0 * a0.cos()),
                        num(cy + 5.0 * a0.sin()),
                        num(cx + 5.0 * a1.cos()),
                        num(cy + 5.0 * a1.sin())
                    ),
                    r##"fill="#000""##,
                );
            }
            svg.circle((cx, cy), 1.0, r##"fill="#000""##);
        }
        SiteKind::Port => {
            // An anchor on white.
            svg.circle((cx, cy), 6.5, &style("#fff"));
            svg.path(
                &format!(
                    "M{} {}V{}M{} {}H{}M{} {}A4 4 0 0 0 {} {}",
                    num(cx),
                    num(cy - 4.0),
                    num(cy + 4.5),
                    num(cx - 2.5),
                    num(cy - 2.0),
                    num(cx + 2.5),
                    num(cx - 4.0),
                    num(cy + 1.0),
                    num(cx + 4.0),
                    num(cy + 1.0)
                ),
                r##"fill="none" stroke="#003a70" stroke-width="1.3""##,
            );
        }
        SiteKind::Energy => {
            // A lightning bolt on orange.
            svg.circle((cx, cy), 6.5, &style("#ff9f1c"));
            svg.path(
                &format!(
                    "M{} {}L{} {}L{} {}L{} {}L{} {}L{} {}Z",
                    num(cx + 1.0),
                    num(cy - 5.0),
                    num(cx - 3.0),
                    num(cy + 0.8),
                    num(cx - 0.2),
                    num(cy + 0.8),
                    num(cx - 1.2),
                    num(cy + 5.0),
                    num(cx + 3.0),
                    num(cy - 1.0),
                    num(cx + 0.2),
                    num(cy - 1.0)
                ),
                r##"fill="#000""##,
            );
        }
        SiteKind::Airbase => {
            // An aircraft seen from above on light blue.
            svg.circle((cx, cy), 6.5, &style("#cfe8ff"));
            svg.path(
                &format!(
                    "M{} {}V{}M{} {}L{} {}L{} {}M{} {}H{}",
                    num(cx),
                    num(cy - 5.0),
                    num(cy + 4.5),
                    num(cx - 5.0),
                    num(cy + 1.0),
                    num(cx),
                    num(cy - 2.0),
                    num(cx + 5.0),
                    num(cy + 1.0),
                    num(cx - 2.0),
                    num(cy + 4.0),
                    num(cx + 2.0)
                ),
                r##"fill="none" stroke="#000" stroke-width="1.3""##,
            );
        }
        SiteKind::LogisticsHub => svg.rect(cx - 5.0, cy - 5.0, 10.0, 10.0, &style("#8d6e63")),
        SiteKind::BorderCrossing => svg.path(
            &format!(
                "M{} {}L{} {}L{} {}L{} {}Z",
                num(cx),
                num(cy - 6.0),
                num(cx + 6.0),
                num(cy),
                num(cx),
                num(cy + 6.0),
                num(cx - 6.0),
                num(cy)
            ),
            &style("#b0bec5"),
        ),
        SiteKind::Headquarters => {
            // A flag on its staff.
            svg.line(
                (cx - 4.0, cy + 6.0),
                (cx - 4.0, cy - 6.0),
                r##"stroke="#000" stroke-width="1.4""##,
            );
            svg.rect(cx - 4.0, cy - 6.0, 9.0, 6.0, &style("#80e0ff"));
        }
        SiteKind::SeaArea | SiteKind::AirArea => {
            svg.circle((cx, cy), 4.0, &style("#fff"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_choose_the_frame() {
        assert_eq!(frame_of([Domain::Land, Domain::Air]), Domain::Land);
        assert_eq!(frame_of([Domain::Sea]), Domain::Sea);
        assert_eq!(frame_of([Domain::Air]), Domain::Air);
        assert_eq!(frame_of([]), Domain::Land);
    }
}
