//! Stress: the declared reserves run through redemption runs, frozen
//! custodians, price and rate shocks and chain outages, business day by
//! business day, plus a reverse stress test.
//!
//! Pure: (facts, scenarios) → results, no I/O and no clock. Scenarios are data
//! ([`scenario`]); how fast each asset becomes dollars and what a forced sale
//! loses is the liquidity ladder ([`crate::facts::ladder`]), the same one the
//! derived `liquid_tN_pct` figures use. The model and every formula are in
//! docs/stress.md.
//!
//! The files, in the order a run goes through them:
//!
//! | file | what it holds |
//! |---|---|
//! | [`scenario`] | scenarios as data: the built-in ones and `--scenario PATH`, read strictly |
//! | `book.rs` | the facts a simulation needs, read once; the reverse stress test |
//! | `names.rs` | names compared as institutions (`names_match`); the G-SIB list |
//! | `slice.rs` | the reserves while a scenario runs: slices of each asset, and the losses |
//! | `freeze.rs` | frozen custodians: which a freeze names, and what of the reserves it takes |
//! | `demand.rs` | redemptions due per business day, after settlement, weekends and outages |
//! | `simulate.rs` | [`run`]: the shocks, then day by day, payments in kind and forced sales |
//! | `why.rs` | the sentence that says what happened and why ([`ScenarioResult::why`]) |
//! | `result.rs` | the output: [`StressReport`], [`ScenarioResult`], [`Day`], [`MaxRedeemable`] |
//! | `figures.rs` | the results as rubric figures (`stress.ID.MEASURE`): [`figures()`], [`record`] |
//!
//! Every public item is re-exported here, so callers name `stress::X`
//! whichever file holds it.

pub mod scenario;

mod book;
mod demand;
mod figures;
mod freeze;
mod names;
mod result;
mod simulate;
mod slice;
mod why;

pub(crate) use figures::figure_value;
pub use figures::{figure, figures, record};
pub use result::{Day, MaxRedeemable, ScenarioResult, StressReport, WithDays};
pub use scenario::{Scenario, builtin_scenarios, load_scenario};
pub use simulate::run;

#[cfg(test)]
mod tests;
