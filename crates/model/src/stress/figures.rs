//! Stress figures for rubrics: `stress.ID.MEASURE` for each built-in
//! scenario and `stress.max_redeemable_pct.tN`, resolved at rubric load,
//! and their values read from a [`StressReport`].

use std::sync::LazyLock;

use crate::facts::derived::DerivedSpec;
use crate::facts::schema::{Kind, Unit};
use crate::facts::{Derived, Value};

use super::result::StressReport;
use super::scenario;

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
pub(crate) fn figure_value(report: &StressReport, path: &str) -> Option<Value> {
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
