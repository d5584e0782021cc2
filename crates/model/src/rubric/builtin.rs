//! The rubrics compiled into the binary as TOML text, so the default needs no
//! files at run time. They are read as any rubric file is; the text is what a
//! report's rubric hash covers and what diagnostics point into.

use crate::source::SourceFile;

/// Built-in rubrics: name, TOML text.
static BUILTIN: &[(&str, &str)] = &[(
    "milestones",
    include_str!("../../../../rubrics/milestones.toml"),
)];

/// Names of the built-in rubrics.
pub const NAMES: &[&str] = &["milestones"];

/// The default rubric's name.
pub const DEFAULT: &str = "milestones";

/// The source of a built-in rubric, named as it is in the repository.
pub fn source(name: &str) -> Option<SourceFile> {
    BUILTIN
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(n, text)| SourceFile::new(format!("rubrics/{n}.toml"), *text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_match_the_table() {
        let names: Vec<_> = super::BUILTIN.iter().map(|(n, ..)| *n).collect();
        assert_eq!(names, super::NAMES);
    }
}

#[cfg(test)]
mod default_rubric {
    use std::collections::BTreeSet;

    use crate::facts::derived;
    use crate::facts::schema::{self, Target};
    use crate::rubric::load_rubric;

    /// Where RUBRIC.md places each milestone.
    const PLACEMENT: &[(&str, &[&str])] = &[
        ("promise-clarity", &["M01", "M02", "M03", "M04", "M24"]),
        ("redemption-liquidity", &["M07", "M18", "M21", "M22", "M26"]),
        ("reserve-custody", &["M05", "M06", "M08"]),
        ("transparency", &["M09", "M10", "M11"]),
        ("compliance", &["M12", "M13", "M14", "M23", "M28", "M29"]),
        ("technology-security", &["M15", "M16", "M17", "M25", "M27"]),
        ("resilience", &["M19", "M20", "M30", "M31", "M32", "W01"]),
    ];

    #[test]
    fn buckets_layers_and_milestones_are_placed_as_specified() {
        let rubric = load_rubric("milestones").unwrap();
        let buckets: Vec<_> = rubric.buckets.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(
            buckets,
            PLACEMENT.iter().map(|(b, _)| *b).collect::<Vec<_>>()
        );
        let layers: Vec<_> = rubric.layers.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(
            layers,
            [
                "transaction",
                "redemption",
                "governance",
                "regulatory",
                "operational"
            ]
        );
        assert_eq!(rubric.milestones.len(), 33);
        for (bucket, ids) in PLACEMENT {
            for id in *ids {
                let m = rubric
                    .milestone(id)
                    .unwrap_or_else(|| panic!("{id} missing"));
                assert_eq!(&m.bucket, bucket, "{id}");
                assert!(
                    (1..=2).contains(&m.layers.len()),
                    "{id} has {} layers",
                    m.layers.len()
                );
                assert!(!m.why.is_empty() && !m.remediation.is_empty());
            }
        }
        for layer in &rubric.layers {
            assert!(
                rubric
                    .milestones
                    .iter()
                    .any(|m| m.layers.contains(&layer.id)),
                "layer {} unused",
                layer.id
            );
        }
    }

    /// Identity fields every entry must carry, and the two facts that name and
    /// date the file: these are read by the loader and the report, not scored.
    const NOT_SCORED: &[&str] = &[
        "arrangement.name",
        "arrangement.as_of",
        "chain[].name",
        "reserves.custodian[].name",
        "compliance.license[].regime",
        "governance.provider[].role",
        "redemption.channel[].name",
        "supervisory_event[].authority",
        "supervisory_event[].summary",
    ];

    /// Facts whose meaning the evaluator itself applies, whatever the rubric.
    const READ_BY_THE_EVALUATOR: &[&str] = &[
        "arrangement.issuance_status",
        "transparency.attestations_none_published",
        "security.reviews_none_published",
    ];

    #[test]
    fn every_field_of_format_1_is_read_by_a_check_cap_penalty_stage_or_profile() {
        let rubric = load_rubric("milestones").unwrap();
        let mut used: BTreeSet<String> = READ_BY_THE_EVALUATOR
            .iter()
            .map(|s| s.to_string())
            .collect();
        let checks = rubric
            .milestones
            .iter()
            .flat_map(|m| &m.checks)
            .map(|c| (&c.fact, c.target));
        let caps = rubric
            .caps
            .iter()
            .flat_map(|c| c.when_all.iter().chain(&c.when_any))
            .chain(rubric.stages.iter().flat_map(|s| &s.visible_when))
            .map(|p| (&p.fact, p.target));
        let penalties = rubric.penalties.iter().map(|p| (&p.fact, p.target));
        // Facts that state whom a law covers are read by the built-in
        // regulatory profiles rather than scored.
        let profiles: Vec<_> = crate::rubric::profile::names()
            .map(|name| crate::rubric::profile::load_profile(name).unwrap())
            .collect();
        let profile_facts = profiles.iter().flat_map(|profile| {
            profile
                .scope
                .iter()
                .flat_map(|s| &s.any)
                .chain(profile.requirements.iter().flat_map(|r| {
                    r.require
                        .iter()
                        .chain(&r.applies_if)
                        .chain(&r.applies_if_any)
                }))
                .map(|p| (&p.fact, p.target))
        });
        for (fact, target) in checks.chain(caps).chain(penalties).chain(profile_facts) {
            used.insert(fact.clone());
            if let Target::Derived(spec) = target {
                used.extend(spec.inputs.iter().map(|s| s.to_string()));
            }
        }
        let unused: Vec<String> = schema::all_fact_paths()
            .into_iter()
            .filter(|p| !used.contains(p) && !NOT_SCORED.contains(&p.as_str()) && p != ".format")
            .collect();
        assert!(unused.is_empty(), "fields no check reads: {unused:#?}");
        for spec in derived::DERIVED {
            for input in spec.inputs {
                assert!(
                    crate::figures::resolve(input).is_some(),
                    "{}: bad input {input}",
                    spec.name
                );
            }
        }
    }
}
