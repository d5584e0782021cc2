//! What changed between two evaluations: facts (when both sides are
//! arrangement files), findings that changed outcome, and score deltas for
//! the overall score, buckets, layers and milestones — plus the regressions
//! that make `diff` exit 1.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::gate::regressions_between;
use crate::report::{Report, SCHEMA_VERSION};

/// One side of a diff: its label and report, and its facts when it was an
/// arrangement file.
#[derive(Debug)]
pub struct Side<'r> {
    /// The side's label in messages: the path it was read from.
    pub label: String,
    /// The side's report: read back from JSON, or made now from an
    /// arrangement file.
    pub report: Report<'r>,
    /// The side's declared facts by path; `None` unless the side was an arrangement file.
    pub facts: Option<BTreeMap<String, String>>,
}

/// What changed between two evaluations, in the shape of `diff --format json`.
#[derive(Debug, Serialize)]
pub struct Diff {
    /// The version of the JSON shape.
    pub schema_version: u32,
    /// The old side's label.
    pub old: String,
    /// The new side's label.
    pub new: String,
    /// True when `regressions` is not empty.
    pub regression: bool,
    /// One sentence per regression from old to new, as the gates word it.
    pub regressions: Vec<String>,
    /// Changed facts; empty unless both sides are arrangement files.
    pub facts: Vec<FactChange>,
    /// Findings whose outcome changed, with the points won or lost.
    pub findings: Vec<FindingChange>,
    /// Score deltas for the overall score, buckets, layers and milestones.
    pub scores: Vec<ScoreChange>,
}

/// A fact whose declared value changed between two arrangement files.
#[derive(Debug, Serialize)]
pub struct FactChange {
    /// The fact's path (`table.field`).
    pub fact: String,
    /// The old value; `None` when the old file did not declare the fact.
    pub old: Option<String>,
    /// The new value; `None` when the new file does not declare the fact.
    pub new: Option<String>,
}

/// A finding whose outcome changed between the two sides.
#[derive(Debug, Serialize)]
pub struct FindingChange {
    /// The milestone's id (`M07`).
    pub milestone: String,
    /// The check's id within the milestone.
    pub check: String,
    /// The finding's outcome on the old side.
    pub old: crate::report::Outcome,
    /// The finding's outcome on the new side.
    pub new: crate::report::Outcome,
    /// Points earned on the new side minus those on the old.
    #[serde(serialize_with = "round2")]
    pub points_delta: f64,
}

/// A score that changed between the two sides.
#[derive(Debug, Serialize)]
pub struct ScoreChange {
    /// `overall`, `bucket`, `layer` or `milestone`.
    pub kind: String,
    /// The bucket, layer or milestone id (`overall` for the overall score).
    pub id: String,
    /// The old score; `None` when the old side had none.
    pub old: Option<f64>,
    /// The new score; `None` when the new side has none.
    pub new: Option<f64>,
    /// New minus old, rounded; `None` unless both sides have a score.
    pub delta: Option<f64>,
}

fn round2<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((n * 100.0).round() / 100.0)
}

fn round1(n: Option<f64>) -> Option<f64> {
    n.map(crate::report::round1_value)
}

/// The id and score of each bucket or layer, in report order.
type PartScores<'a> = Vec<(&'a str, Option<f64>)>;

/// Each bucket's and each layer's id and score, by kind.
fn part_scores<'a>(report: &'a Report) -> [(&'static str, PartScores<'a>); 2] {
    let (buckets, layers) = (&report.buckets, &report.layers);
    [
        (
            "bucket",
            buckets.iter().map(|x| (&*x.id, x.score)).collect(),
        ),
        ("layer", layers.iter().map(|x| (&*x.id, x.score)).collect()),
    ]
}

/// Compares two sides.
pub fn diff(old: &Side, new: &Side, tolerance: f64) -> Diff {
    let (a, b) = (&old.report, &new.report);
    let facts = match (&old.facts, &new.facts) {
        (Some(a), Some(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| a.get(*k) != b.get(*k))
                .map(|k| FactChange {
                    fact: k.clone(),
                    old: a.get(k).cloned(),
                    new: b.get(k).cloned(),
                })
                .collect()
        }
        _ => Vec::new(),
    };

    let mut findings = Vec::new();
    let mut scores = Vec::new();
    let mut score = |kind: &str, id: &str, a: Option<f64>, b: Option<f64>| {
        let (a, b) = (round1(a), round1(b));
        if a != b {
            scores.push(ScoreChange {
                kind: kind.into(),
                id: id.into(),
                old: a,
                new: b,
                delta: a.zip(b).map(|(x, y)| crate::report::round1_value(y - x)),
            });
        }
    };
    score(
        "overall",
        "overall",
        Some(a.overall.score),
        Some(b.overall.score),
    );
    for ((kind, before), (_, after)) in part_scores(a).into_iter().zip(part_scores(b)) {
        for (id, s) in after {
            let was = before.iter().find(|(x, _)| *x == id).and_then(|(_, s)| *s);
            score(kind, id, was, s);
        }
    }
    for m in &b.milestones {
        let before = a.milestones.iter().find(|x| x.id == m.id);
        score("milestone", &m.id, before.and_then(|x| x.score), m.score);
        let Some(before) = before else {
            continue;
        };
        for f in &m.findings {
            // Points as the report writes them, so that a report compared
            // with its own JSON has changed nowhere.
            if let Some(o) = before.findings.iter().find(|o| o.check == f.check)
                && (o.outcome != f.outcome
                    || (o.earned_as_written() - f.earned_as_written()).abs() > 0.005)
            {
                findings.push(FindingChange {
                    milestone: m.id.to_string(),
                    check: f.check.to_string(),
                    old: o.outcome,
                    new: f.outcome,
                    points_delta: f.earned_as_written() - o.earned_as_written(),
                });
            }
        }
    }
    let regressions = regressions_between(b, a, tolerance);
    Diff {
        schema_version: SCHEMA_VERSION,
        old: old.label.clone(),
        new: new.label.clone(),
        regression: !regressions.is_empty(),
        regressions,
        facts,
        findings,
        scores,
    }
}
