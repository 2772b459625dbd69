//! Fields that name a value of a closed vocabulary (`kind = "airbase"`, `roles = ["protection"]`): the
//! vocabularies as one trait, [`Named`], and the record methods that read such a field by its type, with
//! every valid name for the error.

use std::collections::BTreeSet;

use guarantor_core::*;

use crate::diag::Sink;
use crate::reader::{Rec, Sp};

/// A closed vocabulary spelled by name in the scenario files (the enums of `guarantor_core`'s `named_enum!`).
pub(crate) trait Named: Copy {
    /// The value spelled `text`, if any.
    fn from_name(text: &str) -> Option<Self>;
    /// Every spelling, in declaration order (for "expected one of" messages).
    fn names() -> Vec<&'static str>;
}

/// Implements [`Named`] for enums that already have `from_name` and `names`.
macro_rules! named {
    ($($name:ty),+ $(,)?) => {
        $(
            impl Named for $name {
                fn from_name(text: &str) -> Option<Self> {
                    <$name>::from_name(text)
                }

                fn names() -> Vec<&'static str> {
                    <$name>::names()
                }
            }
        )+
    };
}

named!(
    Category,
    Confidence,
    ContingencyKind,
    CostKey,
    CourseMission,
    Coverage,
    DeciderKind,
    Domain,
    Echelon,
    EnablerKind,
    FairShareKey,
    FinancingRule,
    Membership,
    Mode,
    NodeKind,
    OptionKind,
    Party,
    PledgeStatus,
    Priority,
    Purpose,
    ReserveKind,
    Role,
    RuleScope,
    Severity,
    SiteKind,
    Sign,
);

impl Rec<'_, '_> {
    /// The field `key` as one name of `E`'s vocabulary.
    pub(crate) fn enum_field<E: Named>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Sp<E>> {
        self.choice(sink, key, required, E::from_name, &E::names())
    }

    /// The field `key` as a list of names of `E`'s vocabulary, as a set (absent: `None`).
    pub(crate) fn enum_set<E: Named + Ord>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<Sp<BTreeSet<E>>> {
        self.choices(sink, key, E::from_name, &E::names())
    }

    /// [`Rec::enum_set`] for a list that must be present and not empty.
    pub(crate) fn required_enum_set<E: Named + Ord>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<BTreeSet<E>> {
        let names = E::names();
        match self.choices(sink, key, E::from_name, &names) {
            Some(set) if !set.v.is_empty() => Some(set.v),
            Some(set) => {
                sink.error(
                    self.file,
                    set.span,
                    "empty-value",
                    self.field(key),
                    format!("`{key}` may not be empty"),
                )
                .expected(format!("at least one of {}", crate::diag::one_of(&names)));
                None
            }
            None => {
                if !self.has(key) {
                    self.missing(
                        sink,
                        key,
                        &format!("a list of {}", crate::diag::one_of(&names)),
                    );
                }
                None
            }
        }
    }
}
