//! Profile requirements against the facts: pass, fail, not-disclosed or
//! not-applicable, each with the clause it cites.

use crate::facts::{Derived, Facts};
use crate::report::{ProfileResult, RequirementResult};
use crate::rubric::profile::{NOTICE, Profile, Requirement};

use super::predicate::answer;

/// Checks every requirement of a profile.
pub fn check(profile: &Profile, facts: &Facts, derived: &Derived) -> ProfileResult {
    let requirements: Vec<RequirementResult> = profile
        .requirements
        .iter()
        .map(|r| requirement(r, facts, derived))
        .collect();
    let passed = requirements
        .iter()
        .all(|r| r.outcome == "pass" || r.outcome == "not-applicable");
    ProfileResult {
        id: profile.id.clone(),
        title: profile.title.clone(),
        source: profile.source.clone(),
        notice: NOTICE.to_string(),
        passed,
        requirements,
    }
}

fn requirement(r: &Requirement, facts: &Facts, derived: &Derived) -> RequirementResult {
    let result = |outcome: &str, message: String| RequirementResult {
        id: r.id.clone(),
        clause: r.clause.clone(),
        title: r.title.clone(),
        outcome: outcome.to_string(),
        message,
    };
    for p in &r.applies_if {
        match answer(p, facts, derived) {
            Some(true) => {}
            Some(false) => {
                return result(
                    "not-applicable",
                    format!(
                        "{}: does not apply ({} does not hold)",
                        r.title,
                        p.describe()
                    ),
                );
            }
            None => {
                return result(
                    "not-disclosed",
                    format!(
                        "{}: cannot tell whether it applies; disclose `{}`",
                        r.title, p.fact
                    ),
                );
            }
        }
    }
    let mut undisclosed = Vec::new();
    for p in &r.require {
        match answer(p, facts, derived) {
            Some(true) => {}
            Some(false) => {
                return result("fail", format!("{}: requires {}", r.title, p.describe()));
            }
            None => undisclosed.push(format!("`{}`", p.fact)),
        }
    }
    if undisclosed.is_empty() {
        result("pass", r.title.clone())
    } else {
        undisclosed.dedup();
        result(
            "not-disclosed",
            format!("{}: disclose {}", r.title, undisclosed.join(", ")),
        )
    }
}
