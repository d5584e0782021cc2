//! Redemptions due per business day: requests settled after the declared
//! delay, a replay's calendar days folded into business days, and requests
//! on a chain that is down deferred until it is back.

use super::book::Book;
use super::scenario::{Chain, Scenario};

/// Redemptions due per business day, after chain outages defer requests.
#[derive(Debug)]
pub(super) struct Demand {
    pub(super) due: Vec<f64>,
    /// The calendar date of each business day, for a replay with a start.
    pub(super) dates: Vec<chrono::NaiveDate>,
    pub(super) stranded: Option<Stranded>,
}

#[derive(Debug)]
pub(super) struct Stranded {
    pub(super) pct: f64,
    pub(super) chains: Vec<String>,
    pub(super) days: u32,
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
    pub(super) fn of(
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
