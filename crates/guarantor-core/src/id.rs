//! Identifiers: nation codes (ISO 3166-1 alpha-3) and the ids of every other record.

use std::fmt;

/// Why a piece of text is not a valid identifier.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The text is empty.
    #[error("an id may not be empty")]
    Empty,
    /// A record id breaks the id alphabet.
    #[error(
        "`{0}` is not a valid id: use lowercase letters, digits, `-` and `_`, starting with a letter"
    )]
    BadRecordId(String),
    /// A nation code is not three upper-case letters.
    #[error("`{0}` is not an ISO 3166-1 alpha-3 code: three upper-case letters, e.g. `FRA`")]
    BadNationCode(String),
}

/// Whether `text` is a valid record id: lowercase ASCII letters, digits, `-` and `_`, starting with a letter.
///
/// # Examples
///
/// ```
/// assert!(guarantor_core::is_record_id("npp-south-ukraine"));
/// assert!(!guarantor_core::is_record_id("South Ukraine"));
/// ```
pub fn is_record_id(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && text.len() <= 64
}

macro_rules! record_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `text` against the id alphabet (see [`is_record_id`]).
            pub fn new(text: &str) -> Result<Self, IdError> {
                if text.is_empty() {
                    Err(IdError::Empty)
                } else if is_record_id(text) {
                    Ok(Self(text.to_owned()))
                } else {
                    Err(IdError::BadRecordId(text.to_owned()))
                }
            }

            /// The id as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

record_id!(
    /// The id of a capability in the catalogue, e.g. `mech_inf_bn`.
    CapabilityId
);
record_id!(
    /// The id of a course of action, e.g. `deterrence-40k`.
    CourseId
);
record_id!(
    /// The id of a pledge, e.g. `fra-mech-inf`.
    PledgeId
);
record_id!(
    /// The id of a site, e.g. `npp-south-ukraine`.
    SiteId
);
record_id!(
    /// The id of a requirement line.
    RequirementId
);
record_id!(
    /// The id of a mission phase, e.g. `initial-entry`.
    PhaseId
);
record_id!(
    /// The name of a political fact, e.g. `us_backstop`.
    FactId
);
record_id!(
    /// The id of a transport network node.
    NodeId
);
record_id!(
    /// The id of a transport network link.
    LinkId
);
record_id!(
    /// The id of a reserve: a force held outside the sourced force that can reinforce a site.
    ReserveId
);
record_id!(
    /// The id of an air or sea area (a feature of the areas geometry).
    AreaId
);
record_id!(
    /// The id of a buffer zone, protected site, time window or escalation step in the ceasefire terms.
    TermId
);
record_id!(
    /// A region name that sites carry and caveats refer to, e.g. `west`.
    RegionId
);

/// A nation: its ISO 3166-1 alpha-3 code, e.g. `FRA`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NationCode(String);

impl NationCode {
    /// Checks that `text` is three upper-case ASCII letters.
    ///
    /// # Examples
    ///
    /// ```
    /// use guarantor_core::NationCode;
    /// assert!(NationCode::new("FRA").is_ok());
    /// assert!(NationCode::new("fr").is_err());
    /// ```
    pub fn new(text: &str) -> Result<Self, IdError> {
        if text.len() == 3 && text.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(text.to_owned()))
        } else if text.is_empty() {
            Err(IdError::Empty)
        } else {
            Err(IdError::BadNationCode(text.to_owned()))
        }
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_follow_the_alphabet() {
        for good in ["a", "npp-south-ukraine", "mech_inf_bn", "r12"] {
            assert!(SiteId::new(good).is_ok(), "{good}");
        }
        for bad in ["", "1abc", "Kyiv", "a b", "é", "-x"] {
            assert!(SiteId::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nation_codes_are_three_capitals() {
        assert!(NationCode::new("GBR").is_ok());
        for bad in ["", "GB", "gbr", "GBRR", "G1R"] {
            assert!(NationCode::new(bad).is_err(), "{bad}");
        }
    }
}
