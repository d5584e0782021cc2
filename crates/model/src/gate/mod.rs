//! Gates: thresholds, baseline regression and waivers → pass/fail with reasons.
//!
//! Regression is judged item by item — per milestone, per cap and per profile
//! requirement — so an improvement in one place can never pay for a
//! regression in another. A waiver exempts its milestone, check, cap or
//! profile requirement from the gates and marks it as waived; it never
//! changes a score.
//!
//! One file per concern, each importing only those before it here:
//!
//! - `baseline`: earlier reports read back from a JSON report or JSON Lines
//!   ([`Baselines`]) into the report's own types
//!   ([`Report`](crate::report::Report)), and which report gates an
//!   arrangement ([`BaselineFor`]).
//! - `regression`: what counts as a regression from one report to another,
//!   fresh or read back ([`regressions_between`]); `diff` uses the same rule.
//! - `waiver`: the waiver file ([`parse_waivers`]) and applying waivers to
//!   findings, caps and requirements ([`apply_waivers`]) or to history alerts
//!   ([`waive_alerts`]), with the diagnostics for expired and unused ones.
//!   It knows nothing of baselines or gates: a waiver marks the report, and
//!   the gates read the marks.
//! - `gates`: what the command line asks ([`GateOptions`]) and running every
//!   gate, the regression gate among them, on a report ([`apply`]).
//!
//! Everything is re-exported here, so callers name `gate::X` whatever file
//! holds it.

mod baseline;
mod gates;
mod regression;
mod waiver;

pub use baseline::{BaselineFor, Baselines};
pub use gates::{GateOptions, apply};
pub use regression::regressions_between;
pub use waiver::{Waiver, WaiverKind, apply_waivers, parse_waivers, waive_alerts};
