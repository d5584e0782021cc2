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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_path_resolves_here_and_nothing_else() {
        assert!(matches!(
            resolve("redemption.fee_bps"),
            Some(Target::Field(_, _))
        ));
        assert!(matches!(
            resolve("derived.reserve_coverage_ratio"),
            Some(Target::Derived(_))
        ));
        assert!(matches!(
            resolve("stress.run-march-2023.unpaid_usd"),
            Some(Target::Derived(_))
        ));
        assert!(resolve("stress.run-march-2024.unpaid_usd").is_none());
        assert!(resolve("derived.nope").is_none());
        let all: Vec<String> = paths().collect();
        for path in [
            "reserves.total_usd",
            "derived.stressed_coverage_ratio",
            "stress.svb-2023.gap_days",
        ] {
            assert!(all.iter().any(|p| p == path), "{path}");
        }
    }
}
