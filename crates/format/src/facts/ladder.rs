//! The liquidity ladder: for each reserve asset class, the business day a
//! forced sale turns it into dollars, how its price moves with interest
//! rates, and which kind of custodian usually holds it. What a sale loses is
//! the loss model's ([`super::loss`]), the one table of haircuts.
//!
//! Declared once, here. The derived `liquid_t0/t1/t2_pct` figures, the stress
//! scenarios and the reverse stress test all read it through
//! `Rung::cash_fraction_by`, so "liquid by day N" means the same everywhere.
//! docs/stress.md is generated from this table, with the source of each number.

/// Who usually holds an asset class, so that a frozen custodian freezes the
/// assets it is most likely to hold first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// Cash and deposits sit at banks.
    Bank,
    /// Balances at the central bank are not held by any custodian of the file.
    CentralBank,
    /// Money market fund shares are held with the fund's manager.
    FundManager,
    /// Securities, repo, metals, crypto and loans sit with a custodian.
    Custody,
}

impl Holder {
    /// The holder a custodian of this `kind` (as the file declares it) is.
    pub fn of_custodian_kind(kind: Option<&str>) -> Option<Holder> {
        match kind {
            Some("bank") => Some(Holder::Bank),
            Some("mmf-manager") => Some(Holder::FundManager),
            Some("trust-company" | "custodian" | "broker-dealer") => Some(Holder::Custody),
            _ => None,
        }
    }
}

/// One rung of the ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rung {
    /// The asset class (format 1's `reserves.asset[].class`).
    pub class: &'static str,
    /// Business day (0 = the day of the request) by which a sale settles in
    /// dollars; `None` when it cannot be sold within the stress horizon.
    pub sale_day: Option<u32>,
    /// Remaining maturity assumed for a rate shock when the file declares no
    /// `max_maturity_days`; `None` when the price does not move with rates.
    pub assumed_maturity_days: Option<f64>,
    /// Who usually holds it.
    pub holder: Holder,
    /// Why the class sits on this rung, in words.
    pub why: &'static str,
    /// Where the day, the haircut and the maturity come from.
    pub source: &'static str,
}

/// The document every `BCBS LCR` in [`LADDER`] refers to.
pub const LCR_SOURCE: &str = "BCBS, Basel III: The Liquidity Coverage Ratio and liquidity risk monitoring tools (January 2013)";

/// Every asset class of format 1, most liquid first.
pub static LADDER: &[Rung] = &[
    Rung {
        class: "cash",
        sale_day: Some(0),
        assumed_maturity_days: None,
        holder: Holder::Bank,
        why: "already dollars",
        source: "dollars already",
    },
    Rung {
        class: "central-bank-balance",
        sale_day: Some(0),
        assumed_maturity_days: None,
        holder: Holder::CentralBank,
        why: "moves over the central bank's own rails the same day",
        source: "moved over the central bank's own payment system the same day",
    },
    Rung {
        class: "bank-deposit",
        sale_day: Some(0),
        assumed_maturity_days: None,
        holder: Holder::Bank,
        why: "a demand deposit is wired out the same day, while the bank is open",
        source: "a demand deposit is wired out the same day while the bank is open (Fedwire Funds takes customer transfers until 6:45 p.m. ET)",
    },
    Rung {
        class: "overnight-repo",
        sale_day: Some(0),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "the book lent last night matures this morning: not rolling it over leaves its cash in hand the same day",
        source: "contract term: an overnight repo matures the next business day (Federal Reserve Bank of Dallas), so a book rolled daily returns its cash every morning; Treasury collateral is a Level 1 asset: BCBS LCR ¶50(c)",
    },
    Rung {
        class: "gov-mmf",
        sale_day: Some(0),
        assumed_maturity_days: None,
        holder: Holder::FundManager,
        why: "government funds redeem at a stable value, wired the same day for orders before the fund's cut-off, with no liquidity fee",
        source: "money market fund redemptions settle T+0 or T+1 by the fund's terms (same day before the cut-off, by Fedwire, which closes at 7 p.m. ET); SEC money market fund reforms, 12 July 2023 (Rule 2a-7): government funds exempt from liquidity fees",
    },
    Rung {
        class: "tbill",
        sale_day: Some(1),
        assumed_maturity_days: Some(365.0),
        holder: Holder::Custody,
        why: "the deepest market; a sale settles the next business day",
        source: "T+1 regular-way Treasury settlement; bills run at most 52 weeks",
    },
    Rung {
        class: "treasury-coupon",
        sale_day: Some(1),
        assumed_maturity_days: Some(1826.0),
        holder: Holder::Custody,
        why: "liquid and settles the next business day; its price risk is the rate shock's",
        source: "T+1 regular-way Treasury settlement; maturity assumed 5 years, the middle of the 2–10 year note range",
    },
    Rung {
        class: "prime-mmf",
        sale_day: Some(1),
        assumed_maturity_days: None,
        holder: Holder::FundManager,
        why: "a prime fund may charge a liquidity fee on redemptions in stress",
        source: "a fund redemption settling by the next business day",
    },
    Rung {
        class: "crypto",
        sale_day: Some(1),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "trades around the clock, but order books empty in a crash",
        source: "sold on venues open around the clock; dollars arrive by bank wire the next business day",
    },
    Rung {
        class: "stablecoin",
        sale_day: Some(1),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "redeemed with its issuer or swapped on-chain, but it can trade below par when its own reserves are in doubt",
        source: "redeemed with its issuer or swapped on chain; dollars by bank wire the next business day",
    },
    Rung {
        class: "liquidity-pool-token",
        sale_day: Some(1),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "withdrawn from the pool at once, but what comes out is priced like crypto",
        source: "withdrawn and sold like crypto; dollars the next business day",
    },
    Rung {
        class: "liquid-staking-token",
        sale_day: Some(1),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "unstaking takes days, and on markets it trades at a discount to the staked asset in a crash",
        source: "withdrawn and sold like crypto; dollars the next business day",
    },
    Rung {
        class: "commercial-paper",
        sale_day: Some(2),
        assumed_maturity_days: Some(270.0),
        holder: Holder::Custody,
        why: "the secondary market thins out in stress; a sale takes a dealer and a settlement day",
        source: "a dealer trade settling T+2 in stress; at most 270 days under Securities Act §3(a)(3)",
    },
    Rung {
        class: "corporate-bond",
        sale_day: Some(2),
        assumed_maturity_days: Some(1826.0),
        holder: Holder::Custody,
        why: "credit spreads widen when everyone sells",
        source: "a dealer trade settling T+2 in stress; maturity assumed 5 years",
    },
    Rung {
        class: "precious-metal",
        sale_day: Some(2),
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "sale and delivery take time, and metals were sold for cash in the March 2020 rush",
        source: "a sale and its delivery take a dealer and two business days",
    },
    Rung {
        class: "term-repo",
        sale_day: None,
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "locked until maturity; counted from its max_maturity_days when declared",
        source: "contract term: cash returns at maturity, not before",
    },
    Rung {
        class: "secured-loan",
        sale_day: None,
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "cannot be called or sold within days; counted from its max_maturity_days when declared",
        source: "a loan is repaid at its term and has no market for a quick sale",
    },
    Rung {
        class: "derivative-hedge",
        sale_day: None,
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "a hedge offsets the price of other reserves; closing it pays out only its margin, not the reserves' value",
        source: "closing a hedge pays out only its margin",
    },
    Rung {
        class: "insurance-fund",
        sale_day: None,
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "set aside for losses, of undeclared composition: not counted as liquid",
        source: "nothing is known of its assets",
    },
    Rung {
        class: "other",
        sale_day: None,
        assumed_maturity_days: None,
        holder: Holder::Custody,
        why: "unknown assets are not counted as liquid",
        source: "nothing is known of them",
    },
];

impl Rung {
    /// The fraction of a position's value that is dollars by business day
    /// `day`, or `None` when none of it is. A position whose declared
    /// `max_maturity_days` has passed by then has matured and pays at par
    /// (maturities are calendar days, never fewer than business days, so this
    /// errs late); otherwise it is sold, from its sale day, at its haircut.
    pub(crate) fn cash_fraction_by(&self, max_maturity_days: Option<f64>, day: u32) -> Option<f64> {
        if self.matured_by(max_maturity_days, day) {
            return Some(1.0);
        }
        self.sale_day
            .filter(|sale| *sale <= day)
            .map(|_| 1.0 - self.sale_haircut())
    }

    /// What a forced sale loses (a fraction), from the loss model.
    pub fn sale_haircut(&self) -> f64 {
        super::loss::haircut_of(self.class).map_or(0.0, |h| h.sale())
    }

    /// True when a declared maturity has passed by business day `day`.
    pub fn matured_by(&self, max_maturity_days: Option<f64>, day: u32) -> bool {
        max_maturity_days.is_some_and(|m| m.ceil() <= f64::from(day))
    }

    /// The years of rate sensitivity: the maturity given (declared, or
    /// estimated from the reserves' weighted average maturity), else the
    /// assumed one, never more than the assumed one when estimated; zero for
    /// classes whose price does not move with rates. A position is treated
    /// as a zero-coupon bond, whose duration is its maturity (a coupon bond's
    /// is shorter, so this errs on the side of loss).
    pub fn rate_years(&self, maturity_days: Option<f64>) -> f64 {
        match self.assumed_maturity_days {
            Some(assumed) => maturity_days.unwrap_or(assumed) / 365.0,
            None => 0.0,
        }
    }
}

/// The ladder rung of an asset class.
pub fn rung_of(class: &str) -> Option<&'static Rung> {
    LADDER.iter().find(|r| r.class == class)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rung(class: &str) -> &'static Rung {
        rung_of(class).unwrap()
    }

    #[test]
    fn every_asset_class_has_one_rung_with_a_source() {
        for class in crate::facts::schema::ASSET_CLASSES {
            assert_eq!(
                LADDER.iter().filter(|r| r.class == *class).count(),
                1,
                "{class}"
            );
        }
        assert_eq!(LADDER.len(), crate::facts::schema::ASSET_CLASSES.len());
        for r in LADDER {
            assert!(!r.source.is_empty() && !r.why.is_empty(), "{}", r.class);
        }
    }

    // One test per rung: its day, its haircut, its rate sensitivity.

    #[test]
    fn cash_is_dollars_on_day_zero() {
        assert_eq!(rung("cash").cash_fraction_by(None, 0), Some(1.0));
        assert_eq!(rung("cash").rate_years(None), 0.0);
    }

    #[test]
    fn central_bank_balance_is_dollars_on_day_zero() {
        assert_eq!(
            rung("central-bank-balance").cash_fraction_by(None, 0),
            Some(1.0)
        );
        assert_eq!(rung("central-bank-balance").holder, Holder::CentralBank);
    }

    #[test]
    fn bank_deposit_is_dollars_on_day_zero_and_sits_at_a_bank() {
        assert_eq!(rung("bank-deposit").cash_fraction_by(None, 0), Some(1.0));
        assert_eq!(rung("bank-deposit").holder, Holder::Bank);
    }

    #[test]
    fn overnight_repo_returns_cash_the_same_day() {
        let r = rung("overnight-repo");
        assert_eq!(r.cash_fraction_by(None, 0), Some(1.0));
    }

    #[test]
    fn government_funds_redeem_the_same_day_without_a_fee() {
        let r = rung("gov-mmf");
        assert_eq!(r.cash_fraction_by(None, 0), Some(1.0));
    }

    #[test]
    fn tbills_settle_on_day_one_and_carry_rate_risk() {
        let r = rung("tbill");
        assert_eq!(r.cash_fraction_by(None, 0), None);
        assert_eq!(r.cash_fraction_by(None, 1), Some(1.0));
        assert!((r.rate_years(None) - 1.0).abs() < 1e-9);
        assert!((r.rate_years(Some(73.0)) - 0.2).abs() < 1e-9);
    }

    #[test]
    fn treasury_coupons_settle_on_day_one_with_five_years_of_rate_risk() {
        let r = rung("treasury-coupon");
        assert_eq!(r.cash_fraction_by(None, 1), Some(1.0));
        assert!((r.rate_years(None) - 1826.0 / 365.0).abs() < 1e-9);
    }

    #[test]
    fn prime_funds_may_charge_a_fee() {
        assert_eq!(rung("prime-mmf").cash_fraction_by(None, 1), Some(0.98));
    }

    #[test]
    fn crypto_sells_next_day_at_the_loss_models_haircut() {
        assert_eq!(rung("crypto").cash_fraction_by(None, 0), None);
        assert!((rung("crypto").cash_fraction_by(None, 1).unwrap() - 0.57).abs() < 1e-12);
    }

    #[test]
    fn commercial_paper_sells_on_day_two_at_a_level_2a_haircut() {
        let r = rung("commercial-paper");
        assert_eq!(r.cash_fraction_by(None, 1), None);
        assert_eq!(r.cash_fraction_by(None, 2), Some(0.85));
    }

    #[test]
    fn corporate_bonds_sell_on_day_two_at_a_level_2a_haircut() {
        assert_eq!(rung("corporate-bond").cash_fraction_by(None, 2), Some(0.85));
    }

    #[test]
    fn precious_metals_sell_on_day_two() {
        assert!((rung("precious-metal").cash_fraction_by(None, 2).unwrap() - 0.89).abs() < 1e-12);
    }

    #[test]
    fn term_repo_counts_only_from_its_maturity() {
        let r = rung("term-repo");
        assert_eq!(r.cash_fraction_by(None, 5), None);
        assert_eq!(r.cash_fraction_by(Some(2.0), 1), None);
        assert_eq!(r.cash_fraction_by(Some(2.0), 2), Some(1.0));
    }

    #[test]
    fn secured_loans_and_unknown_assets_never_count() {
        assert_eq!(rung("secured-loan").cash_fraction_by(None, 30), None);
        assert_eq!(rung("other").cash_fraction_by(None, 30), None);
    }

    #[test]
    fn a_matured_position_pays_at_par_before_its_sale_day() {
        // Commercial paper maturing tomorrow is cash at par tomorrow, with no haircut.
        assert_eq!(
            rung("commercial-paper").cash_fraction_by(Some(1.0), 1),
            Some(1.0)
        );
    }
}
