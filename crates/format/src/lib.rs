//! The arrangement format of `usd1eval` (format 1): every table and field
//! declared once ([`facts::schema`]), the strict loader and cross-field
//! validation, the derived figures, the liquidity ladder and the loss model.
//! It builds on the input layer only; nothing computed from the facts
//! (rubrics, stress, reports) is visible here, so the compiler keeps the
//! layers apart.

#![warn(missing_docs)]

pub mod facts;

/// A fact's place in the schema, checked when the program is compiled:
/// `fact!("supply.outstanding_usd")`, `fact!("reserves.asset[].share_pct")`
/// (a [`facts::schema::FactAt`]). A path the schema does not have is a
/// compile error:
///
/// ```compile_fail
/// let _ = usd1eval_format::fact!("supply.outstanding");
/// ```
///
/// ```
/// let at = usd1eval_format::fact!("supply.outstanding_usd");
/// assert_eq!((at.table.table.path, at.field.name), ("supply", "outstanding_usd"));
/// ```
#[macro_export]
macro_rules! fact {
    ($path:literal) => {
        const { $crate::facts::schema::FactAt::of($path) }
    };
}

/// A derived figure's name, checked when the program is compiled:
/// `derived!("overcollateral_pct")` (a [`facts::derived::FigureName`]). A
/// name no figure has is a compile error:
///
/// ```compile_fail
/// let _ = usd1eval_format::derived!("overcollateral");
/// ```
#[macro_export]
macro_rules! derived {
    ($name:literal) => {
        const { $crate::facts::derived::FigureName::of($name) }
    };
}

/// A table of the schema, checked when the program is compiled:
/// `table!("reserves.asset")` (a [`facts::schema::TableAt`]). A
/// path the schema does not have is a compile error:
///
/// ```compile_fail
/// let _ = usd1eval_format::table!("reserve.asset");
/// ```
#[macro_export]
macro_rules! table {
    ($path:literal) => {
        const { $crate::facts::schema::TableAt::of($path) }
    };
}

// The input layer under the names the modules use (`crate::source`, …).
pub use usd1eval_input::{number, source, table, text};
