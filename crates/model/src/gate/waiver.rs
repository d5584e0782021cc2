//! Waivers: the waiver file read against the rubric (every problem at
//! once), and waivers applied to a report's findings, caps and profile
//! requirements (`score`) or to history alerts (`history`), with warnings —
//! or errors, when denied — for expired and unused ones. A waiver only marks
//! what it accepts; the gates (`gates.rs`) and the regression rules
//! (`regression.rs`) read the marks. Imports nothing else of `gate`.

use chrono::NaiveDate;

use crate::report::Report;
use crate::rubric::Rubric;
use crate::source::{Code, Diagnostic, Severity, SourceFile, sort_diagnostics};
use crate::table::{At, read_file};

/// What a waiver accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverKind {
    /// The findings of a milestone (`milestone = "M18"`) or of one check
    /// (`check = "M18.settlement"`) that cost points.
    Finding,
    /// A weakest-link cap (`cap = "reserves-not-ring-fenced"`).
    Cap,
    /// A profile requirement that does not pass (`requirement = "PROFILE:ID"`).
    Requirement,
    /// A history alert (`alert = "buffer-shrinking"`), for `history`.
    Alert,
}

/// One waiver as loaded.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// A milestone id (`M18`), a check id (`M18.settlement`), a cap id, a
    /// profile requirement (`genius-2025:reserve-assets`) or a history alert
    /// id (`buffer-shrinking`), as `kind` says.
    pub target: String,
    /// What the waiver accepts: a finding, cap, requirement or alert.
    pub kind: WaiverKind,
    /// Why the waiver is granted (required).
    pub reason: String,
    /// Who owns the waiver, if given.
    pub owner: Option<String>,
    /// The day after which the waiver no longer applies, if given.
    pub expires: Option<NaiveDate>,
    /// The waiver's line in its file, for messages.
    pub line: u32,
}

crate::rubric::file::tables! {
    /// `[[waiver]]`: one waiver as the file writes it, before it is checked against the rubric.
    WaiverEntry {
        milestone: Option<String> = optional("milestone"),
        check: Option<String> = optional("check"),
        cap: Option<String> = optional("cap"),
        requirement: Option<String> = optional("requirement"),
        alert: Option<String> = optional("alert"),
        reason: Option<String> = optional("reason"),
        owner: Option<String> = optional("owner"),
        expires: Option<toml::value::Datetime> = optional("expires"),
    }
}

/// The waivers of a file, every problem at once.
pub fn parse_waivers(source: &SourceFile, rubric: &Rubric) -> Result<Vec<Waiver>, Vec<Diagnostic>> {
    let entries = read_file(
        source,
        "waivers",
        "the waiver file",
        "each [[waiver]] takes one of `milestone`, `check`, `cap`, `requirement` or `alert`, a `reason`, and optionally `expires` and `owner`",
        |r, t| t.tables(r, "waiver", "[[waiver]]", WaiverEntry::read),
    )?;
    let mut errors = Vec::new();
    let mut waivers = Vec::new();
    for At {
        span,
        value: w,
        keys,
    } in entries
    {
        // Where a key's value stands, else the waiver's header.
        let at = |key: &str| {
            keys.iter()
                .find(|(k, _)| *k == key)
                .map_or(span.clone(), |(_, s)| s.clone())
        };
        let mut named: Vec<(WaiverKind, &str, String)> = [
            (WaiverKind::Finding, "milestone", w.milestone),
            (WaiverKind::Finding, "check", w.check),
            (WaiverKind::Cap, "cap", w.cap),
            (WaiverKind::Requirement, "requirement", w.requirement),
            (WaiverKind::Alert, "alert", w.alert),
        ]
        .into_iter()
        .filter_map(|(kind, key, value)| value.map(|v| (kind, key, v)))
        .collect();
        let (kind, key, target) = match (named.pop(), named.is_empty()) {
            (Some(one), true) => one,
            _ => {
                errors.push(source.error(
                    Code::WrongType,
                    span,
                    "a waiver names exactly one of `milestone`, `check`, `cap`, `requirement` or `alert`",
                ));
                continue;
            }
        };
        if let Some((message, hint)) = unknown_target(key, &target, rubric) {
            errors.push(
                source
                    .error(Code::UnknownReference, at(key), message)
                    .with_help(hint),
            );
        }
        let reason = w.reason.filter(|r| !r.trim().is_empty());
        if reason.is_none() {
            errors.push(
                source
                    .error(
                        Code::MissingKey,
                        span.clone(),
                        format!("waiver for `{target}` has no `reason`"),
                    )
                    .with_help("say why the finding is accepted, so a reviewer can judge it"),
            );
        }
        let expires = match w.expires {
            None => None,
            Some(dt) => {
                let date = crate::table::plain_date(&dt);
                if date.is_none() {
                    errors.push(source.error(
                        Code::InvalidDate,
                        at("expires"),
                        format!(
                            "waiver for `{target}`: `expires` must be a date such as 2027-01-31"
                        ),
                    ));
                }
                date
            }
        };
        waivers.push(Waiver {
            target,
            kind,
            reason: reason.unwrap_or_default(),
            owner: w.owner,
            expires,
            line: source.line(span.start),
        });
    }
    if errors.is_empty() {
        Ok(waivers)
    } else {
        sort_diagnostics(&mut errors);
        Err(errors)
    }
}

/// What is wrong with the target a waiver names under `key`, if anything:
/// the message and a hint. A requirement of a profile that is not built in
/// (a profile file) is checked only for its form: the profile is loaded
/// with the run, and a waiver that matches nothing is reported then.
fn unknown_target(key: &str, target: &str, rubric: &Rubric) -> Option<(String, String)> {
    let unknown = |what: &str, ids: Vec<&str>, list: String| {
        let hint = crate::text::did_you_mean(target, ids.iter().copied())
            .map_or(list, |s| format!("did you mean `{s}`?"));
        Some((format!("waiver names unknown {what} `{target}`"), hint))
    };
    match key {
        "alert" => {
            let ids = rubric.history.ids();
            (!ids.contains(&target)).then_some(())?;
            let list = format!("alerts of rubric `{}`: {}", rubric.id, ids.join(", "));
            unknown("alert", ids, list)
        }
        "milestone" => rubric.milestone(target).is_none().then(|| {
            (
                format!("waiver names unknown milestone `{target}`"),
                "see `usd1eval rubric show` for milestone ids".to_string(),
            )
        }),
        "check" => rubric.check(target).is_none().then(|| {
            (
                format!("waiver names unknown check `{target}`"),
                "see `usd1eval explain MILESTONE` for check ids".to_string(),
            )
        }),
        "cap" => {
            let ids: Vec<&str> = rubric.caps.iter().map(|c| c.id.as_str()).collect();
            (!ids.contains(&target)).then_some(())?;
            let list = format!("caps of rubric `{}`: {}", rubric.id, ids.join(", "));
            unknown("cap", ids, list)
        }
        _ => {
            let Some((profile, requirement)) = target
                .split_once(':')
                .filter(|(p, r)| !p.is_empty() && !r.is_empty())
            else {
                return Some((
                    format!("waiver names requirement `{target}` without its profile"),
                    "write `requirement = \"PROFILE:ID\"`, e.g. `genius-2025:reserve-assets`"
                        .to_string(),
                ));
            };
            let builtin = crate::rubric::profile::names().any(|n| n == profile);
            if !builtin {
                return None;
            }
            let loaded = crate::rubric::profile::load_profile(profile).ok()?;
            let ids: Vec<&str> = loaded.requirements.iter().map(|r| r.id.as_str()).collect();
            (!ids.contains(&requirement)).then_some(())?;
            let hint = crate::text::did_you_mean(requirement, ids.iter().copied()).map_or_else(
                || format!("requirements of profile `{profile}`: {}", ids.join(", ")),
                |s| format!("did you mean `{profile}:{s}`?"),
            );
            Some((
                format!("waiver names unknown requirement `{requirement}` of profile `{profile}`"),
                hint,
            ))
        }
    }
}

/// Marks waived findings and reports expired and unused waivers. Returns the
/// diagnostics: warnings, or errors for unused waivers when they are denied.
/// Waivers of history alerts are for `history` and are passed over here.
pub fn apply_waivers(
    report: &mut Report,
    waivers: &[Waiver],
    waiver_file: &str,
    as_of: NaiveDate,
    deny_unused: bool,
) -> Vec<Diagnostic> {
    let findings = waivers.iter().filter(|w| w.kind != WaiverKind::Alert);
    each_waiver(findings, waiver_file, as_of, deny_unused, |w| {
        let mut used = false;
        if w.kind == WaiverKind::Cap {
            for cap in report.caps.iter_mut().filter(|c| c.id == w.target) {
                cap.waived = Some(w.reason.clone());
                used = true;
            }
            return used;
        }
        if w.kind == WaiverKind::Requirement {
            let (profile, requirement) = w.target.split_once(':').unwrap_or_default();
            for p in report.profiles.iter_mut().filter(|p| p.id == profile) {
                for r in p
                    .requirements
                    .iter_mut()
                    .filter(|r| r.id == requirement && r.outcome.blocks())
                {
                    r.waived = Some(w.reason.clone());
                    used = true;
                }
            }
            return used;
        }
        for m in &mut report.milestones {
            let whole = m.id.eq_ignore_ascii_case(&w.target);
            for f in &mut m.findings {
                if (whole || f.check.eq_ignore_ascii_case(&w.target)) && f.lost() > 0.0 {
                    f.waived = Some(w.reason.clone());
                    used = true;
                }
            }
        }
        used
    })
}

/// Marks the history alerts that `alert` waivers accept, as of the latest
/// disclosure; reports expired and unused ones as [`apply_waivers`] does.
/// Waivers of findings are for `score` and are passed over here.
pub fn waive_alerts(
    history: &mut crate::history::History,
    waivers: &[Waiver],
    waiver_file: &str,
    deny_unused: bool,
) -> Vec<Diagnostic> {
    let as_of = history
        .points
        .last()
        .and_then(|p| p.as_of.parse::<NaiveDate>().ok())
        .unwrap_or_default();
    let alerts = waivers.iter().filter(|w| w.kind == WaiverKind::Alert);
    each_waiver(alerts, waiver_file, as_of, deny_unused, |w| {
        let mut used = false;
        for a in history.alerts.iter_mut().filter(|a| a.id == w.target) {
            a.waived = Some(w.reason.clone());
            used = true;
        }
        used
    })
}

/// Applies each waiver that has not expired by `as_of` (`apply` says whether
/// it matched anything) and returns the diagnostics for expired and unused
/// ones.
fn each_waiver<'w>(
    waivers: impl Iterator<Item = &'w Waiver>,
    waiver_file: &str,
    as_of: NaiveDate,
    deny_unused: bool,
    mut apply: impl FnMut(&Waiver) -> bool,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let at = |w: &Waiver, severity, message: String| {
        Diagnostic::at_line(severity, Code::Waiver, waiver_file, (w.line, 1), message)
    };
    for w in waivers {
        if let Some(expires) = w.expires.filter(|e| *e < as_of) {
            diagnostics.push(at(
                w,
                Severity::Warning,
                format!(
                    "waiver for `{}` expired on {expires}; it no longer applies",
                    w.target
                ),
            ));
            continue;
        }
        if !apply(w) {
            let severity = if deny_unused {
                Severity::Error
            } else {
                Severity::Warning
            };
            let what = match w.kind {
                WaiverKind::Alert => "raised alert",
                WaiverKind::Finding => "finding that costs points",
                WaiverKind::Cap => "cap that applies",
                WaiverKind::Requirement => "profile requirement that does not pass",
            };
            diagnostics.push(at(
                w,
                severity,
                format!("waiver for `{}` matches no {what}", w.target),
            ));
        }
    }
    diagnostics
}
