//! Evaluation: a pure function from (rubric, arrangement, evaluation date) to
//! a [`Report`]. No I/O and no clock: the same inputs give the same report.

mod check;
mod score;

use chrono::NaiveDate;

pub use check::expected;

use crate::facts::{Arrangement, Derived};
use crate::report::{
    ArrangementRef, Gates, MilestoneResult, Report, RubricRef, SCHEMA_VERSION, Stage, Tool,
};
use crate::rubric::Rubric;

/// Scores one arrangement against a rubric as of a date.
pub fn evaluate(rubric: &Rubric, arrangement: &Arrangement, as_of: NaiveDate) -> Report {
    let facts = &arrangement.facts;
    let derived = Derived::compute(facts, as_of);

    let milestones: Vec<MilestoneResult> = rubric
        .milestones
        .iter()
        .map(|m| {
            let findings: Vec<_> = m
                .checks
                .iter()
                .map(|c| check::run(c, facts, &derived, as_of))
                .collect();
            MilestoneResult {
                id: m.id.clone(),
                title: m.title.clone(),
                bucket: m.bucket.clone(),
                layers: m.layers.clone(),
                score: score::milestone_score(&findings),
                weight: m.weight,
                findings,
            }
        })
        .collect();

    let scores = score::aggregate(rubric, &milestones);
    let grade = rubric.grade_for(scores.overall);

    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        rubric: RubricRef {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
            sha256: rubric.sha256.clone(),
        },
        evaluated_as_of: as_of.to_string(),
        arrangement: ArrangementRef {
            name: facts.name.clone(),
            issuer: facts.issuer().map(str::to_string),
            path: arrangement.path.clone(),
            sha256: arrangement.sha256.clone(),
            as_of: facts.as_of.to_string(),
        },
        overall: crate::report::Overall {
            score: scores.overall,
            uncapped_grade: grade.clone(),
            grade,
            coverage_pct: scores.coverage_pct,
        },
        caps: Vec::new(),
        stage: Stage {
            claimed: facts
                .text("arrangement", "stage_claimed")
                .map(str::to_string),
            ..Stage::default()
        },
        buckets: scores.buckets,
        layers: scores.layers,
        matrix: scores.matrix,
        milestones,
        derived: derived
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_json()))
            .collect(),
        profiles: Vec::new(),
        next_steps: Vec::new(),
        gates: Gates::default(),
        diagnostics: arrangement.warnings.clone(),
    }
}
