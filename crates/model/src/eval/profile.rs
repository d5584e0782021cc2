//! Profile requirements against the facts: pass, fail, not-disclosed,
//! not-applicable, not-assessable or not-in-force, each with the clause it
//! cites; whether the instrument covers the arrangement (scope); and whether
//! it was in force on the evaluation date.

use chrono::NaiveDate;

use crate::facts::{Derived, Facts};
use crate::report::{
    ProfileResult, ProfileVerdict, RequirementOutcome, RequirementResult, ScopeResult, ScopeStatus,
};
use crate::rubric::predicate::Predicate;
use crate::rubric::profile::{NOTICE, Profile, Requirement, ScopeCondition};

use super::predicate::{answer, declared};

/// Checks every requirement of a profile. Before the instrument applies the
/// same checks are made and the verdict is readiness ("would pass"); a file
/// the instrument does not cover is `out-of-scope`, its requirements still
/// listed.
pub fn check(
    profile: &Profile,
    facts: &Facts,
    derived: &Derived,
    as_of: NaiveDate,
) -> ProfileResult {
    let requirements: Vec<RequirementResult> = profile
        .requirements
        .iter()
        .map(|r| requirement(r, facts, derived, as_of))
        .collect();
    let passed = !requirements.iter().any(|r| r.outcome.blocks());
    let in_force = profile.applies_from.is_none_or(|date| date <= as_of);
    let scope = scope(&profile.scope, facts, derived);
    ProfileResult {
        id: profile.id.clone(),
        passed,
        requirements,
        title: profile.title.clone(),
        source: profile.source.clone(),
        notice: NOTICE.to_string(),
        applies_from: profile.applies_from.map(|d| d.to_string()),
        applies_from_note: profile.applies_from_note.clone(),
        in_force,
        verdict: ProfileVerdict::new(passed, in_force, scope.status),
        scope,
    }
}

/// A predicate's answer where an undeclared fact is unknown: a profile never
/// reads "no licence listed" as "no licence held", so a missing fact can
/// never fail a requirement or put a file out of scope.
fn disclosed_answer(p: &Predicate, facts: &Facts, derived: &Derived) -> Option<bool> {
    match answer(p, facts, derived) {
        Some(false) if p.if_absent.is_none() && !declared(p.target, facts, derived) => None,
        other => other,
    }
}

/// In scope when every condition holds; out of scope when one fails (its
/// `covers` is the reason); not assessable when none fails and one is unknown.
fn scope(conditions: &[ScopeCondition], facts: &Facts, derived: &Derived) -> ScopeResult {
    let mut unknown = Vec::new();
    for condition in conditions {
        let answers: Vec<Option<bool>> = condition
            .any
            .iter()
            .map(|p| disclosed_answer(p, facts, derived))
            .collect();
        if answers.contains(&Some(true)) {
            continue;
        }
        if answers.iter().all(|a| *a == Some(false)) {
            // Whom the instrument covers, and what the file declares instead
            // (not the lists of what would have matched: a Union-wide scope
            // would list all Member States).
            let declared: Vec<String> = condition
                .any
                .iter()
                .map(|p| super::predicate::declared_text(p, facts, derived))
                .collect();
            return ScopeResult {
                status: ScopeStatus::OutOfScope,
                reason: Some(format!(
                    "{}; the file declares: {}",
                    condition.covers,
                    declared.join("; ")
                )),
            };
        }
        for (p, a) in condition.any.iter().zip(&answers) {
            let fact = format!("`{}`", p.fact);
            if a.is_none() && !unknown.contains(&fact) {
                unknown.push(fact);
            }
        }
    }
    if unknown.is_empty() {
        ScopeResult {
            status: ScopeStatus::InScope,
            reason: None,
        }
    } else {
        ScopeResult {
            status: ScopeStatus::NotAssessable,
            reason: Some(format!(
                "the file does not say whether the instrument covers it; disclose {}",
                unknown.join(" or ")
            )),
        }
    }
}

fn requirement(
    r: &Requirement,
    facts: &Facts,
    derived: &Derived,
    as_of: NaiveDate,
) -> RequirementResult {
    let (outcome, message) = outcome(r, facts, derived);
    let applies_from = r.applies_from.map(|d| d.to_string());
    let mut result = RequirementResult {
        id: r.id.clone(),
        clause: r.clause.clone(),
        outcome,
        message,
        title: r.title.clone(),
        missing_fact: r.missing_fact.clone(),
        applies_from,
        readiness: None,
        waived: None,
    };
    if let Some(date) = r.applies_from.filter(|date| *date > as_of) {
        let would = match outcome {
            RequirementOutcome::Pass => "would pass",
            RequirementOutcome::Fail => "would fail",
            RequirementOutcome::NotDisclosed => "would need a fact not disclosed",
            RequirementOutcome::NotApplicable => "would not apply",
            RequirementOutcome::NotAssessable | RequirementOutcome::NotInForce => {
                "would not be assessable from format-1 facts"
            }
        };
        result.message = format!("not in force until {date}; {would}: {}", result.message);
        result.readiness = Some(outcome);
        result.outcome = RequirementOutcome::NotInForce;
    }
    result
}

fn outcome(r: &Requirement, facts: &Facts, derived: &Derived) -> (RequirementOutcome, String) {
    // One condition known not to hold settles it, whatever the others.
    let applies: Vec<Option<bool>> = r
        .applies_if
        .iter()
        .map(|p| disclosed_answer(p, facts, derived))
        .collect();
    if let Some(p) = r
        .applies_if
        .iter()
        .zip(&applies)
        .find(|(_, a)| **a == Some(false))
        .map(|(p, _)| p)
    {
        return (
            RequirementOutcome::NotApplicable,
            format!(
                "{}: does not apply ({} does not hold)",
                r.title,
                p.describe()
            ),
        );
    }
    if let Some(p) = r
        .applies_if
        .iter()
        .zip(&applies)
        .find(|(_, a)| a.is_none())
        .map(|(p, _)| p)
    {
        return (
            RequirementOutcome::NotDisclosed,
            format!(
                "{}: cannot tell whether it applies; disclose `{}`",
                r.title, p.fact
            ),
        );
    }
    if !r.applies_if_any.is_empty() {
        let answers: Vec<Option<bool>> = r
            .applies_if_any
            .iter()
            .map(|p| disclosed_answer(p, facts, derived))
            .collect();
        if !answers.contains(&Some(true)) {
            if answers.iter().all(|a| *a == Some(false)) {
                let none: Vec<String> = r.applies_if_any.iter().map(Predicate::describe).collect();
                return (
                    RequirementOutcome::NotApplicable,
                    format!(
                        "{}: does not apply (none of these holds: {})",
                        r.title,
                        none.join("; ")
                    ),
                );
            }
            let mut unknown: Vec<String> = r
                .applies_if_any
                .iter()
                .zip(&answers)
                .filter(|(_, a)| a.is_none())
                .map(|(p, _)| format!("`{}`", p.fact))
                .collect();
            unknown.dedup();
            return (
                RequirementOutcome::NotDisclosed,
                format!(
                    "{}: cannot tell whether it applies; disclose {}",
                    r.title,
                    unknown.join(" or ")
                ),
            );
        }
    }
    // A condition that fails settles the requirement even when format 1
    // cannot express the rest of it.
    let mut undisclosed = Vec::new();
    for p in &r.require {
        match disclosed_answer(p, facts, derived) {
            Some(true) => {}
            Some(false) => {
                return (
                    RequirementOutcome::Fail,
                    format!("{}: requires {}", r.title, p.describe()),
                );
            }
            None => undisclosed.push(format!("`{}`", p.fact)),
        }
    }
    undisclosed.dedup();
    if !undisclosed.is_empty() {
        return (
            RequirementOutcome::NotDisclosed,
            format!("{}: disclose {}", r.title, undisclosed.join(", ")),
        );
    }
    match &r.missing_fact {
        Some(missing) => (
            RequirementOutcome::NotAssessable,
            format!(
                "{}: not assessable from format-1 facts; needs {missing}",
                r.title
            ),
        ),
        None => (RequirementOutcome::Pass, r.title.clone()),
    }
}
