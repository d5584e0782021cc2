//! The arrangement format of `usd1eval` (format 1): every table and field
//! declared once ([`facts::schema`]), the strict loader and cross-field
//! validation, the derived figures, the liquidity ladder and the loss model.
//! It builds on the input layer only; nothing computed from the facts
//! (rubrics, stress, reports) is visible here, so the compiler keeps the
//! layers apart.

#![warn(missing_docs)]

pub mod facts;

// The input layer under the names the modules use (`crate::source`, …).
pub use usd1eval_input::{number, source, text};
