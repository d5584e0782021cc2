//! Stress results in words and numbers, as every format prints them: the
//! outcome, dollars, days, ratios and percentages, the reverse stress test
//! and the one-line summary a scorecard shows. Below the renderers that use
//! it, so none of them imports another for a number.

use crate::facts::schema::{Quantity, Unit};
use crate::text::one_line;
use usd1eval_model::stress::{ScenarioResult, StressReport};

/// What happened, in words; upper case when the scenario is not survived.
pub(super) fn outcome_text(s: &ScenarioResult) -> String {
    match s.survives {
        Some(false) => s.outcome().to_uppercase(),
        _ => s.outcome().to_string(),
    }
}

pub(super) fn gap_text(s: &ScenarioResult) -> String {
    s.gap_days.map_or_else(|| "–".into(), |d| d.to_string())
}

/// A quantity as every output writes it ([`Quantity`]), `–` when unknown.
fn quantity(n: Option<f64>, unit: Unit) -> String {
    n.map_or_else(|| "–".into(), |n| Quantity::new(n, unit).to_string())
}

/// Dollars as every output writes them (`592.6 m USD`), `–` when unknown.
pub(super) fn money(n: Option<f64>) -> String {
    quantity(n, Unit::Usd)
}

pub(super) fn day_text(s: &ScenarioResult) -> String {
    s.first_shortfall_day
        .map_or_else(|| "–".into(), |d| format!("T+{d}"))
}

pub(super) fn ratio(n: Option<f64>) -> String {
    quantity(n, Unit::Ratio)
}

pub(super) fn pct(n: Option<f64>) -> String {
    quantity(n, Unit::Pct)
}

/// The reverse stress test in one line.
pub(super) fn reverse_line(stress: &StressReport) -> String {
    let m = &stress.max_redeemable_pct;
    format!(
        "Reverse stress test: payable at par by T+0 {} · by T+1 {} · by T+5 {} of units outstanding",
        pct(m.t0),
        pct(m.t1),
        pct(m.t5)
    )
}

/// One line for a scorecard: how many scenarios are survived, which fail
/// and from which day, and the reverse stress test.
pub(crate) fn summary_line(stress: &StressReport) -> String {
    let run: Vec<&ScenarioResult> = stress
        .scenarios
        .iter()
        .filter(|s| s.survives.is_some())
        .collect();
    let failed: Vec<String> = run
        .iter()
        .filter(|s| s.survives == Some(false))
        .map(|s| format!("{} from {}", one_line(&s.id), day_text(s)))
        .collect();
    let not_run = stress.scenarios.len() - run.len();
    let mut line = format!(
        "Stress: survives {} of {} scenarios",
        run.len() - failed.len(),
        run.len()
    );
    if run.is_empty() {
        // Say why rather than "0 of 0": the first scenario's reason stands
        // for all when a fact every scenario needs is missing.
        let why = stress.scenarios.first().map_or("", |s| {
            let why = s.why.trim_end_matches('.');
            why.strip_prefix("Cannot be run: ").unwrap_or(why)
        });
        line = format!("Stress: not run: {why}");
    } else if not_run > 0 {
        line.push_str(&format!("; {not_run} could not be run"));
    }
    if !failed.is_empty() {
        line.push_str(&format!("; fails {}", failed.join(", ")));
    }
    // Survived with reserves out of reach for a while: said, not failed.
    let gaps: Vec<String> = run
        .iter()
        .filter(|s| s.survives == Some(true))
        .filter_map(|s| {
            let days = s.gap_days.filter(|d| *d > 0)?;
            Some(format!(
                "{} ({days} day{}, lowest {}×)",
                one_line(&s.id),
                if days == 1 { "" } else { "s" },
                ratio(s.min_coverage_ratio)
            ))
        })
        .collect();
    if !gaps.is_empty() {
        line.push_str(&format!("; coverage gaps in {}", gaps.join(", ")));
    }
    let m = &stress.max_redeemable_pct;
    if m.t0.is_some() {
        line.push_str(&format!(
            " · payable at par by T+0 {}, T+1 {}, T+5 {}",
            pct(m.t0),
            pct(m.t1),
            pct(m.t5)
        ));
    }
    line
}
