//! Back-tests: arrangements written from public sources for events of
//! record (tests/backtest/*.toml), each asserting what really happened: who
//! was hit, whether holders were paid, roughly how far the coverage fell.
//! docs/stress.md has the table of these back-tests beside their sources.

// Test helpers unwrap: a failure there is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use usd1eval::report::Report;
use usd1eval::stress::ScenarioResult;

fn score(name: &str) -> Report<'static> {
    common::score_file(&format!("tests/backtest/{name}.toml"))
}

fn scenario<'r>(r: &'r Report, id: &str) -> &'r ScenarioResult {
    r.stress.scenarios.iter().find(|s| s.id == id).unwrap()
}

fn derived(r: &Report, name: &str) -> f64 {
    r.derived
        .get(name)
        .and_then(|v| v.to_json().as_f64())
        .unwrap()
}

fn has_cap(r: &Report, id: &str) -> bool {
    r.caps.iter().any(|c| c.id == id)
}

const RUNS_OF_RECORD: [&str; 3] = ["run-may-2022", "run-march-2023", "wind-down-2023"];

#[test]
fn march_2023_hits_the_failed_bank_and_every_holder_is_paid() {
    let r = score("march-2023-bank-failure");
    let replay = scenario(&r, "svb-2023");
    assert!(
        replay.why.contains("frozen at Silicon Valley Bank"),
        "{}",
        replay.why
    );
    // Paid when due (redemptions resumed on Monday), nothing lost.
    assert_eq!(replay.survives, Some(true), "{}", replay.why);
    assert_eq!(replay.unpaid_usd, Some(0.0));
    assert_eq!(replay.loss_usd, Some(0.0));
    // Below par over the weekend: 3.3 bn of 42.1 bn out of reach, about
    // 0.92 of the units (the market's low was 0.8774).
    assert_eq!(replay.gap_days, Some(1));
    let low = replay.min_coverage_ratio.unwrap();
    assert!((0.90..0.94).contains(&low), "{low}");
    // The same file's larger bank is a global systemically important one:
    // the hypothetical failure takes the smaller, as the record did.
    let failure = scenario(&r, "bank-failure");
    assert!(
        failure.why.contains("Silicon Valley Bank"),
        "{}",
        failure.why
    );
    assert!(!failure.why.contains("BNY"), "{}", failure.why);
    assert_eq!(failure.survives, Some(true), "{}", failure.why);
}

#[test]
fn march_2023_leaves_an_arrangement_without_exposure_untouched() {
    let r = score("no-exposure-2023");
    let replay = scenario(&r, "svb-2023");
    assert_eq!(replay.survives, Some(true));
    assert_eq!(replay.gap_days, Some(0), "{}", replay.why);
    assert!(replay.why.contains("so none is frozen"), "{}", replay.why);
    // Four banks at 3 % each, none failed: a hypothetical failure of one is
    // a gap of 3 % while every redemption is paid, not a failure.
    for id in ["bank-failure", "bank-failure-rescued"] {
        let s = scenario(&r, id);
        assert_eq!(s.survives, Some(true), "{id}: {}", s.why);
        assert_eq!(s.unpaid_usd, Some(0.0), "{id}");
        assert!(s.min_coverage_ratio.unwrap() > 0.96, "{id}");
    }
    assert!(!has_cap(&r, "fails-run-of-record"));
}

#[test]
fn a_protocol_holding_the_failed_issuers_stablecoin_feels_the_replay() {
    let r = score("march-2023-protocol");
    let replay = scenario(&r, "svb-2023");
    let calm = scenario(&r, "run-30-5");
    // 48.4 % of its collateral at 0.8774 over the weekend.
    let fall = calm.min_coverage_ratio.unwrap() - replay.min_coverage_ratio.unwrap();
    assert!(
        (fall - 1.28 * 0.484 * (1.0 - 0.8774)).abs() < 0.01,
        "{fall}"
    );
    assert!(
        replay.why.contains("stablecoin held trades below par"),
        "{}",
        replay.why
    );
}

#[test]
fn the_2023_wind_down_survives_its_run_and_the_base_run() {
    let r = score("wind-down-2023");
    for id in ["wind-down-2023", "run-30-5"] {
        let s = scenario(&r, id);
        assert_eq!(s.survives, Some(true), "{id}: {}", s.why);
        assert_eq!(s.gap_days, Some(0), "{id}");
    }
    assert!(!has_cap(&r, "fails-run-of-record"));
}

#[test]
fn the_2022_algorithmic_collapse_pays_nobody_at_par() {
    let r = score("algorithmic-2022");
    for id in RUNS_OF_RECORD {
        let s = scenario(&r, id);
        assert_eq!(s.survives, Some(false), "{id}: {}", s.why);
    }
    assert!(has_cap(&r, "fails-run-of-record"));
    assert!(has_cap(&r, "reserve-shortfall"));
    assert!(r.overall.score < 20.0, "{}", r.overall.score);
}

#[test]
fn the_real_estate_token_is_capped_and_fails_the_runs_it_met() {
    let r = score("real-estate-2023");
    assert!(has_cap(&r, "volatile-beyond-buffer"));
    assert!(has_cap(&r, "fails-run-of-record"));
    assert_eq!(scenario(&r, "wind-down-2023").survives, Some(false));
    let stressed = derived(&r, "stressed_coverage_ratio");
    assert!(stressed < 0.7, "{stressed}");
}

#[test]
fn an_over_collateralised_protocol_that_redeems_in_kind_is_not_capped_for_volatility() {
    let r = score("immutable-protocol");
    for id in ["run-30-5", "market-shock", "rate-shock"]
        .into_iter()
        .chain(RUNS_OF_RECORD)
    {
        let s = scenario(&r, id);
        assert_eq!(s.survives, Some(true), "{id}: {}", s.why);
        assert_eq!(s.unpaid_usd, Some(0.0), "{id}");
    }
    assert!(!has_cap(&r, "volatile-beyond-buffer"));
    assert!(
        !r.overall
            .penalties
            .iter()
            .any(|p| p.id == "volatile-beyond-buffer")
    );
    let stressed = derived(&r, "stressed_coverage_ratio");
    assert!((stressed - 2.72 * 0.57).abs() < 0.01, "{stressed}");
    // It scores well above the real-estate token that broke.
    let broke = score("real-estate-2023");
    assert!(
        r.overall.score > broke.overall.score + 15.0,
        "{} vs {}",
        r.overall.score,
        broke.overall.score
    );
}

#[test]
fn the_november_2025_case_is_still_capped_by_its_haircuts() {
    let r = common::score_file("examples/calibration/public/offshore-bitcoin-gold-loans.toml");
    assert!(has_cap(&r, "volatile-beyond-buffer"));
    let beyond = derived(&r, "volatile_beyond_buffer_pct");
    // About 6.5 % of units lost to the haircuts against a 3.9 % buffer.
    assert!((2.0..3.0).contains(&beyond), "{beyond}");
}
