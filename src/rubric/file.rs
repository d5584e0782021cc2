//! A rubric file as written: the typed form of its TOML, before the merge
//! and validation in `load.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A value and the byte offset where the rubric file defines it, for
/// diagnostics; read through [`toml::Spanned`].
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub offset: usize,
    pub value: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(deserializer)?;
        Ok(At {
            offset: spanned.span().start,
            value: spanned.into_inner(),
        })
    }
}

/// A rubric file's top-level table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    pub id: Option<String>,
    pub version: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub extends: Option<At<String>>,
    #[serde(default)]
    pub grade: Vec<At<GradeFile>>,
    #[serde(default)]
    pub bucket: Vec<At<BucketFile>>,
    #[serde(default)]
    pub layer: Vec<At<LayerFile>>,
    #[serde(default)]
    pub milestone: Vec<At<MilestoneFile>>,
    #[serde(default)]
    pub cap: Vec<At<CapFile>>,
    #[serde(default)]
    pub stage: Vec<At<StageFile>>,
    /// What an absent fact counts as: `unknown` (left out of the scores) or
    /// `unmet` (scored as a failed check).
    pub absent: Option<At<String>>,
    /// The facts without which no grade is given.
    #[serde(default)]
    pub core: Vec<At<CoreFile>>,
    /// How bucket scores combine into the overall score.
    pub overall: Option<At<OverallFile>>,
    /// Points taken off the overall score in proportion to a weakness.
    #[serde(default)]
    pub penalty: Vec<At<PenaltyFile>>,
    /// `[history]`: the alerts of `usd1eval history`; a rubric that
    /// declares it replaces its base's whole section.
    pub history: Option<At<HistoryFile>>,
}

/// `[history]`: what `usd1eval history` watches across disclosures.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryFile {
    pub growth: Option<GrowthFile>,
    #[serde(default)]
    pub alert: Vec<At<AlertFile>>,
}

/// `[[history.alert]]`: a figure that must not move the wrong way.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertFile {
    pub id: String,
    pub figure: Option<String>,
    pub label: Option<String>,
    pub worse: Option<String>,
    pub by: Option<f64>,
    pub missing_is_worse: Option<bool>,
}

/// `[history.growth]`: growth that outruns strength.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthFile {
    pub id: Option<String>,
    pub figure: Option<String>,
    pub label: Option<String>,
    pub min_growth_pct: Option<f64>,
    pub strength: Option<Vec<String>>,
}

/// A core fact: without it (and without a weak link already known from the
/// declared facts) the arrangement gets no grade.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreFile {
    pub fact: String,
    pub title: Option<String>,
}

/// The overall score: anchored on some buckets, moved within bounds by the rest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverallFile {
    pub anchor: Option<Vec<String>>,
    pub pull: Option<f64>,
    pub max_up: Option<f64>,
    pub max_down: Option<f64>,
}

/// A penalty: points off the overall score per unit a figure lies beyond a
/// threshold, up to a maximum.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyFile {
    pub id: String,
    pub title: Option<String>,
    pub fact: Option<String>,
    pub op: Option<String>,
    pub value: Option<f64>,
    pub per_unit: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapFile {
    pub id: String,
    pub title: Option<String>,
    pub reason: Option<String>,
    pub max_grade: Option<String>,
    pub when: Option<Vec<PredicateFile>>,
    pub when_any: Option<Vec<PredicateFile>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageFile {
    pub id: String,
    pub title: Option<String>,
    pub min_bucket_score: Option<f64>,
    pub bucket_min: Option<BTreeMap<String, f64>>,
    pub visible_when: Option<Vec<PredicateFile>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeFile {
    pub letter: String,
    pub min_score: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BucketFile {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerFile {
    pub id: String,
    pub title: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneFile {
    pub id: String,
    pub title: Option<String>,
    pub bucket: Option<String>,
    pub layers: Option<Vec<String>>,
    pub weight: Option<f64>,
    pub why: Option<String>,
    pub remediation: Option<String>,
    #[serde(default)]
    pub check: Vec<At<CheckFile>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[serde(rename = "where")]
    pub filter: Option<BTreeMap<String, Vec<String>>>,
    /// The check does not apply when any of these holds.
    pub not_applicable_when: Option<Vec<PredicateFile>>,
}

/// A predicate as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    #[serde(rename = "where")]
    pub filter: Option<BTreeMap<String, Vec<String>>>,
}
