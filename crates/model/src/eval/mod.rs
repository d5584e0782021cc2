//! Evaluation: a pure function from (rubric, arrangement, evaluation date) to
//! a [`Report`]. No I/O and no clock: the same inputs give the same report.

mod check;
mod judgment;
mod predicate;
mod profile;
mod score;

use std::borrow::Cow;
use usd1eval_format::derived;

use chrono::NaiveDate;

pub use check::expected;
pub(crate) use check::missing_detail;

use crate::facts::{Arrangement, Derived};
use crate::report::{
    ArrangementRef, Gates, MilestoneResult, Report, RubricRef, SCHEMA_VERSION, Tool,
};
use crate::rubric::Rubric;
use crate::rubric::profile::Profile;

/// The overall score (after penalties) of milestone results, recomputing
/// each milestone's score from its findings. Lets a caller ask what a
/// changed finding would do to the score without re-running the checks.
pub fn overall_score(rubric: &Rubric, report: &Report<'_>) -> f64 {
    let scores: Vec<Option<f64>> = report
        .milestones
        .iter()
        .map(|m| score::milestone_score(&m.findings, rubric.absent))
        .collect();
    let penalties: f64 = report.overall.penalties.iter().map(|p| p.points).sum();
    judgment::after_penalties(
        score::overall_of(rubric, &score::bucket_scores(rubric, &scores)),
        penalties,
    )
}

/// Scores one arrangement against a rubric as of a date, and checks it
/// against each regulatory profile given.
///
/// The judgment, in order: every check gives a finding; milestone, bucket,
/// layer and matrix scores are weighted means over the findings that count
/// (an absent fact counts only when the rubric's `absent` is `unmet`); the
/// overall score follows the rubric's overall rule, less its penalties; the
/// grade is the score's letter, lowered by the caps that apply, and is
/// given only when the core facts are declared or a cap applies from the
/// declared facts alone.
pub fn evaluate<'r>(
    rubric: &'r Rubric,
    profiles: &[Profile],
    arrangement: &Arrangement,
    as_of: NaiveDate,
) -> Report<'r> {
    let facts = &arrangement.facts;
    let mut derived = Derived::compute(facts, as_of);
    let stress = crate::stress::run(facts, crate::stress::builtin_scenarios());
    crate::stress::record(&stress, &mut derived);

    let mut milestones: Vec<MilestoneResult<'r>> = rubric
        .milestones
        .iter()
        .map(|m| {
            let findings: Vec<_> = m
                .checks
                .iter()
                .map(|c| check::run(c, facts, &derived, as_of, &rubric.evidence))
                .collect();
            MilestoneResult {
                id: Cow::Borrowed(&m.id),
                title: Cow::Borrowed(&m.title),
                bucket: Cow::Borrowed(&m.bucket),
                layers: Cow::Borrowed(&m.layers),
                score: score::milestone_score(&findings, rubric.absent),
                weight: m.weight,
                known_pct: score::known_pct(&findings),
                enough_disclosed: rubric.confidence.enough(score::known_pct(&findings)),
                findings,
            }
        })
        .collect();

    let scores = score::aggregate(rubric, &milestones);
    let penalties = judgment::penalties(rubric, facts, &derived);
    let penalty_points: f64 = penalties.iter().map(|p| p.points).sum();
    let overall_score = judgment::after_penalties(scores.overall, penalty_points);
    let uncapped_grade = rubric.grade_for(overall_score);
    let (mut caps, grade) = judgment::caps(rubric, facts, &derived, uncapped_grade);
    let missing_core = judgment::missing_core(rubric, facts, &derived);
    let graded = missing_core.is_empty() || caps.iter().any(|c| c.known);
    if !graded {
        // With no grade, no cap lowered one.
        caps.iter_mut().for_each(|c| c.binding = false);
    }
    // A stage is evidenced by what is declared: an undisclosed fact is no
    // evidence of strength, so the stage reads every bucket as if absent
    // facts were unmet, whatever the scores do with them.
    let declared_only: Vec<Option<f64>> = milestones
        .iter()
        .map(|m| score::milestone_score(&m.findings, crate::rubric::Absent::Unmet))
        .collect();
    let evidenced_buckets: Vec<_> = scores
        .buckets
        .iter()
        .zip(score::bucket_scores(rubric, &declared_only))
        .map(|(b, score)| crate::report::BucketScore { score, ..b.clone() })
        .collect();
    let stage = judgment::stage(rubric, facts, &derived, &evidenced_buckets, &scores.buckets);
    judgment::set_gains(rubric, &mut milestones);
    let next_steps = judgment::next_steps(&milestones);
    let evidence = evidence_share(rubric, &milestones, independently_reported(&derived));
    let confidence = rubric.confidence.level(
        scores.anchor_known_pct,
        evidence.independent_pct.unwrap_or(0.0),
    );

    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: usd1eval_input::TOOL_NAME,
            version: usd1eval_input::TOOL_VERSION,
        },
        rubric: RubricRef::of(rubric),
        evaluated_as_of: as_of.to_string(),
        arrangement: ArrangementRef::of(arrangement),
        overall: crate::report::Overall {
            score: overall_score,
            grade: graded.then_some(Cow::Borrowed(grade)),
            uncapped_grade: graded.then_some(Cow::Borrowed(uncapped_grade)),
            coverage_pct: scores.coverage_pct,
            confidence,
            known_pct: scores.anchor_known_pct,
            absent: rubric.absent.name(),
            missing_core,
            penalties,
        },
        caps,
        stage,
        evidence,
        buckets: scores.buckets,
        layers: scores.layers,
        matrix: scores.matrix,
        milestones,
        derived: derived
            .iter()
            .map(|(name, value)| (name, value.clone()))
            .collect(),
        stress,
        profiles: profiles
            .iter()
            .map(|p| profile::check(p, facts, &derived, as_of))
            .collect(),
        next_steps,
        gates: Gates::default(),
        diagnostics: arrangement.warnings.clone(),
    }
}

/// True when an independent firm's attestation or audit on the reserves is
/// known to exist, dated or not: the reserve figures it covers then rest on
/// more than the issuer's word.
fn independently_reported(derived: &Derived) -> bool {
    derived.get(derived!("independent_report_exists")) == Some(&crate::facts::Value::Bool(true))
}

/// True when a fact path is one an attestation on the reserves covers: the
/// reserves' own tables and units outstanding, or a figure derived from
/// nothing else.
fn covered_by_reserve_report(fact: &str) -> bool {
    let reported = |path: &str| path.starts_with("reserves.") || path == "supply.outstanding_usd";
    match fact.strip_prefix("derived.") {
        Some(name) => crate::facts::derived::spec(name)
            .is_some_and(|d| !d.inputs.is_empty() && d.inputs.iter().all(|i| reported(i))),
        None => reported(fact),
    }
}

/// The share of earned points whose facts rest on independent evidence,
/// over every check and per bucket: facts whose table declares an
/// independent kind of evidence, and, when an independent attestation or
/// audit exists, the reserve figures it covers that declare none.
fn evidence_share<'r>(
    rubric: &'r Rubric,
    milestones: &[MilestoneResult<'r>],
    reported: bool,
) -> crate::report::EvidenceShare<'r> {
    let independent = |f: &&crate::report::Finding| match f.evidence {
        Some(e) => crate::facts::schema::INDEPENDENT_EVIDENCE.contains(&e),
        None => reported && covered_by_reserve_report(&f.fact),
    };
    let share = |bucket: Option<&str>| {
        let findings = || {
            milestones
                .iter()
                .filter(|m| bucket.is_none_or(|b| m.bucket == b))
                .flat_map(|m| &m.findings)
        };
        let earned: f64 = findings().map(|f| f.earned).sum();
        let backed: f64 = findings().filter(independent).map(|f| f.earned).sum();
        (earned > 0.0).then(|| backed / earned * 100.0)
    };
    crate::report::EvidenceShare {
        independent_pct: share(None),
        declared: milestones
            .iter()
            .flat_map(|m| &m.findings)
            .any(|f| f.evidence.is_some()),
        buckets: rubric
            .buckets
            .iter()
            .map(|b| crate::report::BucketEvidence {
                id: Cow::Borrowed(&b.id),
                independent_pct: share(Some(&b.id)),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::load_rubric;
    use crate::source::SourceFile;

    #[test]
    fn next_step_gains_equal_a_full_re_scoring() {
        for absent in [crate::rubric::Absent::Unknown, crate::rubric::Absent::Unmet] {
            let mut rubric = load_rubric("milestones").unwrap();
            rubric.absent = absent;
            for example in ["middling", "weak"] {
                let source = SourceFile::read(format!(
                    "{}/../../examples/{example}.toml",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap();
                let arrangement = Arrangement::from_source(&source).unwrap();
                let report = evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);
                assert_eq!(report.next_steps.len(), judgment::NEXT_STEPS);
                let mut previous = f64::INFINITY;
                for step in &report.next_steps {
                    assert!(step.gain <= previous, "ranked by gain");
                    previous = step.gain;
                    // Meet the step's check and score everything again.
                    let mut met = report.clone();
                    let f = met
                        .milestones
                        .iter_mut()
                        .flat_map(|m| m.findings.iter_mut())
                        .find(|f| f.check == step.check)
                        .unwrap();
                    f.earned = f.points;
                    f.outcome = crate::report::Outcome::Met;
                    let rescored = overall_score(&rubric, &met);
                    if report.overall.score > 0.0 {
                        assert!(
                            (rescored - report.overall.score - step.gain).abs() < 1e-9,
                            "{example} {absent:?} {}",
                            step.check
                        );
                    } else {
                        // At the floor, a gain is what the score before it gains.
                        assert!(rescored >= 0.0 && step.gain > 0.0);
                    }
                }
            }
        }
    }
}
