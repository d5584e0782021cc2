//! The figure layer: every path a rubric, profile, history alert or gate can
//! name — declared facts (`redemption.fee_bps`, `chain[].monitored`), derived
//! figures (`derived.reserve_coverage_ratio`) and stress figures
//! (`stress.run-30-5.survives`, `stress.max_redeemable_pct.t1`) — resolved
//! once, when a rubric is compiled, to a typed [`Target`]. A path this
//! module does not know is refused there, with a "did you mean".
//!
//! It sits above the facts and the stress model and below every reader of
//! figures, so the facts never import what is computed from them.

use crate::facts::schema::{self, Target};

/// Resolves any figure path as rubrics write it; `None` when it names
/// nothing.
pub fn resolve(path: &str) -> Option<Target> {
    if let Some(name) = path.strip_prefix("derived.") {
        return crate::facts::derived::spec(name).map(Target::Derived);
    }
    if path.starts_with("stress.") {
        return crate::stress::figure(path).map(Target::Derived);
    }
    schema::resolve(path)
}

/// Every path a rubric may read: facts, derived figures and stress figures,
/// for "did you mean" hints.
pub fn paths() -> impl Iterator<Item = String> {
    schema::all_fact_paths().into_iter().chain(
        crate::facts::derived::DERIVED
            .iter()
            .chain(crate::stress::figures())
            .map(schema::DerivedSpec::path),
    )
}
