//! A rubric file as written: the typed form of its TOML, before the merge
//! and validation in `load.rs`. Each type's `read` names the keys its table
//! accepts ([`super::table`]); that is the one list of them.

use std::collections::BTreeMap;

pub use super::table::At;
use super::table::{Reader, Table};

/// A rubric file's top-level table.
#[derive(Debug, Clone, Default)]
pub struct RubricFile {
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
}

/// `[history]`: what `usd1eval history` watches across disclosures.
#[derive(Debug, Clone, Default)]
pub struct HistoryFile {
    pub growth: Option<GrowthFile>,
    pub alert: Vec<At<AlertFile>>,
}

impl HistoryFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        Some(Self {
            growth: t
                .table(r, "growth", "[history.growth]", GrowthFile::read)
                .map(|at| at.value),
            alert: t.tables(r, "alert", "[[history.alert]]", AlertFile::read),
        })
    }
}

/// `[[history.alert]]`: a figure that must not move the wrong way.
#[derive(Debug, Clone)]
pub struct AlertFile {
    pub id: String,
    pub figure: Option<String>,
    pub label: Option<String>,
    pub worse: Option<String>,
    pub by: Option<f64>,
    pub missing_is_worse: Option<bool>,
}

impl AlertFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            figure: t.optional(r, "figure"),
            label: t.optional(r, "label"),
            worse: t.optional(r, "worse"),
            by: t.optional(r, "by"),
            missing_is_worse: t.optional(r, "missing_is_worse"),
            id: id?,
        })
    }
}

/// `[history.growth]`: growth that outruns strength.
#[derive(Debug, Clone)]
pub struct GrowthFile {
    pub id: Option<String>,
    pub figure: Option<String>,
    pub label: Option<String>,
    pub min_growth_pct: Option<f64>,
    pub strength: Option<Vec<String>>,
}

impl GrowthFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        Some(Self {
            id: t.optional(r, "id"),
            figure: t.optional(r, "figure"),
            label: t.optional(r, "label"),
            min_growth_pct: t.optional(r, "min_growth_pct"),
            strength: t.optional(r, "strength"),
        })
    }
}

/// A core fact: without it (and without a weak link already known from the
/// declared facts) the arrangement gets no grade.
#[derive(Debug, Clone)]
pub struct CoreFile {
    pub fact: String,
    pub title: Option<String>,
}

impl CoreFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let fact = t.required(r, "fact");
        Some(Self {
            title: t.optional(r, "title"),
            fact: fact?,
        })
    }
}

/// The overall score: anchored on some buckets, moved within bounds by the rest.
#[derive(Debug, Clone, Default)]
pub struct OverallFile {
    pub anchor: Option<Vec<String>>,
    pub pull: Option<f64>,
    pub max_up: Option<f64>,
    pub max_down: Option<f64>,
}

impl OverallFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        Some(Self {
            anchor: t.optional(r, "anchor"),
            pull: t.optional(r, "pull"),
            max_up: t.optional(r, "max_up"),
            max_down: t.optional(r, "max_down"),
        })
    }
}

/// A penalty: points off the overall score per unit a figure lies beyond a
/// threshold, up to a maximum.
#[derive(Debug, Clone)]
pub struct PenaltyFile {
    pub id: String,
    pub title: Option<String>,
    pub fact: Option<String>,
    pub op: Option<String>,
    pub value: Option<f64>,
    pub per_unit: Option<f64>,
    pub max: Option<f64>,
}

impl PenaltyFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            fact: t.optional(r, "fact"),
            op: t.optional(r, "op"),
            value: t.optional(r, "value"),
            per_unit: t.optional(r, "per_unit"),
            max: t.optional(r, "max"),
            id: id?,
        })
    }
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
        }
    }
}

#[derive(Debug, Clone)]
pub struct CapFile {
    pub id: String,
    pub title: Option<String>,
    pub reason: Option<String>,
    pub max_grade: Option<String>,
    pub when: Option<Vec<PredicateFile>>,
    pub when_any: Option<Vec<PredicateFile>>,
}

impl CapFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            reason: t.optional(r, "reason"),
            max_grade: t.optional(r, "max_grade"),
            when: PredicateFile::read_list(r, t, "when"),
            when_any: PredicateFile::read_list(r, t, "when_any"),
            id: id?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct StageFile {
    pub id: String,
    pub title: Option<String>,
    pub min_bucket_score: Option<f64>,
    pub bucket_min: Option<BTreeMap<String, f64>>,
    pub visible_when: Option<Vec<PredicateFile>>,
}

impl StageFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            min_bucket_score: t.optional(r, "min_bucket_score"),
            bucket_min: t.optional(r, "bucket_min"),
            visible_when: PredicateFile::read_list(r, t, "visible_when"),
            id: id?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct GradeFile {
    pub letter: String,
    pub min_score: f64,
}

impl GradeFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let letter = t.required(r, "letter");
        let min_score = t.required(r, "min_score");
        Some(Self {
            letter: letter?,
            min_score: min_score?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct BucketFile {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<f64>,
}

impl BucketFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            description: t.optional(r, "description"),
            weight: t.optional(r, "weight"),
            id: id?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct LayerFile {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
}

impl LayerFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            description: t.optional(r, "description"),
            id: id?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct MilestoneFile {
    pub id: String,
    pub title: Option<String>,
    pub bucket: Option<String>,
    pub layers: Option<Vec<String>>,
    pub weight: Option<f64>,
    pub why: Option<String>,
    pub remediation: Option<String>,
    pub check: Vec<At<CheckFile>>,
}

impl MilestoneFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            bucket: t.optional(r, "bucket"),
            layers: t.optional(r, "layers"),
            weight: t.optional(r, "weight"),
            why: t.optional(r, "why"),
            remediation: t.optional(r, "remediation"),
            check: t.tables(r, "check", "[[milestone.check]]", CheckFile::read),
            id: id?,
        })
    }
}

#[derive(Debug, Clone)]
pub struct CheckFile {
    pub id: String,
    pub title: Option<String>,
    pub fact: Option<String>,
    pub op: Option<String>,
    pub points: Option<f64>,
    pub values: Option<Vec<String>>,
    pub partial: Option<Vec<String>>,
    pub partial_credit: Option<f64>,
    pub limit: Option<f64>,
    pub tiers: Option<Vec<(f64, f64)>>,
    /// `where`: one field of each entry and the values it must have.
    pub filter: Option<BTreeMap<String, Vec<String>>>,
    /// The check does not apply when any of these holds.
    pub not_applicable_when: Option<Vec<PredicateFile>>,
}

impl CheckFile {
    fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let id = t.required(r, "id");
        Some(Self {
            title: t.optional(r, "title"),
            fact: t.optional(r, "fact"),
            op: t.optional(r, "op"),
            points: t.optional(r, "points"),
            values: t.optional(r, "values"),
            partial: t.optional(r, "partial"),
            partial_credit: t.optional(r, "partial_credit"),
            limit: t.optional(r, "limit"),
            tiers: t.optional(r, "tiers"),
            filter: t.optional(r, "where"),
            not_applicable_when: PredicateFile::read_list(r, t, "not_applicable_when"),
            id: id?,
        })
    }
}

/// A predicate as written in TOML.
#[derive(Debug, Clone)]
pub struct PredicateFile {
    pub fact: String,
    pub op: String,
    /// The number compared against.
    pub value: Option<f64>,
    /// Another fact compared against, instead of `value`.
    pub than: Option<String>,
    pub values: Option<Vec<String>>,
    /// The answer when the fact is not disclosed (default: unknown).
    pub if_absent: Option<bool>,
    /// `where`: one field of each entry and the values it must have.
    pub filter: Option<BTreeMap<String, Vec<String>>>,
}

impl PredicateFile {
    pub fn read(r: &mut Reader<'_>, t: &mut Table<'_, '_>) -> Option<Self> {
        let fact = t.required(r, "fact");
        let op = t.required(r, "op");
        Some(Self {
            value: t.optional(r, "value"),
            than: t.optional(r, "than"),
            values: t.optional(r, "values"),
            if_absent: t.optional(r, "if_absent"),
            filter: t.optional(r, "where"),
            fact: fact?,
            op: op?,
        })
    }

    /// The conditions under `key`, when given: an array of inline tables.
    pub fn read_list(
        r: &mut Reader<'_>,
        t: &mut Table<'_, '_>,
        key: &'static str,
    ) -> Option<Vec<Self>> {
        let given = t.has(key);
        let list = t.tables(r, key, "condition", Self::read);
        given.then(|| list.into_iter().map(|at| at.value).collect())
    }
}
