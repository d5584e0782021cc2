//! The rubric's `[history]` section: which figures `usd1eval history` watches
//! across successive disclosures, and how far each may move the wrong way
//! before an alert is raised.

use super::file::{AlertFile, GrowthFile, HistoryFile};
use crate::facts::schema::{self, Kind, Target};

/// The id of the alert raised when growth outruns strength, unless the
/// rubric names it otherwise.
pub const GROWTH_ALERT: &str = "growth-outruns-strength";

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

/// One `[[history.alert]]`: raised when the latest disclosure is worse than
/// the best earlier one by at least `by`, in the figure's unit (yes/no
/// figures count yes as 1 and no as 0).
#[derive(Debug, Clone)]
pub struct Watch {
    /// The alert's stable id (`buffer-shrinking`), which waivers name.
    pub id: String,
    /// The figure's path as written (`derived.volatile_share_pct`).
    pub path: String,
    /// The figure the path resolves to.
    pub figure: Figure,
    /// What a reader calls it, starting with a capital.
    pub label: String,
    /// Which way the figure gets worse.
    pub worse: Worse,
    /// How far, in the figure's unit, the figure must move the wrong way to raise the alert.
    pub by: f64,
    /// A figure disclosed earlier and absent from the latest disclosure is
    /// itself the deterioration (a report that stopped coming).
    pub missing_is_worse: bool,
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
    /// The growth-outruns-strength alert, `[history.growth]`, if the rubric has one.
    pub growth: Option<GrowthRule>,
}

impl History {
    /// Every alert id, each once, in rubric order, the growth alert last.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        let all = self
            .alerts
            .iter()
            .map(|a| a.id.as_str())
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
pub fn compile(
    file: HistoryFile,
    offset: usize,
    error: &mut dyn FnMut(usize, String, Option<String>),
) -> History {
    let mut alerts: Vec<Watch> = Vec::new();
    for at in file.alert {
        let (at_offset, a) = (at.span.start, at.value);
        let Some(watch) = watch(a, &mut |m, h| error(at_offset, m, h)) else {
            continue;
        };
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
    let growth = file
        .growth
        .and_then(|g| growth(g, &alerts, &mut |m, h| error(offset, m, h)));
    History { alerts, growth }
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

fn figure(
    path: Option<String>,
    owner: &str,
    numbers_only: bool,
    error: &mut dyn FnMut(String, Option<String>),
) -> Option<(String, Figure)> {
    let Some(path) = path else {
        error(
            format!("{owner} has no `figure`"),
            Some("name the figure watched, e.g. `figure = \"derived.volatile_share_pct\"`".into()),
        );
        return None;
    };
    let Some(figure) = Figure::resolve(&path) else {
        let candidates: Vec<String> = crate::figures::paths()
            .chain(std::iter::once("score".to_string()))
            .collect();
        let hint = schema::did_you_mean(&path, candidates.iter().map(String::as_str)).map_or_else(
            || "a figure is `score`, a field of a plain table, or `derived.NAME`".to_string(),
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
    Some((path, figure))
}

fn watch(a: AlertFile, error: &mut dyn FnMut(String, Option<String>)) -> Option<Watch> {
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
    let by = a.by.unwrap_or(0.0);
    if !(by.is_finite() && by > 0.0) {
        error(
            format!("{owner} has by = {by}; it must be a positive number"),
            Some("how far the figure may move the wrong way before the alert is raised".into()),
        );
    }
    let (path, figure) = figure(a.figure, &owner, false, error)?;
    if figure.kind() == Kind::Bool && by > 1.0 {
        error(
            format!("{owner} watches yes/no `{path}` with by = {by}"),
            Some("yes counts as 1 and no as 0: use `by = 1`".into()),
        );
    }
    Some(Watch {
        label: a.label.unwrap_or_else(|| path.clone()),
        id: a.id,
        path,
        figure,
        worse: worse?,
        by,
        missing_is_worse: a.missing_is_worse.unwrap_or(false),
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
            let hint = schema::did_you_mean(s, alerts.iter().map(|a| a.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
            error(
                format!("{owner} counts unknown alert `{s}` as strength"),
                hint,
            );
        }
    }
    let (path, figure) = figure(g.figure, &owner, true, error)?;
    Some(GrowthRule {
        label: g.label.unwrap_or_else(|| path.clone()),
        id,
        path,
        figure,
        min_growth_pct: min,
        strength,
    })
}
