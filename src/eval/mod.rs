//! Evaluation: a pure function from (rubric, arrangement, evaluation date) to
//! a [`Report`]. No I/O and no clock: the same inputs give the same report.

mod check;
mod judgment;
mod predicate;
mod profile;
mod score;

use chrono::NaiveDate;

pub use check::{expected, missing_detail};

use crate::facts::{Arrangement, Derived};
use crate::report::{
    ArrangementRef, Gates, MilestoneResult, Report, RubricRef, SCHEMA_VERSION, Tool,
};
use crate::rubric::Rubric;
use crate::rubric::profile::Profile;

/// The overall (uncapped) score of milestone results, recomputing each
/// milestone's score from its findings. Lets a caller ask what a changed
/// finding would do to the score without re-running the checks.
pub fn overall_score(rubric: &Rubric, milestones: &[MilestoneResult<'_>]) -> f64 {
    let rescored: Vec<MilestoneResult<'_>> = milestones
        .iter()
        .map(|m| MilestoneResult {
            score: score::milestone_score(&m.findings),
            ..m.clone()
        })
        .collect();
    score::aggregate(rubric, &rescored).overall
}

/// Scores one arrangement against a rubric as of a date, and checks it
/// against each regulatory profile given.
pub fn evaluate<'r>(
    rubric: &'r Rubric,
    profiles: &[Profile],
    arrangement: &Arrangement,
    as_of: NaiveDate,
) -> Report<'r> {
    let facts = &arrangement.facts;
    let derived = Derived::compute(facts, as_of);

    let milestones: Vec<MilestoneResult<'r>> = rubric
        .milestones
        .iter()
        .map(|m| {
            let findings: Vec<_> = m
                .checks
                .iter()
                .map(|c| check::run(c, facts, &derived, as_of))
                .collect();
            MilestoneResult {
                id: &m.id,
                title: &m.title,
                bucket: &m.bucket,
                layers: &m.layers,
                score: score::milestone_score(&findings),
                weight: m.weight,
                findings,
            }
        })
        .collect();

    let scores = score::aggregate(rubric, &milestones);
    let uncapped_grade = rubric.grade_for(scores.overall);
    let (caps, grade) = judgment::caps(rubric, facts, &derived, uncapped_grade);
    let stage = judgment::stage(rubric, facts, &derived, &scores.buckets);
    let next_steps = judgment::next_steps(rubric, &milestones);

    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        rubric: RubricRef {
            id: &rubric.id,
            version: &rubric.version,
            sha256: &rubric.sha256,
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
            uncapped_grade,
            grade,
            coverage_pct: scores.coverage_pct,
        },
        caps,
        stage,
        buckets: scores.buckets,
        layers: scores.layers,
        matrix: scores.matrix,
        milestones,
        derived: derived
            .iter()
            .map(|(name, value)| (name, value.to_json()))
            .collect(),
        profiles: profiles
            .iter()
            .map(|p| profile::check(p, facts, &derived, as_of))
            .collect(),
        next_steps,
        gates: Gates::default(),
        diagnostics: arrangement.warnings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::load_rubric;
    use crate::source::SourceFile;

    #[test]
    fn next_step_gains_equal_a_full_re_scoring() {
        let rubric = load_rubric("milestones").unwrap();
        let source = SourceFile::read("examples/middling.toml").unwrap();
        let arrangement = Arrangement::from_source(&source).unwrap();
        let report = evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);
        assert_eq!(report.next_steps.len(), judgment::NEXT_STEPS);
        let mut previous = f64::INFINITY;
        for step in &report.next_steps {
            assert!(step.gain <= previous, "ranked by gain");
            previous = step.gain;
            // Meet the step's check and score everything again.
            let mut milestones = report.milestones.clone();
            let m = milestones
                .iter_mut()
                .find(|m| m.id == step.milestone)
                .unwrap();
            let f = m
                .findings
                .iter_mut()
                .find(|f| f.check == step.check)
                .unwrap();
            f.earned = f.points;
            f.outcome = crate::report::Outcome::Met;
            m.score = score::milestone_score(&m.findings);
            let rescored = score::aggregate(&rubric, &milestones).overall;
            assert!(
                (rescored - report.overall.score - step.gain).abs() < 1e-9,
                "{}",
                step.check
            );
        }
    }
}
