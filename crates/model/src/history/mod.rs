//! Successive disclosures of one arrangement: the figures over time, and the
//! alerts where strength falls behind. Pure: the evaluated disclosures and the
//! rubric's `[history]` section in, a [`History`] out.
//!
//! A figure's alert compares the latest disclosure with the best earlier one
//! (`watch.rs`: a change by an amount or a share of itself, or a level
//! crossed), so a CI job watching a disclosure file sees what is worse now,
//! not an episode that has since recovered. An event compares each
//! disclosure with the one before it (`events.rs`); growth that outruns
//! strength reads the alerts raised (`growth.rs`). This module holds the
//! points, the alerts' shape and the order they are raised in.

use std::collections::BTreeMap;
use usd1eval_format::{fact, table};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::facts::schema::{Kind, Target, Unit};
use crate::facts::{Arrangement, Value};
use crate::report::{Report, SCHEMA_VERSION, Stage, round_to, round1_value};
use crate::rubric::Rubric;
use crate::rubric::history::{
    EventKind, EventWatch, Figure, GrowthRule, Level, Trigger, Watch, Worse,
};
use crate::source::{Code, Diagnostic};

mod events;
mod growth;
mod watch;

pub(crate) use crate::rubric::history::Threshold;
use events::event;
use growth::growth_alert;
use watch::{change_message, crossing_message};
pub(crate) use watch::{crossing, deterioration};

/// The figures that tell an arrangement's story over time, in the order
/// tables and charts show them: path and label.
pub static STORY: &[(&str, &str)] = &[
    ("score", "Overall score"),
    ("supply.outstanding_usd", "Units outstanding"),
    ("derived.reserve_coverage_ratio", "Reserve coverage"),
    ("derived.overcollateral_pct", "Over-collateral"),
    ("derived.volatile_share_pct", "Volatile share"),
    ("derived.liquid_t0_pct", "Liquid by T+0"),
    ("derived.liquid_t1_pct", "Liquid by T+1"),
    ("derived.max_custodian_share_pct", "Largest custodian"),
    ("derived.custodian_hhi", "Custodian HHI"),
    ("derived.max_bank_share_pct", "Largest bank"),
    ("derived.max_chain_share_pct", "Largest chain"),
    ("derived.latest_attestation_age_days", "Newest report's age"),
    ("derived.reserve_report_interval_days", "Reporting interval"),
    (
        "redemption.observed_settlement_days_p95",
        "Redemption time p95",
    ),
    (
        "market.peg_max_deviation_bps_stress",
        "Peg deviation in stress",
    ),
    ("operations.uptime_pct_90d", "Uptime, 90 days"),
    (
        "stress.max_redeemable_pct.t1",
        "Payable by T+1 (reverse stress)",
    ),
];

/// One disclosure as `history` reads it: its file, facts and evaluation.
#[derive(Debug)]
pub struct Disclosure<'a, 'r> {
    /// The disclosure file's name.
    pub file: &'a str,
    /// The facts the disclosure declares.
    pub arrangement: &'a Arrangement,
    /// The disclosure's evaluation against the rubric.
    pub report: &'a Report<'r>,
}

/// The history of one arrangement, in the shape of `history --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct History {
    /// The version of the JSON shape.
    pub schema_version: u32,
    /// The arrangement's name.
    pub arrangement: String,
    /// The rubric the disclosures were evaluated with.
    pub rubric: RubricId,
    /// In date order.
    pub points: Vec<Point>,
    /// The figures that moved the wrong way, from the rubric's watches.
    pub alerts: Vec<Alert>,
}

/// A rubric's id and version, as the history records it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RubricId {
    /// The rubric's id.
    pub id: String,
    /// The rubric's version.
    pub version: String,
}

/// One disclosure's place in the history.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Point {
    /// The disclosure's as-of date.
    pub as_of: String,
    /// The disclosure file's name; with `history --git`, `PATH@COMMIT`
    /// (the path in that commit and the commit's short hash).
    pub file: String,
    /// Null when nothing in the disclosure could be scored.
    pub score: Option<f64>,
    /// Null when the disclosure is not graded.
    pub grade: Option<String>,
    /// The grade's confidence (`high`, `medium`, `low`), as the report's
    /// `overall.confidence`.
    pub confidence: String,
    /// The share of applicable checks whose fact is disclosed, in percent.
    pub coverage_pct: f64,
    /// The ids of the caps that apply.
    pub caps: Vec<String>,
    /// The disclosure's stage verdict.
    pub stage: Stage,
    /// Every derived figure, as in the JSON report.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub derived: BTreeMap<&'static str, Value>,
    /// The declared facts the history watches or shows, by path.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub facts: BTreeMap<String, Value>,
    /// The stress figures over time, by path without `stress.`: each
    /// built-in scenario's `survives`, `min_coverage_ratio` and
    /// `unpaid_usd`, the reverse stress test's `max_redeemable_pct.t0|t1|t5`,
    /// and any other stress figure the rubric watches. A figure the
    /// disclosure cannot support is left out.
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub stress: BTreeMap<String, Value>,
    /// The reserve custodians declared, in file order: what
    /// `custodian-changed` compares.
    pub custodians: Vec<Custodian>,
    /// The firm of the newest independent report (attestation or audit),
    /// when named: what `report-firm` compares.
    pub report_firm: Option<String>,
}

/// A reserve custodian as a point records it.
#[derive(Debug, Clone, Serialize, JsonSchema, PartialEq)]
pub struct Custodian {
    /// `reserves.custodian[].name`, when declared.
    pub name: Option<String>,
    /// `reserves.custodian[].country`, when declared.
    pub country: Option<String>,
    /// `reserves.custodian[].share_pct`, when declared.
    pub share_pct: Option<f64>,
}

impl Point {
    /// The grade with its confidence, `B (low confidence)`, or `not graded`.
    pub fn grade_text(&self) -> String {
        match &self.grade {
            Some(g) => format!("{g} ({} confidence)", self.confidence),
            None => "not graded".into(),
        }
    }

    /// How many built-in scenarios the disclosure survives, of how many
    /// could be run; `None` when none could.
    pub fn scenarios_survived(&self) -> Option<(usize, usize)> {
        let outcomes: Vec<bool> = self
            .stress
            .iter()
            .filter(|(name, _)| name.ends_with(".survives"))
            .filter_map(|(_, v)| v.as_bool())
            .collect();
        (!outcomes.is_empty()).then(|| (outcomes.iter().filter(|s| **s).count(), outcomes.len()))
    }

    /// A derived figure's value ([`usd1eval_format::derived!`]); yes/no
    /// counts as 1/0.
    pub fn figure(&self, name: crate::facts::derived::FigureName) -> Option<f64> {
        self.derived.get(name.as_str()).and_then(as_number)
    }

    /// A figure's value by path (`score`, `table.field`, `derived.name`,
    /// `stress.scenario.measure`); yes/no counts as 1/0.
    pub fn number(&self, path: &str) -> Option<f64> {
        if path == "score" {
            return self.score;
        }
        let value = if let Some(name) = path.strip_prefix("derived.") {
            self.derived.get(name)
        } else if let Some(name) = path.strip_prefix("stress.") {
            self.stress.get(name)
        } else {
            self.facts.get(path)
        }?;
        as_number(value)
    }
}

/// A figure as a number, at the precision the report writes it (four
/// decimals: what a reader of the history sees is what alerts compare);
/// yes/no counts as 1/0.
fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Number(n) if n.is_finite() => Some(round_to(*n, 4)),
        _ => None,
    }
}

/// How an alert was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AlertKind {
    /// A figure moved the wrong way from its best earlier value, by an
    /// absolute or a relative amount.
    Change,
    /// A figure crossed a level to the worse side.
    Level,
    /// Something changed between two successive disclosures
    /// (`[[history.event]]`).
    Event,
    /// Units outstanding grew while strength fell (`[history.growth]`).
    Growth,
}

/// A figure that moved the wrong way, or a change, between two disclosures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Alert {
    /// A contract. The default rubric raises `volatile-share-rising`,
    /// `buffer-shrinking`, `volatile-exceeds-buffer`, `coverage-below-par`,
    /// `supply-falling`, `assurance-lagging`, `concentration-rising`,
    /// `score-falling`, `reporting-cadence-slipping`,
    /// `redemption-time-rising`, `security-review-stale`, `uptime-falling`,
    /// `peg-deviation-widening`, `stress-weakening`, `custodian-changed` and
    /// `growth-outruns-strength`; a rubric may add its own. See
    /// docs/history.md.
    pub id: String,
    /// How the alert was raised.
    pub kind: AlertKind,
    /// The figure's path (`derived.volatile_share_pct`, `score`); for an
    /// event, the path of what changed (`reserves.custodian[].name`).
    pub figure: String,
    /// The figure's name for people (`Volatile share`).
    pub label: String,
    /// Where the span starts: the disclosure the figure was best at (a
    /// change), the last one on the right side of the level (a crossing),
    /// or the disclosure before the change (an event).
    pub from: String,
    /// Where the span ends: the latest disclosure, or for an event the
    /// disclosure that shows the change.
    pub to: String,
    /// The figure at `from`; null when that disclosure did not carry it, or
    /// for an event that no number measures.
    pub before: Option<f64>,
    /// The figure at `to`; null when that disclosure no longer carries it,
    /// or for an event that no number measures.
    pub after: Option<f64>,
    /// The absolute move that raises a change (`by`), the level at `to` for
    /// a crossing, the days allowed for a report pause, the growth share for
    /// growth; null otherwise.
    pub threshold: Option<f64>,
    /// The relative move, in percent of the best earlier value, that raises
    /// a change (`by_pct`); null otherwise.
    pub threshold_pct: Option<f64>,
    /// The path of the level a crossing figure crossed, when it is another
    /// figure (`derived.overcollateral_pct`).
    pub level: Option<String>,
    /// The alert as a sentence.
    pub message: String,
    /// The reason of the waiver that accepts this alert, if any.
    pub waived: Option<String>,
}

impl History {
    /// The alerts a gate fails on: those no waiver accepts that reach the
    /// latest disclosure. Every change, crossing and growth alert does; an
    /// event does when it happened between the latest two disclosures (an
    /// older one was new, and gated, when its disclosure was the latest).
    pub fn gating(&self) -> impl Iterator<Item = &Alert> {
        let latest = self.points.last().map(|p| p.as_of.as_str());
        self.alerts
            .iter()
            .filter(move |a| a.waived.is_none() && Some(a.to.as_str()) == latest)
    }

    /// True when an alert the gate fails on is raised (see [`History::gating`]).
    pub fn deteriorated(&self) -> bool {
        self.gating().next().is_some()
    }

    /// The event alerts whose change shows at the disclosure of `as_of`.
    pub fn events_at<'h>(&'h self, as_of: &'h str) -> impl Iterator<Item = &'h Alert> {
        self.alerts
            .iter()
            .filter(move |a| a.kind == AlertKind::Event && a.to == as_of)
    }
}

/// Orders the disclosures by date, checks that they are one arrangement's,
/// and raises the alerts of the rubric's `[history]` section.
pub fn history(
    rubric: &Rubric,
    mut disclosures: Vec<Disclosure<'_, '_>>,
) -> Result<History, Vec<Diagnostic>> {
    disclosures.sort_by(|a, b| {
        (a.arrangement.facts.as_of, a.file).cmp(&(b.arrangement.facts.as_of, b.file))
    });
    let mut errors = Vec::new();
    // The arrangement most files describe (on a tie, the earliest one's);
    // every file describing another is named.
    let count = |name: &str| disclosures.iter().filter(|d| name_of(d) == name).count();
    let main = disclosures
        .iter()
        .map(name_of)
        .fold(None, |best: Option<&str>, name| match best {
            Some(b) if count(b) >= count(name) => Some(b),
            _ => Some(name),
        })
        .unwrap_or_default();
    let example = disclosures.iter().find(|d| name_of(d) == main);
    for d in disclosures.iter().filter(|d| name_of(d) != main) {
        errors.push(
            Diagnostic::file_error(
                Code::Inconsistent,
                d.file,
                format!(
                    "describes arrangement `{}`, but {} and {} other file(s) describe `{main}`: a history follows one arrangement",
                    name_of(d),
                    example.map_or("", |e| e.file),
                    count(main).saturating_sub(1)
                ),
            )
            .with_help("give the disclosures of one arrangement; `usd1eval compare` puts different ones side by side"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for pair in disclosures.windows(2) {
        if let [a, b] = pair
            && a.arrangement.facts.as_of == b.arrangement.facts.as_of
        {
            errors.push(
                Diagnostic::file_error(
                    Code::Inconsistent,
                    b.file,
                    format!(
                        "has the same [arrangement].as_of ({}) as {}: a history needs one disclosure per date",
                        b.arrangement.facts.as_of, a.file
                    ),
                )
                .with_help("drop the duplicate, or correct the date of the disclosure it describes"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let fact_paths = watched_facts(rubric);
    let stress_paths = stress_paths(rubric);
    let points: Vec<Point> = disclosures
        .iter()
        .map(|d| point(d, &fact_paths, &stress_paths))
        .collect();
    let dates: Vec<NaiveDate> = disclosures
        .iter()
        .map(|d| d.arrangement.facts.as_of)
        .collect();
    let alerts = alerts(rubric, &points, &dates);
    Ok(History {
        schema_version: SCHEMA_VERSION,
        arrangement: main.to_string(),
        rubric: RubricId {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
        },
        points,
        alerts,
    })
}

fn name_of<'a>(d: &Disclosure<'a, '_>) -> &'a str {
    &d.arrangement.facts.name
}

/// The stress measures every point carries for each built-in scenario.
pub(crate) const STRESS_MEASURES: &[&str] = &["survives", "min_coverage_ratio", "unpaid_usd"];

/// Every path a watch reads: its figure and, for a crossing of another
/// figure, that figure.
fn watched_paths(rubric: &Rubric) -> impl Iterator<Item = &str> {
    let h = &rubric.history;
    h.alerts
        .iter()
        .flat_map(|a| {
            let level = match &a.trigger {
                Trigger::Crossing(Level::Figure { path, .. }) => Some(path.as_str()),
                _ => None,
            };
            std::iter::once(a.path.as_str()).chain(level)
        })
        .chain(h.growth.iter().map(|g| g.path.as_str()))
}

/// The declared fact paths (not derived, not stress, not the score) that
/// points carry: the story's and every one the rubric watches.
fn watched_facts(rubric: &Rubric) -> Vec<&str> {
    let mut paths: Vec<&str> = STORY
        .iter()
        .map(|(path, _)| *path)
        .chain(watched_paths(rubric))
        .filter(|p| *p != "score" && !p.starts_with("derived.") && !p.starts_with("stress."))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

/// The stress figure paths points carry: each built-in scenario's
/// [`STRESS_MEASURES`], the reverse stress test, and every stress figure
/// the rubric watches.
fn stress_paths(rubric: &Rubric) -> Vec<String> {
    let mut paths: Vec<String> = crate::stress::scenario::builtin_ids()
        .flat_map(|id| {
            STRESS_MEASURES
                .iter()
                .map(move |m| format!("stress.{id}.{m}"))
        })
        .chain(["t0", "t1", "t5"].map(|t| format!("stress.max_redeemable_pct.{t}")))
        .chain(
            watched_paths(rubric)
                .filter(|p| p.starts_with("stress."))
                .map(String::from),
        )
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

fn point(d: &Disclosure<'_, '_>, fact_paths: &[&str], stress_paths: &[String]) -> Point {
    let r = d.report;
    let facts = &d.arrangement.facts;
    let figure = |value: Value| matches!(value, Value::Number(_) | Value::Bool(_)).then_some(value);
    let declared = fact_paths
        .iter()
        .filter_map(|path| {
            let Some(Target::Field(table, field)) = crate::figures::resolve(path) else {
                return None;
            };
            let value = facts.fact(table, field)?.value.clone();
            Some(((*path).to_string(), figure(value)?))
        })
        .collect();
    let stress = stress_paths
        .iter()
        .filter_map(|path| {
            let value = crate::stress::figure_value(&r.stress, path)?;
            let name = path.strip_prefix("stress.")?;
            Some((name.to_string(), figure(value)?))
        })
        .collect();
    let custodians = facts
        .entries(table!("reserves.custodian"))
        .iter()
        .map(|c| Custodian {
            name: c.text(fact!("reserves.custodian[].name")).map(String::from),
            country: c
                .text(fact!("reserves.custodian[].country"))
                .map(String::from),
            share_pct: c.number(fact!("reserves.custodian[].share_pct")),
        })
        .collect();
    let report_firm = crate::facts::derived::newest_report(
        facts,
        facts.as_of,
        crate::facts::derived::ASSURANCE_KINDS,
        true,
    )
    .and_then(|(_, report)| report.text(fact!("attestation[].firm")))
    .map(String::from);
    Point {
        as_of: facts.as_of.to_string(),
        file: d.file.to_string(),
        // A score over nothing known is no score, and must not read as a fall.
        score: (r.overall.coverage_pct > 0.0).then(|| round1_value(r.overall.score)),
        grade: r.overall.grade.as_deref().map(String::from),
        confidence: r.overall.confidence.to_string(),
        coverage_pct: round1_value(r.overall.coverage_pct),
        caps: r.caps.iter().map(|c| c.id.clone()).collect(),
        stage: r.stage.clone(),
        derived: r.derived.clone(),
        facts: declared,
        stress,
        custodians,
        report_firm,
    }
}

fn alerts(rubric: &Rubric, points: &[Point], dates: &[NaiveDate]) -> Vec<Alert> {
    let series =
        |path: &str| -> Vec<Option<f64>> { points.iter().map(|p| p.number(path)).collect() };
    let mut out: Vec<Alert> = Vec::new();
    for w in &rubric.history.alerts {
        let values = series(&w.path);
        let alert = match &w.trigger {
            Trigger::Change(threshold) => change_alert(w, *threshold, &values, dates),
            Trigger::Crossing(level) => {
                let levels = match level {
                    Level::Value(v) => vec![Some(*v); values.len()],
                    Level::Figure { path, .. } => series(path),
                };
                crossing_alert(w, level, &values, &levels, dates)
            }
        };
        out.extend(alert);
    }
    for e in &rubric.history.events {
        for (i, pair) in points.windows(2).enumerate() {
            if let [a, b] = pair
                && let Some(found) = event(e, a, b)
            {
                out.push(Alert {
                    id: e.id.clone(),
                    kind: AlertKind::Event,
                    figure: found.figure.to_string(),
                    label: e.label.clone(),
                    from: date(dates, i),
                    to: date(dates, i + 1),
                    before: found.before,
                    after: found.after,
                    threshold: found.threshold,
                    threshold_pct: None,
                    level: None,
                    message: found.message,
                    waived: None,
                });
            }
        }
    }
    if let Some(rule) = &rubric.history.growth
        && let Some(alert) = growth_alert(rule, &rubric.history.alerts, &out, points, dates)
    {
        out.push(alert);
    }
    out
}

/// The alert of a change watch, when the figure moved far enough.
fn change_alert(
    w: &Watch,
    threshold: Threshold,
    values: &[Option<f64>],
    dates: &[NaiveDate],
) -> Option<Alert> {
    let (from, to) = deterioration(values, w.worse, threshold, w.missing_is_worse)?;
    let before = values.get(from).copied().flatten();
    let after = values.get(to).copied().flatten();
    let (from_date, to_date) = (date(dates, from), date(dates, to));
    Some(Alert {
        message: change_message(
            w,
            before,
            after,
            threshold.by_pct.is_some(),
            &from_date,
            &to_date,
        ),
        kind: AlertKind::Change,
        threshold: threshold.by,
        threshold_pct: threshold.by_pct,
        level: None,
        ..watch_alert(w, (from_date, before), (to_date, after))
    })
}

/// The alert of a level watch, when the figure crossed its level; `levels`
/// holds the level at each disclosure.
fn crossing_alert(
    w: &Watch,
    level: &Level,
    values: &[Option<f64>],
    levels: &[Option<f64>],
    dates: &[NaiveDate],
) -> Option<Alert> {
    let (from, to) = crossing(values, levels, w.worse)?;
    let before = values.get(from).copied().flatten();
    let after = values.get(to).copied().flatten();
    let level_at = |i: usize| levels.get(i).copied().flatten();
    let (from_date, to_date) = (date(dates, from), date(dates, to));
    Some(Alert {
        message: crossing_message(
            w,
            level,
            (before, level_at(from)),
            (after, level_at(to)),
            &from_date,
            &to_date,
        ),
        kind: AlertKind::Level,
        threshold: level_at(to),
        threshold_pct: None,
        level: match level {
            Level::Figure { path, .. } => Some(path.clone()),
            Level::Value(_) => None,
        },
        ..watch_alert(w, (from_date, before), (to_date, after))
    })
}

/// What every watch's alert says of its figure and span; the kind,
/// thresholds and sentence are the trigger's.
fn watch_alert(
    w: &Watch,
    (from, before): (String, Option<f64>),
    (to, after): (String, Option<f64>),
) -> Alert {
    Alert {
        id: w.id.clone(),
        kind: AlertKind::Change,
        figure: w.path.clone(),
        label: w.label.clone(),
        from,
        to,
        before,
        after,
        threshold: None,
        threshold_pct: None,
        level: None,
        message: String::new(),
        waived: None,
    }
}

fn date(dates: &[NaiveDate], i: usize) -> String {
    dates.get(i).map(ToString::to_string).unwrap_or_default()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms (`HHI`) and the like as they are.
        Some(c) if chars.clone().next().is_some_and(char::is_lowercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A figure's value as a reader writes it, in its unit
/// ([`crate::facts::schema::Quantity`]); the score with one decimal, yes/no
/// as words.
pub fn show(figure: Figure, v: f64) -> String {
    let unit = match figure {
        Figure::Score => return crate::report::fixed(v, 1),
        Figure::Fact(target) => match target.kind() {
            Kind::Bool => return if v >= 0.5 { "yes" } else { "no" }.to_string(),
            Kind::Number(unit) | Kind::Integer(unit) => unit,
            _ => Unit::Count,
        },
    };
    crate::facts::schema::Quantity::new(v, unit).to_string()
}

#[cfg(test)]
mod tests;
