//! The gates: what the command line asks them to enforce (`--fail-under`,
//! `--min-grade`, `--fail-on-cap`, `--fail-on-outrun`, `--require-profile`,
//! the baseline's tolerance) and running them on a report, recording each
//! failure with its reason. The regression gate applies the rules of
//! `regression.rs` against a baseline report (`baseline.rs`); waivers
//! (`waiver.rs`) have already marked the report, and waived items pass.

use crate::report::{GateFailure, ProfileVerdict, Report};
use crate::rubric::Rubric;

use super::regression::regressions_between;

/// What the command line asked the gates to enforce.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    /// `--fail-under`: fail when the overall score is below this (or not graded).
    pub fail_under: Option<f64>,
    /// `--min-grade`: fail when the grade is worse than this letter (or not graded).
    pub min_grade: Option<String>,
    /// `--fail-on-cap`: fail when any unwaived weakest-link cap applies.
    pub fail_on_cap: bool,
    /// `--fail-on-outrun`: fail when the stage verdict says growth outruns strength.
    pub fail_on_outrun: bool,
    /// `--require-profile`: profile ids that must pass (or be ready to pass), each a gate.
    pub require_profiles: Vec<String>,
    /// Points a milestone may drop before it counts as a regression.
    pub tolerance: f64,
}

/// Runs every requested gate, and the regression gate against `baseline`
/// (the report of the same arrangement, see
/// [`Baselines::for_arrangement`](super::Baselines::for_arrangement)),
/// and records the failures in the report.
pub fn apply(
    report: &mut Report,
    rubric: &Rubric,
    options: &GateOptions,
    baseline: Option<&Report>,
) {
    let mut failures = Vec::new();
    let mut fail = |gate: &str, reason: String| {
        failures.push(GateFailure {
            gate: gate.to_string(),
            reason,
        })
    };
    let overall = &report.overall;
    // An ungraded file fails every grade and score gate: deleting facts must
    // never pass CI. A NaN score never passes either.
    if let Some(min) = options.fail_under {
        if !overall.is_graded() {
            fail("fail-under", overall.not_graded_reason());
        } else if overall.score.is_nan() || overall.score < min {
            fail(
                "fail-under",
                format!(
                    "overall score {} is below {min}",
                    crate::report::fixed(overall.score, 1)
                ),
            );
        }
    }
    if let Some(min) = &options.min_grade {
        match overall.grade.as_deref() {
            None => fail("min-grade", overall.not_graded_reason()),
            Some(grade) if rubric.grade_rank(grade) > rubric.grade_rank(min) => fail(
                "min-grade",
                format!("grade {grade} is below the required {min}"),
            ),
            Some(_) => {}
        }
    }
    if options.fail_on_cap {
        for cap in report.caps.iter().filter(|c| c.waived.is_none()) {
            fail(
                "fail-on-cap",
                format!(
                    "cap {} applies (at most {}{}): {}",
                    cap.id,
                    cap.max_grade,
                    if cap.known {
                        ""
                    } else {
                        "; assumed because a fact it needs is not disclosed"
                    },
                    cap.reason
                ),
            );
        }
    }
    if options.fail_on_outrun && report.outruns() {
        fail(
            "fail-on-outrun",
            format!(
                "growth outruns strength: held down by {}",
                report.stage.held_down_by.join(", ")
            ),
        );
    }
    // A profile not yet in force still gates, on readiness: the message says so.
    for name in &options.require_profiles {
        match report.profiles.iter().find(|p| &p.id == name) {
            // Out of scope fails the gate too: the file does not show that
            // the instrument the gate asks for covers it. A profile that
            // fails only on waived requirements passes.
            Some(p)
                if p.verdict == ProfileVerdict::OutOfScope
                    || (!p.passed
                        && (p.blocking().next().is_none()
                            || p.blocking().any(|r| r.waived.is_none()))) =>
            {
                let failing: Vec<String> = p
                    .blocking()
                    .filter(|r| r.waived.is_none())
                    .map(|r| format!("{} ({})", r.id, r.outcome.as_str()))
                    .collect();
                let readiness = p
                    .readiness_note()
                    .map(|note| format!(" [{note}]"))
                    .unwrap_or_default();
                let failing = if failing.is_empty() {
                    String::new()
                } else {
                    format!(": {}", failing.join(", "))
                };
                fail(
                    "require-profile",
                    format!("profile {name} {}{failing}{readiness}", p.verdict.label()),
                );
            }
            Some(_) => {}
            None => fail(
                "require-profile",
                format!("profile {name} was not evaluated"),
            ),
        }
    }
    if let Some(baseline) = baseline {
        for r in regressions_between(report, baseline, options.tolerance) {
            fail("baseline", r);
        }
    }
    report.gates.passed = failures.is_empty();
    report.gates.failures = failures;
}
