//! The capability catalogue: kinds of unit with a standard size.

use std::collections::BTreeSet;

use crate::id::CapabilityId;
use crate::names::named_enum;

named_enum! {
    /// Where a unit serves.
    pub enum Domain {
        /// On land.
        Land => "land",
        /// In the air.
        Air => "air",
        /// At sea.
        Sea => "sea",
        /// At borders and crossings.
        Border => "border",
    }
}

named_enum! {
    /// A task a unit can take.
    pub enum Role {
        /// Deter renewed aggression by presence and readiness.
        Deterrence => "deterrence",
        /// Reassure the host by visible presence.
        Reassurance => "reassurance",
        /// Observe and report on the ceasefire.
        Monitoring => "monitoring",
        /// Guard a site.
        Protection => "protection",
        /// Train the host's forces.
        Training => "training",
        /// Clear mines and unexploded ordnance.
        Demining => "demining",
        /// Control borders and crossings.
        BorderControl => "border_control",
        /// Police the airspace.
        AirPolicing => "air_policing",
        /// Defend against air and missile attack.
        AirDefence => "air_defence",
        /// Keep the sea lanes safe.
        MaritimeSecurity => "maritime_security",
        /// Supply and move the force.
        Logistics => "logistics",
        /// Command and control.
        Command => "command",
        /// Medical care.
        Medical => "medical",
        /// Intelligence, surveillance and reconnaissance.
        Isr => "isr",
        /// Chemical, biological, radiological and nuclear defence.
        Cbrn => "cbrn",
    }
}

named_enum! {
    /// The size of a unit, as shown by the size marker of a map symbol.
    pub enum Echelon {
        /// A team (Ø).
        Team => "team",
        /// A section.
        Section => "section",
        /// A platoon.
        Platoon => "platoon",
        /// A company.
        Company => "company",
        /// An artillery or air defence battery.
        Battery => "battery",
        /// A battalion.
        Battalion => "battalion",
        /// A regiment.
        Regiment => "regiment",
        /// A brigade.
        Brigade => "brigade",
        /// An air squadron.
        Squadron => "squadron",
        /// An air flight.
        Flight => "flight",
        /// One ship.
        Ship => "ship",
        /// A headquarters or other element.
        Element => "element",
    }
}

named_enum! {
    /// The sign drawn inside a unit's frame on the map.
    pub enum Sign {
        /// Infantry.
        Infantry => "infantry",
        /// Mechanised infantry.
        MechanisedInfantry => "mechanised_infantry",
        /// Armour.
        Armour => "armour",
        /// Artillery.
        Artillery => "artillery",
        /// Air defence.
        AirDefence => "air_defence",
        /// Fighter aircraft.
        Fighter => "fighter",
        /// Surveillance aircraft.
        SurveillanceAircraft => "surveillance_aircraft",
        /// Transport aircraft.
        TransportAircraft => "transport_aircraft",
        /// Frigate.
        Frigate => "frigate",
        /// Mine countermeasures vessel.
        MineCountermeasures => "mine_countermeasures",
        /// Unmanned aerial vehicles.
        Uav => "uav",
        /// Engineers.
        Engineer => "engineer",
        /// CBRN defence.
        Cbrn => "cbrn",
        /// Military police.
        MilitaryPolice => "military_police",
        /// Training.
        Training => "training",
        /// Medical.
        Medical => "medical",
        /// Logistics.
        Logistics => "logistics",
        /// Headquarters.
        Headquarters => "headquarters",
        /// Liaison.
        Liaison => "liaison",
        /// Signals.
        Signals => "signals",
        /// Special forces.
        SpecialForces => "special_forces",
    }
}

/// A kind of unit with a standard size.
#[derive(Clone, Debug, PartialEq)]
pub struct Capability {
    /// Id, e.g. `mech_inf_bn`.
    pub id: CapabilityId,
    /// Name, e.g. "Mechanised infantry battalion".
    pub name: String,
    /// Its size.
    pub echelon: Echelon,
    /// The sign on the map.
    pub sign: Sign,
    /// # Units
    /// troops per unit
    pub personnel: u32,
    /// # Units
    /// vehicles per unit
    pub vehicles: u32,
    /// What one unit weighs to move.
    ///
    /// # Units
    /// tonnes per unit
    pub tonnes: f64,
    /// Where it serves.
    pub domains: BTreeSet<Domain>,
    /// What it can do.
    pub roles: BTreeSet<Role>,
    /// Where the figures come from.
    pub source: String,
}
