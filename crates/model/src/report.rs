//! The report: everything an evaluation found, in the shape of the JSON report
//! (`schema_version` 1). Renderers read only this; baselines, the regression
//! gate and `diff` read earlier reports back into the same types.
//!
//! Field order here is the key order of the JSON output; scores are kept at
//! full precision and rounded to one decimal when serialized, so gates compare
//! exact values while output stays stable.
//!
//! Names, titles and ids that come from the rubric are borrowed from it
//! (lifetime `'r`, `Cow::Borrowed`) rather than copied into every report: a
//! batch of thousands of files would otherwise copy the same few hundred
//! strings for each one. A report read from JSON owns them
//! (`Report<'static>`).
//!
//! Reading is lenient as adding a field is a minor change: every field is
//! `#[serde(default)]` except those a report cannot be compared without
//! (`schema_version`, the ids, a finding's check and outcome, a requirement's
//! outcome, the overall score), so a report of this `schema_version` written
//! by an older build still reads. `#[schemars(!default)]` and
//! `#[schemars(!skip_deserializing)]` keep the JSON Schema what the writer
//! writes: every field required as before, no `default` and no `readOnly`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::Diagnostic;

/// Bumped when a field is renamed or removed; adding one is a minor change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one evaluation found, in the shape of the JSON report.
// Read back (baselines, the regression gate, `diff`: `Report<'static>`):
// the sections they compare and those that say what the report is about —
// rubric, date, arrangement, overall result, caps, stage, buckets, layers,
// milestones with their findings, profiles with their requirements. Left
// empty (their `Default`) are the sections nothing reads back, each of which
// would need a reader of its own or holds what belongs to the run that wrote
// it: `tool` (static strings of this build), `evidence`, `matrix` and
// `next_steps` (derived from the milestones), `derived` (figures by static
// name), `stress` (its own hand-written JSON), `gates` (the gates of the run
// that wrote it; read back as passed) and `diagnostics`; in each finding,
// `value` and `evidence`. A missing `rubric` or `arrangement` reads as empty
// ids (`made_with`, `about` say `None`); a missing `overall` as scoring 0,
// not graded. These notes are `//`, not `///`: doc comments are the JSON
// Schema's descriptions of what is written.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report<'r> {
    /// The version of the JSON shape ([`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that made the report.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub tool: Tool,
    /// The rubric the arrangement was evaluated with.
    #[serde(default)]
    #[schemars(!default)]
    pub rubric: RubricRef<'r>,
    /// The date the evaluation was made as of (`YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(!default)]
    pub evaluated_as_of: String,
    /// The arrangement file evaluated.
    #[serde(default)]
    #[schemars(!default)]
    pub arrangement: ArrangementRef,
    /// The overall score, grade, confidence, coverage and penalties.
    #[serde(default)]
    #[schemars(!default)]
    pub overall: Overall<'r>,
    /// The weakest-link caps that apply.
    #[serde(default)]
    #[schemars(!default)]
    pub caps: Vec<CapHit>,
    /// The stage verdict: claimed, visible and evidenced stages.
    #[serde(default)]
    #[schemars(!default)]
    pub stage: Stage,
    /// How much of the score rests on independent evidence.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub evidence: EvidenceShare<'r>,
    /// The score of each bucket, in rubric order.
    #[serde(default)]
    #[schemars(!default)]
    pub buckets: Vec<BucketScore<'r>>,
    /// The score of each layer, in rubric order.
    #[serde(default)]
    #[schemars(!default)]
    pub layers: Vec<LayerScore<'r>>,
    /// The bucket × layer matrix of scores.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub matrix: Vec<MatrixCell<'r>>,
    /// Each milestone's score and findings, in rubric order.
    #[serde(default)]
    #[schemars(!default)]
    pub milestones: Vec<MilestoneResult<'r>>,
    // Typed as the facts hold them: only the JSON writer turns them into JSON.
    /// Every derived figure, by name.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing, with = "BTreeMap<String, serde_json::Value>")]
    pub derived: BTreeMap<&'static str, crate::facts::Value>,
    /// The built-in stress scenarios and the reverse stress test.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub stress: crate::stress::StressReport,
    /// Each profile's verdict and requirements.
    #[serde(default)]
    #[schemars(!default)]
    pub profiles: Vec<ProfileResult>,
    /// The checks whose meeting would add most to the overall score, best first.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub next_steps: Vec<NextStep<'r>>,
    /// Whether the gates asked for passed, and why not.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub gates: Gates,
    /// Problems found in the arrangement file or along the way.
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Report<'_> {
    /// The rubric the report was made with; `None` when a report read back
    /// does not say.
    pub fn made_with(&self) -> Option<&RubricRef<'_>> {
        (!self.rubric.id.is_empty() || !self.rubric.sha256.is_empty()).then_some(&self.rubric)
    }

    /// The name and path of the arrangement the report is about; `None` when
    /// a report read back does not say.
    pub(crate) fn about(&self) -> Option<(&str, &str)> {
        let a = &self.arrangement;
        (!a.name.is_empty() || !a.path.is_empty()).then_some((a.name.as_str(), a.path.as_str()))
    }

    /// True when a finding is left out of the scores: a fact not disclosed
    /// while absent facts count as unknown. Unknown is not weak, so the
    /// machine formats neither fail nor annotate it; they count it.
    pub fn left_out(&self, finding: &Finding) -> bool {
        finding.outcome == Outcome::NotDisclosed
            && self.overall.absent == crate::rubric::Absent::Unknown.name()
    }

    /// How many findings are [left out](Self::left_out) of the scores.
    pub fn left_out_count(&self) -> usize {
        self.milestones
            .iter()
            .flat_map(|m| &m.findings)
            .filter(|f| self.left_out(f))
            .count()
    }

    /// The grade's confidence and what it rests on, as every format shows it
    /// beside the grade: `low confidence: 25% disclosed, no independent
    /// evidence`. "Disclosed" is the share of the anchor buckets' weight
    /// whose facts are known.
    pub fn confidence_text(&self) -> String {
        let independent = match self
            .evidence
            .independent_pct
            .filter(|p| round_to(*p, 1) > 0.0)
        {
            Some(p) => format!("{}% on independent evidence", format_pct(p)),
            None => "no independent evidence".into(),
        };
        format!(
            "{} confidence: {}% disclosed, {independent}",
            self.overall.confidence,
            format_pct(self.overall.known_pct)
        )
    }

    /// The titles of the buckets holding the evidenced stage down, in order.
    pub(crate) fn held_down_titles(&self) -> Vec<&str> {
        self.stage
            .held_down_by
            .iter()
            .map(|id| {
                self.buckets
                    .iter()
                    .find(|b| b.id == id.as_str())
                    .map_or(id.as_str(), |b| &b.title)
            })
            .collect()
    }

    /// True when growth outruns strength that is known to fall short.
    pub fn outruns(&self) -> bool {
        self.stage.outruns == Some(true)
    }

    /// The stage verdict's headline when it is not "backed": growth outruns
    /// strength (and what holds it down), or the stage cannot be judged
    /// (and the buckets to disclose). `None` when growth is backed.
    pub fn stage_alarm(&self) -> Option<(StageAlarm, String)> {
        match self.stage.outruns {
            Some(false) => None,
            Some(true) if self.stage.held_down_by.is_empty() => {
                Some((StageAlarm::Outruns, String::new()))
            }
            Some(true) => Some((
                StageAlarm::Outruns,
                format!("held down by {}", self.held_down_text()),
            )),
            None => Some((
                StageAlarm::CannotJudge,
                format!(
                    "only what is not disclosed holds the evidenced stage down; disclose more in {}",
                    self.held_down_titles().join(", ")
                ),
            )),
        }
    }

    /// The buckets holding the evidenced stage down, in words: those whose
    /// declared facts fall short, then those held down only by what is not
    /// disclosed (`A, B; not enough disclosed: C`).
    pub fn held_down_text(&self) -> String {
        let mut weak = Vec::new();
        let mut thin = Vec::new();
        for (id, title) in self.stage.held_down_by.iter().zip(self.held_down_titles()) {
            if self.stage.thin_evidence.contains(id) {
                thin.push(title);
            } else {
                weak.push(title);
            }
        }
        match (weak.is_empty(), thin.is_empty()) {
            (_, true) => weak.join(", "),
            (true, false) => format!("not enough disclosed: {}", thin.join(", ")),
            (false, false) => format!(
                "{}; not enough disclosed: {}",
                weak.join(", "),
                thin.join(", ")
            ),
        }
    }
}

/// The tool that made a report.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct Tool {
    /// The tool's name (`usd1eval`).
    pub name: &'static str,
    /// The tool's version.
    pub version: &'static str,
}

/// The rubric a report was made with.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct RubricRef<'r> {
    /// The rubric's id.
    pub id: Cow<'r, str>,
    /// The rubric's version.
    #[serde(default)]
    #[schemars(!default)]
    pub version: Cow<'r, str>,
    /// The SHA-256 of the rubric's content.
    pub sha256: Cow<'r, str>,
}

impl RubricRef<'_> {
    /// The id, version and hash of `rubric`, borrowed from it.
    pub fn of(rubric: &crate::rubric::Rubric) -> RubricRef<'_> {
        RubricRef {
            id: Cow::Borrowed(&rubric.id),
            version: Cow::Borrowed(&rubric.version),
            sha256: Cow::Borrowed(&rubric.sha256),
        }
    }

    /// True when both name the same rubric: the same id and content hash
    /// (the hash covers the version, which an older report may not carry).
    pub fn same_rubric(&self, other: &RubricRef) -> bool {
        self.id == other.id && self.sha256 == other.sha256
    }
}

/// `rubric `id` (sha256 0123456789ab…)`, as messages name a rubric.
impl std::fmt::Display for RubricRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let short = self.sha256.get(..12).unwrap_or(&self.sha256);
        write!(f, "rubric `{}` (sha256 {short}…)", self.id)
    }
}

/// The arrangement file a report is about.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ArrangementRef {
    /// The arrangement's name.
    pub name: String,
    /// The issuer's name, when the file declares one.
    pub issuer: Option<String>,
    /// The arrangement file's path.
    pub path: String,
    /// The SHA-256 of the arrangement file.
    #[serde(default)]
    #[schemars(!default)]
    pub sha256: String,
    /// The date the facts are as of (`YYYY-MM-DD`).
    #[serde(default)]
    #[schemars(!default)]
    pub as_of: String,
}

impl ArrangementRef {
    /// What a report says of the arrangement it is about.
    pub fn of(arrangement: &crate::facts::Arrangement) -> Self {
        let facts = &arrangement.facts;
        ArrangementRef {
            name: facts.name.clone(),
            issuer: facts.issuer().map(str::to_string),
            path: arrangement.path.clone(),
            sha256: arrangement.sha256().to_string(),
            as_of: facts.as_of.to_string(),
        }
    }
}

/// One arrangement's stress results, as `stress --format json` prints them:
/// the report's stress section with each scenario's days.
#[derive(Debug, Clone)]
pub struct StressRun {
    /// The arrangement stressed.
    pub arrangement: ArrangementRef,
    /// The stress scenarios' results and the reverse stress test.
    pub stress: crate::stress::StressReport,
}

/// What `stress --format json` writes for one arrangement, declared once:
/// [`StressRun`]'s JSON and its schema are both derived from it.
#[derive(Serialize, JsonSchema)]
#[serde(rename = "StressRun")]
#[schemars(
    rename = "StressRun",
    description = "One arrangement's stress results: each scenario with its days, and the reverse stress test."
)]
struct StressRunJson<'a> {
    /// The arrangement stressed.
    arrangement: &'a ArrangementRef,
    /// Each scenario's result with its days.
    scenarios: Vec<crate::stress::WithDays<'a>>,
    /// The reverse stress test.
    max_redeemable_pct: &'a crate::stress::MaxRedeemable,
}

impl<'a> StressRunJson<'a> {
    fn of(run: &'a StressRun) -> Self {
        StressRunJson {
            arrangement: &run.arrangement,
            scenarios: run
                .stress
                .scenarios
                .iter()
                .map(crate::stress::WithDays::of)
                .collect(),
            max_redeemable_pct: &run.stress.max_redeemable_pct,
        }
    }
}

impl Serialize for StressRun {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StressRunJson::of(self).serialize(serializer)
    }
}

/// The schema of [`StressRun`]'s JSON: `StressRunJson`'s; tests validate
/// `stress --format json` against it.
impl JsonSchema for StressRun {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        StressRunJson::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        StressRunJson::json_schema(generator)
    }
}

/// The overall result: score, grade, confidence, coverage and penalties.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Overall<'r> {
    /// The score over the checks whose facts are known (with `absent`
    /// `unmet`, over every applicable check), after penalties; 0 when
    /// nothing is known.
    #[serde(serialize_with = "round1")]
    pub score: f64,
    /// The letter grade after caps; null when the arrangement is not graded
    /// (core facts missing and no weak link known from the declared facts).
    pub grade: Option<Cow<'r, str>>,
    /// The grade before any cap; equal to `grade` when no cap bit; null when
    /// not graded.
    pub uncapped_grade: Option<Cow<'r, str>>,
    /// The share of applicable checks whose fact is disclosed, 0–100.
    #[serde(serialize_with = "round1", default)]
    #[schemars(!default)]
    pub coverage_pct: f64,
    /// How far the grade can be trusted: `high`, `medium` or `low`, by the
    /// rubric's `[confidence]` rule, from `known_pct` and the share of the
    /// score resting on independent evidence (`evidence.independent_pct`).
    #[serde(default, deserialize_with = "confidence_level")]
    #[schemars(!default)]
    pub confidence: Word,
    /// The share of the anchor buckets' weight whose facts are known
    /// (declared or derived), 0–100.
    #[serde(serialize_with = "round1", default)]
    #[schemars(!default)]
    pub known_pct: f64,
    /// What an absent fact counted as: `unknown` (left out of the scores)
    /// or `unmet`.
    #[serde(default, deserialize_with = "absent_name")]
    #[schemars(!default)]
    pub absent: Word,
    /// The rubric's core facts this file does not declare; the grade is
    /// null when any is missing, unless a cap applies from declared facts.
    #[serde(default)]
    #[schemars(!default)]
    pub missing_core: Vec<CoreGap<'r>>,
    /// Points taken off the score in proportion to a weakness.
    #[serde(default)]
    #[schemars(!default)]
    pub penalties: Vec<PenaltyHit<'r>>,
}

/// A word of a fixed list (`high`, `unknown`, …), read back through
/// [`one_of`]. Named, because serde would borrow a field spelt `&'static str`
/// from the JSON it reads, and a report is read from JSON that does not live
/// for ever.
type Word = &'static str;

/// Reads back a word the report writes from a fixed list as the `&'static
/// str` it was written from; a word not in `names` is an error.
fn one_of<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<&'static str, D::Error> {
    let word = Cow::<str>::deserialize(deserializer)?;
    names
        .iter()
        .copied()
        .find(|name| *name == word)
        .ok_or_else(|| serde::de::Error::unknown_variant(&word, names))
}

fn confidence_level<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    one_of(d, &crate::rubric::ConfidenceRule::LEVELS)
}

fn absent_name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    one_of(d, crate::rubric::Absent::NAMES)
}

impl Overall<'_> {
    /// True when a grade was given.
    pub fn is_graded(&self) -> bool {
        self.grade.is_some()
    }

    /// The grade, or a dash when not graded, for tables.
    pub fn grade_text(&self) -> &str {
        self.grade.as_deref().unwrap_or(NOT_GRADED_SHORT)
    }

    /// `B`, `C (uncapped A)`, or `not graded`.
    pub fn grade_summary(&self) -> String {
        match (self.grade.as_deref(), self.uncapped_grade.as_deref()) {
            (None, _) => "not graded".into(),
            (Some(g), Some(u)) if g != u => format!("{g} (uncapped {u})"),
            (Some(g), _) => g.into(),
        }
    }

    /// The missing core facts, in words, joined for a sentence.
    pub fn missing_core_titles(&self) -> String {
        let missing: Vec<&str> = self.missing_core.iter().map(|c| &*c.title).collect();
        missing.join(", ")
    }

    /// Why there is no grade, naming the missing core facts.
    pub fn not_graded_reason(&self) -> String {
        format!(
            "{NOT_GRADED}: the file does not declare {}",
            self.missing_core_titles()
        )
    }
}

/// What every format says of an arrangement that gets no grade.
pub const NOT_GRADED: &str = "not graded: insufficient evidence";
/// The same in a table cell.
pub(crate) const NOT_GRADED_SHORT: &str = "–";

/// A core fact the file does not declare.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CoreGap<'r> {
    /// The core fact's path.
    pub fact: Cow<'r, str>,
    /// The core fact's name for people.
    #[serde(default)]
    #[schemars(!default)]
    pub title: Cow<'r, str>,
}

/// A penalty that cost points.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PenaltyHit<'r> {
    /// The penalty's id.
    pub id: Cow<'r, str>,
    /// The penalty's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: Cow<'r, str>,
    /// The fact the penalty reads.
    #[serde(default)]
    #[schemars(!default)]
    pub fact: Cow<'r, str>,
    /// The figure's value, written as a finding writes a fact's value
    /// (four decimals at most, a whole number as an integer).
    #[serde(serialize_with = "figure", default)]
    #[schemars(!default)]
    pub value: f64,
    /// Points taken off the overall score.
    #[serde(serialize_with = "round1", default)]
    #[schemars(!default)]
    pub points: f64,
}

/// A weakest-link cap that limited the grade.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CapHit {
    /// The cap's id.
    pub id: String,
    /// Why the cap limits the grade, from the rubric.
    #[serde(default)]
    #[schemars(!default)]
    pub reason: String,
    /// The best grade the cap allows.
    #[serde(default)]
    #[schemars(!default)]
    pub max_grade: String,
    /// The cap's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: String,
    /// True when the cap lowered the grade (the uncapped grade was better).
    #[serde(default)]
    #[schemars(!default)]
    pub binding: bool,
    /// True when the declared facts alone make the cap apply (no absent fact
    /// was assumed weak): a known weak link, which grades a file even when
    /// core facts are missing.
    #[serde(default)]
    #[schemars(!default)]
    pub known: bool,
    /// The reason of the waiver that accepts this cap, if any: it still
    /// limits the grade, but no gate fails on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
}

impl CapHit {
    /// What the cap does to the grade, in words: it caps it, the grade is no
    /// higher already, or (when the file is not graded) it would cap it; and
    /// whether it rests on a fact assumed weak because it is not disclosed.
    pub fn effect(&self, graded: bool) -> String {
        let effect = match (graded, self.binding) {
            (false, _) => format!("would cap the grade at {}", self.max_grade),
            (true, true) => format!("caps the grade at {}", self.max_grade),
            (true, false) => format!(
                "applies (at most {}; the grade is no higher already)",
                self.max_grade
            ),
        };
        let effect = if self.known {
            effect
        } else {
            format!("{effect}, assumed because a fact it needs is not disclosed")
        };
        match &self.waived {
            Some(reason) => format!("{effect}; waived ({reason})"),
            None => effect,
        }
    }
}

/// What a stage verdict that is not "backed" says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageAlarm {
    /// Growth outruns strength known to fall short.
    Outruns,
    /// Only undisclosed facts hold the stage down: no verdict.
    CannotJudge,
}

impl StageAlarm {
    /// The headline, in sentence case.
    pub fn headline(self) -> &'static str {
        match self {
            StageAlarm::Outruns => "Growth outruns strength",
            StageAlarm::CannotJudge => "Stage cannot be judged from what is disclosed",
        }
    }
}

/// Lifecycle stages: what is claimed, what growth shows, what evidence supports.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(!default)]
pub struct Stage {
    /// The stage the arrangement claims (`arrangement.stage_claimed`), if any.
    pub claimed: Option<String>,
    /// The latest stage whose growth signs (`visible_when`) hold; null when the arrangement issues no new units or none holds.
    pub visible: Option<String>,
    /// The latest stage every bucket's score supports; null when none.
    pub evidenced: Option<String>,
    /// True when growth (visible or claimed) is ahead of evidenced strength
    /// and a bucket known well enough holds the evidenced stage down; null
    /// when only what is not disclosed holds it down (every bucket of
    /// `held_down_by` is in `thin_evidence`): the stage cannot be judged
    /// from what is disclosed.
    pub outruns: Option<bool>,
    /// The buckets scoring below the minimum of the stage growth or the claim reaches, which hold the evidenced stage down.
    pub held_down_by: Vec<String>,
    /// The buckets of `held_down_by` whose declared facts alone would meet
    /// the stage's minimum, or that declare nothing: what holds them down is
    /// what is not disclosed (the stage counts an undisclosed fact as no
    /// evidence).
    pub thin_evidence: Vec<String>,
    /// The issuance status (`halted`, `wind-down`) under which no stage is
    /// visible: an arrangement that issues no new units is not growing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_issuing: Option<String>,
}

/// The share of earned points whose facts rest on independent evidence
/// (`evidence` of kind independent-assurance, regulator or third-party),
/// over every check and per bucket; null where nothing was earned.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct EvidenceShare<'r> {
    /// The share over every check, 0–100; null when nothing was earned.
    #[serde(serialize_with = "round1_opt")]
    pub independent_pct: Option<f64>,
    /// True when the file declares `evidence` on any table the checks read.
    pub declared: bool,
    /// The share per bucket, in rubric order.
    pub buckets: Vec<BucketEvidence<'r>>,
}

/// One bucket's share of earned points resting on independent evidence.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct BucketEvidence<'r> {
    /// The bucket's id.
    pub id: Cow<'r, str>,
    /// The share, 0–100; null when nothing was earned in the bucket.
    #[serde(serialize_with = "round1_opt")]
    pub independent_pct: Option<f64>,
}

/// One bucket's score and grade.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BucketScore<'r> {
    /// The bucket's id.
    pub id: Cow<'r, str>,
    /// The bucket's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: Cow<'r, str>,
    /// The bucket's score, 0–100; null when no milestone of it applies.
    #[serde(serialize_with = "round1_opt")]
    pub score: Option<f64>,
    /// The score's letter; null when no milestone of the bucket applies or
    /// the bucket is known on less of its weight than the rubric's
    /// `[confidence] min_known_pct` (`enough_disclosed` false).
    pub grade: Option<Cow<'r, str>>,
    /// The share of the bucket's applicable checks whose fact is disclosed, 0–100.
    #[serde(serialize_with = "round1", default)]
    #[schemars(!default)]
    pub coverage_pct: f64,
    /// The share of the bucket's weight whose facts are known, 0–100; null
    /// when no milestone applies.
    #[serde(serialize_with = "round1_opt")]
    pub known_pct: Option<f64>,
    /// False when too little is known for a grade: the bucket's score is
    /// kept for the overall score, but no grade is shown.
    #[serde(default)]
    #[schemars(!default)]
    pub enough_disclosed: bool,
}

/// One layer's score.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LayerScore<'r> {
    /// The layer's id.
    pub id: Cow<'r, str>,
    /// The layer's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: Cow<'r, str>,
    /// The layer's score, 0–100; null when no milestone of it applies.
    #[serde(serialize_with = "round1_opt")]
    pub score: Option<f64>,
    /// The share of the layer's weight whose facts are known, 0–100.
    #[serde(serialize_with = "round1_opt")]
    pub known_pct: Option<f64>,
    /// False when too little is known to show a score as a grade.
    #[serde(default)]
    #[schemars(!default)]
    pub enough_disclosed: bool,
}

/// One cell of the bucket × layer matrix; `score` is null where no milestone
/// sits in both.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MatrixCell<'r> {
    /// The bucket's id.
    pub bucket: Cow<'r, str>,
    /// The layer's id.
    pub layer: Cow<'r, str>,
    /// The score of the milestones in both, 0–100.
    #[serde(serialize_with = "round1_opt")]
    pub score: Option<f64>,
}

/// One milestone's score and findings.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MilestoneResult<'r> {
    /// The milestone's stable id (`M07`).
    pub id: Cow<'r, str>,
    /// The milestone's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: Cow<'r, str>,
    /// The id of the bucket the milestone belongs to.
    #[serde(default)]
    #[schemars(!default)]
    pub bucket: Cow<'r, str>,
    /// The ids of the layers the milestone sits in.
    #[serde(default)]
    #[schemars(!default)]
    pub layers: Cow<'r, [String]>,
    /// Points earned ÷ points possible over applicable checks, as 0–100;
    /// null when no check applies.
    #[serde(serialize_with = "round1_opt")]
    pub score: Option<f64>,
    /// The milestone's weight in its bucket, from the rubric; not written,
    /// so 0 in a report read back.
    #[serde(skip)]
    pub weight: f64,
    /// The share of the milestone's check points whose facts are known,
    /// 0–100; null when no check applies.
    #[serde(serialize_with = "round1_opt")]
    pub known_pct: Option<f64>,
    /// False when too little is known to show the score as a verdict.
    #[serde(default)]
    #[schemars(!default)]
    pub enough_disclosed: bool,
    /// One finding per check, in rubric order.
    #[serde(default)]
    #[schemars(!default)]
    pub findings: Vec<Finding<'r>>,
}

/// What one check found.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The check is met: full points.
    Met,
    /// The check is partly met: some of its points.
    Partial,
    /// The check is not met: no points.
    Unmet,
    /// The fact the check reads is not disclosed.
    NotDisclosed,
    /// The check does not apply to this arrangement.
    NotApplicable,
}

impl Outcome {
    /// The outcome as the JSON report writes it (`not-disclosed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Partial => "partial",
            Outcome::Unmet => "unmet",
            Outcome::NotDisclosed => "not-disclosed",
            Outcome::NotApplicable => "not-applicable",
        }
    }

    /// True when the check counts towards the score.
    pub fn is_applicable(self) -> bool {
        self != Outcome::NotApplicable
    }
}

/// What one check found: its outcome, the value seen, and the points earned.
// Read back, `value` is `Observed::Nothing` and `evidence` `None`: a value is
// written as JSON of any shape, and comparing reports needs only the outcome
// and points.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Finding<'r> {
    /// The check's id.
    pub check: Cow<'r, str>,
    /// What the check found.
    pub outcome: Outcome,
    /// The fact path the check reads.
    #[serde(default)]
    #[schemars(!default)]
    pub fact: Cow<'r, str>,
    /// The value seen; null when not disclosed.
    #[schemars(with = "serde_json::Value")]
    #[serde(skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub value: Observed,
    /// What the check expects, in words.
    #[serde(default)]
    #[schemars(!default)]
    pub expected: Cow<'r, str>,
    /// Line in the arrangement file: the fact's, else its table's; null when neither exists.
    pub line: Option<u32>,
    /// The `source` of the table the fact came from.
    pub source: Option<Arc<str>>,
    /// The `evidence` the table the fact came from declares; absent when it
    /// declares none (the issuer's word).
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    #[schemars(!skip_deserializing)]
    pub evidence: Option<&'static str>,
    // Borrowed from the compiled rubric when the check is met.
    /// What was found and, when not met, what would meet the check.
    #[serde(default)]
    #[schemars(!default)]
    pub message: Cow<'r, str>,
    /// The points the check is worth.
    #[serde(serialize_with = "round2", default)]
    #[schemars(!default)]
    pub points: f64,
    /// The points the check earned.
    #[serde(serialize_with = "round2", default)]
    #[schemars(!default)]
    pub earned: f64,
    /// What meeting this check would add to the overall score (0 when met or
    /// not applicable); findings and next steps are ordered by it.
    #[serde(serialize_with = "round2", default)]
    #[schemars(!default)]
    pub gain: f64,
    /// The reason of the waiver that covers this finding, if any.
    pub waived: Option<String>,
}

/// What a check saw, as its finding reports it.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Observed {
    /// Nothing to show: the fact is not disclosed, or the check cannot judge it.
    #[default]
    Nothing,
    /// A declared, derived or counted value; numbers are written rounded to
    /// four decimals.
    Value(crate::facts::Value),
    /// How many of the entries a check concerns satisfy it.
    Entries {
        /// The entries that satisfy the check.
        satisfied: usize,
        /// The entries the check concerns.
        of: usize,
    },
}

impl Observed {
    /// The value as JSON: what `value` holds in the report.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// The value as a table cell shows it: `–` for nothing, text unquoted,
/// `2 of 3` for entries, anything else as its JSON.
impl std::fmt::Display for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Observed::Nothing => f.write_str("–"),
            // Shown in the text formats: the arrangement's own words, escaped.
            Observed::Value(crate::facts::Value::Text(s)) => f.write_str(&crate::text::one_line(s)),
            Observed::Value(crate::facts::Value::Date(d)) => write!(f, "{d}"),
            Observed::Entries { satisfied, of } => write!(f, "{satisfied} of {of}"),
            Observed::Value(_) => write!(f, "{}", self.to_json()),
        }
    }
}

impl Serialize for Observed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Observed::Nothing => serializer.serialize_none(),
            Observed::Value(value) => value.serialize(serializer),
            Observed::Entries { satisfied, of } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("of", of)?;
                map.serialize_entry("satisfied", satisfied)?;
                map.end()
            }
        }
    }
}

impl Finding<'_> {
    /// The points earned as the report writes them (two decimals): what
    /// baselines and `diff` compare, so that a report compared with its own
    /// JSON is no regression.
    pub(crate) fn earned_as_written(&self) -> f64 {
        round_to(self.earned, 2)
    }

    /// Points this finding cost.
    pub fn lost(&self) -> f64 {
        if self.outcome.is_applicable() {
            self.points - self.earned
        } else {
            0.0
        }
    }
}

/// One profile's verdict and requirements.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ProfileResult {
    /// The profile's id.
    pub id: String,
    /// True when no requirement fails or lacks a disclosed fact: each one
    /// passes, does not apply, or cannot be assessed from format-1 facts
    /// (those are listed, never counted as passes). When `in_force` is false
    /// this is readiness: the profile would pass.
    #[serde(default)]
    #[schemars(!default)]
    pub passed: bool,
    /// Each requirement's outcome, in profile order.
    #[serde(default)]
    #[schemars(!default)]
    pub requirements: Vec<RequirementResult>,
    /// The profile's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: String,
    /// The legal instrument the clauses come from.
    #[serde(default)]
    #[schemars(!default)]
    pub source: String,
    /// These are reference checks, not legal advice.
    #[serde(default)]
    #[schemars(!default)]
    pub notice: String,
    /// The date (`YYYY-MM-DD`) from which the instrument applies; null when
    /// the profile declares none.
    pub applies_from: Option<String>,
    /// What the date stands for, when it is not simply the date of application.
    pub applies_from_note: Option<String>,
    /// True when the instrument applied on the evaluation date (or the
    /// profile declares no date).
    #[serde(default = "in_force_unless_said")]
    #[schemars(!default)]
    pub in_force: bool,
    /// `passes` or `does-not-pass` while in force; `would-pass` or
    /// `would-fail` (readiness) before; `out-of-scope` when the instrument
    /// does not cover the arrangement (`scope.reason` says why).
    #[serde(default)]
    #[schemars(!default)]
    pub verdict: ProfileVerdict,
    /// Whether the instrument covers the arrangement.
    #[serde(default)]
    #[schemars(!default)]
    pub scope: ScopeResult,
}

/// A profile read back without `in_force` reads as in force, as a profile
/// without a date is, and so as not passing (its verdict's default).
fn in_force_unless_said() -> bool {
    true
}

/// Whether a profile's instrument covers the arrangement, and why.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ScopeResult {
    /// Whether the instrument covers the arrangement.
    pub status: ScopeStatus,
    /// Why the file is out of scope, or what it would need to disclose for
    /// scope to be told; null when it is in scope.
    pub reason: Option<String>,
}

/// Whether a profile's instrument covers the arrangement.
// A profile read back without a scope is in scope, as one that states none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ScopeStatus {
    /// Every scope condition holds (or the profile states no scope).
    #[default]
    InScope,
    /// A scope condition does not hold: the verdict is `out-of-scope`.
    OutOfScope,
    /// The file does not say enough to tell; the requirements are checked
    /// and the verdict stands, never a failure for that alone.
    NotAssessable,
}

impl ScopeStatus {
    /// The status as the JSON report writes it (`not-assessable`).
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeStatus::InScope => "in-scope",
            ScopeStatus::OutOfScope => "out-of-scope",
            ScopeStatus::NotAssessable => "not-assessable",
        }
    }
}

/// A profile's result in words: a pass or fail while the instrument is in
/// force, readiness before it is.
// A profile read back without a verdict does not pass: nothing says it does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileVerdict {
    /// The instrument is in force and every requirement passes.
    Passes,
    /// The instrument is in force and a requirement fails or lacks a disclosed fact.
    #[default]
    DoesNotPass,
    /// The instrument is not yet in force; the profile would pass (readiness).
    WouldPass,
    /// The instrument is not yet in force; the profile would not pass (readiness).
    WouldFail,
    /// The instrument does not cover the arrangement.
    OutOfScope,
}

impl ProfileVerdict {
    /// The verdict for a profile that `passed` or not, with its instrument in force or not, and its scope.
    pub fn new(passed: bool, in_force: bool, scope: ScopeStatus) -> Self {
        if scope == ScopeStatus::OutOfScope {
            return ProfileVerdict::OutOfScope;
        }
        match (passed, in_force) {
            (true, true) => ProfileVerdict::Passes,
            (false, true) => ProfileVerdict::DoesNotPass,
            (true, false) => ProfileVerdict::WouldPass,
            (false, false) => ProfileVerdict::WouldFail,
        }
    }

    /// The verdict as the JSON report writes it (`does-not-pass`).
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileVerdict::Passes => "passes",
            ProfileVerdict::DoesNotPass => "does-not-pass",
            ProfileVerdict::WouldPass => "would-pass",
            ProfileVerdict::WouldFail => "would-fail",
            ProfileVerdict::OutOfScope => "out-of-scope",
        }
    }

    /// The verdict in words, as the table, Markdown and HTML show it.
    pub fn label(self) -> &'static str {
        match self {
            ProfileVerdict::Passes => "passes",
            ProfileVerdict::DoesNotPass => "does not pass",
            ProfileVerdict::WouldPass => "would pass",
            ProfileVerdict::WouldFail => "would fail",
            ProfileVerdict::OutOfScope => "out of scope",
        }
    }
}

impl ProfileResult {
    /// What qualifies the verdict, as every format shows it: out of scope
    /// (and why), scope not assessable, readiness before the instrument
    /// applies; `None` for a plain verdict on a file in scope and in force.
    pub fn readiness_note(&self) -> Option<String> {
        let mut notes = Vec::new();
        match (self.scope.status, &self.scope.reason) {
            (ScopeStatus::OutOfScope, Some(reason)) => {
                notes.push(format!("Out of scope: {reason}"))
            }
            (ScopeStatus::NotAssessable, Some(reason)) => {
                notes.push(format!("Scope not assessable: {reason}"));
            }
            _ => {}
        }
        if !self.in_force {
            let date = self.applies_from.as_deref().unwrap_or("a later date");
            let mut note = format!("Readiness only: not in force until {date}");
            if let Some(extra) = &self.applies_from_note {
                note.push_str(&format!(" ({extra})"));
            }
            notes.push(note);
        }
        (!notes.is_empty()).then(|| notes.join("; "))
    }

    /// The requirements the declared facts cannot settle either way.
    pub fn not_assessable(&self) -> impl Iterator<Item = &RequirementResult> {
        self.requirements
            .iter()
            .filter(|r| r.outcome == RequirementOutcome::NotAssessable)
    }

    /// The requirements that keep the profile from passing.
    pub fn blocking(&self) -> impl Iterator<Item = &RequirementResult> {
        self.requirements.iter().filter(|r| r.outcome.blocks())
    }
}

/// One profile requirement's outcome.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RequirementResult {
    /// The requirement's id within its profile.
    pub id: String,
    /// The clause of the instrument the requirement comes from.
    #[serde(default)]
    #[schemars(!default)]
    pub clause: String,
    /// How the requirement came out.
    pub outcome: RequirementOutcome,
    /// What was found, in words.
    #[serde(default)]
    #[schemars(!default)]
    pub message: String,
    /// The requirement's title.
    #[serde(default)]
    #[schemars(!default)]
    pub title: String,
    /// For a requirement format 1 cannot express: the fact it would need.
    pub missing_fact: Option<String>,
    /// The date (`YYYY-MM-DD`) this requirement applies from when it has its
    /// own, later than the profile's; null otherwise.
    pub applies_from: Option<String>,
    /// For a requirement `not-in-force`: the outcome it would have today
    /// (readiness); null otherwise.
    pub readiness: Option<RequirementOutcome>,
    /// The reason of the waiver that accepts this requirement not passing,
    /// if any: the outcome stands, but no gate fails on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
}

impl RequirementResult {
    /// What was found, and the waiver's reason when one accepts it.
    pub fn detail(&self) -> Cow<'_, str> {
        match &self.waived {
            Some(reason) => Cow::Owned(format!("{} (waived: {reason})", self.message)),
            None => Cow::Borrowed(&self.message),
        }
    }
}

/// How one profile requirement came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementOutcome {
    /// Every condition holds.
    Pass,
    /// A condition does not hold.
    Fail,
    /// None fails, but a fact it needs is not declared.
    NotDisclosed,
    /// Its `applies_if` does not hold.
    NotApplicable,
    /// Format 1 has no fact that could settle it; never a pass.
    NotAssessable,
    /// It applies from a date after the evaluation date: counted neither as
    /// a pass nor as a failure; `readiness` says how it would come out.
    NotInForce,
}

impl RequirementOutcome {
    /// The outcome as the JSON report writes it (`not-in-force`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementOutcome::Pass => "pass",
            RequirementOutcome::Fail => "fail",
            RequirementOutcome::NotDisclosed => "not-disclosed",
            RequirementOutcome::NotApplicable => "not-applicable",
            RequirementOutcome::NotAssessable => "not-assessable",
            RequirementOutcome::NotInForce => "not-in-force",
        }
    }

    /// True when this outcome keeps a profile from passing.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            RequirementOutcome::Fail | RequirementOutcome::NotDisclosed
        )
    }
}

/// A check whose meeting would add most to the overall score.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct NextStep<'r> {
    /// The milestone's id.
    pub milestone: Cow<'r, str>,
    /// The fact to disclose or improve.
    pub fact: Cow<'r, str>,
    /// The check that would be met.
    pub check: Cow<'r, str>,
    /// Points the overall score would gain.
    #[serde(serialize_with = "round2")]
    pub gain: f64,
    /// What to do, in words: the finding's message.
    pub action: Cow<'r, str>,
}

/// Whether the gates asked for passed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Gates {
    /// True when no gate failed.
    pub passed: bool,
    /// The gates that failed, with their reasons.
    pub failures: Vec<GateFailure>,
}

impl Default for Gates {
    fn default() -> Self {
        Self {
            passed: true,
            failures: Vec::new(),
        }
    }
}

pub use crate::number::{Rounded, fixed, format_pct, number_json, round_to, round1_value};

/// A gate that failed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GateFailure {
    /// The gate's name (`fail-under`, `min-grade`, `fail-on-cap`, …).
    pub gate: String,
    /// Why the gate failed.
    pub reason: String,
}

/// What a bucket, layer or milestone known on too little of its weight
/// shows instead of a grade, a score and a bar.
pub(crate) const NOT_ENOUGH_DISCLOSED: &str = "not enough disclosed";

/// `not enough disclosed (3.8% known)`.
pub fn not_enough_text(known_pct: Option<f64>) -> String {
    format!(
        "{NOT_ENOUGH_DISCLOSED} ({}% known)",
        format_pct(known_pct.unwrap_or(0.0))
    )
}

fn round1<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_to(*n, 1))
}

fn round2<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_to(*n, 2))
}

/// A fact's or derived figure's value, written as `facts::Value` writes a
/// number, so a figure reads the same in a finding and in a penalty.
fn figure<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::facts::Value::Number(*n).serialize(s)
}

fn round1_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => s.serialize_f64(round_to(*n, 1)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_integers_in_json() {
        assert_eq!(number_json(1e9, 4).to_string(), "1000000000");
        assert_eq!(number_json(1.23456, 4).to_string(), "1.2346");
        assert_eq!(number_json(-0.00001, 4).to_string(), "0");
    }
}
