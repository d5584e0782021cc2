//! The simulation: every scenario run on one arrangement's [`Book`], business
//! day by business day: the price and rate shocks, the freezes, redemptions
//! paid in kind or by forced sales that lose least first, and the figures
//! of each result.

use crate::facts::Facts;
use crate::facts::ladder::rung_of;
use crate::facts::loss::haircut_of;
use usd1eval_format::fact;

use super::book::Book;
use super::demand::Demand;
use super::freeze::freeze;
use super::names::names_match;
use super::result::{Day, MaxRedeemable, ScenarioResult, StressReport};
use super::scenario::Scenario;
use super::slice::{Losses, Slice};
use super::why::explain;

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
            let class = a.text(fact!("reserves.asset[].class"))?;
            let rung = rung_of(class)?;
            let haircut = haircut_of(class)?;
            let rank = crate::facts::ladder::LADDER
                .iter()
                .position(|r| std::ptr::eq(r, rung))
                .unwrap_or(usize::MAX);
            let value = book.reserves
                * a.number(fact!("reserves.asset[].share_pct")).unwrap_or(0.0)
                / 100.0;
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
            let max_maturity_days = a.number(fact!("reserves.asset[].max_maturity_days"));
            let estimated = book
                .rate_maturity_days
                .map(|m| m.min(rung.assumed_maturity_days.unwrap_or(m)));
            let rate_years = rung.rate_years(max_maturity_days.or(estimated));
            let rate_loss = (rate * rate_years).clamp(0.0, 1.0);
            let repriced = (class == "stablecoin")
                .then(|| a.text(fact!("reserves.asset[].issuer")))
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
        .any(|a| a.text(fact!("reserves.asset[].class")) == Some("stablecoin"));
    for (r, found) in scenario.reprices.iter().zip(matched) {
        if !found && holds_stablecoins {
            losses
                .unmatched
                .push(format!("no reserve asset is a stablecoin of {}", r.issuer));
        }
    }
    slices
}
