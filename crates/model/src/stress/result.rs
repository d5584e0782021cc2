//! The stress model's output: each scenario's result ([`ScenarioResult`])
//! with its days ([`Day`]), the reverse stress test ([`MaxRedeemable`]) and
//! the report that holds them ([`StressReport`]), with the rounding each
//! figure is written with in JSON.

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use super::scenario::Scenario;

/// What the stress tests found for one arrangement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct StressReport {
    /// Each scenario's outcome, in the order the scenarios were given.
    pub scenarios: Vec<ScenarioResult>,
    /// The reverse stress test.
    pub max_redeemable_pct: MaxRedeemable,
}

/// The reverse stress test: the largest share (%) of units outstanding the
/// arrangement can pay at par by business day 0, 1 and 5, with no shock but
/// the ladder's own haircuts. Null when the facts it needs are not disclosed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, JsonSchema)]
pub struct MaxRedeemable {
    /// The largest share (%) payable at par on business day 0.
    #[serde(serialize_with = "round1_opt")]
    pub t0: Option<f64>,
    /// The largest share (%) payable at par by business day 1.
    #[serde(serialize_with = "round1_opt")]
    pub t1: Option<f64>,
    /// The largest share (%) payable at par by business day 5.
    #[serde(serialize_with = "round1_opt")]
    pub t5: Option<f64>,
}

/// One scenario's outcome. The figures are null when the scenario cannot be
/// run on the declared facts; `why` then says which are missing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioResult {
    /// The scenario's id.
    pub id: String,
    /// The scenario's title.
    pub title: String,
    /// Every redemption is paid when due, and what is lost for good stays
    /// within the over-collateral buffer. Reserves out of reach for a while
    /// (a coverage gap) do not fail it: see `gap_days`.
    pub survives: Option<bool>,
    /// The largest, on any day, of redemptions due and unpaid and of the loss
    /// beyond the buffer; 0 when it survives.
    #[serde(serialize_with = "round0_opt")]
    pub shortfall_usd: Option<f64>,
    /// The first business day with redemptions unpaid or a loss beyond the
    /// buffer; null when there is none.
    pub first_shortfall_day: Option<u32>,
    /// The lowest, over the days, of reachable marked reserves ÷ units outstanding.
    #[serde(serialize_with = "round4_opt")]
    pub min_coverage_ratio: Option<f64>,
    /// The largest amount of redemptions due and not paid, on any day.
    #[serde(serialize_with = "round0_opt")]
    pub unpaid_usd: Option<f64>,
    /// Business days on which the reserves within reach are below the units
    /// outstanding (a coverage gap: the units may trade below par meanwhile).
    pub gap_days: Option<u32>,
    /// Reserves lost for good: price shocks, a failed custodian's loss, and
    /// what forced sales realised below par.
    #[serde(serialize_with = "round0_opt")]
    pub loss_usd: Option<f64>,
    /// The largest share (%) of units outstanding that cannot be redeemed
    /// because its chain is down; null when no chain goes down.
    #[serde(serialize_with = "round1_opt")]
    pub stranded_pct: Option<f64>,
    /// One sentence: whether holders were paid, whether coverage fell below
    /// the units, whether anything was lost, and why.
    pub why: String,
    /// Demand against reachable liquidity, day by day: drawn by the HTML
    /// scorecard and printed by `stress --format json` and `stress --days`,
    /// but left out of the score report, which a batch writes thousands of
    /// times.
    #[serde(skip)]
    pub days: Vec<Day>,
}

/// One scenario's outcome with its days, as `stress --format json` writes
/// each one (the score report leaves the days out). The figures are null when
/// the scenario cannot be run on the declared facts; `why` then says which
/// are missing.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WithDays<'a> {
    /// The result.
    #[serde(flatten)]
    pub result: &'a ScenarioResult,
    /// Demand against reachable liquidity, day by day.
    pub days: &'a [Day],
}

impl<'a> WithDays<'a> {
    /// A result with its own days.
    pub fn of(result: &'a ScenarioResult) -> Self {
        WithDays {
            result,
            days: &result.days,
        }
    }
}

impl ScenarioResult {
    /// The result of a scenario that needs a fact the file does not declare.
    pub(super) fn not_run(scenario: &Scenario, missing: &str) -> Self {
        ScenarioResult {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            survives: None,
            shortfall_usd: None,
            first_shortfall_day: None,
            min_coverage_ratio: None,
            unpaid_usd: None,
            gap_days: None,
            loss_usd: None,
            stranded_pct: None,
            why: format!("Cannot be run: {missing} is not disclosed."),
            days: Vec::new(),
        }
    }

    /// What happened, in words: holders unpaid, a coverage gap, a loss for
    /// good, or none of them. Tables and HTML show it beside the verdict.
    pub fn outcome(&self) -> &'static str {
        let unpaid = self.unpaid_usd.is_some_and(|u| u > 0.5);
        let lost = self.loss_usd.is_some_and(|l| l > 0.5);
        match (self.survives, self.gap_days) {
            (None, _) => "not run",
            (Some(false), _) if unpaid => "redemptions unpaid",
            (Some(false), _) if lost => "loss beyond the buffer",
            // Nothing unpaid and nothing lost: the reserves started short.
            (Some(false), _) => "reserves short of units",
            (Some(true), Some(g)) if g > 0 => "paid; coverage gap",
            (Some(true), _) => "paid",
        }
    }
}

/// One business day of a scenario, after that day's payments.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Day {
    /// The business day, counted from 0.
    pub day: u32,
    /// The calendar date of this business day, for a replay that starts on
    /// a real date; absent for a hypothetical.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_opt")]
    #[schemars(with = "Option<String>")]
    pub date: Option<chrono::NaiveDate>,
    /// Redemptions due by this day, cumulative.
    #[serde(serialize_with = "round0")]
    pub due_usd: f64,
    /// Redemptions paid by this day, cumulative.
    #[serde(serialize_with = "round0")]
    pub paid_usd: f64,
    /// Dollars that could have been raised by this day: paid plus what
    /// reachable assets would still fetch today.
    #[serde(serialize_with = "round0")]
    pub liquid_usd: f64,
    /// Reachable reserves left, at market value after the shocks.
    #[serde(serialize_with = "round0")]
    pub reachable_usd: f64,
    /// Units still outstanding.
    #[serde(serialize_with = "round0")]
    pub outstanding_usd: f64,
    /// Reserves lost for good so far.
    #[serde(serialize_with = "round0")]
    pub lost_usd: f64,
}

fn round_opt<S: Serializer>(n: &Option<f64>, s: S, decimals: i32) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => crate::number::number_json(*n, decimals).serialize(s),
        None => s.serialize_none(),
    }
}

/// A date as the JSON writes one, `YYYY-MM-DD`: formatted only when written,
/// never for a score report, which leaves the days out.
fn date_opt<S: Serializer>(d: &Option<chrono::NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

fn round0<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::number::number_json(*n, 0).serialize(s)
}

fn round0_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 0)
}

fn round1_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 1)
}

fn round4_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 4)
}
