//! The rubric's `[history]` section: which figures `usd1eval history` watches
//! across successive disclosures, and how far each may move the wrong way
//! before an alert is raised.

use super::file::{AlertFile, EventFile, GrowthFile, HistoryFile, LevelFile};
use crate::facts::schema::{Kind, Target};

/// The id of the alert raised when growth outruns strength, unless the
/// rubric names it otherwise.
pub(crate) const GROWTH_ALERT: &str = "growth-outruns-strength";

/// A figure watched over time: the overall score, or a fact or derived
/// figure by its path.
#[derive(Debug, Clone, Copy)]
pub enum Figure {
    /// The overall score (`score`).
    Score,
    /// A field of a plain table or a derived figure, number or yes/no.
    Fact(Target),
}

impl Figure {
    /// Resolves a figure as a rubric writes it: `score`, `table.field` or
    /// `derived.name`; `None` when the path names nothing that has one value
    /// per disclosure.
    pub fn resolve(path: &str) -> Option<Figure> {
        if path == "score" {
            return Some(Figure::Score);
        }
        match crate::figures::resolve(path)? {
            target @ (Target::Field(..) | Target::Derived(_)) => Some(Figure::Fact(target)),
            Target::EachField(..) | Target::Entries(_) => None,
        }
    }

    /// The kind of value the figure holds: the score is a number.
    pub fn kind(self) -> Kind {
        match self {
            Figure::Score => Kind::Number(crate::facts::schema::Unit::Count),
            Figure::Fact(target) => target.kind(),
        }
    }
}

/// Which way is worse for a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worse {
    /// A rise is a deterioration (a volatile share, a redemption time).
    Higher,
    /// A fall is a deterioration (a buffer, a coverage ratio).
    Lower,
}

/// The level a watched figure must not cross.
#[derive(Debug, Clone)]
pub enum Level {
    /// A fixed level, in the figure's unit (`1` for a coverage ratio).
    Value(f64),
    /// Another figure of the same disclosure (`derived.overcollateral_pct`).
    Figure {
        /// The level's path as written.
        path: String,
        /// The figure the path resolves to.
        figure: Figure,
        /// What a reader calls it (`over-collateral`), from `level_label`.
        label: String,
    },
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

    /// Whether a move of `moved` the wrong way from `best` meets it. A relative move from
    /// zero is unbounded: any move the wrong way meets a relative threshold.
    pub fn met(self, best: f64, moved: f64) -> bool {
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

/// When a watched figure raises its alert.
#[derive(Debug, Clone)]
pub enum Trigger {
    /// It moved the wrong way from the best earlier disclosure by at least
    /// the threshold's `by` in its unit, or by at least its `by_pct`
    /// percent of that best value (whichever is given; either suffices).
    Change(Threshold),
    /// It crossed a level to the worse side: beyond it in the latest
    /// disclosure, on the right side of it in an earlier one.
    Crossing(Level),
}

/// One `[[history.alert]]`: raised when the latest disclosure is worse than
/// the best earlier one by its [`Trigger`] (yes/no figures count yes as 1
/// and no as 0).
#[derive(Debug, Clone)]
pub struct Watch {
    /// The alert's stable id (`buffer-shrinking`), which waivers name.
    pub id: String,
    /// The figure's path (`derived.volatile_share_pct`); a rubric's
    /// `stress.*.MEASURE` is one watch per built-in scenario.
    pub path: String,
    /// The figure the path resolves to.
    pub figure: Figure,
    /// What a reader calls it, starting with a capital.
    pub label: String,
    /// Which way the figure gets worse.
    pub worse: Worse,
    /// What raises the alert.
    pub trigger: Trigger,
    /// A figure disclosed earlier and absent from the latest disclosure is
    /// itself the deterioration (a report that stopped coming).
    pub missing_is_worse: bool,
}

impl Watch {
    /// What raises the alert, as a phrase after the figure's name: "falls
    /// by 1.5 or more, or by 20% of itself", "rises above over-collateral".
    pub fn describe(&self) -> String {
        let (way, beyond) = match self.worse {
            Worse::Higher => ("rises", "above"),
            Worse::Lower => ("falls", "below"),
        };
        let number = crate::facts::format_number;
        let mut text = match &self.trigger {
            Trigger::Change(Threshold { by, by_pct }) => {
                let parts: Vec<String> = by
                    .map(|b| format!("by {} or more", number(b)))
                    .into_iter()
                    .chain(by_pct.map(|p| format!("by {}% of itself or more", number(p))))
                    .collect();
                format!("{way} {}", parts.join(", or "))
            }
            Trigger::Crossing(Level::Value(v)) => format!("{way} {beyond} {}", number(*v)),
            Trigger::Crossing(Level::Figure { path, label, .. }) => {
                format!("{way} {beyond} {label} (`{path}`)")
            }
        };
        if self.missing_is_worse {
            text.push_str(", or is no longer disclosed");
        }
        text
    }
}

/// The changes between two disclosures that `[[history.event]]` can watch:
/// each with its name in a rubric and what it means. Declared once; the
/// rubric check, `explain` and docs/history.md read this list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A custodian was added or removed, or custody moved to another country.
    Custodians,
    /// The newest independent report comes from another firm, one declared
    /// not registered or whose registration is no longer declared.
    ReportFirm,
    /// No new independent report within the cadence the earlier disclosure
    /// declared and its newest independent report kept, plus a grace.
    ReportPause,
    /// Real-time reporting is declared while the newest independent report's
    /// firm is declared not registered.
    RealtimeUnregistered,
}

impl EventKind {
    /// Every kind with its name and meaning.
    pub(crate) const ALL: &'static [(EventKind, &'static str, &'static str)] = &[
        (
            EventKind::Custodians,
            "custodians",
            "a reserve custodian was added or removed, or custody moved to another country",
        ),
        (
            EventKind::ReportFirm,
            "report-firm",
            "the newest independent report comes from another firm, one declared not registered or whose registration is no longer declared",
        ),
        (
            EventKind::ReportPause,
            "report-pause",
            "the earlier disclosure's newest independent report kept its declared interval, and the next one shows none within that interval plus `grace_pct` percent of it and `grace_days` days",
        ),
        (
            EventKind::RealtimeUnregistered,
            "realtime-unregistered",
            "real-time reporting is declared, and the newest independent report's firm is declared not registered",
        ),
    ];

    /// The kind's name in a rubric (`report-pause`).
    pub fn name(self) -> &'static str {
        self.entry().0
    }

    /// What the kind means, as a phrase.
    pub fn meaning(self) -> &'static str {
        self.entry().1
    }

    /// The kind's name and meaning in [`EventKind::ALL`].
    fn entry(self) -> (&'static str, &'static str) {
        Self::ALL
            .iter()
            .find(|(k, _, _)| *k == self)
            .map_or(("", ""), |(_, name, meaning)| (name, meaning))
    }

    fn parse(name: &str) -> Option<EventKind> {
        Self::ALL
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(k, _, _)| *k)
    }
}

/// One `[[history.event]]`: raised between two successive disclosures where
/// the change happened.
#[derive(Debug, Clone)]
pub struct EventWatch {
    /// The alert's stable id (`custodian-changed`), which waivers name.
    pub id: String,
    /// What changed.
    pub kind: EventKind,
    /// What a reader calls it, starting with a capital.
    pub label: String,
    /// For `report-pause`: the days a report may come after its cadence,
    /// beyond [`EventWatch::grace_pct`].
    pub grace_days: f64,
    /// For `report-pause`: the share of the declared interval, in percent,
    /// a report may come after it.
    pub grace_pct: f64,
}

impl EventWatch {
    /// For `report-pause`: the age the newest report may reach when the
    /// declared interval between reports is `interval_days`.
    pub(crate) fn allowed_age_days(&self, interval_days: f64) -> f64 {
        interval_days * (1.0 + self.grace_pct / 100.0) + self.grace_days
    }
}

/// `[history.growth]`: supply that grew by `min_growth_pct` or more over the
/// span of a strength alert, or while the evidenced stage stayed below the
/// visible one.
#[derive(Debug, Clone)]
pub struct GrowthRule {
    /// The growth alert's stable id, which waivers name.
    pub id: String,
    /// The supply figure's path as written.
    pub path: String,
    /// The figure the path resolves to.
    pub figure: Figure,
    /// What a reader calls the supply figure, starting with a capital.
    pub label: String,
    /// The growth, in percent, from which the alert is raised.
    pub min_growth_pct: f64,
    /// Alert ids that count as strength falling.
    pub strength: Vec<String>,
}

/// The compiled `[history]` section; empty when the rubric has none.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// The figures watched for deterioration, `[[history.alert]]`, in rubric order.
    pub alerts: Vec<Watch>,
    /// The changes watched between successive disclosures, `[[history.event]]`.
    pub events: Vec<EventWatch>,
    /// The growth-outruns-strength alert, `[history.growth]`, if the rubric has one.
    pub growth: Option<GrowthRule>,
}

impl History {
    /// Every alert id, each once, in rubric order: the figures' alerts, the
    /// events', the growth alert last.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        let all = self
            .alerts
            .iter()
            .map(|a| a.id.as_str())
            .chain(self.events.iter().map(|e| e.id.as_str()))
            .chain(self.growth.iter().map(|g| g.id.as_str()));
        for id in all {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }
}

/// Compiles a `[history]` section; each problem goes to `error` (message,
/// help) with the byte offset of the item it concerns.
pub(crate) fn compile(
    file: HistoryFile,
    offset: usize,
    error: &mut dyn FnMut(usize, String, Option<String>),
) -> History {
    let mut alerts: Vec<Watch> = Vec::new();
    for at in file.alert {
        let (at_offset, a) = (at.span.start, at.value);
        for watch in watches(a, &mut |m, h| error(at_offset, m, h)) {
            if alerts
                .iter()
                .any(|x| x.id == watch.id && x.path == watch.path)
            {
                error(
                    at_offset,
                    format!("alert `{}` watches `{}` twice", watch.id, watch.path),
                    None,
                );
            }
            alerts.push(watch);
        }
    }
    let mut events: Vec<EventWatch> = Vec::new();
    for at in file.event {
        let at_offset = at.span.start;
        if let Some(e) = event(at.value, &mut |m, h| error(at_offset, m, h)) {
            if events.iter().any(|x| x.id == e.id && x.kind == e.kind) {
                error(
                    at_offset,
                    format!("event `{}` watches `{}` twice", e.id, e.kind.name()),
                    None,
                );
            }
            events.push(e);
        }
    }
    let growth = file
        .growth
        .and_then(|g| growth(g, &alerts, &mut |m, h| error(offset, m, h)));
    History {
        alerts,
        events,
        growth,
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Resolves a watched figure's path, or says why it cannot be watched.
fn figure(
    path: &str,
    owner: &str,
    numbers_only: bool,
    error: &mut dyn FnMut(String, Option<String>),
) -> Option<Figure> {
    let Some(figure) = Figure::resolve(path) else {
        let candidates: Vec<String> = crate::figures::paths()
            .chain(std::iter::once("score".to_string()))
            .collect();
        let hint = crate::text::did_you_mean(path, candidates.iter().map(String::as_str)).map_or_else(
            || "a figure is `score`, a field of a plain table, `derived.NAME` or `stress.SCENARIO.MEASURE`".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        error(
            format!("{owner} watches unknown figure `{path}`"),
            Some(hint),
        );
        return None;
    };
    let kind = figure.kind();
    let fits = kind.is_numeric() || (kind == Kind::Bool && !numbers_only);
    if !fits {
        error(
            format!("{owner} watches `{path}`, which is {}", kind.describe()),
            Some(if numbers_only {
                "growth is measured on a number".into()
            } else {
                "a watched figure is a number or yes/no".into()
            }),
        );
        return None;
    }
    Some(figure)
}

/// The paths a written figure stands for: itself, or for
/// `stress.*.MEASURE` the measure of every built-in scenario, each with the
/// scenario's id to name it by.
fn expand(path: &str) -> Vec<(String, Option<&'static str>)> {
    match path
        .strip_prefix("stress.*.")
        .filter(|measure| !measure.contains('*'))
    {
        Some(measure) => crate::stress::scenario::builtin_ids()
            .map(|id| (format!("stress.{id}.{measure}"), Some(id)))
            .collect(),
        None => vec![(path.to_string(), None)],
    }
}

fn watches(a: AlertFile, error: &mut dyn FnMut(String, Option<String>)) -> Vec<Watch> {
    let owner = format!("alert `{}`", a.id);
    if !is_kebab(&a.id) {
        error(
            format!("{owner}: ids are kebab-case"),
            Some("for example `volatile-share-rising`".into()),
        );
    }
    let worse = match a.worse.as_deref() {
        Some("higher") => Some(Worse::Higher),
        Some("lower") => Some(Worse::Lower),
        other => {
            error(
                match other {
                    Some(w) => format!("{owner} has worse = \"{w}\""),
                    None => format!("{owner} has no `worse`"),
                },
                Some("write `worse = \"higher\"` or `worse = \"lower\"`".into()),
            );
            None
        }
    };
    let positive = |key: &str, v: Option<f64>, error: &mut dyn FnMut(String, Option<String>)| {
        if let Some(v) = v
            && !(v.is_finite() && v > 0.0)
        {
            error(
                format!("{owner} has {key} = {v}; it must be a positive number"),
                Some(match key {
                    "by" => "how far, in the figure's unit, the figure may move the wrong way before the alert is raised".into(),
                    _ => "how far, in percent of its best earlier value, the figure may move the wrong way before the alert is raised".into(),
                }),
            );
        }
    };
    positive("by", a.by, error);
    positive("by_pct", a.by_pct, error);
    let Some(path) = a.figure else {
        error(
            format!("{owner} has no `figure`"),
            Some("name the figure watched, e.g. `figure = \"derived.volatile_share_pct\"`".into()),
        );
        return Vec::new();
    };
    let level = match a.level {
        None => None,
        Some(_) if a.by.is_some() || a.by_pct.is_some() => {
            error(
                format!("{owner} has both a `level` and a `by` or `by_pct`"),
                Some("a level crossing and a change are two alerts: write each as its own [[history.alert]]".into()),
            );
            return Vec::new();
        }
        Some(LevelFile::Number(v)) if !v.is_finite() => {
            error(
                format!("{owner} has level = {v}; it must be a finite number"),
                None,
            );
            return Vec::new();
        }
        Some(LevelFile::Number(v)) => Some(Level::Value(v)),
        Some(LevelFile::Figure(level_path)) => {
            let owner = format!("{owner}'s level");
            let Some(level_figure) = figure(&level_path, &owner, true, error) else {
                return Vec::new();
            };
            Some(Level::Figure {
                label: a.level_label.clone().unwrap_or_else(|| level_path.clone()),
                path: level_path,
                figure: level_figure,
            })
        }
    };
    let trigger = match level {
        Some(level) => Trigger::Crossing(level),
        None if a.by.is_none() && a.by_pct.is_none() => {
            error(
                format!("{owner} has no `by`, `by_pct` or `level`"),
                Some("say when the alert is raised: `by = 3` (in the figure's unit), `by_pct = 20` (of itself) or `level = 1` (a level it must not cross)".into()),
            );
            return Vec::new();
        }
        None => Trigger::Change(Threshold {
            by: a.by,
            by_pct: a.by_pct,
        }),
    };
    let Some(worse) = worse else {
        return Vec::new();
    };
    let label = a.label.unwrap_or_else(|| path.clone());
    let expanded = expand(&path);
    // A measure no scenario has is one mistake, said once.
    if let [(first, Some(id)), ..] = expanded.as_slice()
        && Figure::resolve(first).is_none()
    {
        let prefix = format!("stress.{id}.");
        let candidates: Vec<String> = crate::figures::paths()
            .filter_map(|p| p.strip_prefix(&prefix).map(|m| format!("stress.*.{m}")))
            .collect();
        let hint = crate::text::did_you_mean(&path, candidates.iter().map(String::as_str))
            .map_or_else(
                || format!("the measures are {}", candidates.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
        error(
            format!("{owner} watches unknown figure `{path}`"),
            Some(hint),
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (path, scenario) in expanded {
        let Some(resolved) = figure(&path, &owner, false, error) else {
            continue;
        };
        if resolved.kind() == Kind::Bool {
            let fits = match &trigger {
                Trigger::Change(Threshold { by, by_pct }) => {
                    by.is_some_and(|b| b <= 1.0) && by_pct.is_none()
                }
                Trigger::Crossing(_) => false,
            };
            if !fits {
                error(
                    format!("{owner} watches yes/no `{path}` other than with `by = 1`"),
                    Some("yes counts as 1 and no as 0: use `by = 1`".into()),
                );
                continue;
            }
        }
        out.push(Watch {
            label: match scenario {
                Some(id) => format!("{label} ({id})"),
                None => label.clone(),
            },
            id: a.id.clone(),
            path,
            figure: resolved,
            worse,
            trigger: trigger.clone(),
            missing_is_worse: a.missing_is_worse.unwrap_or(false),
        });
    }
    out
}

fn event(e: EventFile, error: &mut dyn FnMut(String, Option<String>)) -> Option<EventWatch> {
    let owner = format!("event `{}`", e.id);
    if !is_kebab(&e.id) {
        error(
            format!("{owner}: ids are kebab-case"),
            Some("for example `custodian-changed`".into()),
        );
    }
    let names = || {
        EventKind::ALL
            .iter()
            .map(|(_, name, _)| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(name) = e.event else {
        error(
            format!("{owner} has no `event`"),
            Some(format!("name the change watched: one of {}", names())),
        );
        return None;
    };
    let Some(kind) = EventKind::parse(&name) else {
        let hint = crate::text::did_you_mean(&name, EventKind::ALL.iter().map(|(_, n, _)| *n))
            .map_or_else(
                || format!("one of {}", names()),
                |s| format!("did you mean `{s}`?"),
            );
        error(
            format!("{owner} watches unknown event `{name}`"),
            Some(hint),
        );
        return None;
    };
    let mut grace = |key: &str, value: Option<f64>| -> Option<f64> {
        match (kind, value) {
            (EventKind::ReportPause, Some(g)) if g.is_finite() && g >= 0.0 => Some(g),
            (EventKind::ReportPause, Some(g)) => {
                error(
                    format!("{owner} has {key} = {g}; it must be a number, 0 or more"),
                    None,
                );
                None
            }
            (_, Some(_)) => {
                error(
                    format!("{owner}: `{key}` applies to the `report-pause` event only"),
                    None,
                );
                None
            }
            (_, None) => Some(0.0),
        }
    };
    let grace_days = grace("grace_days", e.grace_days);
    let grace_pct = grace("grace_pct", e.grace_pct);
    let (grace_days, grace_pct) = (grace_days?, grace_pct?);
    Some(EventWatch {
        label: e.label.unwrap_or_else(|| {
            let meaning = kind.meaning();
            let mut chars = meaning.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }),
        id: e.id,
        kind,
        grace_days,
        grace_pct,
    })
}

fn growth(
    g: GrowthFile,
    alerts: &[Watch],
    error: &mut dyn FnMut(String, Option<String>),
) -> Option<GrowthRule> {
    let id = g.id.unwrap_or_else(|| GROWTH_ALERT.to_string());
    let owner = format!("[history.growth] `{id}`");
    if !is_kebab(&id) {
        error(format!("{owner}: ids are kebab-case"), None);
    }
    let min = g.min_growth_pct.unwrap_or(0.0);
    if !(min.is_finite() && min > 0.0) {
        error(
            format!("{owner} has min_growth_pct = {min}; it must be a positive number"),
            None,
        );
    }
    let strength = g.strength.unwrap_or_default();
    for s in &strength {
        if !alerts.iter().any(|a| &a.id == s) {
            let hint = crate::text::did_you_mean(s, alerts.iter().map(|a| a.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            error(
                format!("{owner} counts unknown alert `{s}` as strength"),
                hint,
            );
        }
    }
    let Some(path) = g.figure else {
        error(
            format!("{owner} has no `figure`"),
            Some(
                "name the figure growth is measured on, e.g. `figure = \"supply.outstanding_usd\"`"
                    .into(),
            ),
        );
        return None;
    };
    let figure = figure(&path, &owner, true, error)?;
    Some(GrowthRule {
        label: g.label.unwrap_or_else(|| path.clone()),
        id,
        path,
        figure,
        min_growth_pct: min,
        strength,
    })
}
