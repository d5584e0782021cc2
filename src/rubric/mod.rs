//! The rubric: buckets, layers, milestones and their checks, grades — all data.
//!
//! A rubric is TOML (see docs/rubric.md). The built-in ones are compiled into
//! the binary; `--rubric PATH` loads another. Loading resolves every check's
//! fact path against the format-1 schema once, so evaluation never looks a
//! path up by string.

pub mod builtin;
mod file;
pub mod keys;
mod load;
pub mod predicate;
pub mod profile;

pub use load::{input_tables, load_rubric, parse_rubric};

use crate::facts::schema::Target;

/// A compiled, validated rubric.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    /// SHA-256 of the rubric's text (and of its base's, when it extends one).
    pub sha256: String,
    /// Grade letters, best first, each with its minimum score.
    pub grades: Vec<Grade>,
    pub buckets: Vec<Bucket>,
    pub layers: Vec<Layer>,
    pub milestones: Vec<Milestone>,
    /// Weakest-link caps on the grade.
    pub caps: Vec<Cap>,
    /// Lifecycle stages, earliest first.
    pub stages: Vec<StageRule>,
}

impl Rubric {
    /// Position of a grade letter, 0 for the best; unknown letters rank last.
    pub fn grade_rank(&self, letter: &str) -> usize {
        self.grades
            .iter()
            .position(|g| g.letter == letter)
            .unwrap_or(self.grades.len())
    }

    /// The worse of two grades.
    pub fn worse_grade<'a>(&self, a: &'a str, b: &'a str) -> &'a str {
        if self.grade_rank(b) > self.grade_rank(a) {
            b
        } else {
            a
        }
    }

    /// The grade letter for a score.
    pub fn grade_for(&self, score: f64) -> &str {
        self.grades
            .iter()
            .find(|g| score >= g.min_score)
            .or(self.grades.last())
            .map_or("?", |g| g.letter.as_str())
    }

    pub fn milestone(&self, id: &str) -> Option<&Milestone> {
        self.milestones
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(id))
    }

    /// A check and its milestone, by the check's id.
    pub fn check(&self, id: &str) -> Option<(&Milestone, &Check)> {
        self.milestones.iter().find_map(|m| {
            m.checks
                .iter()
                .find(|c| c.id.eq_ignore_ascii_case(id))
                .map(|c| (m, c))
        })
    }

    pub fn bucket(&self, id: &str) -> Option<&Bucket> {
        self.buckets.iter().find(|b| b.id == id)
    }
}

/// A weakest-link cap: when its condition holds, the grade is at most `max_grade`
/// however high the weighted mean, because a fatal flaw must not be averaged away.
#[derive(Debug, Clone)]
pub struct Cap {
    pub id: String,
    pub title: String,
    /// Why the cap exists, shown when it applies.
    pub reason: String,
    pub max_grade: String,
    /// The cap applies when every one of these holds (if any are given)…
    pub when_all: Vec<predicate::Predicate>,
    /// …or when any one of these holds.
    pub when_any: Vec<predicate::Predicate>,
}

/// One lifecycle stage: the bucket scores that evidence it, and the growth
/// figures that make it visible.
#[derive(Debug, Clone)]
pub struct StageRule {
    pub id: String,
    pub title: String,
    /// Minimum score every bucket needs for this stage to be evidenced.
    pub min_bucket_score: f64,
    /// Per-bucket minimums replacing `min_bucket_score`.
    pub bucket_min: std::collections::BTreeMap<String, f64>,
    /// The stage is visible when any of these holds.
    pub visible_when: Vec<predicate::Predicate>,
}

impl StageRule {
    /// The minimum a bucket needs for this stage.
    pub fn minimum_for(&self, bucket: &str) -> f64 {
        self.bucket_min
            .get(bucket)
            .copied()
            .unwrap_or(self.min_bucket_score)
    }
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub letter: String,
    pub min_score: f64,
}

#[derive(Debug, Clone)]
pub struct Bucket {
    pub id: String,
    pub title: String,
    pub description: String,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub struct Layer {
    pub id: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub bucket: String,
    pub layers: Vec<String>,
    /// Positions of `bucket` in [`Rubric::buckets`] and of `layers` in
    /// [`Rubric::layers`], resolved when the rubric is compiled so that
    /// scoring compares numbers, not names.
    pub bucket_index: usize,
    pub layer_indices: Vec<usize>,
    pub weight: f64,
    /// Why it matters.
    pub why: String,
    /// What would raise it.
    pub remediation: String,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    /// One line saying what is checked.
    pub title: String,
    /// The fact path as written (`redemption.fee_bps`).
    pub fact: String,
    /// The path resolved against the schema.
    pub target: Target,
    pub op: Op,
    pub points: f64,
    /// What the check expects, in words: fixed by the operator, so written
    /// once when the rubric is compiled rather than for every finding.
    pub expected: String,
    /// The finding's message when the check is met (`<title>: met`).
    pub met_message: String,
    /// The finding's message when its fact is absent, for targets where that
    /// is the same in every file (empty for fields of every entry).
    pub missing_message: String,
    /// For a derived figure: the tables of its inputs, in order, resolved
    /// once; a finding points at the first one the file declares.
    pub input_tables: Vec<&'static crate::facts::schema::Table>,
    /// The texts above as JSON, for the JSON Lines writer: made on first
    /// use, since only a batch needs them and one file is scored sooner
    /// without. Read through [`Check::json`].
    pub json: std::sync::OnceLock<CheckJson>,
}

impl Check {
    /// The finding's fixed JSON parts for this check.
    pub fn json(&self) -> &CheckJson {
        self.json.get_or_init(|| CheckJson::of(self))
    }
}

/// The parts of a finding's JSON that are the same in every report, made
/// once when the rubric is compiled: fixed texts quoted and escaped, joined
/// with the keys around them. Every report of a batch repeats them, and
/// copying is cheaper than escaping each time. The JSON Lines writer
/// (`render::json`) fills in the parts between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckJson {
    /// `{"check":"M01.policy","outcome":"`
    pub head: String,
    /// `","fact":"redemption.policy_published","value":`
    pub fact: String,
    /// `,"expected":"true","line":`
    pub expected: String,
    /// `,"points":2.0,"earned":`
    pub points: String,
    /// The points alone (`2.0`): what a finding that earned all of them shows.
    pub all_points: String,
    /// The messages of a met and of a not-disclosed finding, quoted.
    pub met_message: String,
    pub missing_message: String,
}

impl CheckJson {
    /// The parts for a compiled check.
    pub fn of(check: &Check) -> Self {
        Self {
            met_message: quoted(&check.met_message),
            missing_message: quoted(&check.missing_message),
            ..Self::around(&check.id, &check.fact, &check.expected, check.points)
        }
    }

    /// The parts around a finding's own texts; the messages are left empty.
    pub fn around(id: &str, fact: &str, expected: &str, points: f64) -> Self {
        // As serde writes a rounded `f64` (the report's `round2`).
        let all_points = serde_json::Value::from(crate::report::round_to(points, 2)).to_string();
        Self {
            head: format!("{{\"check\":{},\"outcome\":\"", quoted(id)),
            fact: format!("\",\"fact\":{},\"value\":", quoted(fact)),
            expected: format!(",\"expected\":{},\"line\":", quoted(expected)),
            points: format!(",\"points\":{all_points},\"earned\":"),
            all_points,
            met_message: String::new(),
            missing_message: String::new(),
        }
    }
}

/// A text as a JSON string: quoted and escaped.
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A numeric threshold ladder: the first tier a value reaches sets the credit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiers(pub Vec<Tier>);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    pub limit: f64,
    /// Share of the check's points earned, 0–1.
    pub credit: f64,
}

/// How a check judges its fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// The fact is declared (any value).
    Present,
    IsTrue,
    IsFalse,
    /// An enum or text among `values` (full credit) or `partial` (partial credit).
    OneOf {
        values: Vec<String>,
        partial: Vec<String>,
        partial_credit: f64,
    },
    AtLeast(Tiers),
    AtMost(Tiers),
    /// A date no older than the tier's limit, in days before the evaluation date.
    AgeAtMost(Tiers),
    /// Entries of an array of tables, or items of a list, at least the limit.
    CountAtLeast(Tiers),
    /// A list contains each of `values`; credit is the share contained.
    Includes(Vec<String>),
    /// Every entry (that matches the filter) satisfies the condition; credit
    /// is the share that does.
    All(Condition),
    /// At least one entry (that matches the filter) satisfies the condition.
    Any(Condition),
}

impl Op {
    /// The operator's name as rubrics write it.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Present => "present",
            Op::IsTrue => "is-true",
            Op::IsFalse => "is-false",
            Op::OneOf { .. } => "one-of",
            Op::AtLeast(_) => "at-least",
            Op::AtMost(_) => "at-most",
            Op::AgeAtMost(_) => "age-at-most",
            Op::CountAtLeast(_) => "count-at-least",
            Op::Includes(_) => "includes",
            Op::All(_) => "all",
            Op::Any(_) => "any",
        }
    }
}

/// The condition of `all` / `any`: each entry's field is true (booleans),
/// among `values`, or — for other fields given no values — simply declared.
/// Only entries whose `filter` field is among the filter values count.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub values: Vec<String>,
    /// True when the field only has to be declared.
    pub declared: bool,
    pub filter: Option<(String, Vec<String>)>,
}

/// Every operator name, for messages.
pub const OPERATORS: &[&str] = &[
    "present",
    "is-true",
    "is-false",
    "one-of",
    "at-least",
    "at-most",
    "age-at-most",
    "count-at-least",
    "includes",
    "all",
    "any",
];
