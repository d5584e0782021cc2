//! Regulatory profiles: every kind of requirement (a threshold, an allowed
//! set, a filtered maturity limit, a boolean, a "some entry" licence test, a
//! declared fact, a conditional requirement) passing, failing and undisclosed.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use usd1eval::eval::evaluate;
use usd1eval::facts::Arrangement;
use usd1eval::report::{ProfileResult, Report};
use usd1eval::rubric::profile::load_profile;
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

fn outcome(p: &ProfileResult, id: &str) -> String {
    p.requirements
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .outcome
        .clone()
}

#[test]
fn the_strong_us_example_passes_genius_and_nydfs() {
    let r = report(&strong(), &["genius-2025", "nydfs-2022"]);
    for p in &r.profiles {
        let failing: Vec<_> = p
            .requirements
            .iter()
            .filter(|q| q.outcome != "pass" && q.outcome != "not-applicable")
            .collect();
        assert!(p.passed, "{}: {failing:#?}", p.id);
        assert!(p.notice.contains("not legal advice"));
    }
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
    let p = profile(
        "nydfs-2022",
        &[("kind = \"controls-report\"", "kind = \"proof-of-reserves\"")],
    );
    assert_eq!(outcome(&p, "NYDFS-controls-attestation"), "fail");
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

#[test]
fn significant_mica_tightens_deposits_and_adds_stress_testing() {
    let deposits = [
        (
            "class = \"cash\"\nshare_pct = 15",
            "class = \"bank-deposit\"\nshare_pct = 15",
        ),
        (
            "class = \"overnight-repo\"\nshare_pct = 25",
            "class = \"bank-deposit\"\nshare_pct = 25",
        ),
    ];
    let base = profile("mica-emt", &deposits);
    let significant = profile("mica-emt-significant", &deposits);
    assert_eq!(
        outcome(&base, "MICA-deposits"),
        "pass",
        "40 % in deposits meets 30 %"
    );
    assert_eq!(
        outcome(&significant, "MICA-deposits"),
        "fail",
        "but not 60 %"
    );
    assert_eq!(
        outcome(&significant, "MICA-liquidity-stress-testing"),
        "pass"
    );
}
