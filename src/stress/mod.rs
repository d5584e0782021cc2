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
use crate::facts::schema::{Kind, Unit};
use crate::facts::{Derived, Entry, Facts, Value};
use scenario::{Chain, Custodians};
pub use scenario::{Scenario, builtin_scenarios, load_scenario};

/// One arrangement's stress results, as `stress --format json` prints them:
/// the report's stress section with each scenario's days.
#[derive(Debug, Clone)]
pub struct StressRun {
    pub arrangement: crate::report::ArrangementRef,
    pub stress: StressReport,
}

impl Serialize for StressRun {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;

        #[derive(Serialize)]
        struct WithDays<'a> {
            #[serde(flatten)]
            result: &'a ScenarioResult,
            days: &'a [Day],
        }
        let scenarios: Vec<WithDays> = self
            .stress
            .scenarios
            .iter()
            .map(|result| WithDays {
                result,
                days: &result.days,
            })
            .collect();
        let mut run = serializer.serialize_struct("StressRun", 3)?;
        run.serialize_field("arrangement", &self.arrangement)?;
        run.serialize_field("scenarios", &scenarios)?;
        run.serialize_field("max_redeemable_pct", &self.stress.max_redeemable_pct)?;
        run.end()
    }
}

/// The schema of [`StressRun`]'s JSON, written beside its `Serialize`;
/// tests validate `stress --format json` against it.
impl JsonSchema for StressRun {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StressRun".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let arrangement = generator.subschema_for::<crate::report::ArrangementRef>();
        let result = generator.subschema_for::<ScenarioResult>();
        let day = generator.subschema_for::<Day>();
        let redeemable = generator.subschema_for::<MaxRedeemable>();
        schemars::json_schema!({
            "description": "One arrangement's stress results: each scenario with its days, and the reverse stress test.",
            "type": "object",
            "required": ["arrangement", "scenarios", "max_redeemable_pct"],
            "properties": {
                "arrangement": arrangement,
                "scenarios": {
                    "type": "array",
                    "items": {
                        "allOf": [result],
                        "required": ["days"],
                        "properties": { "days": { "type": "array", "items": day } }
                    }
                },
                "max_redeemable_pct": redeemable
            }
        })
    }
}

/// What the stress tests found for one arrangement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct StressReport {
    pub scenarios: Vec<ScenarioResult>,
    pub max_redeemable_pct: MaxRedeemable,
}

/// The reverse stress test: the largest share (%) of units outstanding the
/// arrangement can pay at par by business day 0, 1 and 5, with no shock but
/// the ladder's own haircuts. Null when the facts it needs are not disclosed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, JsonSchema)]
pub struct MaxRedeemable {
    #[serde(serialize_with = "round1_opt")]
    pub t0: Option<f64>,
    #[serde(serialize_with = "round1_opt")]
    pub t1: Option<f64>,
    #[serde(serialize_with = "round1_opt")]
    pub t5: Option<f64>,
}

/// One scenario's outcome. The figures are null when the scenario cannot be
/// run on the declared facts; `why` then says which are missing.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ScenarioResult {
    pub id: String,
    pub title: String,
    /// Every redemption is paid when due, and reachable reserves never fall
    /// below the units still outstanding.
    pub survives: Option<bool>,
    /// The largest gap, on any day, between what is owed and what can be paid
    /// or is still covered; 0 when it survives.
    #[serde(serialize_with = "round0_opt")]
    pub shortfall_usd: Option<f64>,
    /// The first business day with a gap; null when there is none.
    pub first_shortfall_day: Option<u32>,
    /// The lowest, over the days, of reachable marked reserves ÷ units outstanding.
    #[serde(serialize_with = "round4_opt")]
    pub min_coverage_ratio: Option<f64>,
    /// The largest share (%) of units outstanding that cannot be redeemed
    /// because its chain is down; null when no chain goes down.
    #[serde(serialize_with = "round1_opt")]
    pub stranded_pct: Option<f64>,
    /// One sentence: why it survives or where it breaks.
    pub why: String,
    /// Demand against reachable liquidity, day by day: drawn by the HTML
    /// scorecard and printed by `stress --format json`, but left out of the
    /// score report, which a batch writes thousands of times.
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
            stranded_pct: None,
            why: format!("Cannot be run: {missing} is not disclosed."),
            days: Vec::new(),
        }
    }
}

/// One business day of a scenario, after that day's payments.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Day {
    pub day: u32,
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
}

fn round_opt<S: Serializer>(n: &Option<f64>, s: S, decimals: i32) -> Result<S::Ok, S::Error> {
    match n {
        Some(n) => crate::report::number_json(*n, decimals).serialize(s),
        None => s.serialize_none(),
    }
}

fn round0<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    crate::report::number_json(*n, 0).serialize(s)
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
}

#[derive(Debug)]
struct CustodianFact<'f> {
    name: &'f str,
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
                Some(CustodianFact {
                    name: c.text("name").unwrap_or(""),
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
        Ok(Book {
            outstanding,
            reserves,
            assets,
            custodians,
            chains,
            settlement_days,
            rate_maturity_days,
        })
    }

    /// The reverse stress test by business day `day`.
    fn max_redeemable_pct(&self, day: u32) -> f64 {
        let dollars = self.reserves * liquid_pct_by(self.assets, day) / 100.0;
        (dollars / self.outstanding * 100.0).clamp(0.0, 100.0)
    }
}

/// A piece of one reserve asset: what is left of it, and until when it is
/// out of reach.
#[derive(Debug, Clone)]
struct Slice {
    rung: &'static Rung,
    /// Position of the rung in the ladder: the sale order's tie-break.
    rank: usize,
    max_maturity_days: Option<f64>,
    /// Value at par after any price shock and freeze loss, before the rate mark.
    par: f64,
    /// The fall in price a rate shock causes until maturity (0–1).
    rate_loss: f64,
    /// First business day it can be reached again (0 = never frozen).
    frozen_until: u32,
}

impl Slice {
    fn mark(&self, day: u32) -> f64 {
        if self.rung.matured_by(self.max_maturity_days, day) {
            1.0
        } else {
            // A loss never takes a mark below nothing.
            (1.0 - self.rate_loss).max(0.0)
        }
    }

    fn marked(&self, day: u32) -> f64 {
        self.par * self.mark(day)
    }

    fn reachable(&self, day: u32) -> bool {
        self.frozen_until <= day
    }

    /// Dollars per dollar of marked value if sold (or matured) by `day`.
    fn proceeds(&self, day: u32) -> Option<f64> {
        if self.reachable(day) {
            self.rung.cash_fraction_by(self.max_maturity_days, day)
        } else {
            None
        }
    }
}

/// What the shocks did, for the sentence that explains a result.
#[derive(Debug, Default)]
struct Losses {
    price: f64,
    rate: f64,
    frozen: f64,
    frozen_at: Vec<String>,
    freeze_lost: f64,
    sold_at_loss: f64,
    /// Freezes and outages that selected nothing, in words.
    unmatched: Vec<String>,
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
    let horizon = demand.due.len().max(freeze_end as usize + 1).max(1);
    let tolerance = book.outstanding * 1e-9;
    let mut paid = 0.0;
    let mut due = 0.0;
    let mut days = Vec::with_capacity(horizon);
    let mut first_shortfall: Option<(u32, f64, f64)> = None;
    let mut shortfall_usd: f64 = 0.0;
    let mut min_coverage = f64::INFINITY;
    let mut order: Vec<(f64, usize, usize)> = Vec::with_capacity(slices.len());
    for day in 0..horizon as u32 {
        due += demand.due.get(day as usize).copied().unwrap_or(0.0);
        // Pay what is due, selling what loses least first (and, among equals,
        // in ladder order). One buffer serves every day.
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
                let par_sold = take / fraction / mark;
                losses.sold_at_loss += par_sold * mark - take;
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
        let uncovered = (outstanding - reachable).max(0.0);
        if outstanding > tolerance {
            min_coverage = min_coverage.min(reachable / outstanding);
        }
        let gap = unpaid.max(uncovered);
        if gap > tolerance {
            shortfall_usd = shortfall_usd.max(gap);
            if first_shortfall.is_none() {
                first_shortfall = Some((day, unpaid, paid + sellable));
            }
        }
        days.push(Day {
            day,
            due_usd: due,
            paid_usd: paid,
            liquid_usd: paid + sellable,
            reachable_usd: reachable,
            outstanding_usd: outstanding,
        });
    }
    let min_coverage = min_coverage.is_finite().then_some(min_coverage);
    let why = explain(
        book,
        first_shortfall,
        min_coverage,
        &losses,
        demand.stranded.as_ref(),
    );
    ScenarioResult {
        id: scenario.id.clone(),
        title: scenario.title.clone(),
        survives: Some(first_shortfall.is_none()),
        shortfall_usd: Some(shortfall_usd),
        first_shortfall_day: first_shortfall.map(|(day, _, _)| day),
        min_coverage_ratio: min_coverage,
        stranded_pct: demand.stranded.as_ref().map(|s| s.pct),
        why,
        days,
    }
}

/// The reserve assets as slices, after the price and rate shocks.
fn shocked_slices(book: &Book, scenario: &Scenario, losses: &mut Losses) -> Vec<Slice> {
    let rate = scenario.rate_shock_bps / 10_000.0;
    book.assets
        .iter()
        .filter_map(|a| {
            let class = a.text("class")?;
            let rung = rung_of(class)?;
            let rank = crate::facts::ladder::LADDER
                .iter()
                .position(|r| std::ptr::eq(r, rung))
                .unwrap_or(usize::MAX);
            let value = book.reserves * a.number("share_pct").unwrap_or(0.0) / 100.0;
            let price = scenario.price_shock_pct.get(class).copied().unwrap_or(0.0) / 100.0;
            let max_maturity_days = a.number("max_maturity_days");
            let estimated = book
                .rate_maturity_days
                .map(|m| m.min(rung.assumed_maturity_days.unwrap_or(m)));
            let rate_years = rung.rate_years(max_maturity_days.or(estimated));
            let rate_loss = (rate * rate_years).clamp(0.0, 1.0);
            losses.price += value * price;
            losses.rate += value * (1.0 - price) * rate_loss;
            Some(Slice {
                rung,
                rank,
                max_maturity_days,
                par: value * (1.0 - price),
                rate_loss,
                frozen_until: 0,
            })
        })
        .collect()
}

/// Freezes the custodians each freeze names: a custodian's share of the
/// reserves comes first out of the assets its kind holds (deposits at a bank,
/// fund shares at a fund manager, securities at a custodian), pro rata, and
/// the rest pro rata out of every other asset but central bank balances.
fn freeze(
    book: &Book,
    scenario: &Scenario,
    slices: &mut Vec<Slice>,
    losses: &mut Losses,
) -> Result<(), &'static str> {
    let mut frozen_names: Vec<&str> = Vec::new();
    for f in &scenario.freezes {
        let largest = |want_bank: bool| {
            book.custodians
                .iter()
                .filter(|c| !want_bank || matches!(c.kind, Some("bank") | None))
                .max_by(|a, b| a.share_pct.total_cmp(&b.share_pct))
                .into_iter()
                .collect::<Vec<_>>()
        };
        let chosen: Vec<&CustodianFact> = match &f.custodians {
            Custodians::LargestBank | Custodians::Largest if book.custodians.is_empty() => {
                return Err("[[reserves.custodian]] with share_pct");
            }
            Custodians::LargestBank => largest(true),
            Custodians::Largest => largest(false),
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
        };
        if chosen.is_empty() {
            losses.unmatched.push(match &f.custodians {
                Custodians::LargestBank => "no custodian is a bank, so none is frozen".into(),
                Custodians::Largest => "no custodian is frozen".into(),
                Custodians::Kind(kind) => format!("no custodian is a {kind}"),
                Custodians::Country(country) => format!("no custodian is in {country}"),
                Custodians::Name(name) => format!("no custodian is named {name}"),
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
            let frozen = take_from(
                slices,
                amount,
                Holder::of_custodian_kind(c.kind),
                f.days,
                f.loss_pct / 100.0,
                losses,
            );
            losses.frozen += frozen;
            losses.frozen_at.push(c.name.to_string());
        }
    }
    Ok(())
}

/// Moves `amount` of par value out of the unfrozen slices into frozen ones
/// (preferred holder first), returning how much was frozen.
fn take_from(
    slices: &mut Vec<Slice>,
    amount: f64,
    holder: Option<Holder>,
    days: u32,
    loss: f64,
    losses: &mut Losses,
) -> f64 {
    let mut left = amount;
    let mut frozen = Vec::new();
    for preferred in [true, false] {
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
            frozen.push(Slice {
                par: part * (1.0 - loss),
                frozen_until: days,
                ..s.clone()
            });
            losses.freeze_lost += part * loss;
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
    stranded: Option<Stranded>,
}

#[derive(Debug)]
struct Stranded {
    pct: f64,
    chains: Vec<String>,
    days: u32,
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
        for (day, pct) in scenario.redemptions_pct.iter().enumerate() {
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
        Ok(Demand { due, stranded })
    }
}

/// Dollars for a sentence: `12.3 m USD`, `1.25 bn USD`.
fn usd(n: f64) -> String {
    let n = n.max(0.0);
    if n >= 1e9 {
        format!("{:.2} bn USD", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} m USD", n / 1e6)
    } else {
        format!("{n:.0} USD")
    }
}

fn explain(
    book: &Book,
    first_shortfall: Option<(u32, f64, f64)>,
    min_coverage: Option<f64>,
    losses: &Losses,
    stranded: Option<&Stranded>,
) -> String {
    let mut causes = Vec::new();
    if losses.frozen > 0.0 {
        causes.push(format!(
            "{} frozen at {}",
            usd(losses.frozen),
            losses.frozen_at.join(", ")
        ));
    }
    for (amount, what) in [
        (losses.freeze_lost, "lost with the frozen assets"),
        (losses.price, "lost to price shocks"),
        (losses.rate, "marked down by the rate shock"),
    ] {
        if amount > 0.0 {
            causes.push(format!("{} {what}", usd(amount)));
        }
    }
    if losses.sold_at_loss > 0.0 {
        causes.push(format!("{} lost in forced sales", usd(losses.sold_at_loss)));
    }
    let coverage = min_coverage.map_or_else(|| "–".to_string(), |c| format!("{c:.3}"));
    let mut sentence = match first_shortfall {
        None => format!(
            "Pays every redemption when due; reachable reserves never fall below {coverage}× the units outstanding"
        ),
        Some((day, unpaid, liquid)) if unpaid > book.outstanding * 1e-9 => format!(
            "On day {day}, {} of redemptions due cannot be paid: only {} can be raised by then",
            usd(unpaid),
            usd(liquid)
        ),
        Some((day, _, _)) => format!(
            "From day {day}, reachable reserves fall below the units outstanding (lowest {coverage}×)"
        ),
    };
    for cause in causes {
        sentence.push_str("; ");
        sentence.push_str(&cause);
    }
    for note in &losses.unmatched {
        sentence.push_str("; ");
        sentence.push_str(note);
    }
    if let Some(s) = stranded {
        sentence.push_str(&format!(
            "; {:.1} % of units sit on {} and cannot be redeemed for {} business day{}",
            s.pct,
            s.chains.join(", "),
            s.days,
            if s.days == 1 { "" } else { "s" }
        ));
    }
    sentence.push('.');
    sentence
}

// --- Stress figures for rubrics: `stress.ID.MEASURE`, resolved at rubric load.

/// What a rubric can read of one scenario's result.
const MEASURES: &[(&str, Kind, &str)] = &[
    (
        "survives",
        Kind::Bool,
        "true when every redemption is paid when due and reachable reserves never fall below units outstanding",
    ),
    (
        "shortfall_usd",
        Kind::Number(Unit::Usd),
        "largest gap on any day between what is owed and what can be paid or is covered",
    ),
    (
        "min_coverage_ratio",
        Kind::Number(Unit::Ratio),
        "lowest reachable marked reserves ÷ units outstanding",
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
/// built-in scenario (MEASURE: survives, shortfall_usd, min_coverage_ratio),
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
        let value = match figure.of {
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
                        _ => s.min_coverage_ratio.map(Value::Number),
                    })
            }
        };
        if let Some(value) = value {
            derived.insert_computed(figure.spec.name, value);
        }
    }
}

#[cfg(test)]
mod tests;
