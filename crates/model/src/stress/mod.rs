//! Stress: the declared reserves run through redemption runs, frozen
//! custodians, price and rate shocks and chain outages, business day by
//! business day, plus a reverse stress test.
//!
//! Pure: (facts, scenarios) → results, no I/O and no clock. Scenarios are data
//! ([`scenario`]); how fast each asset becomes dollars and what a forced sale
//! loses is the liquidity ladder ([`crate::facts::ladder`]), the same one the
//! derived `liquid_tN_pct` figures use. The model and every formula are in
//! docs/stress.md.

pub mod scenario;

use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use crate::facts::derived::{DerivedSpec, liquid_pct_by};
use crate::facts::ladder::{Holder, Rung, rung_of};
use crate::facts::loss::{Haircut, haircut_of, sale_proceeds};
use crate::facts::schema::{Kind, Unit};
use crate::facts::{Derived, Entry, Facts, Value};
use crate::number::usd;
use scenario::{Chain, Custodians};
pub use scenario::{Scenario, builtin_scenarios, load_scenario};

/// What the stress tests found for one arrangement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct StressReport {
    /// Each scenario's outcome, in the order the scenarios were given.
    pub scenarios: Vec<ScenarioResult>,
    /// The reverse stress test.
    pub max_redeemable_pct: MaxRedeemable,
}

/// The reverse stress test: the largest share (%) of units outstanding the
/// arrangement can pay at par by business day 0, 1 and 5, with no shock but
/// the ladder's own haircuts. Null when the facts it needs are not disclosed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, JsonSchema)]
pub struct MaxRedeemable {
    /// The largest share (%) payable at par on business day 0.
    #[serde(serialize_with = "round1_opt")]
    pub t0: Option<f64>,
    /// The largest share (%) payable at par by business day 1.
    #[serde(serialize_with = "round1_opt")]
    pub t1: Option<f64>,
    /// The largest share (%) payable at par by business day 5.
    #[serde(serialize_with = "round1_opt")]
    pub t5: Option<f64>,
}

/// One scenario's outcome. The figures are null when the scenario cannot be
/// run on the declared facts; `why` then says which are missing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioResult {
    /// The scenario's id.
    pub id: String,
    /// The scenario's title.
    pub title: String,
    /// Every redemption is paid when due, and what is lost for good stays
    /// within the over-collateral buffer. Reserves out of reach for a while
    /// (a coverage gap) do not fail it: see `gap_days`.
    pub survives: Option<bool>,
    /// The largest, on any day, of redemptions due and unpaid and of the loss
    /// beyond the buffer; 0 when it survives.
    #[serde(serialize_with = "round0_opt")]
    pub shortfall_usd: Option<f64>,
    /// The first business day with redemptions unpaid or a loss beyond the
    /// buffer; null when there is none.
    pub first_shortfall_day: Option<u32>,
    /// The lowest, over the days, of reachable marked reserves ÷ units outstanding.
    #[serde(serialize_with = "round4_opt")]
    pub min_coverage_ratio: Option<f64>,
    /// The largest amount of redemptions due and not paid, on any day.
    #[serde(serialize_with = "round0_opt")]
    pub unpaid_usd: Option<f64>,
    /// Business days on which the reserves within reach are below the units
    /// outstanding (a coverage gap: the units may trade below par meanwhile).
    pub gap_days: Option<u32>,
    /// Reserves lost for good: price shocks, a failed custodian's loss, and
    /// what forced sales realised below par.
    #[serde(serialize_with = "round0_opt")]
    pub loss_usd: Option<f64>,
    /// The largest share (%) of units outstanding that cannot be redeemed
    /// because its chain is down; null when no chain goes down.
    #[serde(serialize_with = "round1_opt")]
    pub stranded_pct: Option<f64>,
    /// One sentence: whether holders were paid, whether coverage fell below
    /// the units, whether anything was lost, and why.
    pub why: String,
    /// Demand against reachable liquidity, day by day: drawn by the HTML
    /// scorecard and printed by `stress --format json` and `stress --days`,
    /// but left out of the score report, which a batch writes thousands of
    /// times.
    #[serde(skip)]
    pub days: Vec<Day>,
}

impl ScenarioResult {
    /// The result of a scenario that needs a fact the file does not declare.
    fn not_run(scenario: &Scenario, missing: &str) -> Self {
        ScenarioResult {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            survives: None,
            shortfall_usd: None,
            first_shortfall_day: None,
            min_coverage_ratio: None,
            unpaid_usd: None,
            gap_days: None,
            loss_usd: None,
            stranded_pct: None,
            why: format!("Cannot be run: {missing} is not disclosed."),
            days: Vec::new(),
        }
    }

    /// What happened, in words: holders unpaid, a coverage gap, a loss for
    /// good, or none of them. Tables and HTML show it beside the verdict.
    pub fn outcome(&self) -> &'static str {
        let unpaid = self.unpaid_usd.is_some_and(|u| u > 0.5);
        let lost = self.loss_usd.is_some_and(|l| l > 0.5);
        match (self.survives, self.gap_days) {
            (None, _) => "not run",
            (Some(false), _) if unpaid => "redemptions unpaid",
            (Some(false), _) if lost => "loss beyond the buffer",
            // Nothing unpaid and nothing lost: the reserves started short.
            (Some(false), _) => "reserves short of units",
            (Some(true), Some(g)) if g > 0 => "paid; coverage gap",
            (Some(true), _) => "paid",
        }
    }
}

/// One business day of a scenario, after that day's payments.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Day {
    /// The business day, counted from 0.
    pub day: u32,
    /// The calendar date of this business day, for a replay that starts on
    /// a real date; absent for a hypothetical.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "date_opt")]
    #[schemars(with = "Option<String>")]
    pub date: Option<chrono::NaiveDate>,
    /// Redemptions due by this day, cumulative.
    #[serde(serialize_with = "round0")]
    pub due_usd: f64,
    /// Redemptions paid by this day, cumulative.
    #[serde(serialize_with = "round0")]
    pub paid_usd: f64,
    /// Dollars that could have been raised by this day: paid plus what
    /// reachable assets would still fetch today.
    #[serde(serialize_with = "round0")]
    pub liquid_usd: f64,
    /// Reachable reserves left, at market value after the shocks.
    #[serde(serialize_with = "round0")]
    pub reachable_usd: f64,
    /// Units still outstanding.
    #[serde(serialize_with = "round0")]
    pub outstanding_usd: f64,
    /// Reserves lost for good so far.
    #[serde(serialize_with = "round0")]
    pub lost_usd: f64,
}

fn round_opt<S: Serializer>(n: &Option<f64>, s: S, decimals: i32) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => crate::number::number_json(*n, decimals).serialize(s),
        None => s.serialize_none(),
    }
}

/// A date as the JSON writes one, `YYYY-MM-DD`: formatted only when written,
/// never for a score report, which leaves the days out.
fn date_opt<S: Serializer>(d: &Option<chrono::NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

fn round0<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::number::number_json(*n, 0).serialize(s)
}

fn round0_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 0)
}

fn round1_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 1)
}

fn round4_opt<S: Serializer>(n: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    round_opt(n, s, 4)
}

/// Runs every scenario and the reverse stress test on one arrangement.
pub fn run(facts: &Facts, scenarios: &[Scenario]) -> StressReport {
    let book = Book::of(facts);
    StressReport {
        scenarios: scenarios
            .iter()
            .map(|s| match &book {
                Ok(book) => simulate(book, s),
                Err(missing) => ScenarioResult::not_run(s, missing),
            })
            .collect(),
        max_redeemable_pct: match &book {
            Ok(book) => MaxRedeemable {
                t0: Some(book.max_redeemable_pct(0)),
                t1: Some(book.max_redeemable_pct(1)),
                t5: Some(book.max_redeemable_pct(5)),
            },
            Err(_) => MaxRedeemable::default(),
        },
    }
}

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
struct Book<'f> {
    outstanding: f64,
    reserves: f64,
    assets: &'f [Entry],
    custodians: Vec<CustodianFact<'f>>,
    /// (name, supply_usd) of each chain with a declared supply.
    chains: Vec<(&'f str, f64)>,
    /// Business days from a request to its payment (`redemption.settlement_days`, else 1).
    settlement_days: u32,
    /// The maturity, in days, of rate-sensitive assets that declare none:
    /// `reserves.weighted_avg_maturity_days` ÷ their share of the reserves,
    /// when the average is declared (the other assets mature in a day or
    /// less, so the average is nearly all theirs).
    rate_maturity_days: Option<f64>,
    /// A redemption channel pays out the on-chain collateral itself.
    in_kind: bool,
}

#[derive(Debug)]
struct CustodianFact<'f> {
    name: &'f str,
    /// The name as names are compared ([`words`]).
    words: String,
    kind: Option<&'f str>,
    country: Option<&'f str>,
    share_pct: f64,
}

impl<'f> Book<'f> {
    fn of(facts: &'f Facts) -> Result<Self, &'static str> {
        let outstanding = facts
            .number("supply", "outstanding_usd")
            .filter(|o| *o > 0.0)
            .ok_or("supply.outstanding_usd (above 0)")?;
        let reserves = facts
            .number("reserves", "total_usd")
            .ok_or("reserves.total_usd")?;
        let assets = facts.entries("reserves.asset");
        if assets.is_empty() {
            return Err("[[reserves.asset]]");
        }
        if assets.iter().any(|a| a.number("share_pct").is_none()) {
            return Err("the share_pct of every [[reserves.asset]]");
        }
        let custodians = facts
            .entries("reserves.custodian")
            .iter()
            .filter_map(|c| {
                let name = c.text("name").unwrap_or("");
                Some(CustodianFact {
                    name,
                    words: words(name),
                    kind: c.text("kind"),
                    country: c.text("country"),
                    share_pct: c.number("share_pct")?,
                })
            })
            .collect();
        let chains = facts
            .entries("chain")
            .iter()
            .filter_map(|c| Some((c.text("name").unwrap_or(""), c.number("supply_usd")?)))
            .collect();
        // Undeclared, a redemption is taken to settle the next business day,
        // the settlement cycle of the Treasury market most reserves sell into.
        let settlement_days = facts
            .number("redemption", "settlement_days")
            .map_or(1, |d| {
                d.ceil().clamp(0.0, f64::from(scenario::MAX_DAYS)) as u32
            });
        let rate_sensitive_pct: f64 = assets
            .iter()
            .filter(|a| {
                a.text("class")
                    .and_then(rung_of)
                    .is_some_and(|r| r.assumed_maturity_days.is_some())
            })
            .filter_map(|a| a.number("share_pct"))
            .sum();
        let rate_maturity_days = facts
            .number("reserves", "weighted_avg_maturity_days")
            .filter(|_| rate_sensitive_pct > 0.0)
            .map(|wam| wam / (rate_sensitive_pct / 100.0));
        let in_kind = facts
            .entries("redemption.channel")
            .iter()
            .any(|c| c.bool("pays_in_kind") == Some(true));
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
    fn buffer(&self) -> f64 {
        self.reserves - self.outstanding
    }

    /// Whether an asset of this class is handed over in kind.
    fn pays_in_kind(&self, class: &str) -> bool {
        self.in_kind && ON_CHAIN_CLASSES.contains(&class)
    }

    /// The reverse stress test by business day `day`: the ladder, except that
    /// collateral paid out in kind counts in full from day 0.
    fn max_redeemable_pct(&self, day: u32) -> f64 {
        let (in_kind, sold): (Vec<&Entry>, Vec<&Entry>) = self
            .assets
            .iter()
            .partition(|a| a.text("class").is_some_and(|c| self.pays_in_kind(c)));
        let in_kind_pct: f64 = in_kind.iter().filter_map(|a| a.number("share_pct")).sum();
        let dollars = self.reserves * (in_kind_pct + liquid_pct_by(sold, day)) / 100.0;
        // Printed through `number`, which never writes a negative zero.
        (dollars / self.outstanding * 100.0).clamp(0.0, 100.0)
    }
}

/// A name in the form names are compared in: lower case, punctuation as
/// spaces, one space between words and one at each end (" signature bank ").
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push(' ');
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Two names in [`words`] form for one institution: equal, or one contains
/// the other as whole words.
fn same_words(a: &str, b: &str) -> bool {
    a.trim().len() > 1 && b.trim().len() > 1 && (a.contains(b) || b.contains(a))
}

/// Two names for one institution: equal, or one contains the other as whole
/// words, once case and punctuation are set aside ("Signature Bank" and
/// "Signature Bank, N.A."; "ING" but not "Banking Corp"). Looser than
/// `facts::derived::same_party` on purpose: a replay must find the bank it
/// names, short names included.
pub fn names_match(a: &str, b: &str) -> bool {
    same_words(&words(a), &words(b))
}

/// Whether a custodian (its name in [`words`] form) is on the list of global
/// systemically important banks, whose names are put in that form once.
fn is_gsib(name_words: &str) -> bool {
    static GSIB: LazyLock<Vec<String>> =
        LazyLock::new(|| scenario::gsib().names.iter().map(|g| words(g)).collect());
    GSIB.iter().any(|g| same_words(name_words, g))
}

/// A piece of one reserve asset: what is left of it, and until when it is
/// out of reach.
#[derive(Debug, Clone)]
struct Slice {
    rung: &'static Rung,
    haircut: &'static Haircut,
    /// Position of the rung in the ladder: the sale order's tie-break.
    rank: usize,
    max_maturity_days: Option<f64>,
    /// Value at par after any price shock and freeze loss, before the rate mark.
    par: f64,
    /// The fraction of its value the price shock took (0–1).
    shock: f64,
    /// The fall in price a rate shock causes until maturity (0–1).
    rate_loss: f64,
    /// A temporary price below par (a stablecoin's) and the first business
    /// day it is back at par.
    repriced: Option<(f64, u32)>,
    /// Paid out as it is by a channel that pays in kind.
    in_kind: bool,
    /// First business day it can be reached again (0 = never frozen).
    frozen_until: u32,
}

impl Slice {
    /// The price factor of a temporary repricing on `day` (1 when none).
    fn reprice(&self, day: u32) -> f64 {
        match self.repriced {
            Some((price, until)) if day < until => price,
            _ => 1.0,
        }
    }

    fn mark(&self, day: u32) -> f64 {
        let rate = if self.rung.matured_by(self.max_maturity_days, day) {
            1.0
        } else {
            // A loss never takes a mark below nothing.
            (1.0 - self.rate_loss).max(0.0)
        };
        rate * self.reprice(day)
    }

    fn marked(&self, day: u32) -> f64 {
        self.par * self.mark(day)
    }

    fn reachable(&self, day: u32) -> bool {
        self.frozen_until <= day
    }

    /// Dollars per dollar of marked value if sold (or matured, or paid out in
    /// kind) by `day`. A sale while the price is down loses the larger of the
    /// shock and the sale haircut, never both.
    fn proceeds(&self, day: u32) -> Option<f64> {
        if !self.reachable(day) {
            return None;
        }
        if self.in_kind {
            return Some(1.0);
        }
        if self.rung.matured_by(self.max_maturity_days, day) {
            return Some(1.0);
        }
        let shock = 1.0 - (1.0 - self.shock) * self.reprice(day);
        self.rung
            .sale_day
            .filter(|sale| *sale <= day)
            .map(|_| sale_proceeds(self.haircut, shock))
    }
}

/// What the shocks did, for the sentence that explains a result.
#[derive(Debug, Default)]
struct Losses {
    price: f64,
    rate: f64,
    repriced: f64,
    frozen: f64,
    frozen_at: Vec<String>,
    freeze_lost: f64,
    /// Realised below par by forced sales (sale haircuts, and rate or
    /// reprice mark-downs of what was sold).
    sold_at_loss: f64,
    /// Freezes, reprices and outages that selected nothing, in words.
    unmatched: Vec<String>,
}

impl Losses {
    /// Everything lost for good so far.
    fn permanent(&self) -> f64 {
        self.price + self.freeze_lost + self.sold_at_loss
    }
}

fn simulate(book: &Book, scenario: &Scenario) -> ScenarioResult {
    let mut losses = Losses::default();
    let mut slices = shocked_slices(book, scenario, &mut losses);
    if let Err(missing) = freeze(book, scenario, &mut slices, &mut losses) {
        return ScenarioResult::not_run(scenario, missing);
    }
    let demand = match Demand::of(book, scenario, &mut losses.unmatched) {
        Ok(d) => d,
        Err(missing) => return ScenarioResult::not_run(scenario, missing),
    };

    let freeze_end = slices.iter().map(|s| s.frozen_until).max().unwrap_or(0);
    let reprice_end = slices
        .iter()
        .filter_map(|s| s.repriced.map(|(_, until)| until))
        .max()
        .unwrap_or(0);
    let horizon = demand
        .due
        .len()
        .max(freeze_end as usize + 1)
        .max(reprice_end as usize + 1)
        .max(1);
    let tolerance = book.outstanding * 1e-9;
    let buffer = book.buffer();
    let mut paid = 0.0;
    let mut due = 0.0;
    let mut days = Vec::with_capacity(horizon);
    let mut first_shortfall: Option<u32> = None;
    let mut first_unpaid: Option<(u32, f64, f64)> = None;
    let mut shortfall_usd: f64 = 0.0;
    let mut unpaid_usd: f64 = 0.0;
    let mut gap_days = 0u32;
    let mut min_coverage = f64::INFINITY;
    let mut order: Vec<(f64, usize, usize)> = Vec::with_capacity(slices.len());
    for day in 0..horizon as u32 {
        due += demand.due.get(day as usize).copied().unwrap_or(0.0);
        // Pay what is due: in kind first, then by selling what loses least
        // (and, among equals, in ladder order). One buffer serves every day.
        order.clear();
        order.extend(
            slices
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.proceeds(day).map(|f| (f, s.rank, i))),
        );
        order.sort_by(|(fa, ra, _), (fb, rb, _)| fb.total_cmp(fa).then(ra.cmp(rb)));
        for &(fraction, _, i) in &order {
            let owed = due - paid;
            if owed <= tolerance {
                break;
            }
            let Some(slice) = slices.get_mut(i) else {
                continue;
            };
            let mark = slice.mark(day);
            let take = owed.min(slice.par * mark * fraction);
            if fraction > 0.0 && mark > 0.0 {
                let par_sold = (take / fraction / mark).min(slice.par);
                // Whatever a dollar of par raised below a dollar is gone.
                losses.sold_at_loss += (par_sold - take).max(0.0);
                // Rounding must not leave a sold-out slice below nothing.
                slice.par = (slice.par - par_sold).max(0.0);
            }
            paid += take;
        }
        let reachable: f64 = slices
            .iter()
            .filter(|s| s.reachable(day))
            .map(|s| s.marked(day))
            .sum();
        let sellable: f64 = slices
            .iter()
            .filter_map(|s| s.proceeds(day).map(|f| s.marked(day) * f))
            .sum();
        let outstanding = book.outstanding - paid;
        let unpaid = (due - paid).max(0.0);
        let lost = losses.permanent();
        let beyond_buffer = (lost - buffer).max(0.0);
        if outstanding > tolerance {
            min_coverage = min_coverage.min(reachable / outstanding);
        }
        if outstanding - reachable > tolerance {
            gap_days += 1;
        }
        if unpaid > tolerance {
            unpaid_usd = unpaid_usd.max(unpaid);
            first_unpaid.get_or_insert((day, unpaid, paid + sellable));
        }
        let gap = unpaid.max(beyond_buffer);
        if gap > tolerance {
            shortfall_usd = shortfall_usd.max(gap);
            first_shortfall.get_or_insert(day);
        }
        days.push(Day {
            day,
            date: demand.dates.get(day as usize).copied(),
            due_usd: due,
            paid_usd: paid,
            liquid_usd: paid + sellable,
            reachable_usd: reachable,
            outstanding_usd: outstanding,
            lost_usd: lost,
        });
    }
    let min_coverage = min_coverage.is_finite().then_some(min_coverage);
    let loss_usd = losses.permanent();
    let why = explain(
        book,
        (first_unpaid, first_shortfall),
        (gap_days, min_coverage),
        &losses,
        demand.stranded.as_ref(),
    );
    ScenarioResult {
        id: scenario.id.clone(),
        title: scenario.title.clone(),
        survives: Some(first_shortfall.is_none()),
        shortfall_usd: Some(shortfall_usd),
        first_shortfall_day: first_shortfall,
        min_coverage_ratio: min_coverage,
        unpaid_usd: Some(unpaid_usd),
        gap_days: Some(gap_days),
        loss_usd: Some(loss_usd),
        stranded_pct: demand.stranded.as_ref().map(|s| s.pct),
        why,
        days,
    }
}

/// The reserve assets as slices, after the price and rate shocks.
fn shocked_slices(book: &Book, scenario: &Scenario, losses: &mut Losses) -> Vec<Slice> {
    let rate = scenario.rate_shock_bps / 10_000.0;
    let mut matched = vec![false; scenario.reprices.len()];
    let slices = book
        .assets
        .iter()
        .filter_map(|a| {
            let class = a.text("class")?;
            let rung = rung_of(class)?;
            let haircut = haircut_of(class)?;
            let rank = crate::facts::ladder::LADDER
                .iter()
                .position(|r| std::ptr::eq(r, rung))
                .unwrap_or(usize::MAX);
            let value = book.reserves * a.number("share_pct").unwrap_or(0.0) / 100.0;
            let price = scenario.price_shock_pct.get(class).map_or_else(
                || {
                    if scenario.market_shock {
                        haircut.market()
                    } else {
                        0.0
                    }
                },
                |pct| pct / 100.0,
            );
            let max_maturity_days = a.number("max_maturity_days");
            let estimated = book
                .rate_maturity_days
                .map(|m| m.min(rung.assumed_maturity_days.unwrap_or(m)));
            let rate_years = rung.rate_years(max_maturity_days.or(estimated));
            let rate_loss = (rate * rate_years).clamp(0.0, 1.0);
            let repriced = (class == "stablecoin")
                .then(|| a.text("issuer"))
                .flatten()
                .and_then(|issuer| {
                    let i = scenario
                        .reprices
                        .iter()
                        .position(|r| names_match(issuer, &r.issuer))?;
                    if let Some(m) = matched.get_mut(i) {
                        *m = true;
                    }
                    scenario.reprices.get(i).map(|r| (r.price, r.days))
                })
                .filter(|(_, days)| *days > 0);
            losses.price += value * price;
            losses.rate += value * (1.0 - price) * rate_loss;
            if let Some((p, _)) = repriced {
                losses.repriced += value * (1.0 - price) * (1.0 - p);
            }
            Some(Slice {
                rung,
                haircut,
                rank,
                max_maturity_days,
                par: value * (1.0 - price),
                shock: price,
                rate_loss,
                repriced,
                in_kind: book.pays_in_kind(class),
                frozen_until: 0,
            })
        })
        .collect();
    let holds_stablecoins = book
        .assets
        .iter()
        .any(|a| a.text("class") == Some("stablecoin"));
    for (r, found) in scenario.reprices.iter().zip(matched) {
        if !found && holds_stablecoins {
            losses
                .unmatched
                .push(format!("no reserve asset is a stablecoin of {}", r.issuer));
        }
    }
    slices
}

/// Freezes the custodians each freeze names. A custodian's share of the
/// reserves comes first out of the assets its kind holds (deposits at a bank,
/// fund shares at a fund manager, securities at a custodian), pro rata, and
/// the rest pro rata out of every other asset but central bank balances;
/// a freeze of deposits only takes cash and deposits, and no more of them
/// than there are.
fn freeze(
    book: &Book,
    scenario: &Scenario,
    slices: &mut Vec<Slice>,
    losses: &mut Losses,
) -> Result<(), &'static str> {
    let mut frozen_names: Vec<&str> = Vec::new();
    for f in &scenario.freezes {
        let is_bank = |c: &&CustodianFact| matches!(c.kind, Some("bank") | None);
        let chosen: Vec<&CustodianFact> = match &f.custodians {
            Custodians::LargestBank | Custodians::LargestBankNotGsib | Custodians::Largest
                if book.custodians.is_empty() =>
            {
                return Err("[[reserves.custodian]] with share_pct");
            }
            Custodians::LargestBank => largest(book.custodians.iter().filter(is_bank).collect()),
            Custodians::LargestBankNotGsib => largest(
                book.custodians
                    .iter()
                    .filter(is_bank)
                    .filter(|c| !is_gsib(&c.words))
                    .collect(),
            ),
            Custodians::Largest => largest(book.custodians.iter().collect()),
            Custodians::Kind(kind) => book
                .custodians
                .iter()
                .filter(|c| c.kind == Some(kind.as_str()))
                .collect(),
            Custodians::Country(country) => book
                .custodians
                .iter()
                .filter(|c| c.country.is_some_and(|x| x.eq_ignore_ascii_case(country)))
                .collect(),
            Custodians::Name(name) => book.custodians.iter().filter(|c| c.name == name).collect(),
            Custodians::Names(names) => book
                .custodians
                .iter()
                .filter(|c| names.iter().any(|n| same_words(&c.words, &words(n))))
                .collect(),
        };
        if chosen.is_empty() {
            losses.unmatched.push(match &f.custodians {
                Custodians::LargestBank => "no custodian is a bank, so none is frozen".into(),
                Custodians::LargestBankNotGsib => {
                    "no custodian is a bank outside the G-SIB list, so none is frozen".into()
                }
                Custodians::Largest => "no custodian is frozen".into(),
                Custodians::Kind(kind) => format!("no custodian is a {kind}"),
                Custodians::Country(country) => format!("no custodian is in {country}"),
                Custodians::Name(name) => format!("no custodian is named {name}"),
                Custodians::Names(names) => {
                    format!("no custodian is {}, so none is frozen", or_list(names))
                }
            });
        }
        if f.days == 0 && f.loss_pct == 0.0 {
            continue;
        }
        for c in chosen {
            if frozen_names.contains(&c.name) {
                continue;
            }
            frozen_names.push(c.name);
            let amount = book.reserves * c.share_pct / 100.0;
            let holder = if f.deposits_only {
                Some(Holder::Bank)
            } else {
                Holder::of_custodian_kind(c.kind)
            };
            let frozen = take_from(slices, amount, holder, f, losses);
            if frozen > 0.0 {
                losses.frozen += frozen;
                losses.frozen_at.push(c.name.to_string());
            } else if f.deposits_only {
                losses.unmatched.push(format!(
                    "no deposits are declared, so none is frozen at {}",
                    c.name
                ));
            }
        }
    }
    Ok(())
}

/// Names joined for a sentence: `A`, `A or B`, `A, B or C`.
fn or_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The candidate holding the largest share, alone (none when there is none).
fn largest<'a, 'f>(candidates: Vec<&'a CustodianFact<'f>>) -> Vec<&'a CustodianFact<'f>> {
    candidates
        .into_iter()
        .max_by(|a, b| a.share_pct.total_cmp(&b.share_pct))
        .into_iter()
        .collect()
}

/// Moves `amount` of par value out of the unfrozen slices into frozen ones
/// (preferred holder first; only it when the freeze takes deposits only),
/// returning how much was frozen. An advance comes back on its day; the
/// freeze's loss is taken from the rest.
fn take_from(
    slices: &mut Vec<Slice>,
    amount: f64,
    holder: Option<Holder>,
    f: &scenario::Freeze,
    losses: &mut Losses,
) -> f64 {
    let mut left = amount;
    let mut frozen = Vec::new();
    let advance = f.advance_pct / 100.0;
    let loss = f.loss_pct / 100.0;
    let passes: &[bool] = if f.deposits_only {
        &[true]
    } else {
        &[true, false]
    };
    for &preferred in passes {
        let eligible = |s: &Slice| {
            s.frozen_until == 0
                && s.rung.holder != Holder::CentralBank
                && (Some(s.rung.holder) == holder) == preferred
        };
        let pool: f64 = slices.iter().filter(|s| eligible(s)).map(|s| s.par).sum();
        if pool <= 0.0 || left <= 0.0 {
            continue;
        }
        let fraction = (left / pool).min(1.0);
        for s in slices.iter_mut().filter(|s| eligible(s)) {
            let part = s.par * fraction;
            s.par -= part;
            if advance > 0.0 {
                frozen.push(Slice {
                    par: part * advance,
                    frozen_until: f.advance_day,
                    ..s.clone()
                });
            }
            let rest = part * (1.0 - advance);
            frozen.push(Slice {
                par: rest * (1.0 - loss),
                frozen_until: f.days,
                ..s.clone()
            });
            losses.freeze_lost += rest * loss;
        }
        left -= pool * fraction;
    }
    slices.extend(frozen);
    amount - left.max(0.0)
}

/// Redemptions due per business day, after chain outages defer requests.
#[derive(Debug)]
struct Demand {
    due: Vec<f64>,
    /// The calendar date of each business day, for a replay with a start.
    dates: Vec<chrono::NaiveDate>,
    stranded: Option<Stranded>,
}

#[derive(Debug)]
struct Stranded {
    pct: f64,
    chains: Vec<String>,
    days: u32,
}

/// A replay's requests per calendar day as requests per business day: a
/// Saturday's and a Sunday's wait for Monday. Returns them with the date of
/// each business day (as many dates as `horizon` asks for).
fn business_days(
    start: chrono::NaiveDate,
    per_calendar_day: &[f64],
    horizon: usize,
) -> (Vec<f64>, Vec<chrono::NaiveDate>) {
    use chrono::{Datelike, Weekday};
    let is_business = |d: chrono::NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut requests = Vec::new();
    let mut dates = Vec::new();
    let mut waiting = 0.0;
    let mut date = start;
    let mut i = 0;
    while i < per_calendar_day.len() || dates.len() < horizon {
        waiting += per_calendar_day.get(i).copied().unwrap_or(0.0);
        if is_business(date) {
            dates.push(date);
            if i < per_calendar_day.len() || waiting > 0.0 {
                requests.push(std::mem::take(&mut waiting));
            }
        }
        i += 1;
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    if waiting > 0.0 {
        requests.push(waiting);
    }
    (requests, dates)
}

impl Demand {
    /// The redemptions due; an outage naming no declared chain is noted in
    /// `unmatched`.
    fn of(
        book: &Book,
        scenario: &Scenario,
        unmatched: &mut Vec<String>,
    ) -> Result<Self, &'static str> {
        // (share of units on the chain, first day it is back) for each chain down.
        let mut down: Vec<(f64, u32, &str)> = Vec::new();
        if !scenario.outages.is_empty() {
            let total: f64 = book.chains.iter().map(|(_, s)| s).sum();
            if total <= 0.0 {
                return Err("[[chain]] with supply_usd");
            }
            for o in &scenario.outages {
                let chain = match &o.chain {
                    Chain::Largest => book.chains.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
                    Chain::Name(name) => book.chains.iter().find(|(n, _)| n == name),
                };
                match chain {
                    Some((name, supply)) => {
                        if o.days > 0 && !down.iter().any(|(_, _, n)| n == name) {
                            down.push((supply / total, o.days, name));
                        }
                    }
                    None => unmatched.push(match &o.chain {
                        Chain::Name(name) => format!("no chain is named {name}"),
                        Chain::Largest => "no chain goes down".into(),
                    }),
                }
            }
        }
        let (requests, dates) = match scenario.start {
            Some(start) => {
                // Enough dates for the horizon: the requests, their
                // settlement, and the longest freeze, outage or reprice.
                let longest = scenario
                    .freezes
                    .iter()
                    .map(|f| f.days)
                    .chain(scenario.outages.iter().map(|o| o.days))
                    .chain(scenario.reprices.iter().map(|r| r.days))
                    .max()
                    .unwrap_or(0);
                let horizon = scenario.redemptions_pct.len()
                    + longest as usize
                    + book.settlement_days as usize
                    + 1;
                business_days(start, &scenario.redemptions_pct, horizon)
            }
            None => (scenario.redemptions_pct.clone(), Vec::new()),
        };
        let settle = book.settlement_days as usize;
        let mut due: Vec<f64> = Vec::new();
        let mut add = |day: usize, amount: f64| {
            if due.len() <= day {
                due.resize(day + 1, 0.0);
            }
            if let Some(slot) = due.get_mut(day) {
                *slot += amount;
            }
        };
        for (day, pct) in requests.iter().enumerate() {
            let requested = book.outstanding * pct / 100.0;
            let mut arriving = requested;
            for (share, back, _) in &down {
                if (day as u32) < *back {
                    // Holders on a chain that is down ask again the day it is back.
                    arriving -= requested * share;
                    add(*back as usize + settle, requested * share);
                }
            }
            add(day + settle, arriving);
        }
        let stranded = (!down.is_empty()).then(|| Stranded {
            pct: down.iter().map(|(s, _, _)| s).sum::<f64>().min(1.0) * 100.0,
            chains: down.iter().map(|(_, _, n)| (*n).to_string()).collect(),
            days: down.iter().map(|(_, d, _)| *d).max().unwrap_or(0),
        });
        Ok(Demand {
            due,
            dates,
            stranded,
        })
    }
}

/// The sentence that says what happened: holders paid or not, a coverage
/// gap or not, a loss for good or not, and the causes.
fn explain(
    book: &Book,
    (first_unpaid, first_shortfall): (Option<(u32, f64, f64)>, Option<u32>),
    (gap_days, min_coverage): (u32, Option<f64>),
    losses: &Losses,
    stranded: Option<&Stranded>,
) -> String {
    let coverage = min_coverage.map_or_else(|| "–".to_string(), |c| format!("{c:.3}"));
    let mut parts = vec![match first_unpaid {
        None => "Pays every redemption when due".to_string(),
        Some((day, unpaid, liquid)) => format!(
            "On T+{day}, {} of redemptions due cannot be paid: only {} can be raised by then",
            usd(unpaid),
            usd(liquid)
        ),
    }];
    parts.push(if gap_days > 0 {
        format!(
            "reserves within reach fall below the units outstanding on {gap_days} business day{} (lowest {coverage}×)",
            if gap_days == 1 { "" } else { "s" }
        )
    } else {
        format!("reserves within reach never fall below {coverage}× the units outstanding")
    });
    let lost = losses.permanent();
    let buffer = book.buffer();
    if buffer < -book.outstanding * 1e-9 {
        parts.push(format!(
            "the reserves start {} short of the units outstanding",
            usd(-buffer)
        ));
    }
    let some = book.outstanding * 1e-9;
    // The table's first shortfall day, when the loss passed the buffer
    // before any redemption went unpaid.
    let loss_day = first_shortfall
        .filter(|d| first_unpaid.is_none_or(|(u, _, _)| *d < u))
        .filter(|_| lost > some);
    if let Some(day) = loss_day {
        parts.push(format!(
            "from T+{day} what is lost for good exceeds the buffer"
        ));
    }
    if buffer < 0.0 && lost <= some {
        // Said above: nothing more is lost, but there was no buffer.
    } else if buffer < 0.0 {
        parts.push(format!("{} more is lost for good", usd(lost)));
    } else if lost > some {
        // Two amounts that round alike are written in whole dollars, so the
        // sentence never says "1.0 m USD, more than the 1.0 m USD buffer".
        let (lost_text, buffer_text) = if usd(lost) == usd(buffer) {
            (
                format!("{} USD", crate::number::grouped(lost)),
                format!("{} USD", crate::number::grouped(buffer)),
            )
        } else {
            (usd(lost), usd(buffer))
        };
        let how = if lost > buffer + some {
            "more than"
        } else {
            "within"
        };
        parts.push(format!(
            "{lost_text} is lost for good, {how} the {buffer_text} buffer"
        ));
    } else {
        parts.push("nothing is lost for good".into());
    }
    if losses.frozen > 0.0 {
        parts.push(format!(
            "{} frozen at {}",
            usd(losses.frozen),
            losses.frozen_at.join(", ")
        ));
    }
    for (amount, what) in [
        (losses.freeze_lost, "lost with the frozen assets"),
        (losses.price, "lost to price shocks"),
        (losses.rate, "marked down by the rate shock"),
        (
            losses.repriced,
            "marked down while a stablecoin held trades below par",
        ),
        (losses.sold_at_loss, "lost in forced sales"),
    ] {
        if amount > book.outstanding * 1e-9 {
            parts.push(format!("{} {what}", usd(amount)));
        }
    }
    if book.in_kind {
        parts.push("redemptions are paid in kind from the on-chain collateral".into());
    }
    parts.extend(losses.unmatched.iter().cloned());
    if let Some(s) = stranded {
        parts.push(format!(
            "{:.1} % of units sit on {} and cannot be redeemed for {} business day{}",
            s.pct,
            s.chains.join(", "),
            s.days,
            if s.days == 1 { "" } else { "s" }
        ));
    }
    let mut sentence = parts.join("; ");
    sentence.push('.');
    sentence
}

// --- Stress figures for rubrics: `stress.ID.MEASURE`, resolved at rubric load.

/// What a rubric can read of one scenario's result.
const MEASURES: &[(&str, Kind, &str)] = &[
    (
        "survives",
        Kind::Bool,
        "true when every redemption is paid when due and what is lost for good stays within the over-collateral buffer",
    ),
    (
        "shortfall_usd",
        Kind::Number(Unit::Usd),
        "largest, on any day, of redemptions due and unpaid and of the loss beyond the buffer",
    ),
    (
        "min_coverage_ratio",
        Kind::Number(Unit::Ratio),
        "lowest reachable marked reserves ÷ units outstanding",
    ),
    (
        "unpaid_usd",
        Kind::Number(Unit::Usd),
        "largest amount of redemptions due and not paid on any day",
    ),
    (
        "gap_days",
        Kind::Number(Unit::Count),
        "business days with the reserves within reach below the units outstanding (a coverage gap)",
    ),
    (
        "loss_usd",
        Kind::Number(Unit::Usd),
        "reserves lost for good: price shocks, a failed custodian's loss, forced sales below par",
    ),
    (
        "first_shortfall_day",
        Kind::Number(Unit::Days),
        "first business day with redemptions unpaid or a loss beyond the buffer; absent when there is none",
    ),
    (
        "stranded_pct",
        Kind::Number(Unit::Pct),
        "largest share of units outstanding on chains that are down; absent when no chain goes down",
    ),
];

const INPUTS: &[&str] = &[
    "supply.outstanding_usd",
    "reserves.total_usd",
    "reserves.asset[].class",
    "reserves.asset[].share_pct",
    "reserves.asset[].max_maturity_days",
    "reserves.custodian[].share_pct",
    "reserves.custodian[].kind",
    "reserves.custodian[].country",
    "chain[].supply_usd",
    "redemption.settlement_days",
    "redemption.channel[].pays_in_kind",
    "reserves.asset[].issuer",
    "reserves.weighted_avg_maturity_days",
];

/// A stress figure: its spec, and where its value sits in a report.
#[derive(Debug)]
struct Figure {
    spec: DerivedSpec,
    of: Of,
}

#[derive(Debug, Clone, Copy)]
enum Of {
    /// The built-in scenario at this position, and one of [`MEASURES`].
    Scenario(usize, usize),
    /// The reverse stress test by business day 0, 1 or 5.
    Redeemable(u32),
}

fn all_figures() -> &'static [Figure] {
    static FIGURES: LazyLock<Vec<Figure>> = LazyLock::new(|| {
        // Names live as long as the program: built once, never freed.
        let name = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut all = Vec::new();
        for (i, id) in scenario::builtin_ids().enumerate() {
            for (m, (measure, kind, formula)) in MEASURES.iter().enumerate() {
                all.push(Figure {
                    spec: DerivedSpec {
                        name: name(format!("stress.{id}.{measure}")),
                        kind: *kind,
                        formula,
                        inputs: INPUTS,
                    },
                    of: Of::Scenario(i, m),
                });
            }
        }
        for day in [0, 1, 5] {
            all.push(Figure {
                spec: DerivedSpec {
                    name: name(format!("stress.max_redeemable_pct.t{day}")),
                    kind: Kind::Number(Unit::Pct),
                    formula: "reverse stress test: largest % of units outstanding payable at par by that business day",
                    inputs: INPUTS,
                },
                of: Of::Redeemable(day),
            });
        }
        all
    });
    &FIGURES
}

/// Every stress figure a rubric can read: `stress.ID.MEASURE` for each
/// built-in scenario (MEASURE: survives, shortfall_usd, min_coverage_ratio,
/// unpaid_usd, gap_days, loss_usd),
/// and `stress.max_redeemable_pct.t0|t1|t5`.
pub fn figures() -> impl Iterator<Item = &'static DerivedSpec> {
    all_figures().iter().map(|f| &f.spec)
}

/// The stress figure at a fact path such as `stress.run-30-5.survives`.
pub fn figure(path: &str) -> Option<&'static DerivedSpec> {
    figures().find(|f| f.name == path)
}

/// Records the figures of a report of the built-in scenarios where checks
/// and caps read them.
pub fn record(report: &StressReport, derived: &mut Derived) {
    for figure in all_figures() {
        if let Some(value) = value_of(report, figure.of) {
            derived.insert_computed(figure.spec.name, value);
        }
    }
}

/// The value of the stress figure at a path (`stress.run-30-5.survives`) in
/// a report of the built-in scenarios; `None` for an unknown path or a
/// figure that could not be computed. `history` reads watched stress
/// figures through it.
pub fn figure_value(report: &StressReport, path: &str) -> Option<Value> {
    let figure = all_figures().iter().find(|f| f.spec.name == path)?;
    value_of(report, figure.of)
}

fn value_of(report: &StressReport, of: Of) -> Option<Value> {
    match of {
        Of::Redeemable(day) => {
            let r = &report.max_redeemable_pct;
            match day {
                0 => r.t0,
                1 => r.t1,
                _ => r.t5,
            }
            .map(Value::Number)
        }
        Of::Scenario(i, m) => {
            let id = scenario::BUILTIN.get(i).map(|(id, _)| *id);
            report
                .scenarios
                .get(i)
                .filter(|s| Some(s.id.as_str()) == id)
                .and_then(|s| match m {
                    0 => s.survives.map(Value::Bool),
                    1 => s.shortfall_usd.map(Value::Number),
                    2 => s.min_coverage_ratio.map(Value::Number),
                    3 => s.unpaid_usd.map(Value::Number),
                    4 => s.gap_days.map(|d| Value::Number(f64::from(d))),
                    5 => s.loss_usd.map(Value::Number),
                    6 => s.first_shortfall_day.map(|d| Value::Number(f64::from(d))),
                    _ => s.stranded_pct.map(Value::Number),
                })
        }
    }
}

#[cfg(test)]
mod tests;
