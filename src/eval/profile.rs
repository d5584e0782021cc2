//! Profile requirements against the facts: pass, fail, not-disclosed,
//! not-applicable or not-assessable, each with the clause it cites; and
//! whether the instrument was in force on the evaluation date.

use chrono::NaiveDate;

use crate::facts::{Derived, Facts};
use crate::report::{ProfileResult, ProfileVerdict, RequirementOutcome, RequirementResult};
use crate::rubric::profile::{NOTICE, Profile, Requirement};

use super::predicate::answer;

/// Checks every requirement of a profile. Before the instrument applies the
/// same checks are made and the verdict is readiness ("would pass").
pub fn check(
    profile: &Profile,
    facts: &Facts,
    derived: &Derived,
    as_of: NaiveDate,
) -> ProfileResult {
    let requirements: Vec<RequirementResult> = profile
        .requirements
        .iter()
        .map(|r| requirement(r, facts, derived))
        .collect();
    let passed = !requirements.iter().any(|r| r.outcome.blocks());
    let in_force = profile.applies_from.is_none_or(|date| date <= as_of);
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
        verdict: ProfileVerdict::new(passed, in_force),
    }
}

fn requirement(r: &Requirement, facts: &Facts, derived: &Derived) -> RequirementResult {
    let result = |outcome: RequirementOutcome, message: String| RequirementResult {
        id: r.id.clone(),
        clause: r.clause.clone(),
        outcome,
        message,
        title: r.title.clone(),
        missing_fact: r.missing_fact.clone(),
        waived: None,
    };
    for p in &r.applies_if {
        match answer(p, facts, derived) {
            Some(true) => {}
            Some(false) => {
                return result(
                    RequirementOutcome::NotApplicable,
                    format!(
                        "{}: does not apply ({} does not hold)",
                        r.title,
                        p.describe()
                    ),
                );
            }
            None => {
                return result(
                    RequirementOutcome::NotDisclosed,
                    format!(
                        "{}: cannot tell whether it applies; disclose `{}`",
                        r.title, p.fact
                    ),
                );
            }
        }
    }
    // A condition that fails settles the requirement even when format 1
    // cannot express the rest of it.
    let mut undisclosed = Vec::new();
    for p in &r.require {
        match answer(p, facts, derived) {
            Some(true) => {}
            Some(false) => {
                return result(
                    RequirementOutcome::Fail,
                    format!("{}: requires {}", r.title, p.describe()),
                );
            }
            None => undisclosed.push(format!("`{}`", p.fact)),
        }
    }
    undisclosed.dedup();
    if !undisclosed.is_empty() {
        return result(
            RequirementOutcome::NotDisclosed,
            format!("{}: disclose {}", r.title, undisclosed.join(", ")),
        );
    }
    match &r.missing_fact {
        Some(missing) => result(
            RequirementOutcome::NotAssessable,
            format!(
                "{}: not assessable from format-1 facts; needs {missing}",
                r.title
            ),
        ),
        None => result(RequirementOutcome::Pass, r.title.clone()),
    }
}
