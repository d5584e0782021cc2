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
use crate::rubric::history::{Figure, GrowthRule, Watch, Worse};
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
    /// The disclosure file's name.
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
}

impl Point {
    /// The grade with its confidence, `B (low confidence)`, or `not graded`.
    pub fn grade_text(&self) -> String {
        match &self.grade {
            Some(g) => format!("{g} ({} confidence)", self.confidence),
            None => "not graded".into(),
        }
    }

    /// A figure's value by path (`score`, `table.field`, `derived.name`);
    /// yes/no counts as 1/0.
    pub fn number(&self, path: &str) -> Option<f64> {
        if path == "score" {
            return self.score;
        }
        let value = match path.strip_prefix("derived.") {
            Some(name) => self.derived.get(name),
            None => self.facts.get(path),
        }?;
        match value {
            serde_json::Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            v => v.as_f64(),
        }
    }
}

/// A figure that moved the wrong way between two disclosures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Alert {
    /// A contract: see `usd1eval history --help` and docs/history.md.
    pub id: String,
    /// The figure's path (`derived.volatile_share_pct`, `score`).
    pub figure: String,
    /// The figure's name for people (`Volatile share`).
    pub label: String,
    /// The disclosure the figure was best at, and the latest one.
    pub from: String,
    /// The latest disclosure.
    pub to: String,
    /// The figure at its best; `None` when that disclosure did not carry it.
    pub before: Option<f64>,
    /// Null when the latest disclosure no longer carries the figure.
    pub after: Option<f64>,
    /// How far the figure may move before the alert is raised.
    pub threshold: f64,
    /// The alert as a sentence.
    pub message: String,
    /// The reason of the waiver that accepts this alert, if any.
    pub waived: Option<String>,
}

impl History {
    /// True when an alert is raised that no waiver accepts.
    pub fn deteriorated(&self) -> bool {
        self.alerts.iter().any(|a| a.waived.is_none())
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
    let points: Vec<Point> = disclosures.iter().map(|d| point(d, &fact_paths)).collect();
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

/// The fact and stress paths (not derived, not the score) that points
/// carry: the story's and every figure the rubric watches.
fn watched_facts(rubric: &Rubric) -> Vec<&str> {
    let h = &rubric.history;
    let mut paths: Vec<&str> = STORY
        .iter()
        .map(|(path, _)| *path)
        .chain(h.alerts.iter().map(|a| a.path.as_str()))
        .chain(h.growth.iter().map(|g| g.path.as_str()))
        .filter(|p| *p != "score" && !p.starts_with("derived."))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
}

fn point(d: &Disclosure<'_, '_>, fact_paths: &[&str]) -> Point {
    let r = d.report;
    let facts = fact_paths
        .iter()
        .filter_map(|path| {
            // A stress figure is in the report's stress section, not among
            // the derived figures: read it from there by its path.
            let value = if path.starts_with("stress.") {
                crate::stress::figure_value(&r.stress, path)?
            } else {
                let Some(Target::Field(table, field)) = crate::figures::resolve(path) else {
                    return None;
                };
                d.arrangement.facts.fact(table, field)?.value.clone()
            };
            matches!(value, Value::Number(_) | Value::Bool(_))
                .then(|| ((*path).to_string(), value.to_json()))
        })
        .collect();
    Point {
        as_of: d.arrangement.facts.as_of.to_string(),
        file: d.file.to_string(),
        // A score over nothing known is no score, and must not read as a fall.
        score: (r.overall.coverage_pct > 0.0).then(|| round1_value(r.overall.score)),
        grade: r.overall.grade.map(String::from),
        confidence: r.overall.confidence.to_string(),
        coverage_pct: round1_value(r.overall.coverage_pct),
        caps: r.caps.iter().map(|c| c.id.clone()).collect(),
        stage: r.stage.clone(),
        derived: r.derived.clone(),
        facts,
    }
}

/// Where a watched figure went wrong: the indices of the best earlier
/// disclosure and of the latest one.
pub fn deterioration(
    values: &[Option<f64>],
    worse: Worse,
    by: f64,
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
    // A hair of tolerance, so that a move of exactly `by` in rounded
    // figures counts.
    (moved >= by - 1e-9).then_some((best_at, last))
}

fn alerts(rubric: &Rubric, points: &[Point], dates: &[NaiveDate]) -> Vec<Alert> {
    let series =
        |path: &str| -> Vec<Option<f64>> { points.iter().map(|p| p.number(path)).collect() };
    let mut out: Vec<Alert> = Vec::new();
    for w in &rubric.history.alerts {
        let values = series(&w.path);
        if let Some((from, to)) = deterioration(&values, w.worse, w.by, w.missing_is_worse) {
            let before = values.get(from).copied().flatten();
            let after = values.get(to).copied().flatten();
            out.push(Alert {
                id: w.id.clone(),
                figure: w.path.clone(),
                label: w.label.clone(),
                from: date(dates, from),
                to: date(dates, to),
                before,
                after,
                threshold: w.by,
                message: watch_message(w, before, after, &date(dates, from), &date(dates, to)),
                waived: None,
            });
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

fn watch_message(
    w: &Watch,
    before: Option<f64>,
    after: Option<f64>,
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
        Some(_) => format!(
            "{} {} from {} on {from} to {} on {to}.",
            w.label,
            match w.worse {
                Worse::Higher => "rose",
                Worse::Lower => "fell",
            },
            show(before),
            show(after)
        ),
    }
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
        threshold: rule.min_growth_pct,
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
        };
        for (path, v) in figures {
            let json = match Figure::resolve(path).map(Figure::kind) {
                Some(Kind::Bool) => serde_json::Value::Bool(*v >= 0.5),
                _ => crate::report::number_json(*v, 4),
            };
            if *path == "score" {
                p.score = Some(*v);
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
            };
            let want = (w.id.clone(), w.path.clone());
            assert_eq!(at(w.by), vec![want], "{} at its threshold", w.path);
            if w.figure.kind() != Kind::Bool {
                assert_eq!(at(w.by * 0.9), vec![], "{} below its threshold", w.path);
            }
        }
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
        deterioration(values, worse, by, false)
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
        assert_eq!(deterioration(&v, Worse::Higher, 45.0, true), Some((1, 2)));
        assert_eq!(deterioration(&v, Worse::Higher, 45.0, false), None);
        assert_eq!(deterioration(&[None, None], Worse::Higher, 1.0, true), None);
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
            if let Some((from, to)) = deterioration(&values, worse, by, missing_is_worse) {
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
