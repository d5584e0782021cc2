//! The rubric: buckets, layers, milestones and their checks, grades — all data.
//!
//! A rubric is TOML (see docs/rubric.md). The built-in ones are compiled into
//! the binary; `--rubric PATH` loads another. Loading resolves every check's
//! fact path against the format-1 schema once, so evaluation never looks a
//! path up by string.

pub mod builtin;
mod compile;
mod draft;
pub(crate) mod file;
pub mod history;
mod load;
pub mod predicate;
pub mod profile;

/// For the tests of `eval::check`, which build checks by hand.
#[cfg(test)]
pub(crate) use compile::input_tables;
pub use load::{load_rubric, parse_rubric};

use crate::facts::schema::Target;

/// A compiled, validated rubric.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// The rubric's stable id (`usd1-default`), as reports record it.
    pub id: String,
    /// The rubric's version, as its file declares it.
    pub version: String,
    /// The rubric's title.
    pub title: String,
    /// What the rubric is for, in a few sentences.
    pub description: String,
    /// SHA-256 of the rubric's text (and of its base's, when it extends one).
    pub sha256: String,
    /// Grade letters, best first, each with its minimum score.
    pub grades: Vec<Grade>,
    /// The buckets, in rubric order, each weighted in the overall score.
    pub buckets: Vec<Bucket>,
    /// The layers, in rubric order, that cut across the buckets.
    pub layers: Vec<Layer>,
    /// The milestones, in rubric order, each in one bucket and one or more layers.
    pub milestones: Vec<Milestone>,
    /// Weakest-link caps on the grade.
    pub caps: Vec<Cap>,
    /// Lifecycle stages, earliest first.
    pub stages: Vec<StageRule>,
    /// What an absent fact counts as.
    pub absent: Absent,
    /// The facts without which no grade is given.
    pub core: Vec<CoreFact>,
    /// How bucket scores combine into the overall score.
    pub overall: OverallRule,
    /// Points taken off the overall score in proportion to a weakness.
    pub penalties: Vec<Penalty>,
    /// What each kind of evidence earns.
    pub evidence: EvidenceCredit,
    /// What `usd1eval history` watches across disclosures.
    pub history: history::History,
    /// How much must be known for a grade, and each grade's confidence.
    pub confidence: ConfidenceRule,
}

/// `[confidence]`: a bucket, layer or milestone known on less than
/// `min_known_pct` of its weight gets no grade; the overall grade's
/// confidence is `high` when the anchor buckets are known on at least
/// `high.known_pct` of their weight and at least `high.independent_pct` of
/// the score rests on independent evidence, `medium` when `medium`'s
/// minimums are met, else `low`. With no `[confidence]` every minimum is 0:
/// everything is graded, with high confidence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfidenceRule {
    /// The share of its weight a bucket, layer or milestone must have known for a grade, 0–100.
    pub min_known_pct: f64,
    /// The minimums for `high` confidence.
    pub high: ConfidenceLevel,
    /// The minimums for `medium` confidence.
    pub medium: ConfidenceLevel,
}

/// The minimums of one confidence level, in percent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfidenceLevel {
    /// The share of the anchor buckets' weight that must be known.
    pub known_pct: f64,
    /// The share of the score that must rest on independent evidence.
    pub independent_pct: f64,
}

impl ConfidenceLevel {
    fn holds(&self, known_pct: f64, independent_pct: f64) -> bool {
        known_pct >= self.known_pct && independent_pct >= self.independent_pct
    }
}

impl ConfidenceRule {
    /// Every level [`level`](Self::level) gives, highest first.
    pub(crate) const LEVELS: [&str; 3] = ["high", "medium", "low"];

    /// `high`, `medium` or `low`, from the share of the anchor buckets'
    /// weight that is known and the share of the score resting on
    /// independent evidence (0 when nothing was earned).
    pub fn level(&self, known_pct: f64, independent_pct: f64) -> &'static str {
        let [high, medium, low] = Self::LEVELS;
        if self.high.holds(known_pct, independent_pct) {
            high
        } else if self.medium.holds(known_pct, independent_pct) {
            medium
        } else {
            low
        }
    }

    /// True when a share known is enough for a grade.
    pub fn enough(&self, known_pct: Option<f64>) -> bool {
        known_pct.is_some_and(|k| k >= self.min_known_pct)
    }
}

/// What an absent fact counts as in the scores.
///
/// `Unknown` (the default) leaves a `not-disclosed` finding out of every
/// score, as OpenSSF Scorecard leaves out an inconclusive check: an analyst
/// working from public facts is not punished for what nobody publishes, and
/// coverage says how much is known. `Unmet` scores it as a failed check, as
/// an issuer gating its own disclosure file wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Absent {
    // `--absent`'s own help describes both values, so the doc comments below
    // are kept out of the command line's list of possible values.
    /// An absent fact is left out of the scores (`not-disclosed`, never a
    /// failure).
    #[default]
    #[value(help = None::<&str>)]
    Unknown,
    /// An absent fact scores as a failed check.
    #[value(help = None::<&str>)]
    Unmet,
}

impl Absent {
    /// Every value, as rubrics and the command line write it.
    pub const NAMES: &[&str] = &["unknown", "unmet"];

    /// The policy as rubrics and the command line write it (`unknown`, `unmet`).
    pub fn name(self) -> &'static str {
        match self {
            Absent::Unknown => "unknown",
            Absent::Unmet => "unmet",
        }
    }

    /// The policy a name stands for; `None` for an unknown name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "unknown" => Some(Absent::Unknown),
            "unmet" => Some(Absent::Unmet),
            _ => None,
        }
    }
}

/// A fact without which no grade is given (see [`crate::eval`]).
#[derive(Debug, Clone)]
pub struct CoreFact {
    /// The fact path as written (`reserves.asset[]`, `derived.x`).
    pub fact: String,
    /// What it is, in words, for "not graded: missing …".
    pub title: String,
    /// The fact path resolved against the schema.
    pub target: Target,
    /// Other ways the fact is known (`or`): it counts as known when the
    /// fact is declared or any of these holds.
    pub or: Vec<predicate::Predicate>,
}

/// The share (0–1) of a check's points a fact earns by the kind of evidence
/// behind it (`[evidence]`); every kind earns 1 unless the rubric says less.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceCredit {
    credits: Vec<(&'static str, f64)>,
}

impl Default for EvidenceCredit {
    fn default() -> Self {
        Self {
            credits: crate::facts::schema::EVIDENCE_CHOICES
                .iter()
                .map(|c| (c.name, 1.0))
                .collect(),
        }
    }
}

impl EvidenceCredit {
    /// What a fact backed by `kind` earns; an undeclared kind is the issuer's word.
    pub(crate) fn credit(&self, kind: Option<&str>) -> f64 {
        let kind = kind.unwrap_or(crate::facts::schema::UNDECLARED_EVIDENCE);
        self.credits
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(1.0, |(_, c)| *c)
    }

    pub(crate) fn set(&mut self, kind: &str, credit: f64) {
        if let Some(slot) = self.credits.iter_mut().find(|(k, _)| *k == kind) {
            slot.1 = credit;
        }
    }
}

/// How the overall score is made from bucket scores.
///
/// With no anchor it is the weighted mean of every bucket. With an anchor,
/// the weighted mean of the anchor buckets sets the score and the weighted
/// mean of the others moves it by `pull` × their difference, bounded by
/// `max_up` and `max_down` points: the fundamentals come first, and the rest
/// adjusts them within bounds, as a rating agency's modifiers do.
#[derive(Debug, Clone, Default)]
pub struct OverallRule {
    /// Positions of the anchor buckets in [`Rubric::buckets`].
    pub anchor: Vec<usize>,
    /// The share of the difference between the other buckets' mean and the anchor's that moves the score.
    pub pull: f64,
    /// The most points the other buckets can add to the anchor's score.
    pub max_up: f64,
    /// The most points the other buckets can take off the anchor's score.
    pub max_down: f64,
}

/// Points off the overall score for each unit a figure lies beyond a
/// threshold (`below` or `above` it), up to `max`: a 6 % reserve shortfall
/// costs in proportion to its size, not one check's worth.
#[derive(Debug, Clone)]
pub struct Penalty {
    /// The penalty's stable id.
    pub id: String,
    /// The penalty's title, as reports show it.
    pub title: String,
    /// The fact path the penalty reads, as written.
    pub fact: String,
    /// The fact path resolved against the schema.
    pub target: Target,
    /// True when the penalty grows as the figure falls below `threshold`.
    pub below: bool,
    /// The figure's value from which points start to come off.
    pub threshold: f64,
    /// Points taken off per unit beyond the threshold.
    pub per_unit: f64,
    /// The most points the penalty can take off.
    pub max: f64,
}

impl Penalty {
    /// How far beyond the threshold a value lies, in the figure's units (0
    /// when on the right side).
    pub(crate) fn excess(&self, value: f64) -> f64 {
        let excess = if self.below {
            self.threshold - value
        } else {
            value - self.threshold
        };
        excess.max(0.0)
    }

    /// The points a value costs.
    pub fn points(&self, value: f64) -> f64 {
        (self.excess(value) * self.per_unit).min(self.max)
    }
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
    pub(crate) fn worse_grade<'a>(&self, a: &'a str, b: &'a str) -> &'a str {
        if self.grade_rank(b) > self.grade_rank(a) {
            b
        } else {
            a
        }
    }

    /// The grade letter for a score.
    pub(crate) fn grade_for(&self, score: f64) -> &str {
        self.grades
            .iter()
            .find(|g| score >= g.min_score)
            .or(self.grades.last())
            .map_or("?", |g| g.letter.as_str())
    }

    /// A milestone by its id, ignoring ASCII case.
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

    /// A bucket by its id.
    pub fn bucket(&self, id: &str) -> Option<&Bucket> {
        self.buckets.iter().find(|b| b.id == id)
    }
}

/// A weakest-link cap: when its condition holds, the grade is at most `max_grade`
/// however high the weighted mean, because a fatal flaw must not be averaged away.
#[derive(Debug, Clone)]
pub struct Cap {
    /// The cap's stable id (`reserves-not-ring-fenced`).
    pub id: String,
    /// The cap's title, as reports show it.
    pub title: String,
    /// Why the cap exists, shown when it applies.
    pub reason: String,
    /// The best grade letter the cap allows.
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
    /// The stage's stable id (`exploration`).
    pub id: String,
    /// The stage's title, as reports show it.
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
    pub(crate) fn minimum_for(&self, bucket: &str) -> f64 {
        self.bucket_min
            .get(bucket)
            .copied()
            .unwrap_or(self.min_bucket_score)
    }
}

/// A grade letter and the lowest score that earns it.
#[derive(Debug, Clone)]
pub struct Grade {
    /// The letter (`A`).
    pub letter: String,
    /// The lowest score, 0–100, that earns the letter.
    pub min_score: f64,
}

/// A bucket: one area of strength the overall score weighs.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The bucket's stable id (`reserves`).
    pub id: String,
    /// The bucket's title, as reports show it.
    pub title: String,
    /// What the bucket covers, in a sentence or two.
    pub description: String,
    /// The bucket's weight in the overall score.
    pub weight: f64,
}

/// A layer: one kind of assurance that cuts across the buckets.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The layer's stable id.
    pub id: String,
    /// The layer's title, as reports show it.
    pub title: String,
    /// What the layer covers, in a sentence or two.
    pub description: String,
}

/// A milestone: a group of checks in one bucket and one or more layers, scored 0–100.
#[derive(Debug, Clone)]
pub struct Milestone {
    /// The milestone's stable id (`M07`).
    pub id: String,
    /// The milestone's title, as reports show it.
    pub title: String,
    /// The id of the bucket the milestone belongs to.
    pub bucket: String,
    /// The ids of the layers the milestone sits in.
    pub layers: Vec<String>,
    /// Positions of `bucket` in [`Rubric::buckets`] and of `layers` in
    /// [`Rubric::layers`], resolved when the rubric is compiled so that
    /// scoring compares numbers, not names.
    pub bucket_index: usize,
    /// See `bucket_index`.
    pub layer_indices: Vec<usize>,
    /// The milestone's weight in its bucket's and layers' scores.
    pub weight: f64,
    /// Why it matters.
    pub why: String,
    /// What would raise it.
    pub remediation: String,
    /// The milestone's checks, in rubric order.
    pub checks: Vec<Check>,
}

/// One check of a milestone: a fact, an operator and the points it is worth.
#[derive(Debug, Clone)]
pub struct Check {
    /// The check's stable id (`M07.attestation`).
    pub id: String,
    /// One line saying what is checked.
    pub title: String,
    /// The fact path as written (`redemption.fee_bps`).
    pub fact: String,
    /// The path resolved against the schema.
    pub target: Target,
    /// How the check judges its fact.
    pub op: Op,
    /// The points the check is worth when met.
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
    /// The check does not apply when any of these holds (e.g. redemption
    /// terms when nobody can redeem).
    pub not_applicable_when: Vec<predicate::Predicate>,
}

/// A numeric threshold ladder: the first tier a value reaches sets the credit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiers(pub Vec<Tier>);

/// One rung of a threshold ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The value to reach: a minimum for `at-least` and `count-at-least`, a maximum for `at-most` and `age-at-most`.
    pub limit: f64,
    /// Share of the check's points earned, 0–1.
    pub credit: f64,
}

/// How a check judges its fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// The fact is declared (any value).
    Present,
    /// The fact is true.
    IsTrue,
    /// The fact is false.
    IsFalse,
    /// An enum or text among `values` (full credit) or `partial` (partial credit).
    OneOf {
        /// The values that earn full credit.
        values: Vec<String>,
        /// The values that earn partial credit.
        partial: Vec<String>,
        /// The share of the points, 0–1, a partial value earns.
        partial_credit: f64,
    },
    /// A number at least the tier's limit.
    AtLeast(Tiers),
    /// A number at most the tier's limit.
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
    /// The operator as rubrics write it.
    pub(crate) fn operator(&self) -> CheckOperator {
        match self {
            Op::Present => CheckOperator::Present,
            Op::IsTrue => CheckOperator::IsTrue,
            Op::IsFalse => CheckOperator::IsFalse,
            Op::OneOf { .. } => CheckOperator::OneOf,
            Op::AtLeast(_) => CheckOperator::AtLeast,
            Op::AtMost(_) => CheckOperator::AtMost,
            Op::AgeAtMost(_) => CheckOperator::AgeAtMost,
            Op::CountAtLeast(_) => CheckOperator::CountAtLeast,
            Op::Includes(_) => CheckOperator::Includes,
            Op::All(_) => CheckOperator::All,
            Op::Any(_) => CheckOperator::Any,
        }
    }

    /// The operator's name as rubrics write it.
    pub fn name(&self) -> &'static str {
        self.operator().name()
    }
}

/// An enum of operator names, each name written once: the variants, their
/// names, the list of all of them and the reading of a name.
macro_rules! operators {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every operator, in the order the docs list them.
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name as rubrics and profiles write it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The operator a name stands for.
            pub fn parse(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|op| op.name() == name)
            }

            /// "did you mean" for an unknown name, else the list of names.
            pub fn hint(unknown: &str) -> String {
                let names = Self::ALL.iter().map(|op| op.name());
                crate::text::did_you_mean(unknown, names.clone()).map_or_else(
                    || format!("operators: {}", names.collect::<Vec<_>>().join(", ")),
                    |s| format!("did you mean `{s}`?"),
                )
            }
        }
    };
}

operators! {
    /// The operators of a rubric's checks (`op` of `[[milestone.check]]`).
    CheckOperator {
        /// `present`: the fact is declared (any value).
        Present = "present",
        /// `is-true`: the fact is true.
        IsTrue = "is-true",
        /// `is-false`: the fact is false.
        IsFalse = "is-false",
        /// `one-of`: the value is among the full- or partial-credit values.
        OneOf = "one-of",
        /// `at-least`: the number reaches a tier's minimum.
        AtLeast = "at-least",
        /// `at-most`: the number stays within a tier's maximum.
        AtMost = "at-most",
        /// `age-at-most`: the date is no more than a tier's days old.
        AgeAtMost = "age-at-most",
        /// `count-at-least`: the list or array of tables has at least a tier's count.
        CountAtLeast = "count-at-least",
        /// `includes`: the list contains each of the values.
        Includes = "includes",
        /// `all`: every entry satisfies the condition.
        All = "all",
        /// `any`: at least one entry satisfies the condition.
        Any = "any",
    }
}

operators! {
    /// The operators of conditions (caps, stages, profile requirements).
    ConditionOperator {
        /// `above`: the number is above a value or another fact.
        Above = "above",
        /// `below`: the number is below a value or another fact.
        Below = "below",
        /// `at-least`: the number is at least a value or another fact.
        AtLeast = "at-least",
        /// `at-most`: the number is at most a value or another fact.
        AtMost = "at-most",
        /// `one-of`: the value (for a list: some item) is among the values.
        OneOf = "one-of",
        /// `is-true`: the fact is true.
        IsTrue = "is-true",
        /// `is-false`: the fact is false.
        IsFalse = "is-false",
        /// `present`: the fact is declared (any value).
        Present = "present",
        /// `count-at-least`: the list has at least this many items.
        CountAtLeast = "count-at-least",
        /// `some-one-of`: on entries, at least one relevant entry's value is among the values.
        SomeOneOf = "some-one-of",
        /// `none-of`: the value (for a list: every item) is not among the values.
        NoneOf = "none-of",
    }
}

/// The condition of `all` / `any`: each entry's field is true (booleans),
/// among `values`, or — for other fields given no values — simply declared.
/// Only entries whose `filter` field is among the filter values count.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The values the entry's field must be among; empty for booleans and fields that only have to be declared.
    pub values: Vec<String>,
    /// True when the field only has to be declared.
    pub declared: bool,
    /// The filter field and its values: only entries whose field is among them count; `None` to count every entry.
    pub filter: Option<(String, Vec<String>)>,
}

/// A rubric read from `text` as the file `r.toml`: the tests of the loader's
/// parts give their rubrics inline.
#[cfg(test)]
fn parse_text(text: &str) -> Result<Rubric, Vec<crate::source::Diagnostic>> {
    parse_rubric(&crate::source::SourceFile::new("r.toml", text))
}

#[cfg(test)]
mod operator_tests {
    use super::{CheckOperator, ConditionOperator};

    #[test]
    fn every_operator_name_reads_back_and_is_suggested() {
        for op in CheckOperator::ALL {
            assert_eq!(CheckOperator::parse(op.name()), Some(*op));
        }
        for op in ConditionOperator::ALL {
            assert_eq!(ConditionOperator::parse(op.name()), Some(*op));
        }
        assert_eq!(CheckOperator::parse("above"), None);
        // The condition hint once listed every operator but `some-one-of`.
        assert_eq!(
            ConditionOperator::hint("some-one-off"),
            "did you mean `some-one-of`?"
        );
    }
}
