//! The model of `usd1eval`: the figure layer ([`figures`]), the rubric and
//! its loader ([`rubric`]), the stress model ([`stress`]), evaluation (pure:
//! rubric, facts and a date to a [`report::Report`], in [`eval`]), gates and
//! baselines ([`gate`]), history and diffs. It builds on the format and input
//! crates and knows no renderer and no command line.

#![warn(missing_docs)]

pub mod diff;
pub mod eval;
pub mod figures;
pub mod gate;
pub mod history;
pub mod report;
pub mod rubric;
pub mod stress;

// The layers below under the names the modules use (`crate::facts`, …).
pub use usd1eval_format::facts;
pub use usd1eval_input::{number, source, table, text};
