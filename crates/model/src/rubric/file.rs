//! A rubric file as written: the typed form of its TOML, before the merge
//! (`draft.rs`) and validation (`compile/`). Each table is declared once, with
//! [`tables!`]: the declaration gives the struct, its `read` (the one list of
//! the keys the table accepts, [`crate::table`]) and its `overlay` (how a
//! rubric that extends another overrides it).

use std::collections::BTreeMap;

pub use crate::table::At;
use crate::table::{Reader, Table};

/// A table of a rubric file: replaced value by value when a rubric that
/// extends another gives the same item again.
pub(crate) trait Overlay {
    /// Takes each value `other` gives; keeps the others.
    fn overlay(&mut self, other: &Self);
}

/// One field's part in an overlay.
pub trait Field {
    fn take_from(&mut self, other: &Self);
}

/// A value given by the override replaces the base's.
impl<T: Clone> Field for Option<T> {
    fn take_from(&mut self, other: &Self) {
        if other.is_some() {
            self.clone_from(other);
        }
    }
}

/// Required values identify the item (its `id`) and stay.
impl Field for String {
    fn take_from(&mut self, _: &Self) {}
}

impl Field for f64 {
    fn take_from(&mut self, _: &Self) {}
}

/// A required value with its place stays, like an id.
impl<T> Field for At<T> {
    fn take_from(&mut self, _: &Self) {}
}

/// Nested items are merged one by one, by `draft.rs`.
impl<T> Field for Vec<At<T>> {
    fn take_from(&mut self, _: &Self) {}
}

/// Declares tables of rubric, profile and waiver files: for each field, its
/// type and how it is read — `required`, `optional` or `at` (with its place)
/// with its key, `conditions` (an array of predicates), `tables` (an array of
/// tables, with the name messages give them) or `table` (a plain table).
macro_rules! tables {
    ($(
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $how:ident($key:literal $(, $arg:tt)*), )+
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone)]
        pub struct $name {
            $(
                #[doc = $crate::rubric::file::tables!(@doc $how, $key)]
                $(#[$fmeta])*
                pub $field: $ty,
            )+
        }

        impl $name {
            /// Reads the table's keys, reporting every problem to `r`; `None`
            /// when a required key is missing or unreadable.
            pub fn read(
                r: &mut $crate::table::Reader<'_>,
                t: &mut $crate::table::Table<'_, '_>,
            ) -> Option<Self> {
                $( let $field = $crate::rubric::file::tables!(@read $how, r, t, $key $(, $arg)*); )+
                Some(Self { $( $field: $crate::rubric::file::tables!(@take $how, $field), )+ })
            }
        }

        impl $crate::rubric::file::Overlay for $name {
            fn overlay(&mut self, other: &Self) {
                $( $crate::rubric::file::Field::take_from(&mut self.$field, &other.$field); )+
            }
        }
    )+};
    (@read required, $r:ident, $t:ident, $key:literal) => { $t.required($r, $key) };
    (@read optional, $r:ident, $t:ident, $key:literal) => { $t.optional($r, $key) };
    (@read at, $r:ident, $t:ident, $key:literal) => { $t.at($r, $key) };
    (@read conditions, $r:ident, $t:ident, $key:literal) => {
        $crate::rubric::file::PredicateFile::read_list($r, $t, $key)
    };
    (@read tables, $r:ident, $t:ident, $key:literal, $table:literal, $item:ident) => {
        $t.tables($r, $key, $table, $item::read)
    };
    (@read table, $r:ident, $t:ident, $key:literal, $table:literal, $item:ident) => {
        $t.table($r, $key, $table, $item::read).map(|at| at.value)
    };
    (@doc required, $key:literal) => { concat!("The `", $key, "` key (required).") };
    (@doc optional, $key:literal) => { concat!("The `", $key, "` key, if given.") };
    (@doc at, $key:literal) => { concat!("The `", $key, "` key with its place in the file, if given.") };
    (@doc conditions, $key:literal) => { concat!("The `", $key, "` conditions, if given.") };
    (@doc tables, $key:literal) => { concat!("The `", $key, "` tables, each with its place in the file.") };
    (@doc table, $key:literal) => { concat!("The `", $key, "` table, if given.") };
    (@take required, $value:ident) => { $value? };
    (@take $how:ident, $value:ident) => { $value };
}
pub(crate) use tables;

/// The level a watched figure must not cross: a number in the figure's
/// unit, or another figure's path (`derived.overcollateral_pct`).
#[derive(Debug, Clone, PartialEq)]
pub enum LevelFile {
    /// A fixed level: `level = 1`.
    Number(f64),
    /// Another figure of the same disclosure: `level = "derived.overcollateral_pct"`.
    Figure(String),
}

impl crate::table::FromValue for LevelFile {
    const EXPECTED: &'static str = "a number or a figure's path";
    fn from_value(value: &toml::Spanned<toml::de::DeValue<'_>>) -> Option<Self> {
        match value.get_ref() {
            toml::de::DeValue::String(s) => Some(LevelFile::Figure(s.to_string())),
            _ => <f64 as crate::table::FromValue>::from_value(value).map(LevelFile::Number),
        }
    }
}

/// A rubric file's top-level table.
#[derive(Debug, Clone, Default)]
pub(crate) struct RubricFile {
    pub id: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub extends: Option<At<String>>,
    pub grade: Vec<At<GradeFile>>,
    pub bucket: Vec<At<BucketFile>>,
    pub layer: Vec<At<LayerFile>>,
    pub milestone: Vec<At<MilestoneFile>>,
    pub cap: Vec<At<CapFile>>,
    pub stage: Vec<At<StageFile>>,
    /// What an absent fact counts as: `unknown` (left out of the scores) or
    /// `unmet` (scored as a failed check).
    pub absent: Option<At<String>>,
    /// The facts without which no grade is given.
    pub core: Vec<At<CoreFile>>,
    /// How bucket scores combine into the overall score.
    pub overall: Option<At<OverallFile>>,
    /// Points taken off the overall score in proportion to a weakness.
    pub penalty: Vec<At<PenaltyFile>>,
    /// `[history]`: the alerts of `usd1eval history`; a rubric that
    /// declares it replaces its base's whole section.
    pub history: Option<At<HistoryFile>>,
    /// `[evidence]`: the share of a check's points each kind of evidence earns.
    pub evidence: Option<At<EvidenceFile>>,
    /// `[confidence]`: how much must be known for a grade, and for which
    /// confidence.
    pub confidence: Option<At<ConfidenceFile>>,
}

impl RubricFile {
    pub fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Self {
        Self {
            id: t.optional(r, "id"),
            version: t.optional(r, "version"),
            title: t.optional(r, "title"),
            description: t.optional(r, "description"),
            extends: t.at(r, "extends"),
            grade: t.tables(r, "grade", "[[grade]]", GradeFile::read),
            bucket: t.tables(r, "bucket", "[[bucket]]", BucketFile::read),
            layer: t.tables(r, "layer", "[[layer]]", LayerFile::read),
            milestone: t.tables(r, "milestone", "[[milestone]]", MilestoneFile::read),
            cap: t.tables(r, "cap", "[[cap]]", CapFile::read),
            stage: t.tables(r, "stage", "[[stage]]", StageFile::read),
            absent: t.at(r, "absent"),
            core: t.tables(r, "core", "[[core]]", CoreFile::read),
            overall: t.table(r, "overall", "[overall]", OverallFile::read),
            penalty: t.tables(r, "penalty", "[[penalty]]", PenaltyFile::read),
            history: t.table(r, "history", "[history]", HistoryFile::read),
            evidence: t.table(r, "evidence", "[evidence]", EvidenceFile::read),
            confidence: t.table(r, "confidence", "[confidence]", ConfidenceFile::read),
        }
    }
}

tables! {
    /// `[confidence]`: the share of its weight a bucket, layer or milestone
    /// must have known for a grade, and what a grade's confidence needs.
    ConfidenceFile {
        min_known_pct: Option<f64> = optional("min_known_pct"),
        high_known_pct: Option<f64> = optional("high_known_pct"),
        high_independent_pct: Option<f64> = optional("high_independent_pct"),
        medium_known_pct: Option<f64> = optional("medium_known_pct"),
        medium_independent_pct: Option<f64> = optional("medium_independent_pct"),
    }

    /// `[evidence]`: the share (0–1) of a check's points a fact earns, by
    /// the kind of evidence its table declares.
    EvidenceFile {
        independent_assurance: Option<f64> = optional("independent-assurance"),
        regulator: Option<f64> = optional("regulator"),
        third_party: Option<f64> = optional("third-party"),
        issuer: Option<f64> = optional("issuer"),
        unverified: Option<f64> = optional("unverified"),
    }

    /// `[history]`: what `usd1eval history` watches across disclosures.
    HistoryFile {
        growth: Option<GrowthFile> = table("growth", "[history.growth]", GrowthFile),
        alert: Vec<At<AlertFile>> = tables("alert", "[[history.alert]]", AlertFile),
        event: Vec<At<EventFile>> = tables("event", "[[history.event]]", EventFile),
    }

    /// `[[history.alert]]`: a figure that must not move the wrong way.
    AlertFile {
        id: String = required("id"),
        figure: Option<String> = optional("figure"),
        label: Option<String> = optional("label"),
        worse: Option<String> = optional("worse"),
        by: Option<f64> = optional("by"),
        by_pct: Option<f64> = optional("by_pct"),
        level: Option<LevelFile> = optional("level"),
        level_label: Option<String> = optional("level_label"),
        missing_is_worse: Option<bool> = optional("missing_is_worse"),
    }

    /// `[[history.event]]`: a change between two disclosures that no single
    /// figure shows.
    EventFile {
        id: String = required("id"),
        event: Option<String> = optional("event"),
        label: Option<String> = optional("label"),
        grace_days: Option<f64> = optional("grace_days"),
        grace_pct: Option<f64> = optional("grace_pct"),
    }

    /// `[history.growth]`: growth that outruns strength.
    GrowthFile {
        id: Option<String> = optional("id"),
        figure: Option<String> = optional("figure"),
        label: Option<String> = optional("label"),
        min_growth_pct: Option<f64> = optional("min_growth_pct"),
        strength: Option<Vec<String>> = optional("strength"),
    }

    /// A core fact: without it (and without a weak link already known from
    /// the declared facts) the arrangement gets no grade.
    CoreFile {
        fact: String = required("fact"),
        title: Option<String> = optional("title"),
        /// Other ways the fact is known: the core fact counts as known when
        /// any of these holds.
        or: Option<Vec<PredicateFile>> = conditions("or"),
    }

    /// The overall score: anchored on some buckets, moved within bounds by
    /// the rest.
    OverallFile {
        anchor: Option<Vec<String>> = optional("anchor"),
        pull: Option<f64> = optional("pull"),
        max_up: Option<f64> = optional("max_up"),
        max_down: Option<f64> = optional("max_down"),
    }

    /// A penalty: points off the overall score per unit a figure lies beyond
    /// a threshold, up to a maximum.
    PenaltyFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        fact: Option<String> = optional("fact"),
        op: Option<String> = optional("op"),
        value: Option<f64> = optional("value"),
        per_unit: Option<f64> = optional("per_unit"),
        max: Option<f64> = optional("max"),
    }

    CapFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        reason: Option<String> = optional("reason"),
        max_grade: Option<String> = optional("max_grade"),
        when: Option<Vec<PredicateFile>> = conditions("when"),
        when_any: Option<Vec<PredicateFile>> = conditions("when_any"),
    }

    StageFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        min_bucket_score: Option<f64> = optional("min_bucket_score"),
        bucket_min: Option<BTreeMap<String, f64>> = optional("bucket_min"),
        visible_when: Option<Vec<PredicateFile>> = conditions("visible_when"),
    }

    GradeFile {
        letter: String = required("letter"),
        min_score: f64 = required("min_score"),
    }

    BucketFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        description: Option<String> = optional("description"),
        weight: Option<f64> = optional("weight"),
    }

    LayerFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        description: Option<String> = optional("description"),
    }

    MilestoneFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        bucket: Option<String> = optional("bucket"),
        layers: Option<Vec<String>> = optional("layers"),
        weight: Option<f64> = optional("weight"),
        why: Option<String> = optional("why"),
        remediation: Option<String> = optional("remediation"),
        check: Vec<At<CheckFile>> = tables("check", "[[milestone.check]]", CheckFile),
    }

    CheckFile {
        id: String = required("id"),
        title: Option<String> = optional("title"),
        fact: Option<String> = optional("fact"),
        op: Option<String> = optional("op"),
        points: Option<f64> = optional("points"),
        values: Option<Vec<String>> = optional("values"),
        partial: Option<Vec<String>> = optional("partial"),
        partial_credit: Option<f64> = optional("partial_credit"),
        limit: Option<f64> = optional("limit"),
        tiers: Option<Vec<(f64, f64)>> = optional("tiers"),
        /// `where`: one field of each entry and the values it must have.
        filter: Option<BTreeMap<String, Vec<String>>> = optional("where"),
        /// The check does not apply when any of these holds.
        not_applicable_when: Option<Vec<PredicateFile>> = conditions("not_applicable_when"),
    }

    /// A predicate as written in TOML.
    PredicateFile {
        fact: String = required("fact"),
        op: String = required("op"),
        /// The number compared against.
        value: Option<f64> = optional("value"),
        /// Another fact compared against, instead of `value`.
        than: Option<String> = optional("than"),
        values: Option<Vec<String>> = optional("values"),
        /// The answer when the fact is not disclosed (default: unknown).
        if_absent: Option<bool> = optional("if_absent"),
        /// `where`: one field of each entry and the values it must have.
        filter: Option<BTreeMap<String, Vec<String>>> = optional("where"),
    }
}

impl PredicateFile {
    /// The conditions under `key`, when given: an array of inline tables.
    pub(crate) fn read_list(
        r: &mut Reader<'_>,
        t: &mut Table<'_, '_>,
        key: &'static str,
    ) -> Option<Vec<Self>> {
        let given = t.has(key);
        let list = t.tables(r, key, "condition", Self::read);
        given.then(|| list.into_iter().map(|at| at.value).collect())
    }
}
