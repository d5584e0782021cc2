//! `usd1eval`: scores USD1 stablecoin arrangements against a milestone rubric.
//!
//! A workspace in layers, each a crate the compiler keeps below the next:
//! `usd1eval-input` (files, diagnostics, untrusted text, numbers) →
//! `usd1eval-format` ([`facts`]: the arrangement format, loading, derived
//! figures) → `usd1eval-model` ([`figures`], [`rubric`], [`stress`],
//! [`eval`], [`report`], [`gate`], [`history`], [`diff`]) → `usd1eval-render`
//! ([`render`]: every output format) → this crate, the binary's own modules:
//! the command line ([`cli`]), one module per command ([`app`]), report files
//! ([`outputs`]) and batches ([`batch`]). The layers below are re-exported
//! under their module names, so `usd1eval::report::Report` names what it
//! always did.

pub mod app;
pub mod batch;
pub mod cli;
pub mod outputs;

pub use usd1eval_format::facts;
pub use usd1eval_input::{number, source, text};
pub use usd1eval_model::{diff, eval, figures, gate, history, report, rubric, stress};
pub use usd1eval_render as render;
