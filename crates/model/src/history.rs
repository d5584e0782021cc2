//! Successive disclosures of one arrangement: the figures over time, and the
//! alerts where strength falls behind. Pure: the evaluated disclosures and the
//! rubric's `[history]` section in, a [`History`] out.
//!
//! Every alert compares the latest disclosure with the best earlier one, so a
//! CI job watching a disclosure file sees what is worse now, not an episode
//! that has since recovered; its span runs from that best disclosure to the
//! latest.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;

use crate::facts::schema::{Kind, Target, Unit};
use crate::facts::{Arrangement, Value};
use crate::report::{Report, SCHEMA_VERSION, Stage, round1_value};
use crate::rubric::Rubric;
use crate::rubric::history::{
    EventKind, EventWatch, Figure, GrowthRule, Level, Trigger, Watch, Worse,
};
use crate::source::{Code, Diagnostic};

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
    pub derived: BTreeMap<&'static str, serde_json::Value>,
    /// The declared facts the history watches or shows, by path.
    pub facts: BTreeMap<String, serde_json::Value>,
    /// The stress figures over time, by path without `stress.`: each
    /// built-in scenario's `survives`, `min_coverage_ratio` and
    /// `unpaid_usd`, the reverse stress test's `max_redeemable_pct.t0|t1|t5`,
    /// and any other stress figure the rubric watches. A figure the
    /// disclosure cannot support is left out.
    pub stress: BTreeMap<String, serde_json::Value>,
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
        match value {
            serde_json::Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            v => v.as_f64(),
        }
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
pub const STRESS_MEASURES: &[&str] = &["survives", "min_coverage_ratio", "unpaid_usd"];

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
    let figure =
        |value: Value| matches!(value, Value::Number(_) | Value::Bool(_)).then(|| value.to_json());
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
        .entries("reserves.custodian")
        .iter()
        .map(|c| Custodian {
            name: c.text("name").map(String::from),
            country: c.text("country").map(String::from),
            share_pct: c.number("share_pct"),
        })
        .collect();
    let report_firm = crate::facts::derived::newest_report(
        facts,
        facts.as_of,
        crate::facts::derived::ASSURANCE_KINDS,
        true,
    )
    .and_then(|(_, report)| report.text("firm"))
    .map(String::from);
    Point {
        as_of: facts.as_of.to_string(),
        file: d.file.to_string(),
        // A score over nothing known is no score, and must not read as a fall.
        score: (r.overall.coverage_pct > 0.0).then(|| round1_value(r.overall.score)),
        grade: r.overall.grade.map(String::from),
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

/// How far a figure must move the wrong way from its best earlier value
/// for a change alert: by an absolute amount, a relative one, or either.
#[derive(Debug, Clone, Copy, Default)]
pub struct Threshold {
    /// In the figure's unit.
    pub by: Option<f64>,
    /// In percent of the best earlier value.
    pub by_pct: Option<f64>,
}

impl Threshold {
    /// An absolute threshold alone.
    pub fn by(by: f64) -> Self {
        Threshold {
            by: Some(by),
            by_pct: None,
        }
    }

    /// Whether a move of `moved` from `best` meets it. A relative move from
    /// zero is unbounded: any move the wrong way meets a relative threshold.
    fn met(self, best: f64, moved: f64) -> bool {
        // A hair of tolerance, so that a move of exactly the threshold in
        // rounded figures counts.
        let absolute = self.by.is_some_and(|by| moved >= by - 1e-9);
        let relative = self.by_pct.is_some_and(|pct| {
            if best.abs() < 1e-12 {
                moved > 1e-12
            } else {
                moved / best.abs() * 100.0 >= pct - 1e-9
            }
        });
        absolute || relative
    }
}

/// The move from `before` to `after` in percent of `before`, signed; `None`
/// from zero.
fn relative_pct(before: f64, after: f64) -> Option<f64> {
    (before.abs() > 1e-12).then(|| (after - before) / before.abs() * 100.0)
}

/// Where a watched figure went wrong: the indices of the best earlier
/// disclosure and of the latest one.
pub fn deterioration(
    values: &[Option<f64>],
    worse: Worse,
    threshold: Threshold,
    missing_is_worse: bool,
) -> Option<(usize, usize)> {
    let (latest, earlier) = values.split_last()?;
    let last = earlier.len();
    let Some(now) = latest else {
        // Disclosed before, gone now: from the last disclosure that had it.
        return missing_is_worse
            .then(|| earlier.iter().rposition(Option::is_some))
            .flatten()
            .map(|i| (i, last));
    };
    let better = |a: f64, b: f64| match worse {
        Worse::Higher => a < b,
        Worse::Lower => a > b,
    };
    // The best earlier value; on a tie the later disclosure, so the span
    // starts where the slide did.
    let (best_at, best) = earlier
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .fold(None, |acc: Option<(usize, f64)>, (i, v)| match acc {
            Some((_, b)) if better(b, v) => acc,
            _ => Some((i, v)),
        })?;
    let moved = match worse {
        Worse::Higher => now - best,
        Worse::Lower => best - now,
    };
    threshold.met(best, moved).then_some((best_at, last))
}

/// Where a watched figure crossed its level to the worse side: the index of
/// the last earlier disclosure on the right side of it (or on it), and the
/// latest one, which is strictly beyond it. Both the figure and the level
/// must be known at both ends; a figure beyond the level all along has not
/// crossed it.
pub fn crossing(
    values: &[Option<f64>],
    levels: &[Option<f64>],
    worse: Worse,
) -> Option<(usize, usize)> {
    let beyond = |v: f64, level: f64| match worse {
        Worse::Higher => v > level + 1e-9,
        Worse::Lower => v < level - 1e-9,
    };
    let at = |i: usize| {
        values
            .get(i)
            .copied()
            .flatten()
            .zip(levels.get(i).copied().flatten())
    };
    let last = values.len().checked_sub(1)?;
    let (now, level) = at(last)?;
    if !beyond(now, level) {
        return None;
    }
    let from = (0..last)
        .rev()
        .find(|&i| at(i).is_some_and(|(v, l)| !beyond(v, l)))?;
    Some((from, last))
}

fn alerts(rubric: &Rubric, points: &[Point], dates: &[NaiveDate]) -> Vec<Alert> {
    let series =
        |path: &str| -> Vec<Option<f64>> { points.iter().map(|p| p.number(path)).collect() };
    let mut out: Vec<Alert> = Vec::new();
    for w in &rubric.history.alerts {
        let values = series(&w.path);
        let (kind, span, levels) = match &w.trigger {
            Trigger::Change { by, by_pct } => {
                let threshold = Threshold {
                    by: *by,
                    by_pct: *by_pct,
                };
                let span = deterioration(&values, w.worse, threshold, w.missing_is_worse);
                (AlertKind::Change, span, Vec::new())
            }
            Trigger::Crossing(level) => {
                let levels = match level {
                    Level::Value(v) => vec![Some(*v); values.len()],
                    Level::Figure { path, .. } => series(path),
                };
                (
                    AlertKind::Level,
                    crossing(&values, &levels, w.worse),
                    levels,
                )
            }
        };
        let Some((from, to)) = span else {
            continue;
        };
        let before = values.get(from).copied().flatten();
        let after = values.get(to).copied().flatten();
        let (from_date, to_date) = (date(dates, from), date(dates, to));
        let (threshold, threshold_pct, level) = match &w.trigger {
            Trigger::Change { by, by_pct } => (*by, *by_pct, None),
            Trigger::Crossing(l) => (
                levels.get(to).copied().flatten(),
                None,
                match l {
                    Level::Figure { path, .. } => Some(path.clone()),
                    Level::Value(_) => None,
                },
            ),
        };
        let message = match &w.trigger {
            Trigger::Change { by_pct, .. } => {
                change_message(w, before, after, by_pct.is_some(), &from_date, &to_date)
            }
            Trigger::Crossing(l) => crossing_message(
                w,
                l,
                (before, levels.get(from).copied().flatten()),
                (after, threshold),
                &from_date,
                &to_date,
            ),
        };
        out.push(Alert {
            id: w.id.clone(),
            kind,
            figure: w.path.clone(),
            label: w.label.clone(),
            from: from_date,
            to: to_date,
            before,
            after,
            threshold,
            threshold_pct,
            level,
            message,
            waived: None,
        });
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

fn date(dates: &[NaiveDate], i: usize) -> String {
    dates.get(i).map(ToString::to_string).unwrap_or_default()
}

fn change_message(
    w: &Watch,
    before: Option<f64>,
    after: Option<f64>,
    relative: bool,
    from: &str,
    to: &str,
) -> String {
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| show(w.figure, v));
    match after {
        None => format!(
            "{} was {} on {from} and is no longer disclosed on {to}.",
            w.label,
            show(before)
        ),
        Some(_) if w.figure.kind() == Kind::Bool => format!(
            "{}: {} on {from}, {} on {to}.",
            w.label,
            show(before),
            show(after)
        ),
        Some(now) => {
            // Said when the rubric measures the move relative to itself.
            let share = before
                .and_then(|b| relative_pct(b, now))
                .filter(|_| relative)
                .map(|pct| {
                    format!(
                        " ({}{}%)",
                        if pct < 0.0 { "−" } else { "+" },
                        crate::facts::format_number(crate::report::round_to(pct.abs(), 0))
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} from {} on {from} to {} on {to}{share}.",
                w.label,
                match w.worse {
                    Worse::Higher => "rose",
                    Worse::Lower => "fell",
                },
                show(before),
                show(after)
            )
        }
    }
}

fn crossing_message(
    w: &Watch,
    level: &Level,
    (before, level_before): (Option<f64>, Option<f64>),
    (after, level_after): (Option<f64>, Option<f64>),
    from: &str,
    to: &str,
) -> String {
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| show(w.figure, v));
    let way = match w.worse {
        Worse::Higher => "rose above",
        Worse::Lower => "fell below",
    };
    match level {
        Level::Value(v) => format!(
            "{} {way} {} on {to}: {} ({} on {from}).",
            w.label,
            show(Some(*v)),
            show(after),
            show(before)
        ),
        Level::Figure { label, figure, .. } => {
            let level_show =
                |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| self::show(*figure, v));
            format!(
                "{} {way} {label} on {to}: {} against {} ({} against {} on {from}).",
                w.label,
                show(after),
                level_show(level_after),
                show(before),
                level_show(level_before)
            )
        }
    }
}

/// A change an event watch found between two successive disclosures.
struct Found {
    /// The path of what changed.
    figure: &'static str,
    /// The change, as a sentence.
    message: String,
    before: Option<f64>,
    after: Option<f64>,
    threshold: Option<f64>,
}

/// Whether `e` happened between disclosures `a` and `b` (in date order).
fn event(e: &EventWatch, a: &Point, b: &Point) -> Option<Found> {
    match e.kind {
        EventKind::Custodians => custodians_changed(a, b),
        EventKind::ReportFirm => report_firm_changed(a, b),
        EventKind::ReportPause => report_paused(a, b, e),
        EventKind::RealtimeUnregistered => {
            (realtime_unregistered(b) && !realtime_unregistered(a)).then(|| Found {
                figure: "transparency.reserve_report_frequency",
                message: format!(
                    "Real-time reserve reporting is declared on {}, but the firm of the newest independent report, {}, is {}: a real-time claim is worth the firm behind it.",
                    b.as_of,
                    crate::text::one_line(b.report_firm.as_deref().unwrap_or("unnamed")),
                    registration(b)
                ),
                before: None,
                after: None,
                threshold: None,
            })
        }
    }
}

/// Whether the newest independent report's firm is declared registered.
fn registered(p: &Point) -> Option<bool> {
    p.derived
        .get("latest_report_registered_firm")
        .and_then(serde_json::Value::as_bool)
}

/// "declared not registered" or "not declared registered", as the point says.
fn registration(p: &Point) -> &'static str {
    match registered(p) {
        Some(false) => "declared not registered",
        _ => "not declared registered",
    }
}

/// A point that declares real-time reserve reporting while the newest
/// independent report's firm is declared not registered (unknown is not
/// weak: a firm whose registration is not declared is not flagged).
fn realtime_unregistered(p: &Point) -> bool {
    p.number("derived.reserve_report_interval_days") == Some(0.0) && registered(p) == Some(false)
}

/// The newest independent report's firm changed to one declared not
/// registered, or to one whose registration is not declared where the
/// earlier firm's was (a registration no longer known).
fn report_firm_changed(a: &Point, b: &Point) -> Option<Found> {
    let (old, new) = (a.report_firm.as_deref()?, b.report_firm.as_deref()?);
    let lost = match registered(b) {
        Some(false) => true,
        None => registered(a) == Some(true),
        Some(true) => false,
    };
    if crate::facts::derived::same_party(old, new) || !lost {
        return None;
    }
    Some(Found {
        figure: "attestation[].firm",
        message: format!(
            "{} ({}) replaced {} as the firm of the newest independent report on {}.",
            crate::text::one_line(new),
            registration(b),
            crate::text::one_line(old),
            b.as_of
        ),
        before: None,
        after: None,
        threshold: None,
    })
}

fn report_paused(a: &Point, b: &Point, watch: &EventWatch) -> Option<Found> {
    let interval = a.number("derived.reserve_report_interval_days")?;
    let allowed = watch.allowed_age_days(interval);
    let age_before = a.number("derived.latest_attestation_age_days")?;
    let age_after = b.number("derived.latest_attestation_age_days")?;
    // The declared cadence is that of reserve composition reports, which
    // need not be independent ones (weekly composition, monthly
    // attestations): it is taken to describe the independent reports only
    // when the earlier disclosure's newest one kept it. A pause already under
    // way there was raised where it began.
    if age_before > interval + 1e-9 || age_after <= allowed + 1e-9 {
        return None;
    }
    let days = |d: f64| crate::facts::format_number(round1_value(d));
    Some(Found {
        figure: "derived.latest_attestation_age_days",
        message: format!(
            "Reserve reports paused: the disclosure of {} declared {}; on {} the newest independent report is {} day(s) old, beyond the {} that cadence and its grace allow.",
            a.as_of,
            if interval > 0.0 {
                format!("a report every {} day(s)", days(interval))
            } else {
                "real-time reports".to_string()
            },
            b.as_of,
            days(age_after),
            days(allowed)
        ),
        before: Some(age_before),
        after: Some(age_after),
        threshold: Some(allowed),
    })
}

fn custodians_changed(a: &Point, b: &Point) -> Option<Found> {
    let same = crate::facts::derived::same_party;
    let named = |p: &Point| -> Vec<(String, Option<String>)> {
        p.custodians
            .iter()
            .filter_map(|c| Some((c.name.clone()?, c.country.clone())))
            .collect()
    };
    let (old, new) = (named(a), named(b));
    // Unknown is no change: both disclosures must name their custodians.
    if old.is_empty() || new.is_empty() {
        return None;
    }
    let find = |list: &[(String, Option<String>)], name: &str| {
        list.iter().find(|(n, _)| same(n, name)).cloned()
    };
    // Names come from files: written so that nothing in them can act on a
    // terminal.
    let line = crate::text::one_line;
    let with_country = |(name, country): &(String, Option<String>)| match country {
        Some(c) => format!("{} ({})", line(name), line(c)),
        None => line(name).into_owned(),
    };
    let mut changes: Vec<String> = Vec::new();
    let removed: Vec<String> = old
        .iter()
        .filter(|(n, _)| find(&new, n).is_none())
        .map(with_country)
        .collect();
    let added: Vec<String> = new
        .iter()
        .filter(|(n, _)| find(&old, n).is_none())
        .map(with_country)
        .collect();
    if !removed.is_empty() {
        changes.push(format!("{} no longer listed", join_and(&removed)));
    }
    if !added.is_empty() {
        changes.push(format!("{} added", join_and(&added)));
    }
    for (name, country) in &new {
        if let (Some(now), Some((_, Some(was)))) = (country, find(&old, name))
            && !now.eq_ignore_ascii_case(&was)
        {
            changes.push(format!(
                "{} moved from {} to {}",
                line(name),
                line(&was),
                line(now)
            ));
        }
    }
    let countries = |list: &[(String, Option<String>)]| -> Vec<String> {
        let mut c: Vec<String> = list
            .iter()
            .filter_map(|(_, c)| c.as_ref().map(|c| c.to_ascii_uppercase()))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let (was, now) = (countries(&old), countries(&new));
    let moved = !was.is_empty() && !now.is_empty() && was != now;
    if changes.is_empty() && !moved {
        return None;
    }
    let mut detail = join_and(&changes);
    if moved {
        detail.push_str(&format!(
            "{}custody now in {} (was {})",
            if detail.is_empty() { "" } else { "; " },
            line(&now.join(", ")),
            line(&was.join(", "))
        ));
    }
    Some(Found {
        figure: "reserves.custodian[].name",
        message: format!("Reserve custodians changed on {}: {detail}.", b.as_of),
        before: None,
        after: None,
        threshold: None,
    })
}

/// Growth that outruns strength: the growth figure rose by at least the
/// rule's share over the span of a strength alert, or since the last
/// disclosure whose evidenced stage kept up with its visible one.
fn growth_alert(
    rule: &GrowthRule,
    watches: &[Watch],
    raised: &[Alert],
    points: &[Point],
    dates: &[NaiveDate],
) -> Option<Alert> {
    let last = points.len().checked_sub(1)?;
    let growth = points
        .iter()
        .map(|p| p.number(&rule.path))
        .collect::<Vec<_>>();
    let grew = |from: usize| -> bool {
        match (
            growth.get(from).copied().flatten(),
            growth.get(last).copied().flatten(),
        ) {
            (Some(a), Some(b)) if a > 0.0 => (b / a - 1.0) * 100.0 >= rule.min_growth_pct - 1e-9,
            _ => false,
        }
    };
    // (start of the span, what fell behind)
    let mut reasons: Vec<(usize, String)> = Vec::new();
    // One reason per alert id: its first figure says it.
    let mut named: Vec<&str> = Vec::new();
    for alert in raised.iter().filter(|a| rule.strength.contains(&a.id)) {
        if named.contains(&alert.id.as_str()) {
            continue;
        }
        named.push(&alert.id);
        let from = dates
            .iter()
            .position(|d| d.to_string() == alert.from)
            .unwrap_or(0);
        let worse = watches
            .iter()
            .find(|w| w.id == alert.id && w.path == alert.figure)
            .map(|w| w.worse);
        if grew(from) {
            let verb = match (alert.after, worse) {
                (None, _) => "was no longer disclosed",
                (_, Some(Worse::Lower)) => "fell",
                _ => "rose",
            };
            reasons.push((from, format!("{} {verb}", lower_first(&alert.label))));
        }
    }
    if let Some(latest) = points.get(last).filter(|p| p.stage.outruns == Some(true)) {
        let from = points
            .iter()
            .rposition(|p| p.stage.outruns != Some(true))
            .unwrap_or(0);
        if grew(from) {
            reasons.push((
                from,
                format!(
                    "the evidenced stage ({}) stayed below the visible one ({})",
                    latest.stage.evidenced.as_deref().unwrap_or("none"),
                    latest.stage.visible.as_deref().unwrap_or("none")
                ),
            ));
        }
    }
    let from = reasons.iter().map(|(i, _)| *i).min()?;
    let before = growth.get(from).copied().flatten();
    let after = growth.get(last).copied().flatten();
    let pct = before
        .zip(after)
        .map(|(a, b)| (b / a - 1.0) * 100.0)
        .unwrap_or_default();
    let (from_date, to_date) = (date(dates, from), date(dates, last));
    let why: Vec<String> = reasons.into_iter().map(|(_, r)| r).collect();
    Some(Alert {
        id: rule.id.clone(),
        kind: AlertKind::Growth,
        figure: rule.path.clone(),
        label: rule.label.clone(),
        message: format!(
            "{} grew {pct:.0}% from {} on {from_date} to {} on {to_date} while {}.",
            rule.label,
            before.map_or_else(|| "–".into(), |v| show(rule.figure, v)),
            after.map_or_else(|| "–".into(), |v| show(rule.figure, v)),
            join_and(&why)
        ),
        from: from_date,
        to: to_date,
        before,
        after,
        threshold: Some(rule.min_growth_pct),
        threshold_pct: None,
        level: None,
        waived: None,
    })
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

/// A figure's value as a reader writes it, in its unit.
pub fn show(figure: Figure, v: f64) -> String {
    let unit = match figure {
        Figure::Score => return crate::report::fixed(v, 1),
        Figure::Fact(target) => match target.kind() {
            Kind::Bool => return if v >= 0.5 { "yes" } else { "no" }.to_string(),
            Kind::Number(unit) | Kind::Integer(unit) => unit,
            _ => Unit::Count,
        },
    };
    match unit {
        Unit::Usd => crate::number::usd(v),
        Unit::Pct => format!(
            "{}%",
            crate::facts::format_number(crate::report::round_to(v, 2))
        ),
        Unit::Bps => format!("{v:.0} bps"),
        Unit::Days => format!("{} days", crate::facts::format_number(round1_value(v))),
        Unit::Hours => format!("{} h", crate::facts::format_number(round1_value(v))),
        Unit::Ratio => format!("{v:.3}"),
        Unit::Count => format!("{v:.0}"),
    }
}

/// Dollars in millions or billions.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::load_rubric;

    /// A point carrying the given figures, by path.
    fn point(as_of: NaiveDate, figures: &[(&str, f64)], outruns: bool) -> Point {
        let mut p = Point {
            as_of: as_of.to_string(),
            file: format!("{as_of}.toml"),
            score: None,
            grade: None,
            confidence: "high".into(),
            coverage_pct: 100.0,
            caps: Vec::new(),
            stage: Stage {
                outruns: Some(outruns),
                ..Stage::default()
            },
            derived: BTreeMap::new(),
            facts: BTreeMap::new(),
            stress: BTreeMap::new(),
            custodians: Vec::new(),
            report_firm: None,
        };
        for (path, v) in figures {
            let json = match Figure::resolve(path).map(Figure::kind) {
                Some(Kind::Bool) => serde_json::Value::Bool(*v >= 0.5),
                _ => crate::report::number_json(*v, 4),
            };
            if *path == "score" {
                p.score = Some(*v);
            } else if let Some(name) = path.strip_prefix("stress.") {
                p.stress.insert(name.to_string(), json);
            } else if let Some(spec) = path
                .strip_prefix("derived.")
                .and_then(crate::facts::derived::spec)
            {
                p.derived.insert(spec.name, json);
            } else {
                p.facts.insert((*path).to_string(), json);
            }
        }
        p
    }

    fn dates(n: usize) -> Vec<NaiveDate> {
        (0..n)
            .map(|i| NaiveDate::from_ymd_opt(2026, 1 + i as u32 * 3, 1).unwrap())
            .collect()
    }

    fn raised(points: &[Point]) -> Vec<(String, String)> {
        let rubric = load_rubric("milestones").unwrap();
        alerts(&rubric, points, &dates(points.len()))
            .into_iter()
            .map(|a| (a.id, a.figure))
            .collect()
    }

    #[test]
    fn every_alert_of_the_rubric_is_raised_at_its_threshold_and_not_below() {
        let rubric = load_rubric("milestones").unwrap();
        assert!(rubric.history.alerts.len() >= 10);
        let d = dates(2);
        for w in &rubric.history.alerts {
            let want = vec![(w.id.clone(), w.path.clone())];
            let Trigger::Change { by, by_pct } = w.trigger else {
                continue;
            };
            let base = if w.figure.kind() == Kind::Bool {
                1.0
            } else {
                50.0
            };
            let step = |by: f64| match w.worse {
                Worse::Higher => base + by,
                Worse::Lower => base - by,
            };
            let at = |by: f64| {
                raised(&[
                    point(d[0], &[(w.path.as_str(), base)], false),
                    point(d[1], &[(w.path.as_str(), step(by))], false),
                ])
                .into_iter()
                .filter(|(id, _)| *id == w.id)
                .collect::<Vec<_>>()
            };
            // The smaller of the two moves raises it, and less does not.
            let least = by
                .into_iter()
                .chain(by_pct.map(|pct| base * pct / 100.0))
                .fold(f64::INFINITY, f64::min);
            assert_eq!(at(least), want, "{} at its threshold", w.path);
            if w.figure.kind() != Kind::Bool {
                assert_eq!(at(least * 0.9), vec![], "{} below its threshold", w.path);
            }
        }
    }

    #[test]
    fn a_buffer_losing_a_fifth_of_itself_shrinks_though_it_moved_little() {
        let d = dates(2);
        let buffer = "derived.overcollateral_pct";
        let found = |after: f64| {
            raised(&[
                point(d[0], &[(buffer, 5.0)], false),
                point(d[1], &[(buffer, after)], false),
            ])
        };
        assert_eq!(
            found(3.9),
            vec![("buffer-shrinking".to_string(), buffer.to_string())]
        );
        assert_eq!(found(4.1), vec![]);
    }

    #[test]
    fn volatile_assets_rising_above_the_buffer_cross_it() {
        let d = dates(2);
        let (volatile, buffer) = ("derived.volatile_share_pct", "derived.overcollateral_pct");
        // November 2025: 3 % beside 5 %, then 5.6 % beside 3.9 %: neither
        // move reaches its absolute threshold.
        let rubric = load_rubric("milestones").unwrap();
        let points = [
            point(d[0], &[(volatile, 3.0), (buffer, 5.0)], false),
            point(d[1], &[(volatile, 5.6), (buffer, 3.9)], false),
        ];
        let found = alerts(&rubric, &points, &d);
        let crossed = found
            .iter()
            .find(|a| a.id == "volatile-exceeds-buffer")
            .unwrap();
        assert_eq!(crossed.kind, AlertKind::Level);
        assert_eq!(
            (crossed.before, crossed.after, crossed.threshold),
            (Some(3.0), Some(5.6), Some(3.9))
        );
        assert_eq!(crossed.level.as_deref(), Some(buffer));
        assert!(
            crossed
                .message
                .contains("rose above over-collateral on 2026-04-01: 5.6% against 3.9%"),
            "{}",
            crossed.message
        );
        // Above the buffer all along is the snapshot's news, not the history's.
        let always = [
            point(d[0], &[(volatile, 13.0), (buffer, 5.0)], false),
            point(d[1], &[(volatile, 13.5), (buffer, 4.9)], false),
        ];
        assert!(
            alerts(&rubric, &always, &d)
                .iter()
                .all(|a| a.id != "volatile-exceeds-buffer")
        );
    }

    #[test]
    fn a_crossing_starts_at_the_last_disclosure_on_the_right_side() {
        let v = [Some(0.9), Some(1.02), Some(1.01), Some(0.98)];
        let one = [Some(1.0); 4];
        assert_eq!(crossing(&v, &one, Worse::Lower), Some((2, 3)));
        // On the level is not beyond it.
        assert_eq!(crossing(&[Some(1.1), Some(1.0)], &one, Worse::Lower), None);
        assert_eq!(crossing(&[Some(1.1), None], &one, Worse::Lower), None);
        assert_eq!(crossing(&[Some(0.9)], &one, Worse::Lower), None);
    }

    #[test]
    fn a_supply_falling_by_a_quarter_is_an_alert_and_a_smaller_fall_is_not() {
        let d = dates(2);
        let supply = "supply.outstanding_usd";
        let found = |after: f64| {
            raised(&[
                point(d[0], &[(supply, 3.0e9)], false),
                point(d[1], &[(supply, after)], false),
            ])
        };
        assert_eq!(
            found(0.81e9),
            vec![("supply-falling".to_string(), supply.to_string())]
        );
        assert_eq!(found(2.4e9), vec![]);
    }

    #[test]
    fn a_relative_move_from_zero_is_unbounded() {
        let pct = Threshold {
            by: None,
            by_pct: Some(10.0),
        };
        assert_eq!(
            deterioration(&[Some(0.0), Some(5.0)], Worse::Higher, pct, false),
            Some((0, 1))
        );
        assert_eq!(
            deterioration(&[Some(0.0), Some(0.0)], Worse::Higher, pct, false),
            None
        );
    }

    #[test]
    fn a_weaker_stress_outcome_is_an_alert() {
        let d = dates(2);
        let survives = "stress.run-march-2023.survives";
        let coverage = "stress.run-30-5.min_coverage_ratio";
        assert_eq!(
            raised(&[
                point(d[0], &[(survives, 1.0), (coverage, 1.01)], false),
                point(d[1], &[(survives, 0.0), (coverage, 0.98)], false),
            ]),
            vec![
                ("stress-weakening".to_string(), survives.to_string()),
                ("stress-weakening".to_string(), coverage.to_string()),
            ]
        );
    }

    fn with_custodians(mut p: Point, custodians: &[(&str, &str)]) -> Point {
        p.custodians = custodians
            .iter()
            .map(|(name, country)| Custodian {
                name: Some((*name).to_string()),
                country: Some((*country).to_string()),
                share_pct: None,
            })
            .collect();
        p
    }

    fn with_report(mut p: Point, firm: &str, registered: Option<bool>, cadence: f64) -> Point {
        p.report_firm = Some(firm.to_string());
        if let Some(r) = registered {
            p.derived
                .insert("latest_report_registered_firm", serde_json::Value::Bool(r));
        }
        p.derived.insert(
            "reserve_report_interval_days",
            crate::report::number_json(cadence, 1),
        );
        p
    }

    fn events(points: &[Point]) -> Vec<(String, String, String)> {
        let rubric = load_rubric("milestones").unwrap();
        alerts(&rubric, points, &dates(points.len()))
            .into_iter()
            .filter(|a| a.kind == AlertKind::Event)
            .map(|a| (a.id, a.to, a.message))
            .collect()
    }

    #[test]
    fn custody_moving_offshore_is_an_event_that_names_who_and_where() {
        let d = dates(3);
        let points = [
            with_custodians(
                point(d[0], &[], false),
                &[("Prime Trust", "US"), ("First Trust", "HK")],
            ),
            with_custodians(point(d[1], &[], false), &[("First Trust", "HK")]),
            with_custodians(point(d[2], &[], false), &[("First Trust", "HK")]),
        ];
        let found = events(&points);
        assert_eq!(found.len(), 1, "{found:?}");
        let (id, to, message) = &found[0];
        assert_eq!(
            (id.as_str(), to.as_str()),
            ("custodian-changed", "2026-04-01")
        );
        assert_eq!(
            message,
            "Reserve custodians changed on 2026-04-01: Prime Trust (US) no longer listed; custody now in HK (was HK, US)."
        );
        // A custodian not named on one side is not a change.
        let unnamed = [
            with_custodians(point(d[0], &[], false), &[("Prime Trust", "US")]),
            point(d[1], &[], false),
        ];
        assert_eq!(events(&unnamed), vec![]);
    }

    #[test]
    fn an_auditor_change_to_an_unregistered_firm_lags_assurance_at_that_point() {
        let d = dates(3);
        let points = [
            with_report(point(d[0], &[], false), "Armanino LLP", Some(true), 30.0),
            with_report(point(d[1], &[], false), "The Network Firm", None, 30.0),
            with_report(point(d[2], &[], false), "Moore HK", Some(true), 30.0),
        ];
        let found = events(&points);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "assurance-lagging");
        assert_eq!(found[0].1, "2026-04-01");
        assert!(
            found[0]
                .2
                .contains("The Network Firm (not declared registered) replaced Armanino LLP")
        );
    }

    #[test]
    fn real_time_reporting_by_an_unregistered_firm_is_an_event() {
        let d = dates(2);
        let points = [
            with_report(point(d[0], &[], false), "Small Firm", Some(false), 30.0),
            with_report(point(d[1], &[], false), "Small Firm", Some(false), 0.0),
        ];
        let found = events(&points);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .2
                .starts_with("Real-time reserve reporting is declared on 2026-04-01")
        );
    }

    #[test]
    fn a_report_pause_is_raised_at_the_first_disclosure_past_the_cadence() {
        let d = dates(3);
        let age = "derived.latest_attestation_age_days";
        let monthly = |p: Point| with_report(p, "Registered LLP", Some(true), 30.0);
        let points = [
            monthly(point(d[0], &[(age, 20.0)], false)),
            monthly(point(d[1], &[(age, 50.0)], false)),
            monthly(point(d[2], &[(age, 140.0)], false)),
        ];
        let found = events(&points);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "2026-04-01");
        // Within the cadence and its grace: no pause.
        let on_time = [
            monthly(point(d[0], &[(age, 20.0)], false)),
            monthly(point(d[1], &[(age, 44.0)], false)),
        ];
        assert_eq!(events(&on_time), vec![]);
    }

    #[test]
    fn only_alerts_reaching_the_latest_disclosure_fail_the_gate() {
        let d = dates(3);
        let points = vec![
            with_custodians(point(d[0], &[], false), &[("A Bank", "US")]),
            with_custodians(point(d[1], &[], false), &[("B Bank", "US")]),
            with_custodians(point(d[2], &[], false), &[("B Bank", "US")]),
        ];
        let rubric = load_rubric("milestones").unwrap();
        let mut h = History {
            schema_version: SCHEMA_VERSION,
            arrangement: "a".into(),
            rubric: RubricId {
                id: "milestones".into(),
                version: "1".into(),
            },
            alerts: alerts(&rubric, &points, &d),
            points,
        };
        assert_eq!(h.alerts.len(), 1);
        assert!(
            !h.deteriorated(),
            "an older event was gated when it was new"
        );
        h.points.pop();
        assert!(h.deteriorated());
    }

    #[test]
    fn growth_alone_is_no_alert() {
        let d = dates(3);
        let supply = "supply.outstanding_usd";
        let points = [
            point(d[0], &[(supply, 100.0), ("score", 80.0)], false),
            point(d[1], &[(supply, 200.0), ("score", 80.0)], false),
            point(d[2], &[(supply, 400.0), ("score", 80.0)], false),
        ];
        assert_eq!(raised(&points), vec![]);
    }

    #[test]
    fn growth_with_falling_strength_outruns_it() {
        let d = dates(2);
        let supply = "supply.outstanding_usd";
        let volatile = "derived.volatile_share_pct";
        let raised_ids = |grown: f64| -> Vec<String> {
            raised(&[
                point(d[0], &[(supply, 100.0), (volatile, 10.0)], false),
                point(d[1], &[(supply, grown), (volatile, 14.0)], false),
            ])
            .into_iter()
            .map(|(id, _)| id)
            .collect()
        };
        assert_eq!(
            raised_ids(120.0),
            vec!["volatile-share-rising", "growth-outruns-strength"]
        );
        // Strength fell, but the supply did not grow enough to outrun it.
        assert_eq!(raised_ids(110.0), vec!["volatile-share-rising"]);
    }

    #[test]
    fn growth_past_what_the_evidenced_stage_supports_outruns_strength() {
        let d = dates(3);
        let supply = "supply.outstanding_usd";
        let points = [
            point(d[0], &[(supply, 100.0)], false),
            point(d[1], &[(supply, 110.0)], false),
            point(d[2], &[(supply, 140.0)], true),
        ];
        let rubric = load_rubric("milestones").unwrap();
        let found = alerts(&rubric, &points, &d);
        assert_eq!(found.len(), 1);
        let a = &found[0];
        assert_eq!(a.id, "growth-outruns-strength");
        // From the last disclosure whose evidence kept up.
        assert_eq!(
            (a.from.as_str(), a.before, a.after),
            ("2026-04-01", Some(110.0), Some(140.0))
        );
    }

    #[test]
    fn a_report_that_stops_coming_lags_assurance() {
        let d = dates(2);
        let age = "derived.latest_attestation_age_days";
        let found = raised(&[point(d[0], &[(age, 30.0)], false), point(d[1], &[], false)]);
        assert_eq!(
            found,
            vec![("assurance-lagging".to_string(), age.to_string())]
        );
    }

    fn run(values: &[Option<f64>], worse: Worse, by: f64) -> Option<(usize, usize)> {
        deterioration(values, worse, Threshold::by(by), false)
    }

    #[test]
    fn a_rise_from_the_best_earlier_value_is_measured_to_the_latest() {
        let v = [Some(12.5), Some(14.0), Some(12.0), Some(16.0), Some(19.0)];
        assert_eq!(run(&v, Worse::Higher, 3.0), Some((2, 4)));
        assert_eq!(run(&v, Worse::Higher, 7.5), None);
    }

    #[test]
    fn a_recovered_episode_raises_nothing() {
        let v = [Some(12.0), Some(20.0), Some(12.5)];
        assert_eq!(run(&v, Worse::Higher, 3.0), None);
    }

    #[test]
    fn a_fall_is_measured_from_the_latest_best_value() {
        let v = [Some(80.0), Some(80.0), Some(74.0)];
        assert_eq!(run(&v, Worse::Lower, 5.0), Some((1, 2)));
    }

    #[test]
    fn a_figure_that_disappears_is_worse_only_when_the_rubric_says_so() {
        let v = [Some(40.0), Some(60.0), None];
        assert_eq!(
            deterioration(&v, Worse::Higher, Threshold::by(45.0), true),
            Some((1, 2))
        );
        assert_eq!(
            deterioration(&v, Worse::Higher, Threshold::by(45.0), false),
            None
        );
        assert_eq!(
            deterioration(&[None, None], Worse::Higher, Threshold::by(1.0), true),
            None
        );
    }

    #[test]
    fn one_disclosure_has_nothing_to_compare() {
        assert_eq!(run(&[Some(1.0)], Worse::Higher, 0.1), None);
        assert_eq!(run(&[], Worse::Higher, 0.1), None);
    }

    #[test]
    fn yes_turning_to_no_is_a_fall_of_one() {
        assert_eq!(
            run(&[Some(1.0), Some(0.0)], Worse::Lower, 1.0),
            Some((0, 1))
        );
        assert_eq!(run(&[Some(0.0), Some(0.0)], Worse::Lower, 1.0), None);
    }

    proptest::proptest! {
        /// Any series: the span ends at the latest disclosure and starts
        /// before it, at a disclosure that carried the figure, and the
        /// move from there is at least the threshold (or the figure is gone).
        #[test]
        fn a_deterioration_spans_from_a_disclosed_value_to_the_latest(
            values in proptest::collection::vec(proptest::option::of(-1e6f64..1e6), 0..12),
            higher in proptest::bool::ANY,
            by in 0.001f64..1e5,
            missing_is_worse in proptest::bool::ANY,
        ) {
            let worse = if higher { Worse::Higher } else { Worse::Lower };
            if let Some((from, to)) = deterioration(&values, worse, Threshold::by(by), missing_is_worse) {
                proptest::prop_assert_eq!(to + 1, values.len());
                proptest::prop_assert!(from < to);
                let before = values[from];
                proptest::prop_assert!(before.is_some());
                match (before, values[to]) {
                    (Some(b), Some(a)) => {
                        let moved = if higher { a - b } else { b - a };
                        proptest::prop_assert!(moved >= by - 1e-9);
                    }
                    (_, None) => proptest::prop_assert!(missing_is_worse),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn labels_lose_their_capital_but_acronyms_keep_theirs() {
        assert_eq!(lower_first("Over-collateral"), "over-collateral");
        assert_eq!(lower_first("HHI of custodians"), "HHI of custodians");
    }

    #[test]
    fn values_are_shown_in_their_unit() {
        let f = |p: &str| Figure::resolve(p).unwrap();
        assert_eq!(show(f("supply.outstanding_usd"), 1.5e9), "1.50 bn USD");
        assert_eq!(show(f("derived.volatile_share_pct"), 12.544), "12.54%");
        assert_eq!(show(f("operations.uptime_pct_90d"), 99.98), "99.98%");
        assert_eq!(
            show(f("derived.latest_attestation_age_days"), 45.0),
            "45 days"
        );
        assert_eq!(show(f("derived.review_covers_last_change"), 0.0), "no");
        assert_eq!(show(f("score"), 71.04), "71.0");
    }
}
