//! Regulatory profiles: every kind of requirement (a threshold, an allowed
//! set, a filtered maturity limit, a boolean, a "some entry" licence test, a
//! declared fact, a conditional requirement, one format 1 cannot express)
//! passing, failing, undisclosed and not assessable; and the date each
//! profile applies from, with readiness before it.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::NaiveDate;
use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::report::{ProfileResult, ProfileVerdict, Report, RequirementOutcome};
use usd1eval::rubric::profile::{load_profile, parse_profile};
use usd1eval::source::SourceFile;

const STRONG: &str = "examples/strong-regulated.toml";

fn report(text: &str, profiles: &[&str]) -> Report<'static> {
    let arrangement = Arrangement::from_source(&SourceFile::new("a.toml", text)).unwrap();
    let profiles: Vec<_> = profiles.iter().map(|p| load_profile(p).unwrap()).collect();
    evaluate(
        common::milestones(),
        &profiles,
        &arrangement,
        arrangement.facts.as_of,
    )
}

fn strong() -> String {
    std::fs::read_to_string(STRONG).unwrap()
}

/// The strong example with replacements, checked against one profile.
fn profile(profile: &str, edits: &[(&str, &str)]) -> ProfileResult {
    let mut text = strong();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?}");
        text = text.replacen(from, to, 1);
    }
    report(&text, &[profile]).profiles.remove(0)
}

fn outcome(p: &ProfileResult, id: &str) -> &'static str {
    p.requirements
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{} has no requirement {id}", p.id))
        .outcome
        .as_str()
}

#[test]
fn the_strong_us_example_passes_genius_and_nydfs() {
    // The example says when its bills were bought (91 days from maturity):
    // New York admits only bills acquired three months or less from it.
    let text = strong();
    let r = report(&text, &["genius-2025", "nydfs-2022"]);
    for p in &r.profiles {
        let blocking: Vec<_> = p.blocking().collect();
        assert!(p.passed, "{}: {blocking:#?}", p.id);
        assert!(p.notice.contains("not legal advice"));
        assert!(
            p.not_assessable().count() > 0,
            "{}: some requirements cannot be settled by format 1",
            p.id
        );
    }
    // Evaluated on 2026-09-30: New York's guidance applies, GENIUS not yet.
    assert_eq!(r.profiles[0].verdict, ProfileVerdict::WouldPass);
    assert_eq!(r.profiles[1].verdict, ProfileVerdict::Passes);
}

#[test]
fn threshold_requirement() {
    let p = profile(
        "genius-2025",
        &[("total_usd = 12_060_000_000", "total_usd = 11_000_000_000")],
    );
    assert_eq!(outcome(&p, "GENIUS-reserves"), "fail");
    assert!(!p.passed);
    let p = profile("genius-2025", &[("total_usd = 12_060_000_000\n", "")]);
    assert_eq!(outcome(&p, "GENIUS-reserves"), "not-disclosed");
    assert!(!p.passed, "an undisclosed requirement does not pass");
}

#[test]
fn allowed_set_requirement() {
    let p = profile(
        "genius-2025",
        &[("class = \"gov-mmf\"", "class = \"prime-mmf\"")],
    );
    assert_eq!(outcome(&p, "GENIUS-eligible-assets"), "fail");
    let p = profile(
        "nydfs-2022",
        &[("class = \"gov-mmf\"", "class = \"prime-mmf\"")],
    );
    assert_eq!(outcome(&p, "NYDFS-eligible-assets"), "fail");
}

#[test]
fn filtered_maturity_requirement() {
    let p = profile(
        "genius-2025",
        &[(
            "class = \"tbill\"\nshare_pct = 45\nmax_maturity_days = 90",
            "class = \"tbill\"\nshare_pct = 45\nmax_maturity_days = 180",
        )],
    );
    assert_eq!(outcome(&p, "GENIUS-eligible-assets"), "fail");
    // A long maturity on a class the filter does not select does not matter.
    let p = profile(
        "genius-2025",
        &[(
            "class = \"gov-mmf\"\nshare_pct = 15\nmax_maturity_days = 1",
            "class = \"gov-mmf\"\nshare_pct = 15\nmax_maturity_days = 400",
        )],
    );
    assert_eq!(outcome(&p, "GENIUS-eligible-assets"), "pass");
}

#[test]
fn boolean_requirements() {
    let p = profile(
        "genius-2025",
        &[(
            "yield_paid_to_holders = false",
            "yield_paid_to_holders = true",
        )],
    );
    assert_eq!(outcome(&p, "GENIUS-no-yield"), "fail");
    let p = profile(
        "mica-emt",
        &[(
            "yield_paid_to_holders = false",
            "yield_paid_to_holders = true",
        )],
    );
    assert_eq!(outcome(&p, "MICA-no-interest"), "fail");
    let p = profile(
        "nydfs-2022",
        &[(
            "daily_coverage_check = true",
            "daily_coverage_check = false",
        )],
    );
    assert_eq!(outcome(&p, "NYDFS-full-backing"), "fail");
}

#[test]
fn some_entry_requirement() {
    let p = profile("mica-emt", &[]);
    assert_eq!(outcome(&p, "MICA-authorisation"), "fail");
    let p = profile(
        "mica-emt",
        &[("regime = \"US-federal\"", "regime = \"MiCA-EMI\"")],
    );
    assert_eq!(outcome(&p, "MICA-authorisation"), "pass");
    // No controls report listed: not disclosed, never a failure.
    let p = profile(
        "nydfs-2022",
        &[("kind = \"controls-report\"", "kind = \"proof-of-reserves\"")],
    );
    assert_eq!(outcome(&p, "NYDFS-controls-attestation"), "not-disclosed");
}

#[test]
fn declared_fact_requirement() {
    let p = profile(
        "genius-2025",
        &[("aml = \"Harbor Trust Company, LLC\"\n", "")],
    );
    assert_eq!(outcome(&p, "GENIUS-aml"), "not-disclosed");
}

#[test]
fn conditional_requirement_applies_only_above_its_threshold() {
    let p = profile("genius-2025", &[]);
    assert_eq!(outcome(&p, "GENIUS-annual-audit"), "not-applicable");
    let big = profile(
        "genius-2025",
        &[
            (
                "outstanding_usd = 12_000_000_000",
                "outstanding_usd = 60_000_000_000",
            ),
            ("total_usd = 12_060_000_000", "total_usd = 60_100_000_000"),
        ],
    );
    assert_eq!(outcome(&big, "GENIUS-annual-audit"), "pass");
    let stale = profile(
        "genius-2025",
        &[
            (
                "outstanding_usd = 12_000_000_000",
                "outstanding_usd = 60_000_000_000",
            ),
            ("total_usd = 12_060_000_000", "total_usd = 60_100_000_000"),
            (
                "period_end = 2025-12-31\npublished = 2026-03-20",
                "period_end = 2024-12-31\npublished = 2025-03-20",
            ),
        ],
    );
    assert_eq!(outcome(&stale, "GENIUS-annual-audit"), "fail");
}

/// Edits making the strong example an e-money institution under MiCA.
const EMI: (&str, &str) = ("regime = \"US-federal\"", "regime = \"MiCA-EMI\"");
/// Edits making it a credit institution under MiCA.
const CREDIT_INSTITUTION: (&str, &str) = (
    "regime = \"US-federal\"",
    "regime = \"MiCA-credit-institution\"",
);
/// 40 % of reserves moved into bank deposits.
const FORTY_PCT_DEPOSITS: [(&str, &str); 2] = [
    (
        "class = \"cash\"\nshare_pct = 15",
        "class = \"bank-deposit\"\nshare_pct = 15",
    ),
    (
        "class = \"overnight-repo\"\nshare_pct = 25",
        "class = \"bank-deposit\"\nshare_pct = 25",
    ),
];

#[test]
fn significant_mica_tightens_deposits_for_e_money_institutions_only() {
    let with = |licence: (&'static str, &'static str)| {
        let mut edits = FORTY_PCT_DEPOSITS.to_vec();
        edits.push(licence);
        edits
    };
    let base = profile("mica-emt", &with(EMI));
    assert_eq!(
        outcome(&base, "MICA-deposits"),
        "pass",
        "40 % in deposits meets 30 %"
    );
    let emi = profile("mica-emt-significant", &with(EMI));
    assert_eq!(outcome(&emi, "MICA-deposits"), "fail", "but not 60 %");
    assert_eq!(outcome(&emi, "MICA-liquidity-stress-testing"), "pass");
    // The inverted credit-institution variants are gone, and Art. 54(b)
    // gives way to Art. 38 for a significant token's e-money institution.
    for removed in [
        "MICA-deposits-credit-institution",
        "MICA-liquid-same-currency",
    ] {
        assert!(
            emi.requirements.iter().all(|r| r.id != removed),
            "{removed}"
        );
    }
    // Neither Art. 54 nor Art. 58(1) reaches a credit institution: with 15 %
    // in deposits, well under 30 %, nothing about deposits fails.
    for name in ["mica-emt", "mica-emt-significant"] {
        let thin = profile(name, &[CREDIT_INSTITUTION]);
        assert_eq!(outcome(&thin, "MICA-deposits"), "not-applicable", "{name}");
        assert!(
            thin.requirements
                .iter()
                .all(|r| r.outcome.as_str() != "fail" || !r.clause.contains("54"))
        );
    }
    let bank = profile("mica-emt-significant", &with(CREDIT_INSTITUTION));
    assert_eq!(
        outcome(&bank, "MICA-liquidity-stress-testing"),
        "not-applicable"
    );
    // The issuer's kind tells an e-money institution as well as a licence.
    let kind = profile(
        "mica-emt",
        &[(
            "issuer_kind = \"trust-company\"",
            "issuer_kind = \"e-money-institution\"",
        )],
    );
    assert_eq!(
        outcome(&kind, "MICA-deposits"),
        "fail",
        "15 % is under 30 %"
    );
}

/// One case: edits to the strong example and the outcome they give.
type Case = (&'static [(&'static str, &'static str)], &'static str);

fn cases(profile_name: &str, id: &str, cases: &[Case]) {
    for (edits, expected) in cases {
        let p = profile(profile_name, edits);
        assert_eq!(
            outcome(&p, id),
            *expected,
            "{profile_name} {id} with {edits:?}"
        );
    }
}

/// Requirements format 1 cannot express at all: even the strongest
/// arrangement gets `not-assessable`, never a pass, and nothing can make
/// them fail.
#[test]
fn requirements_without_a_fact_are_never_a_pass() {
    for (profile_name, id, edits) in [
        ("mica-emt", "MICA-white-paper", &[][..]),
        ("mica-emt", "MICA-redemption-plan", &[][..]),
        ("mica-emt", "MICA-quarterly-reporting", &[][..]),
        ("mica-emt", "MICA-issuance-limit", &[][..]),
        ("mica-emt-significant", "MICA-own-funds", &[EMI][..]),
        ("genius-2025", "GENIUS-fee-change-notice", &[][..]),
        ("genius-2025", "GENIUS-capital-liquidity", &[][..]),
        ("nydfs-2022", "NYDFS-policy-approval", &[][..]),
        ("nydfs-2022", "NYDFS-custodians", &[][..]),
    ] {
        let p = profile(profile_name, edits);
        assert_eq!(outcome(&p, id), "not-assessable", "{id}");
        let r = p.requirements.iter().find(|r| r.id == id).unwrap();
        assert!(r.missing_fact.as_ref().is_some_and(|m| !m.is_empty()));
        assert!(r.message.contains("not assessable"), "{}", r.message);
    }
    // A wind-down plan that is published is still not the notified plan.
    let p = profile(
        "mica-emt",
        &[(
            "wind_down_plan_published = true",
            "wind_down_plan_published = false",
        )],
    );
    assert_eq!(outcome(&p, "MICA-redemption-plan"), "not-assessable");
    // The custodians no longer need to be in the US: nothing fails on it.
    let p = profile("nydfs-2022", &[("country = \"US\"", "country = \"GB\"")]);
    assert_eq!(outcome(&p, "NYDFS-custodians"), "not-assessable");
}

/// Requirements format 1 expresses only in part: a condition it can check
/// makes them fail; otherwise they are `not-assessable`, never a pass.
#[test]
fn requirements_expressed_in_part_fail_or_stay_open() {
    const PRIME: (&str, &str) = ("class = \"gov-mmf\"", "class = \"prime-mmf\"");
    cases(
        "mica-emt",
        "MICA-liquid-same-currency",
        &[
            (&[EMI], "not-assessable"),
            (&[EMI, PRIME], "fail"),
            (&[CREDIT_INSTITUTION, PRIME], "not-applicable"),
        ],
    );
    cases(
        "mica-emt-significant",
        "MICA-reserve-investment",
        &[
            (&[EMI], "not-assessable"),
            (&[EMI, PRIME], "fail"),
            (&[CREDIT_INSTITUTION], "not-applicable"),
        ],
    );
    cases(
        "mica-emt-significant",
        "MICA-reverse-stress-test",
        &[
            (&[EMI], "not-assessable"),
            (
                &[
                    EMI,
                    (
                        "stress_test_frequency = \"quarterly\"",
                        "stress_test_frequency = \"none\"",
                    ),
                ],
                "fail",
            ),
            (&[], "not-applicable"),
        ],
    );
    cases(
        "mica-emt-significant",
        "MICA-reserve-custody",
        &[
            (&[EMI], "not-assessable"),
            (&[EMI, ("regulated = true", "regulated = false")], "fail"),
            (&[CREDIT_INSTITUTION], "not-applicable"),
        ],
    );
}

/// The new requirements format 1 can settle: pass, fail, and where they are
/// conditional, not-applicable.
#[test]
fn new_checkable_requirements_pass_fail_and_apply_when_they_should() {
    cases(
        "mica-emt-significant",
        "MICA-reserve-segregation",
        &[
            (&[EMI], "pass"),
            (&[EMI, ("segregated = true", "segregated = false")], "fail"),
            (
                &[
                    EMI,
                    (
                        "legal_structure = \"bankruptcy-remote-trust\"",
                        "legal_structure = \"issuer-balance-sheet\"",
                    ),
                ],
                "fail",
            ),
            (&[CREDIT_INSTITUTION], "not-applicable"),
        ],
    );
    cases(
        "mica-emt-significant",
        "MICA-reserve-audit",
        &[
            (&[EMI], "pass"),
            (
                &[
                    EMI,
                    // Both independent reports published before 2026-02-28.
                    (
                        "period_end = 2025-12-31\npublished = 2026-03-20",
                        "period_end = 2024-12-31\npublished = 2025-03-20",
                    ),
                    (
                        "period_end = 2026-08-31\npublished = 2026-09-18",
                        "period_end = 2025-12-31\npublished = 2026-01-20",
                    ),
                ],
                "fail",
            ),
            (&[], "not-applicable"),
        ],
    );
    // The 10 billion USD rule binds state qualified issuers only, and then
    // the 360 days and the waiver keep it open rather than failed.
    cases(
        "genius-2025",
        "GENIUS-federal-transition",
        &[
            (&[], "not-applicable"),
            (
                &[("regime = \"US-federal\"", "regime = \"US-state\"")],
                "not-assessable",
            ),
            // A state issuer whose federal charter is applied for: open, not failed.
            (
                &[
                    ("regime = \"NYDFS-trust\"", "regime = \"US-state\""),
                    (
                        "regime = \"US-federal\"\njurisdiction = \"US\"\nstatus = \"granted\"",
                        "regime = \"US-federal\"\njurisdiction = \"US\"\nstatus = \"applied\"",
                    ),
                ],
                "not-assessable",
            ),
            // A foreign issuer is not reached.
            (&FOREIGN, "not-applicable"),
            (
                &[
                    (
                        "outstanding_usd = 12_000_000_000",
                        "outstanding_usd = 8_000_000_000",
                    ),
                    ("regime = \"US-federal\"", "regime = \"US-state\""),
                ],
                "not-applicable",
            ),
        ],
    );
}

/// What only a `missing_fact` can produce, and what it never produces,
/// across every example and every built-in profile.
#[test]
fn not_assessable_comes_only_from_a_missing_fact_and_is_never_a_pass() {
    let names = [
        "genius-2025",
        "nydfs-2022",
        "mica-emt",
        "mica-emt-significant",
    ];
    let profiles: Vec<_> = names.iter().map(|n| load_profile(n).unwrap()).collect();
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let r = report(&text, &names);
        for (result, declared) in r.profiles.iter().zip(&profiles) {
            for (q, requirement) in result.requirements.iter().zip(&declared.requirements) {
                assert_eq!(q.id, requirement.id);
                match &requirement.missing_fact {
                    Some(_) => assert_ne!(q.outcome, RequirementOutcome::Pass, "{}", q.id),
                    None => assert_ne!(q.outcome, RequirementOutcome::NotAssessable, "{}", q.id),
                }
            }
        }
    }
}

/// The strong example scored on another date; its units also offered in the
/// Union, so that MiCA reaches it.
fn strong_as_of(profile_name: &str, as_of: &str) -> ProfileResult {
    let text = strong_with(&[("offered_in = [\"US\"]", "offered_in = [\"US\", \"EU\"]")]);
    let arrangement = Arrangement::from_source(&SourceFile::new("a.toml", text)).unwrap();
    let profiles = [load_profile(profile_name).unwrap()];
    let date = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
    evaluate(common::milestones(), &profiles, &arrangement, date)
        .profiles
        .remove(0)
}

#[test]
fn each_profile_declares_the_date_it_applies_from() {
    for (name, date) in [
        ("genius-2025", "2027-01-18"),
        ("nydfs-2022", "2022-06-08"),
        ("mica-emt", "2024-06-30"),
        ("mica-emt-significant", "2024-06-30"),
    ] {
        let p = load_profile(name).unwrap();
        assert_eq!(p.applies_from.map(|d| d.to_string()).as_deref(), Some(date));
        assert!(
            p.applies_from_note.is_some(),
            "{name} says what the date is"
        );
        assert!(
            p.source.contains("Public Law 119-27")
                || p.source.contains("2023/1114")
                || p.source.contains("Department of Financial Services"),
            "{name} names the official text"
        );
    }
}

#[test]
fn before_its_date_a_profile_shows_readiness() {
    let before = strong_as_of("mica-emt", "2024-06-29");
    assert!(!before.in_force);
    assert_eq!(before.verdict, ProfileVerdict::WouldFail);
    assert!(before.readiness_note().unwrap().contains("2024-06-30"));
    let on = strong_as_of("mica-emt", "2024-06-30");
    assert!(on.in_force, "in force from the date itself");
    assert_eq!(on.verdict, ProfileVerdict::DoesNotPass);
    assert!(
        on.readiness_note()
            .is_none_or(|n| !n.contains("Readiness only"))
    );

    let genius = strong_as_of("genius-2025", "2026-10-15");
    assert_eq!(genius.verdict, ProfileVerdict::WouldPass);
    assert!(genius.passed, "readiness is the same checks");
}

#[test]
fn profile_files_declare_dates_and_missing_facts_or_are_told_what_is_wrong() {
    let head = "id = \"x\"\ntitle = \"X\"\nsource = \"S\"\n";
    let requirement = "[[requirement]]\nid = \"R1\"\nclause = \"§1\"\ntitle = \"t\"\n";
    let parse = |text: String| parse_profile(&SourceFile::new("p.toml", text));

    let open = parse(format!(
        "{head}applies_from = 2030-01-01\n{requirement}missing_fact = \"the licence number\"\n"
    ))
    .unwrap();
    assert_eq!(open.applies_from.unwrap().to_string(), "2030-01-01");
    assert_eq!(
        open.requirements[0].missing_fact.as_deref(),
        Some("the licence number")
    );

    let errors = parse(format!("{head}{requirement}")).unwrap_err();
    assert!(errors[0].message.contains("empty `require`"));
    assert!(errors[0].help.as_deref().unwrap().contains("missing_fact"));

    let errors = parse(format!(
        "{head}applies_from = 2030-01-01T10:00:00\n{requirement}missing_fact = \"m\"\n"
    ))
    .unwrap_err();
    assert_eq!(errors[0].line, 4);
    assert!(errors[0].message.contains("`applies_from` must be a date"));

    let errors = parse(format!(
        "{head}applies_from_note = \"n\"\n{requirement}missing_fact = \"m\"\n"
    ))
    .unwrap_err();
    assert!(errors[0].message.contains("without `applies_from`"));

    // Extending a built-in profile keeps its date unless the file sets one.
    let inherited = parse(format!("{head}extends = \"genius-2025\"\n")).unwrap();
    assert_eq!(inherited.applies_from.unwrap().to_string(), "2027-01-18");
    let earlier = parse(format!(
        "{head}extends = \"genius-2025\"\napplies_from = 2026-11-02\n"
    ))
    .unwrap();
    assert_eq!(earlier.applies_from.unwrap().to_string(), "2026-11-02");
    assert!(earlier.applies_from_note.is_none());
}

/// docs/profiles.md lists every requirement of every built-in profile, with
/// the clause it cites, in that profile's table.
#[test]
fn the_docs_list_every_requirement_with_its_clause() {
    let docs = std::fs::read_to_string("docs/profiles.md").unwrap();
    for name in usd1eval::rubric::profile::names() {
        let heading = format!("### `{name}`");
        let section = docs
            .split(&heading)
            .nth(1)
            .unwrap_or_else(|| panic!("docs/profiles.md has no section {heading}"));
        let section = section.split("\n### ").next().unwrap();
        for r in &load_profile(name).unwrap().requirements {
            if name == "mica-emt-significant" && !section.contains(&format!("| `{}` |", r.id)) {
                // Inherited unchanged from mica-emt, listed there.
                continue;
            }
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", r.id)))
                .unwrap_or_else(|| panic!("{name}: no row for {}", r.id));
            assert!(
                row.contains(&format!("| {} |", r.clause)),
                "{name} {}: the docs cite another clause than {:?}",
                r.id,
                r.clause
            );
        }
    }
}

/// Edits making the strong example a Bermuda issuer registered with the
/// Comptroller as a foreign issuer, offering units in the United States.
const FOREIGN: [(&str, &str); 4] = [
    ("issuer_country = \"US\"", "issuer_country = \"BM\""),
    ("offered_in = [\"US\"]", "offered_in = [\"US\", \"BM\"]"),
    ("regime = \"NYDFS-trust\"", "regime = \"BM-DABA\""),
    ("regime = \"US-federal\"", "regime = \"US-foreign-issuer\""),
];

fn strong_with(edits: &[(&str, &str)]) -> String {
    let mut text = strong();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

fn scope(p: &ProfileResult) -> (&'static str, String) {
    (
        p.scope.status.as_str(),
        p.scope.reason.clone().unwrap_or_default(),
    )
}

/// NYDFS addresses its licensees: an issuer with no New York licence is out
/// of scope, one that lists no licence at all cannot be told.
#[test]
fn nydfs_covers_only_its_licensees() {
    let p = profile("nydfs-2022", &[]);
    assert_eq!(scope(&p).0, "in-scope");
    assert_eq!(p.verdict, ProfileVerdict::Passes);
    let elsewhere = profile(
        "nydfs-2022",
        &[("regime = \"NYDFS-trust\"", "regime = \"BM-DABA\"")],
    );
    let (status, reason) = scope(&elsewhere);
    assert_eq!(status, "out-of-scope");
    assert_eq!(elsewhere.verdict, ProfileVerdict::OutOfScope);
    assert!(reason.contains("BitLicensees"), "{reason}");
    assert!(
        elsewhere
            .readiness_note()
            .unwrap()
            .starts_with("Out of scope: ")
    );
    // A New York licence applied for is not yet DFS supervision.
    let applied = profile(
        "nydfs-2022",
        &[(
            "regime = \"NYDFS-trust\"\njurisdiction = \"US-NY\"\nstatus = \"granted\"",
            "regime = \"NYDFS-trust\"\njurisdiction = \"US-NY\"\nstatus = \"applied\"",
        )],
    );
    assert_eq!(applied.verdict, ProfileVerdict::OutOfScope);
    // No licence listed: scope not assessable, and the verdict still stands.
    let minimal = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";
    let unknown = report(minimal, &["nydfs-2022"]).profiles.remove(0);
    let (status, reason) = scope(&unknown);
    assert_eq!(status, "not-assessable");
    assert!(reason.contains("compliance.license[].status"), "{reason}");
    assert_ne!(unknown.verdict, ProfileVerdict::OutOfScope);
}

/// GENIUS: scope from where the issuer is formed and where units are offered;
/// §3(a) satisfied by the licences the Act names; the §18 route for a
/// foreign issuer; the custody rule.
#[test]
fn genius_scope_permitted_issuer_and_foreign_route() {
    let p = profile("genius-2025", &[]);
    assert_eq!(scope(&p).0, "in-scope");
    assert_eq!(outcome(&p, "GENIUS-permitted-issuer"), "pass");
    for id in ["GENIUS-foreign-registration", "GENIUS-foreign-us-reserves"] {
        assert_eq!(
            outcome(&p, id),
            "not-applicable",
            "a US permitted issuer: {id}"
        );
    }
    // A licence the Act does not name is no permission; none listed is undisclosed.
    let p = profile(
        "genius-2025",
        &[("regime = \"US-federal\"", "regime = \"BM-DABA\"")],
    );
    assert_eq!(outcome(&p, "GENIUS-permitted-issuer"), "fail");
    let minimal = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";
    let bare = report(minimal, &["genius-2025"]).profiles.remove(0);
    assert_eq!(outcome(&bare, "GENIUS-permitted-issuer"), "not-disclosed");
    assert_eq!(scope(&bare).0, "not-assessable");

    let foreign = profile("genius-2025", &FOREIGN);
    assert_eq!(scope(&foreign).0, "in-scope", "units offered in the US");
    assert_eq!(outcome(&foreign, "GENIUS-permitted-issuer"), "pass");
    assert_eq!(outcome(&foreign, "GENIUS-foreign-registration"), "pass");
    assert_eq!(outcome(&foreign, "GENIUS-foreign-lawful-orders"), "pass");
    assert_eq!(
        outcome(&foreign, "GENIUS-foreign-comparable-regime"),
        "not-assessable"
    );
    assert_eq!(
        outcome(&foreign, "GENIUS-foreign-us-reserves"),
        "not-assessable"
    );
    assert_eq!(
        outcome(&foreign, "GENIUS-foreign-sanctions"),
        "not-assessable"
    );
    assert_eq!(
        outcome(&foreign, "GENIUS-federal-transition"),
        "not-applicable"
    );
    let mut unregistered = FOREIGN.to_vec();
    unregistered[3] = ("regime = \"US-federal\"", "regime = \"GB-FCA\"");
    let p = profile("genius-2025", &unregistered);
    assert_eq!(outcome(&p, "GENIUS-foreign-registration"), "fail");
    assert_eq!(outcome(&p, "GENIUS-permitted-issuer"), "fail");
    // Formed abroad and offering nowhere in the US: out of scope.
    let abroad = profile(
        "genius-2025",
        &[
            FOREIGN[0],
            FOREIGN[1],
            FOREIGN[2],
            ("regime = \"US-federal\"", "regime = \"GB-FCA\""),
            ("offered_in = [\"US\", \"BM\"]", "offered_in = [\"BM\"]"),
            (
                "jurisdictions_served = [\"US\", \"US-NY\", \"GB\", \"SG\", \"CA\"]",
                "jurisdictions_served = [\"GB\", \"SG\"]",
            ),
        ],
    );
    assert_eq!(abroad.verdict, ProfileVerdict::OutOfScope);
    assert!(scope(&abroad).1.contains("5902"), "{}", scope(&abroad).1);
    // Custody: format 1 cannot name the supervisor, but an unregulated
    // custodian fails.
    assert_eq!(outcome(&p, "GENIUS-custody"), "not-assessable");
    let loose = profile("genius-2025", &[("regulated = true", "regulated = false")]);
    assert_eq!(outcome(&loose, "GENIUS-custody"), "fail");
}

/// Eligible assets as the Act and the guidance list them: deposits at
/// insured depository institutions; bills bought three months or less from
/// maturity; overnight reverse repo only for New York.
#[test]
fn eligible_assets_read_the_new_facts() {
    let insured = [(
        "class = \"cash\"\nshare_pct = 15",
        "class = \"bank-deposit\"\nshare_pct = 15\ninsured_depository = true",
    )];
    let uninsured = [(
        "class = \"cash\"\nshare_pct = 15",
        "class = \"bank-deposit\"\nshare_pct = 15\ninsured_depository = false",
    )];
    let silent = [(
        "class = \"cash\"\nshare_pct = 15",
        "class = \"bank-deposit\"\nshare_pct = 15",
    )];
    for name in ["genius-2025", "nydfs-2022"] {
        let id = if name == "genius-2025" {
            "GENIUS-eligible-assets"
        } else {
            "NYDFS-eligible-assets"
        };
        assert_eq!(outcome(&profile(name, &insured), id), "pass", "{name}");
        assert_eq!(outcome(&profile(name, &uninsured), id), "fail", "{name}");
        assert_eq!(
            outcome(&profile(name, &silent), id),
            "not-disclosed",
            "{name}"
        );
    }
    // Cash can be coins or a custodian's balance: open, never a pass.
    let p = profile("genius-2025", &[]);
    assert_eq!(outcome(&p, "GENIUS-cash-form"), "not-assessable");
    assert_eq!(
        outcome(&profile("genius-2025", &insured), "GENIUS-cash-form"),
        "not-applicable"
    );
    // New York: a bill bought four months from maturity fails; a repo on the
    // seller's side is not a reverse repo.
    let long = [(
        "maturity_at_purchase_days = 91",
        "maturity_at_purchase_days = 120",
    )];
    assert_eq!(
        outcome(&profile("nydfs-2022", &long), "NYDFS-eligible-assets"),
        "fail"
    );
    assert_eq!(
        outcome(&profile("genius-2025", &long), "GENIUS-eligible-assets"),
        "pass",
        "GENIUS reads remaining maturity"
    );
    let seller = [(
        "class = \"overnight-repo\"\nshare_pct = 25",
        "class = \"overnight-repo\"\nshare_pct = 25\nrepo_side = \"seller\"",
    )];
    assert_eq!(
        outcome(&profile("nydfs-2022", &seller), "NYDFS-eligible-assets"),
        "fail"
    );
    assert_eq!(
        outcome(&profile("nydfs-2022", &[]), "NYDFS-eligible-assets"),
        "pass"
    );
}

/// The controls attestation: fresh passes, stale fails, none is undisclosed.
#[test]
fn nydfs_controls_attestation_must_be_recent() {
    let p = profile("nydfs-2022", &[]);
    assert_eq!(outcome(&p, "NYDFS-controls-attestation"), "pass");
    let stale = p_with(
        &strong(),
        "period_end = 2026-06-30\npublished = 2026-08-15",
        "period_end = 2024-12-31\npublished = 2025-01-15",
    );
    let p = report(&stale, &["nydfs-2022"]).profiles.remove(0);
    assert_eq!(outcome(&p, "NYDFS-controls-attestation"), "fail");
}

fn p_with(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?}");
    text.replacen(from, to, 1)
}

/// A requirement with its own date: the reverse stress test of Delegated
/// Regulation (EU) 2025/1264 is not in force before 23 October 2025, counted
/// neither as a pass nor as a failure, and says how it would come out.
#[test]
fn a_requirement_with_its_own_date_is_not_in_force_before_it() {
    let text = strong_with(&[EMI]);
    let at = |as_of: &str| {
        let arrangement =
            Arrangement::from_source(&SourceFile::new("a.toml", text.clone())).unwrap();
        let profiles = [load_profile("mica-emt-significant").unwrap()];
        let date = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        evaluate(common::milestones(), &profiles, &arrangement, date)
            .profiles
            .remove(0)
    };
    let july = at("2025-07-31");
    assert!(july.in_force, "the profile itself applies from 2024-06-30");
    let r = july
        .requirements
        .iter()
        .find(|r| r.id == "MICA-reverse-stress-test")
        .unwrap();
    assert_eq!(r.outcome, RequirementOutcome::NotInForce);
    assert_eq!(r.applies_from.as_deref(), Some("2025-10-23"));
    assert_eq!(r.readiness, Some(RequirementOutcome::NotAssessable));
    assert!(
        r.message.starts_with("not in force until 2025-10-23"),
        "{}",
        r.message
    );
    assert!(!r.outcome.blocks());
    // Failing readiness does not block either, and says it would fail.
    let none = strong_with(&[
        EMI,
        (
            "stress_test_frequency = \"quarterly\"",
            "stress_test_frequency = \"none\"",
        ),
    ]);
    let arrangement = Arrangement::from_source(&SourceFile::new("a.toml", none)).unwrap();
    let profiles = [load_profile("mica-emt-significant").unwrap()];
    let p = evaluate(
        common::milestones(),
        &profiles,
        &arrangement,
        NaiveDate::from_ymd_opt(2025, 7, 31).unwrap(),
    )
    .profiles
    .remove(0);
    let r = p
        .requirements
        .iter()
        .find(|r| r.id == "MICA-reverse-stress-test")
        .unwrap();
    assert_eq!(r.readiness, Some(RequirementOutcome::Fail));
    assert!(r.message.contains("would fail"), "{}", r.message);
    let october = at("2025-10-23");
    assert_eq!(
        outcome(&october, "MICA-reverse-stress-test"),
        "not-assessable"
    );
    let r = october
        .requirements
        .iter()
        .find(|r| r.id == "MICA-reverse-stress-test")
        .unwrap();
    assert_eq!(r.readiness, None);
}

/// Art. 49(4): redemption "at any moment" needs `24x7`.
#[test]
fn mica_redemption_at_any_moment_needs_24x7() {
    let p = profile("mica-emt", &[]);
    let declared = strong().contains("availability = \"24x7\"");
    assert!(declared);
    assert_eq!(outcome(&p, "MICA-redeem-any-time-at-par"), "pass");
    let p = profile(
        "mica-emt",
        &[(
            "availability = \"24x7\"",
            "availability = \"business-days\"",
        )],
    );
    assert_eq!(outcome(&p, "MICA-redeem-any-time-at-par"), "fail");
}

/// A file that declares nothing but its name and date fails no requirement
/// of any built-in profile: a missing fact is never a failure.
#[test]
fn a_missing_fact_is_never_a_fail() {
    let minimal = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n";
    let names: Vec<&str> = usd1eval::rubric::profile::names().collect();
    for p in report(minimal, &names).profiles {
        for r in &p.requirements {
            assert_ne!(
                r.outcome,
                RequirementOutcome::Fail,
                "{} {}: {}",
                p.id,
                r.id,
                r.message
            );
        }
        assert_ne!(p.verdict, ProfileVerdict::OutOfScope, "{}", p.id);
    }
    // Nor does a file with reserves, attestations and licences but none of
    // the new facts fail for lack of them.
    let with_tables = format!(
        "{minimal}[[reserves.asset]]\nclass = \"bank-deposit\"\nshare_pct = 50\n[[reserves.asset]]\nclass = \"tbill\"\nshare_pct = 50\n\
         [[attestation]]\nkind = \"attestation\"\npublished = 2026-09-01\n"
    );
    for p in report(&with_tables, &names).profiles {
        for r in &p.requirements {
            assert_ne!(
                r.outcome,
                RequirementOutcome::Fail,
                "{} {}: {}",
                p.id,
                r.id,
                r.message
            );
        }
    }
}

/// Scope, `remove` and requirement dates in profile files: located errors.
#[test]
fn scope_remove_and_requirement_dates_are_checked_in_profile_files() {
    let head = "id = \"x\"\ntitle = \"X\"\nsource = \"S\"\n";
    let requirement =
        "[[requirement]]\nid = \"R1\"\nclause = \"§1\"\ntitle = \"t\"\nmissing_fact = \"m\"\n";
    let parse = |text: String| parse_profile(&SourceFile::new("p.toml", text));
    let errors = parse(format!(
        "{head}[[scope]]\ncovers = \"c\"\nany = []\n{requirement}"
    ))
    .unwrap_err();
    assert!(
        errors[0].message.contains("empty `any`"),
        "{}",
        errors[0].message
    );
    let errors = parse(format!("{head}[[scope]]\ncovers = \"c\"\nany = [{{ fact = \"arrangement.offered_inn\", op = \"one-of\", values = [\"US\"] }}]\n{requirement}")).unwrap_err();
    assert!(
        errors[0].message.contains("offered_inn"),
        "{}",
        errors[0].message
    );
    let errors = parse(format!("{head}remove = [\"R9\"]\n{requirement}")).unwrap_err();
    assert!(errors[0].message.contains("`remove` without `extends`"));
    let errors = parse(format!(
        "{head}extends = \"mica-emt\"\nremove = [\"MICA-nothing\"]\n"
    ))
    .unwrap_err();
    assert!(
        errors[0].message.contains("MICA-nothing"),
        "{}",
        errors[0].message
    );
    let errors = parse(format!(
        "{head}{requirement}applies_from = 2025-10-23T10:00:00\n"
    ))
    .unwrap_err();
    assert!(
        errors[0].message.contains("`applies_from` must be a date"),
        "{}",
        errors[0].message
    );
    let ok = parse(format!(
        "{head}extends = \"mica-emt\"\nremove = [\"MICA-no-fee\"]\n[[scope]]\ncovers = \"c\"\nany = [{{ fact = \"arrangement.offered_in\", op = \"none-of\", values = [\"US\"] }}]\n"
    ))
    .unwrap();
    assert!(ok.requirements.iter().all(|r| r.id != "MICA-no-fee"));
    assert_eq!(ok.scope.len(), 1, "a file's scope replaces the base's");
}

/// An out-of-scope reason says whom the law covers and what the file declares
/// instead, not every value that would have matched (MiCA's scope would list
/// the Union and all 27 Member States).
#[test]
fn an_out_of_scope_reason_says_what_the_file_declares() {
    let text = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\noffered_in = [\"US\", \"BM\"]\n\
                [compliance]\njurisdictions_served = [\"US\"]\n\
                [[compliance.license]]\nregime = \"NYDFS-trust\"\njurisdiction = \"US-NY\"\nstatus = \"granted\"\n";
    let mica = report(text, &["mica-emt"]).profiles.remove(0);
    let (status, reason) = scope(&mica);
    assert_eq!(status, "out-of-scope");
    assert!(reason.starts_with("Title IV governs"), "{reason}");
    assert!(
        reason.contains("the file declares: arrangement.offered_in is [US, BM]; compliance.jurisdictions_served is [US]"),
        "{reason}"
    );
    assert!(
        reason
            .contains("no compliance.license entry has regime MiCA-EMI or MiCA-credit-institution"),
        "{reason}"
    );
    assert!(!reason.contains("SE"), "no list of Member States: {reason}");
}
