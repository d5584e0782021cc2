//! Caps and staleness, end to end through the library: each cap is triggered
//! by changing one fact of the strong example, which otherwise grades A.

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
use usd1eval::report::Report;
use usd1eval::source::SourceFile;

const STRONG: &str = "examples/strong-regulated.toml";

fn score_text(text: &str, as_of: Option<NaiveDate>) -> Report<'static> {
    let arrangement = Arrangement::from_source(&SourceFile::new("strong.toml", text)).unwrap();
    evaluate(
        common::milestones(),
        &[],
        &arrangement,
        as_of.unwrap_or(arrangement.facts.as_of),
    )
}

/// The strong example with one line replaced.
fn strong_with(from: &str, to: &str) -> Report<'static> {
    let text = std::fs::read_to_string(STRONG).unwrap();
    assert!(
        text.contains(from),
        "the strong example no longer contains {from:?}"
    );
    score_text(&text.replacen(from, to, 1), None)
}

fn assert_capped(report: &Report, cap: &str, grade: &str) {
    let ids: Vec<&str> = report.caps.iter().map(|c| c.id.as_str()).collect();
    assert!(ids.contains(&cap), "{cap} not in {ids:?}");
    assert_eq!(report.overall.grade, Some(grade), "capped grade");
    assert_eq!(
        report.overall.uncapped_grade,
        Some("A"),
        "the mean alone would still say A"
    );
    let hit = report.caps.iter().find(|c| c.id == cap).unwrap();
    assert!(hit.binding);
    assert!(!hit.reason.is_empty());
}

#[test]
fn the_strong_example_has_no_cap() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let report = score_text(&text, None);
    assert!(report.caps.is_empty(), "{:?}", report.caps);
    assert_eq!(report.overall.grade, Some("A"));
}

#[test]
fn cap_reserve_shortfall() {
    let report = strong_with("total_usd = 12_060_000_000", "total_usd = 11_900_000_000");
    assert_capped(&report, "reserve-shortfall", "D");
}

#[test]
fn cap_no_redemption_when_nobody_is_eligible() {
    let report = strong_with("eligible = \"verified-holders\"", "eligible = \"none\"");
    assert_capped(&report, "no-redemption", "F");
}

#[test]
fn cap_no_redemption_when_suspended() {
    let report = strong_with("availability = \"24x7\"", "availability = \"suspended\"");
    assert_capped(&report, "no-redemption", "F");
}

#[test]
fn cap_below_par() {
    let report = strong_with("at_par = true", "at_par = false");
    assert_capped(&report, "below-par", "D");
}

#[test]
fn cap_volatile_beyond_buffer() {
    // 15 % crypto against a 0.5 % over-collateral buffer.
    let report = strong_with("class = \"cash\"", "class = \"crypto\"");
    assert_capped(&report, "volatile-beyond-buffer", "C");
}

#[test]
fn volatile_assets_within_the_buffer_do_not_cap() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    // 2 % gold, 8 % over-collateralized.
    let text = text
        .replacen("total_usd = 12_060_000_000", "total_usd = 12_960_000_000", 1)
        .replacen("class = \"cash\"\nshare_pct = 15", "class = \"cash\"\nshare_pct = 13", 1)
        .replacen(
            "[[reserves.custodian]]",
            "[[reserves.asset]]\nclass = \"precious-metal\"\nshare_pct = 2\n\n[[reserves.custodian]]",
            1,
        );
    let report = score_text(&text, None);
    assert!(
        !report.caps.iter().any(|c| c.id == "volatile-beyond-buffer"),
        "{:?}",
        report.caps
    );
}

#[test]
fn cap_stale_assurance_when_no_report_is_recent() {
    let report = strong_with(
        "period_end = 2026-08-31\npublished = 2026-09-18",
        "period_end = 2026-04-30\npublished = 2026-05-18",
    );
    assert_capped(&report, "stale-assurance", "C");
}

#[test]
fn cap_reserves_not_ring_fenced() {
    let report = strong_with(
        "legal_structure = \"bankruptcy-remote-trust\"",
        "legal_structure = \"issuer-balance-sheet\"",
    );
    assert_capped(&report, "reserves-not-ring-fenced", "B");
    let undisclosed = strong_with("legal_structure = \"bankruptcy-remote-trust\"\n", "");
    assert!(
        undisclosed
            .caps
            .iter()
            .any(|c| c.id == "reserves-not-ring-fenced")
    );
}

#[test]
fn cap_single_key_mint() {
    let report = strong_with(
        "mint_key_control = \"multisig-hsm\"",
        "mint_key_control = \"single-key\"",
    );
    assert_capped(&report, "single-key-mint", "C");
}

#[test]
fn a_year_later_the_same_file_loses_its_attestation_credit() {
    let text = std::fs::read_to_string(STRONG).unwrap();
    let now = score_text(&text, None);
    let later = score_text(&text, NaiveDate::from_ymd_opt(2027, 9, 30));
    let outcome = |r: &Report, check: &str| {
        r.milestones
            .iter()
            .flat_map(|m| &m.findings)
            .find(|f| f.check == check)
            .map(|f| f.outcome)
            .unwrap()
    };
    use usd1eval::report::Outcome;
    assert_eq!(outcome(&now, "M10.recent-attestation"), Outcome::Met);
    assert_eq!(outcome(&later, "M10.recent-attestation"), Outcome::Unmet);
    assert!(later.overall.score < now.overall.score);
    assert!(later.caps.iter().any(|c| c.id == "stale-assurance"));
    assert_eq!(later.overall.grade, Some("C"));
    assert_eq!(later.evaluated_as_of, "2027-09-30");
}
