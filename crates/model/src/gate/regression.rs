//! The regression rules: what counts as a regression from one report to
//! another, item by item (grading lost, a declared fact now absent, a
//! milestone that fell, a cap that now applies, a requirement that no longer
//! passes). Compares two reports, fresh or read back (`baseline.rs`), at the
//! precision the JSON report writes; used by the regression gate
//! (`gates.rs`) and by `diff`, so "regression" means the same everywhere.

use std::collections::BTreeMap;

use crate::report::{Finding, MilestoneResult, Outcome, Report, RequirementOutcome};

/// Every regression from `old` to `new`: a graded arrangement that is no
/// longer graded, a fact that was declared and is now absent (whatever the
/// rubric makes of absent facts: with `absent = "unknown"` deleting a weak
/// fact would raise its milestone), a milestone that lost more than
/// `tolerance` points (unless every finding that lost points is waived), a
/// cap that now applies, a profile requirement that passed and no longer does.
/// Waived caps and requirements are exempt.
pub fn regressions_between(new: &Report, old: &Report, tolerance: f64) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(was), None) = (&old.overall.grade, &new.overall.grade) {
        out.push(format!(
            "the arrangement was graded {was} and is no longer graded: core facts are missing"
        ));
    }
    let old_findings: BTreeMap<&str, &Finding> = old
        .milestones
        .iter()
        .flat_map(|m| &m.findings)
        .map(|f| (&*f.check, f))
        .collect();
    for f in new.milestones.iter().flat_map(|m| &m.findings) {
        let was_declared = old_findings
            .get(&*f.check)
            .is_some_and(|o| !matches!(o.outcome, Outcome::NotDisclosed | Outcome::NotApplicable));
        if was_declared && f.outcome == Outcome::NotDisclosed && f.waived.is_none() {
            out.push(format!(
                "check {}: `{}` was declared and is now absent",
                f.check, f.fact
            ));
        }
    }
    let old_milestones: BTreeMap<&str, &MilestoneResult> =
        old.milestones.iter().map(|m| (&*m.id, m)).collect();
    for m in &new.milestones {
        let Some(before) = old_milestones.get(&*m.id) else {
            continue;
        };
        let (Some(old_score), Some(new_score)) = (before.score, m.score) else {
            continue;
        };
        // Reports carry one decimal; compare at that precision so that a
        // baseline read back from JSON does not regress against itself.
        let (old_score, new_score) = (
            crate::report::round1_value(old_score),
            crate::report::round1_value(new_score),
        );
        if new_score >= old_score - tolerance - 1e-9 {
            continue;
        }
        let old_findings: BTreeMap<&str, &Finding> =
            before.findings.iter().map(|f| (&*f.check, f)).collect();
        // The findings that lost points (compared at the report's two decimals).
        let worse: Vec<(&Finding, &Finding)> = m
            .findings
            .iter()
            .filter_map(|f| old_findings.get(&*f.check).map(|o| (f, *o)))
            .filter(|(f, o)| f.earned_as_written() < o.earned_as_written() - 1e-9)
            .collect();
        if !worse.is_empty() && worse.iter().all(|(f, _)| f.waived.is_some()) {
            continue;
        }
        let changed: Vec<String> = worse
            .iter()
            .map(|(f, o)| {
                format!(
                    "{} {} → {}",
                    f.check,
                    o.outcome.as_str(),
                    f.outcome.as_str()
                )
            })
            .collect();
        let detail = if changed.is_empty() {
            String::new()
        } else {
            format!(" ({})", changed.join(", "))
        };
        out.push(format!(
            "milestone {} fell from {} to {}{detail}",
            m.id,
            crate::report::fixed(old_score, 1),
            crate::report::fixed(new_score, 1)
        ));
    }
    for cap in new.caps.iter().filter(|c| c.waived.is_none()) {
        if !old.caps.iter().any(|c| c.id == cap.id) {
            out.push(format!(
                "cap {} now applies (at most {})",
                cap.id, cap.max_grade
            ));
        }
    }
    for p in &new.profiles {
        let Some(before) = old.profiles.iter().find(|o| o.id == p.id) else {
            continue;
        };
        for r in p.requirements.iter().filter(|r| r.waived.is_none()) {
            let was_passing = before
                .requirements
                .iter()
                .any(|o| o.id == r.id && o.outcome == RequirementOutcome::Pass);
            // Not-assessable is not a regression: it comes from a profile that
            // found its reading beyond format 1, never from changed facts.
            let not_worse = matches!(
                r.outcome,
                RequirementOutcome::Pass
                    | RequirementOutcome::NotApplicable
                    | RequirementOutcome::NotAssessable
                    | RequirementOutcome::NotInForce
            );
            if was_passing && !not_worse {
                out.push(format!(
                    "profile {} requirement {} was pass, now {}",
                    p.id,
                    r.id,
                    r.outcome.as_str()
                ));
            }
        }
    }
    out
}
