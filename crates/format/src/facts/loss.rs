//! The loss model: what each reserve asset class loses in stress, counted
//! once. Declared as data in `rubrics/loss.toml`, with a source per number.
//!
//! One table serves the derived figures (`stressed_coverage_ratio`,
//! `volatile_beyond_buffer_pct`), the caps and penalties that read them, and
//! the stress simulator: the market shock marks each class down by its
//! `market` haircut once, and a forced sale loses the larger of that and the
//! `sale` haircut, never their sum. docs/stress.md is generated from it.

use std::sync::LazyLock;

use crate::source::{Diagnostic, SourceFile};
use crate::table::read_file;

/// The built-in loss model, as written.
pub(crate) const LOSS_TOML: &str = include_str!("../../../../rubrics/loss.toml");

/// One asset class's haircuts.
#[derive(Debug, Clone, PartialEq)]
pub struct Haircut {
    /// The asset class it applies to.
    pub class: String,
    /// Fall in market value in a crisis like the worst of record (%).
    pub market_pct: f64,
    /// What a forced sale loses below the market price when no crisis has
    /// marked the asset down already (%).
    pub sale_pct: f64,
    /// Where the numbers come from.
    pub source: String,
}

impl Haircut {
    /// The crisis haircut as a fraction (0.43 = 43 %).
    pub fn market(&self) -> f64 {
        self.market_pct / 100.0
    }

    /// The forced-sale haircut as a fraction.
    pub fn sale(&self) -> f64 {
        self.sale_pct / 100.0
    }
}

/// Reads a loss model written as `rubrics/loss.toml` is, with the reader
/// every other rubric file goes through: the haircuts in the file's order, or
/// every problem at its place.
fn read_loss_model(text: &str) -> Result<Vec<Haircut>, Vec<Diagnostic>> {
    let file = SourceFile::new("rubrics/loss.toml", text);
    read_file(
        &file,
        "loss model",
        "the loss model",
        "see rubrics/loss.toml: each [[haircut]] has class, market_pct, sale_pct and source",
        |r, t| {
            t.tables(r, "haircut", "[[haircut]]", |r, t| {
                let class = t.required(r, "class");
                let market_pct = t.required(r, "market_pct");
                let sale_pct = t.required(r, "sale_pct");
                let source = t.required(r, "source");
                Some(Haircut {
                    class: class?,
                    market_pct: market_pct?,
                    sale_pct: sale_pct?,
                    source: source?,
                })
            })
            .into_iter()
            .map(|at| at.value)
            .collect()
        },
    )
}

/// Every asset class's haircuts, in the file's order. The built-in file is
/// part of the program; a test proves that it reads without a problem and
/// names every asset class of format 1 exactly once, so this list is never
/// empty in a release.
pub fn haircuts() -> &'static [Haircut] {
    static PARSED: LazyLock<Vec<Haircut>> =
        LazyLock::new(|| read_loss_model(LOSS_TOML).unwrap_or_default());
    &PARSED
}

/// The haircuts of an asset class; none for a class the model does not know
/// (a test proves there is none).
pub fn haircut_of(class: &str) -> Option<&'static Haircut> {
    haircuts().iter().find(|h| h.class == class)
}

/// The fraction of a position's marked value a sale raises, when the market
/// has already taken `shock` (a fraction of the value before any shock) off
/// it: a sale in a crisis loses the larger of the crisis and the sale
/// haircut, never both.
pub fn sale_proceeds(haircut: &Haircut, shock: f64) -> f64 {
    let total = haircut.sale().max(shock);
    if shock >= 1.0 {
        0.0
    } else {
        ((1.0 - total) / (1.0 - shock)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_class_has_one_haircut_with_a_source() {
        let parsed = read_loss_model(LOSS_TOML).unwrap();
        assert_eq!(parsed.len(), haircuts().len());
        for class in crate::facts::schema::ASSET_CLASSES {
            assert_eq!(
                haircuts().iter().filter(|h| h.class == *class).count(),
                1,
                "{class}"
            );
        }
        assert_eq!(haircuts().len(), crate::facts::schema::ASSET_CLASSES.len());
        for h in haircuts() {
            assert!(!h.source.trim().is_empty(), "{}", h.class);
            assert!((0.0..100.0).contains(&h.market_pct), "{}", h.class);
            assert!((0.0..100.0).contains(&h.sale_pct), "{}", h.class);
        }
    }

    #[test]
    fn a_loss_model_with_a_misspelt_or_missing_key_is_refused_at_its_place() {
        let errors = read_loss_model(
            "[[haircut]]\nclass = \"cash\"\nmarket_pct = 0\nsale_pc = 0\nsource = \"x\"\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 2, "{text:#?}");
        assert!(
            text[0].contains("missing key `sale_pct` in [[haircut]]"),
            "{text:#?}"
        );
        assert!(text[1].contains("unknown key `sale_pc`"), "{text:#?}");
        assert!(text[1].contains("did you mean `sale_pct`?"), "{text:#?}");
        assert_eq!(errors[1].line, 4);
    }

    #[test]
    fn a_sale_in_a_crisis_loses_the_larger_haircut_not_both() {
        let crypto = haircut_of("crypto").unwrap();
        // Marked down 43 % by the crisis, sold at that price: no more loss.
        assert_eq!(sale_proceeds(crypto, crypto.market()), 1.0);
        // Sold with no crisis: the sale haircut.
        assert!((sale_proceeds(crypto, 0.0) - 0.57).abs() < 1e-12);
        // Corporate bonds: the crisis takes 10 %, a sale 15 % of the value
        // before the shock, so 5.56 % more of the marked value.
        let bond = haircut_of("corporate-bond").unwrap();
        assert!((sale_proceeds(bond, 0.10) - 0.85 / 0.90).abs() < 1e-12);
    }

    #[test]
    fn government_paper_and_cash_lose_nothing() {
        for class in ["cash", "tbill", "gov-mmf", "overnight-repo", "bank-deposit"] {
            let h = haircut_of(class).unwrap();
            assert_eq!((h.market_pct, h.sale_pct), (0.0, 0.0), "{class}");
        }
    }
}
