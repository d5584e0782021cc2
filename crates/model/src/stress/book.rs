//! The facts a simulation needs, read once from an arrangement ([`Book`]),
//! and the reverse stress test worked out on them.

use crate::facts::derived::liquid_pct_by;
use crate::facts::ladder::rung_of;
use crate::facts::{Entry, Facts};
use usd1eval_format::{fact, table};

use super::names::{is_gsib, words};
use super::scenario;

/// Asset classes that live on chain, which a channel paying in kind hands
/// over as they are.
const ON_CHAIN_CLASSES: &[&str] = &[
    "crypto",
    "stablecoin",
    "liquidity-pool-token",
    "liquid-staking-token",
];

/// The facts a simulation needs, read once.
#[derive(Debug)]
pub(super) struct Book<'f> {
    pub(super) outstanding: f64,
    pub(super) reserves: f64,
    pub(super) assets: &'f [Entry],
    pub(super) custodians: Vec<CustodianFact<'f>>,
    /// (name, supply_usd) of each chain with a declared supply.
    pub(super) chains: Vec<(&'f str, f64)>,
    /// Business days from a request to its payment (`redemption.settlement_days`, else 1).
    pub(super) settlement_days: u32,
    /// The maturity, in days, of rate-sensitive assets that declare none:
    /// `reserves.weighted_avg_maturity_days` ÷ their share of the reserves,
    /// when the average is declared (the other assets mature in a day or
    /// less, so the average is nearly all theirs).
    pub(super) rate_maturity_days: Option<f64>,
    /// A redemption channel pays out the on-chain collateral itself.
    pub(super) in_kind: bool,
}

#[derive(Debug)]
pub(super) struct CustodianFact<'f> {
    pub(super) name: &'f str,
    /// The name as names are compared ([`words`]).
    pub(super) words: String,
    /// On the G-SIB list, which a hypothetical bank failure spares: asked
    /// once per file, not once per scenario.
    pub(super) gsib: bool,
    pub(super) kind: Option<&'f str>,
    pub(super) country: Option<&'f str>,
    pub(super) share_pct: f64,
}

impl<'f> Book<'f> {
    pub(super) fn of(facts: &'f Facts) -> Result<Self, &'static str> {
        let outstanding = facts
            .number(fact!("supply.outstanding_usd"))
            .filter(|o| *o > 0.0)
            .ok_or("supply.outstanding_usd (above 0)")?;
        let reserves = facts
            .number(fact!("reserves.total_usd"))
            .ok_or("reserves.total_usd")?;
        let assets = facts.entries(table!("reserves.asset"));
        if assets.is_empty() {
            return Err("[[reserves.asset]]");
        }
        if assets
            .iter()
            .any(|a| a.number(fact!("reserves.asset[].share_pct")).is_none())
        {
            return Err("the share_pct of every [[reserves.asset]]");
        }
        let custodians = facts
            .entries(table!("reserves.custodian"))
            .iter()
            .filter_map(|c| {
                let name = c.text(fact!("reserves.custodian[].name")).unwrap_or("");
                let words = words(name);
                Some(CustodianFact {
                    name,
                    gsib: is_gsib(&words),
                    words,
                    kind: c.text(fact!("reserves.custodian[].kind")),
                    country: c.text(fact!("reserves.custodian[].country")),
                    share_pct: c.number(fact!("reserves.custodian[].share_pct"))?,
                })
            })
            .collect();
        let chains = facts
            .entries(table!("chain"))
            .iter()
            .filter_map(|c| {
                Some((
                    c.text(fact!("chain[].name")).unwrap_or(""),
                    c.number(fact!("chain[].supply_usd"))?,
                ))
            })
            .collect();
        // Undeclared, a redemption is taken to settle the next business day,
        // the settlement cycle of the Treasury market most reserves sell into.
        let settlement_days = facts
            .number(fact!("redemption.settlement_days"))
            .map_or(1, |d| {
                d.ceil().clamp(0.0, f64::from(scenario::MAX_DAYS)) as u32
            });
        let rate_sensitive_pct: f64 = assets
            .iter()
            .filter(|a| {
                a.text(fact!("reserves.asset[].class"))
                    .and_then(rung_of)
                    .is_some_and(|r| r.assumed_maturity_days.is_some())
            })
            .filter_map(|a| a.number(fact!("reserves.asset[].share_pct")))
            .sum();
        let rate_maturity_days = facts
            .number(fact!("reserves.weighted_avg_maturity_days"))
            .filter(|_| rate_sensitive_pct > 0.0)
            .map(|wam| wam / (rate_sensitive_pct / 100.0));
        let in_kind = facts
            .entries(table!("redemption.channel"))
            .iter()
            .any(|c| c.bool(fact!("redemption.channel[].pays_in_kind")) == Some(true));
        Ok(Book {
            outstanding,
            reserves,
            assets,
            custodians,
            chains,
            settlement_days,
            rate_maturity_days,
            in_kind,
        })
    }

    /// The over-collateral: what can be lost for good before a holder is;
    /// negative when the reserves start short of the units.
    pub(super) fn buffer(&self) -> f64 {
        self.reserves - self.outstanding
    }

    /// Whether an asset of this class is handed over in kind.
    pub(super) fn pays_in_kind(&self, class: &str) -> bool {
        self.in_kind && ON_CHAIN_CLASSES.contains(&class)
    }

    /// The reverse stress test by business day `day`: the ladder, except that
    /// collateral paid out in kind counts in full from day 0.
    pub(super) fn max_redeemable_pct(&self, day: u32) -> f64 {
        let (in_kind, sold): (Vec<&Entry>, Vec<&Entry>) = self.assets.iter().partition(|a| {
            a.text(fact!("reserves.asset[].class"))
                .is_some_and(|c| self.pays_in_kind(c))
        });
        let in_kind_pct: f64 = in_kind
            .iter()
            .filter_map(|a| a.number(fact!("reserves.asset[].share_pct")))
            .sum();
        let dollars = self.reserves * (in_kind_pct + liquid_pct_by(sold, day)) / 100.0;
        // Printed through `number`, which never writes a negative zero.
        (dollars / self.outstanding * 100.0).clamp(0.0, 100.0)
    }
}
