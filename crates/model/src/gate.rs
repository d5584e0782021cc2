//! Gates: thresholds, baseline regression and waivers → pass/fail with reasons.
//!
//! Regression is judged item by item — per milestone, per cap and per profile
//! requirement — so an improvement in one place can never pay for a
//! regression in another. A waiver exempts its milestone, check, cap or
//! profile requirement from the gates and marks it as waived; it never
//! changes a score.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::number::round_to;
use crate::report::{
    GateFailure, Outcome, ProfileVerdict, Report, RequirementOutcome, SCHEMA_VERSION,
};
use crate::rubric::Rubric;
use crate::rubric::table::{At, read_file};
use crate::source::{Code, Diagnostic, Severity, SourceFile, sort_diagnostics};

/// What the command line asked the gates to enforce.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    /// `--fail-under`: fail when the overall score is below this (or not graded).
    pub fail_under: Option<f64>,
    /// `--min-grade`: fail when the grade is worse than this letter (or not graded).
    pub min_grade: Option<String>,
    /// `--fail-on-cap`: fail when any unwaived weakest-link cap applies.
    pub fail_on_cap: bool,
    /// `--fail-on-outrun`: fail when the stage verdict says growth outruns strength.
    pub fail_on_outrun: bool,
    /// `--require-profile`: profile ids that must pass (or be ready to pass), each a gate.
    pub require_profiles: Vec<String>,
    /// Points a milestone may drop before it counts as a regression.
    pub tolerance: f64,
}

/// The comparable parts of a report — scores, findings, caps, profiles —
/// read from an earlier JSON report or taken from a fresh one. Regressions
/// and `diff` compare two of these.
#[derive(Debug, Clone, Deserialize)]
pub struct Baseline {
    /// The arrangement the report scored, when the report says.
    #[serde(default)]
    pub arrangement: Option<BaselineArrangement>,
    /// The JSON schema version of the report; another version is refused.
    pub schema_version: u32,
    /// The rubric the report was made with; comparing across rubrics
    /// compares scores that do not mean the same thing.
    #[serde(default)]
    pub rubric: Option<BaselineRubric>,
    /// Per-milestone scores and findings.
    #[serde(default)]
    pub milestones: Vec<BaselineMilestone>,
    /// The weakest-link caps that applied.
    #[serde(default)]
    pub caps: Vec<BaselineCap>,
    /// The profiles evaluated, with their requirements.
    #[serde(default)]
    pub profiles: Vec<BaselineProfile>,
    /// Per-bucket scores.
    #[serde(default)]
    pub buckets: Vec<BaselineScore>,
    /// Per-layer scores.
    #[serde(default)]
    pub layers: Vec<BaselineScore>,
    /// The overall score, grade and coverage; `None` when the report had none.
    pub overall: Option<BaselineOverall>,
}

/// The arrangement a baseline report scored.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineArrangement {
    /// The arrangement's name.
    pub name: String,
    /// The arrangement file's path as the report recorded it.
    pub path: String,
}

/// The rubric a baseline was made with: its id and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BaselineRubric {
    /// The rubric's id.
    pub id: String,
    /// The SHA-256 of the rubric's content.
    pub sha256: String,
}

impl BaselineRubric {
    /// The id and hash of `rubric`, to compare with a baseline's.
    pub fn of(rubric: &Rubric) -> Self {
        Self {
            id: rubric.id.clone(),
            sha256: rubric.sha256.clone(),
        }
    }
}

impl std::fmt::Display for BaselineRubric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let short = self.sha256.get(..12).unwrap_or(&self.sha256);
        write!(f, "rubric `{}` (sha256 {short}…)", self.id)
    }
}

/// A milestone of a baseline: its score and findings.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineMilestone {
    /// The milestone's stable id (`M07`).
    pub id: String,
    /// The milestone's score; `None` when nothing in it could be scored.
    pub score: Option<f64>,
    /// The milestone's findings, one per check.
    #[serde(default)]
    pub findings: Vec<BaselineFinding>,
}

/// A finding of a baseline: one check's outcome and points.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineFinding {
    /// The check's id.
    pub check: String,
    /// What the check found.
    pub outcome: Outcome,
    /// The fact the check reads.
    #[serde(default)]
    pub fact: String,
    /// The points the check earned.
    #[serde(default)]
    pub earned: f64,
    /// The reason of the waiver that accepted this finding, if any.
    #[serde(default)]
    pub waived: Option<String>,
}

/// A weakest-link cap that applied in a baseline.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineCap {
    /// The cap's id.
    pub id: String,
    /// The best grade the cap allows.
    #[serde(default)]
    pub max_grade: String,
    /// The reason of the waiver that accepted this cap, if any.
    #[serde(default)]
    pub waived: Option<String>,
}

/// A profile of a baseline, with its requirements.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineProfile {
    /// The profile's id.
    pub id: String,
    /// The profile's requirements and their outcomes.
    #[serde(default)]
    pub requirements: Vec<BaselineRequirement>,
}

/// A profile requirement of a baseline and its outcome.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineRequirement {
    /// The requirement's id within its profile.
    pub id: String,
    /// Whether the requirement passed.
    pub outcome: RequirementOutcome,
    /// The reason of the waiver that accepted this requirement, if any.
    #[serde(default)]
    pub waived: Option<String>,
}

/// A bucket or layer score of a baseline.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineScore {
    /// The bucket or layer id.
    pub id: String,
    /// Its score; `None` when nothing in it could be scored.
    pub score: Option<f64>,
}

/// The overall result of a baseline.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineOverall {
    /// The overall score.
    pub score: f64,
    /// Null when the arrangement was not graded.
    #[serde(default)]
    pub grade: Option<String>,
    /// The share of applicable checks whose fact is disclosed, in percent.
    #[serde(default)]
    pub coverage_pct: f64,
}

impl Baseline {
    /// One report read from JSON: its version first, so that a report of
    /// another version is named as such rather than by whichever field
    /// moved. `line` is where the report starts in a JSON Lines file.
    fn from_json(
        source: &SourceFile,
        value: serde_json::Value,
        line: Option<u32>,
    ) -> Result<Self, Diagnostic> {
        let error = |code: Code, message: String| match line {
            Some(line) => {
                Diagnostic::at_line(Severity::Error, code, source.name(), (line, 1), message)
            }
            None => Diagnostic::file_error(code, source.name(), message),
        };
        let not_a_report = |code: Code, what: String| {
            error(code, format!("not a usd1eval JSON report: {what}"))
                .with_help("a baseline is the output of `usd1eval score --format json FILE...`")
        };
        match value.get("schema_version") {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {
            }
            Some(serde_json::Value::Number(n)) => {
                return Err(error(
                    Code::UnsupportedFormat,
                    format!("report has schema_version {n}; this build reads schema_version {SCHEMA_VERSION}"),
                )
                .with_help("re-create the baseline with this version of usd1eval (`usd1eval score --format json`)"));
            }
            Some(other) => {
                return Err(not_a_report(
                    Code::WrongType,
                    format!("`schema_version` is {other}, not a number"),
                ));
            }
            None => {
                return Err(not_a_report(
                    Code::UnsupportedFormat,
                    "no `schema_version`".to_string(),
                ));
            }
        }
        serde_json::from_value(value)
            .map_err(|e| not_a_report(Code::UnsupportedFormat, e.to_string()))
    }

    /// Refuses a baseline made with another rubric than `rubric`, naming both.
    pub fn check_rubric(&self, file: &str, rubric: &BaselineRubric) -> Result<(), Diagnostic> {
        match &self.rubric {
            Some(made_with) if made_with != rubric => Err(Diagnostic::file_error(
                Code::Usage,
                file,
                format!("made with {made_with}, not {rubric} of this run"),
            )
            .with_help(
                "compare reports of one rubric: give the same --rubric, re-create the baseline, \
                 or pass --allow-other-rubric to compare anyway",
            )),
            _ => Ok(()),
        }
    }

    /// A baseline from a report in memory (for `diff` of two arrangement
    /// files, and the regression gate), read from the report's own fields:
    /// no JSON round trip. Scores and points are rounded as the JSON report
    /// writes them, so a report compared with its own JSON is no regression.
    pub fn from_report(report: &Report) -> Self {
        let score = |s: Option<f64>| s.map(|s| round_to(s, 1));
        Self {
            arrangement: Some(BaselineArrangement {
                name: report.arrangement.name.clone(),
                path: report.arrangement.path.clone(),
            }),
            schema_version: report.schema_version,
            rubric: Some(BaselineRubric {
                id: report.rubric.id.to_string(),
                sha256: report.rubric.sha256.to_string(),
            }),
            milestones: report
                .milestones
                .iter()
                .map(|m| BaselineMilestone {
                    id: m.id.to_string(),
                    score: score(m.score),
                    findings: m
                        .findings
                        .iter()
                        .map(|f| BaselineFinding {
                            check: f.check.to_string(),
                            outcome: f.outcome,
                            fact: f.fact.to_string(),
                            earned: round_to(f.earned, 2),
                            waived: f.waived.clone(),
                        })
                        .collect(),
                })
                .collect(),
            caps: report
                .caps
                .iter()
                .map(|c| BaselineCap {
                    id: c.id.clone(),
                    max_grade: c.max_grade.clone(),
                    waived: c.waived.clone(),
                })
                .collect(),
            profiles: report
                .profiles
                .iter()
                .map(|p| BaselineProfile {
                    id: p.id.clone(),
                    requirements: p
                        .requirements
                        .iter()
                        .map(|r| BaselineRequirement {
                            id: r.id.clone(),
                            outcome: r.outcome,
                            waived: r.waived.clone(),
                        })
                        .collect(),
                })
                .collect(),
            buckets: report
                .buckets
                .iter()
                .map(|b| BaselineScore {
                    id: b.id.to_string(),
                    score: score(b.score),
                })
                .collect(),
            layers: report
                .layers
                .iter()
                .map(|l| BaselineScore {
                    id: l.id.to_string(),
                    score: score(l.score),
                })
                .collect(),
            overall: Some(BaselineOverall {
                score: round_to(report.overall.score, 1),
                grade: report.overall.grade.map(str::to_string),
                coverage_pct: round_to(report.overall.coverage_pct, 1),
            }),
        }
    }
}

/// The reports of a baseline file: one JSON report, or JSON Lines with one
/// report per scored file, as `score --format json` writes for several.
#[derive(Debug, Clone)]
pub struct Baselines {
    /// The file's name, for messages.
    pub file: String,
    /// The reports, in file order.
    pub reports: Vec<Baseline>,
}

/// Which report of a baseline file gates a scored arrangement.
#[derive(Debug)]
pub enum BaselineFor<'b> {
    /// The report of the same arrangement.
    Report(&'b Baseline),
    /// No report in a baseline of several names this arrangement: a
    /// warning, and the file is gated without a baseline.
    Unmatched(Diagnostic),
    /// The baseline is one report, of another arrangement: an error.
    Refused(Diagnostic),
}

impl Baselines {
    /// Reads a baseline file: one JSON report, or JSON Lines of several.
    pub fn parse(source: &SourceFile) -> Result<Self, Diagnostic> {
        // A byte-order mark is allowed, as in every other input; offsets
        // below count from after it.
        let whole = source.text();
        let text = whole.strip_prefix('\u{feff}').unwrap_or(whole);
        let bom = whole.len() - text.len();
        let mut reports = Vec::new();
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        loop {
            let start = values.byte_offset();
            match values.next() {
                None => break,
                Some(Ok(value)) => {
                    // Where this report starts: past the whitespace before it.
                    let skipped = text
                        .get(start..)
                        .map_or(0, |t| t.len() - t.trim_start().len());
                    // A report among several is named by its line.
                    let several =
                        !reports.is_empty() || values.byte_offset() < text.trim_end().len();
                    let line = several.then(|| source.line(bom + start + skipped));
                    reports.push(Baseline::from_json(source, value, line)?);
                }
                Some(Err(e)) => return Err(json_error(source, &e)),
            }
        }
        if reports.is_empty() {
            return Err(Diagnostic::file_error(
                Code::UnsupportedFormat,
                source.name(),
                "not a usd1eval JSON report: the file is empty",
            )
            .with_help("a baseline is the output of `usd1eval score --format json FILE...`"));
        }
        Ok(Self {
            file: source.name().to_string(),
            reports,
        })
    }

    /// Refuses a baseline any report of which was made with another rubric.
    pub fn check_rubric(&self, rubric: &BaselineRubric) -> Result<(), Diagnostic> {
        self.reports
            .iter()
            .try_for_each(|b| b.check_rubric(&self.file, rubric))
    }

    /// The report that gates `arrangement`: the one of the same name (of
    /// several, the one of the same path), else the one of the same path (a
    /// renamed arrangement). A baseline of one report of another arrangement
    /// is refused, naming both, unless `allow_other`; in a baseline of
    /// several, an arrangement no report names is gated without one.
    pub fn for_arrangement(
        &self,
        arrangement: &crate::report::ArrangementRef,
        allow_other: bool,
    ) -> BaselineFor<'_> {
        fn name_of(b: &Baseline) -> Option<(&str, &str)> {
            b.arrangement
                .as_ref()
                .map(|a| (a.name.as_str(), a.path.as_str()))
        }
        let same_name: Vec<&Baseline> = self
            .reports
            .iter()
            .filter(|b| name_of(b).is_some_and(|(n, _)| n == arrangement.name))
            .collect();
        let same_path = |b: &&Baseline| name_of(b).is_some_and(|(_, p)| p == arrangement.path);
        if let Some(found) = same_name
            .iter()
            .copied()
            .find(same_path)
            .or_else(|| same_name.first().copied())
        {
            return BaselineFor::Report(found);
        }
        if let Some(found) = self.reports.iter().find(same_path) {
            return BaselineFor::Report(found);
        }
        match self.reports.as_slice() {
            [only] if allow_other => BaselineFor::Report(only),
            [only] => {
                let (name, path) = name_of(only).unwrap_or(("an unnamed arrangement", "?"));
                BaselineFor::Refused(
                    Diagnostic::file_error(
                        Code::Usage,
                        &self.file,
                        format!(
                            "baseline is a report of \"{name}\" ({path}), not of \"{}\" ({}) scored here",
                            arrangement.name, arrangement.path
                        ),
                    )
                    .with_help(
                        "make the baseline from this arrangement's own earlier version, or pass \
                         --allow-other-arrangement to compare two arrangements on purpose",
                    ),
                )
            }
            several => {
                let names: Vec<String> = several
                    .iter()
                    .filter_map(name_of)
                    .map(|(n, _)| format!("\"{n}\""))
                    .collect();
                BaselineFor::Unmatched(
                    Diagnostic::at_line(
                        Severity::Warning,
                        Code::Usage,
                        &self.file,
                        (0, 0),
                        format!(
                            "no report of \"{}\" ({}) among the baseline's {} ({}); it is gated without a baseline",
                            arrangement.name,
                            arrangement.path,
                            several.len(),
                            names.join(", ")
                        ),
                    )
                    .with_help("re-create the baseline from every file this run scores"),
                )
            }
        }
    }
}

fn json_error(source: &SourceFile, e: &serde_json::Error) -> Diagnostic {
    let position = (
        u32::try_from(e.line()).unwrap_or(0),
        u32::try_from(e.column()).unwrap_or(0),
    );
    Diagnostic::at_line(
        Severity::Error,
        Code::Syntax,
        source.name(),
        position,
        format!("not valid JSON: {e}"),
    )
    .with_help("a baseline is the output of `usd1eval score --format json FILE`")
}

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
                let date = crate::rubric::table::plain_date(&dt);
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
        let hint = crate::facts::schema::did_you_mean(target, ids.iter().copied())
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
            let hint = crate::facts::schema::did_you_mean(requirement, ids.iter().copied())
                .map_or_else(
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

/// Runs every requested gate, and the regression gate against `baseline`
/// (the report of the same arrangement, see [`Baselines::for_arrangement`]),
/// and records the failures in the report.
pub fn apply(
    report: &mut Report,
    rubric: &Rubric,
    options: &GateOptions,
    baseline: Option<&Baseline>,
) {
    let mut failures = Vec::new();
    let mut fail = |gate: &str, reason: String| {
        failures.push(GateFailure {
            gate: gate.to_string(),
            reason,
        })
    };
    let overall = &report.overall;
    // An ungraded file fails every grade and score gate: deleting facts must
    // never pass CI. A NaN score never passes either.
    if let Some(min) = options.fail_under {
        if !overall.is_graded() {
            fail("fail-under", overall.not_graded_reason());
        } else if overall.score.is_nan() || overall.score < min {
            fail(
                "fail-under",
                format!(
                    "overall score {} is below {min}",
                    crate::report::fixed(overall.score, 1)
                ),
            );
        }
    }
    if let Some(min) = &options.min_grade {
        match overall.grade {
            None => fail("min-grade", overall.not_graded_reason()),
            Some(grade) if rubric.grade_rank(grade) > rubric.grade_rank(min) => fail(
                "min-grade",
                format!("grade {grade} is below the required {min}"),
            ),
            Some(_) => {}
        }
    }
    if options.fail_on_cap {
        for cap in report.caps.iter().filter(|c| c.waived.is_none()) {
            fail(
                "fail-on-cap",
                format!(
                    "cap {} applies (at most {}{}): {}",
                    cap.id,
                    cap.max_grade,
                    if cap.known {
                        ""
                    } else {
                        "; assumed because a fact it needs is not disclosed"
                    },
                    cap.reason
                ),
            );
        }
    }
    if options.fail_on_outrun && report.outruns() {
        fail(
            "fail-on-outrun",
            format!(
                "growth outruns strength: held down by {}",
                report.stage.held_down_by.join(", ")
            ),
        );
    }
    // A profile not yet in force still gates, on readiness: the message says so.
    for name in &options.require_profiles {
        match report.profiles.iter().find(|p| &p.id == name) {
            // Out of scope fails the gate too: the file does not show that
            // the instrument the gate asks for covers it. A profile that
            // fails only on waived requirements passes.
            Some(p)
                if p.verdict == ProfileVerdict::OutOfScope
                    || (!p.passed
                        && (p.blocking().next().is_none()
                            || p.blocking().any(|r| r.waived.is_none()))) =>
            {
                let failing: Vec<String> = p
                    .blocking()
                    .filter(|r| r.waived.is_none())
                    .map(|r| format!("{} ({})", r.id, r.outcome.as_str()))
                    .collect();
                let readiness = p
                    .readiness_note()
                    .map(|note| format!(" [{note}]"))
                    .unwrap_or_default();
                let failing = if failing.is_empty() {
                    String::new()
                } else {
                    format!(": {}", failing.join(", "))
                };
                fail(
                    "require-profile",
                    format!("profile {name} {}{failing}{readiness}", p.verdict.label()),
                );
            }
            Some(_) => {}
            None => fail(
                "require-profile",
                format!("profile {name} was not evaluated"),
            ),
        }
    }
    if let Some(baseline) = baseline {
        for r in regressions(report, baseline, options.tolerance) {
            fail("baseline", r);
        }
    }
    report.gates.passed = failures.is_empty();
    report.gates.failures = failures;
}

/// Every regression of a report against a baseline, item by item. Waived
/// milestones and checks are exempt.
pub fn regressions(report: &Report, baseline: &Baseline, tolerance: f64) -> Vec<String> {
    regressions_between(&Baseline::from_report(report), baseline, tolerance)
}

/// Every regression from `old` to `new`: a graded arrangement that is no
/// longer graded, a fact that was declared and is now absent (whatever the
/// rubric makes of absent facts: with `absent = "unknown"` deleting a weak
/// fact would raise its milestone), a milestone that lost more than
/// `tolerance` points (unless every finding that lost points is waived), a
/// cap that now applies, a profile requirement that passed and no longer does.
/// Waived caps and requirements are exempt.
pub fn regressions_between(new: &Baseline, old: &Baseline, tolerance: f64) -> Vec<String> {
    let mut out = Vec::new();
    let grade_of = |b: &Baseline| b.overall.as_ref().and_then(|o| o.grade.clone());
    if let (Some(was), None) = (grade_of(old), grade_of(new))
        && new.overall.is_some()
    {
        out.push(format!(
            "the arrangement was graded {was} and is no longer graded: core facts are missing"
        ));
    }
    let old_findings: BTreeMap<&str, &BaselineFinding> = old
        .milestones
        .iter()
        .flat_map(|m| &m.findings)
        .map(|f| (f.check.as_str(), f))
        .collect();
    for f in new.milestones.iter().flat_map(|m| &m.findings) {
        let was_declared = old_findings
            .get(f.check.as_str())
            .is_some_and(|o| !matches!(o.outcome, Outcome::NotDisclosed | Outcome::NotApplicable));
        if was_declared && f.outcome == Outcome::NotDisclosed && f.waived.is_none() {
            out.push(format!(
                "check {}: `{}` was declared and is now absent",
                f.check, f.fact
            ));
        }
    }
    let old_milestones: BTreeMap<&str, &BaselineMilestone> =
        old.milestones.iter().map(|m| (m.id.as_str(), m)).collect();
    for m in &new.milestones {
        let Some(before) = old_milestones.get(m.id.as_str()) else {
            continue;
        };
        let (Some(old_score), Some(new_score)) = (before.score, m.score) else {
            continue;
        };
        // Reports carry one decimal; compare at that precision so that a
        // baseline read back from JSON does not regress against itself.
        let (old_score, new_score) = (
            crate::report::round1_value(old_score),
            crate::report::round1_value(new_score),
        );
        if new_score >= old_score - tolerance - 1e-9 {
            continue;
        }
        let old_findings: BTreeMap<&str, &BaselineFinding> = before
            .findings
            .iter()
            .map(|f| (f.check.as_str(), f))
            .collect();
        // The findings that lost points (compared at the report's two decimals).
        let worse: Vec<(&BaselineFinding, &BaselineFinding)> = m
            .findings
            .iter()
            .filter_map(|f| old_findings.get(f.check.as_str()).map(|o| (f, *o)))
            .filter(|(f, o)| (f.earned * 100.0).round() / 100.0 < o.earned - 1e-9)
            .collect();
        if !worse.is_empty() && worse.iter().all(|(f, _)| f.waived.is_some()) {
            continue;
        }
        let changed: Vec<String> = worse
            .iter()
            .map(|(f, o)| {
                format!(
                    "{} {} → {}",
                    f.check,
                    o.outcome.as_str(),
                    f.outcome.as_str()
                )
            })
            .collect();
        let detail = if changed.is_empty() {
            String::new()
        } else {
            format!(" ({})", changed.join(", "))
        };
        out.push(format!(
            "milestone {} fell from {} to {}{detail}",
            m.id,
            crate::report::fixed(old_score, 1),
            crate::report::fixed(new_score, 1)
        ));
    }
    for cap in new.caps.iter().filter(|c| c.waived.is_none()) {
        if !old.caps.iter().any(|c| c.id == cap.id) {
            out.push(format!(
                "cap {} now applies (at most {})",
                cap.id, cap.max_grade
            ));
        }
    }
    for p in &new.profiles {
        let Some(before) = old.profiles.iter().find(|o| o.id == p.id) else {
            continue;
        };
        for r in p.requirements.iter().filter(|r| r.waived.is_none()) {
            let was_passing = before
                .requirements
                .iter()
                .any(|o| o.id == r.id && o.outcome == RequirementOutcome::Pass);
            // Not-assessable is not a regression: it comes from a profile that
            // found its reading beyond format 1, never from changed facts.
            let not_worse = matches!(
                r.outcome,
                RequirementOutcome::Pass
                    | RequirementOutcome::NotApplicable
                    | RequirementOutcome::NotAssessable
                    | RequirementOutcome::NotInForce
            );
            if was_passing && !not_worse {
                out.push(format!(
                    "profile {} requirement {} was pass, now {}",
                    p.id,
                    r.id,
                    r.outcome.as_str()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ArrangementRef;

    fn report_line(name: &str, path: &str, score: f64) -> String {
        format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"arrangement":{{"name":"{name}","path":"{path}"}},"overall":{{"score":{score}}}}}"#
        )
    }

    fn arrangement(name: &str, path: &str) -> ArrangementRef {
        ArrangementRef {
            name: name.into(),
            issuer: None,
            path: path.into(),
            sha256: String::new(),
            as_of: String::new(),
        }
    }

    fn score_of(found: &BaselineFor) -> Option<f64> {
        match found {
            BaselineFor::Report(b) => b.overall.as_ref().map(|o| o.score),
            _ => None,
        }
    }

    #[test]
    fn json_lines_reports_are_matched_by_name_then_path() {
        let text = [
            report_line("A", "a.toml", 1.0),
            report_line("A", "x/a.toml", 2.0),
            report_line("B", "b.toml", 3.0),
        ]
        .join("\n");
        let baselines = Baselines::parse(&SourceFile::new("base.jsonl", text)).unwrap();
        assert_eq!(baselines.reports.len(), 3);
        let find =
            |name, path| score_of(&baselines.for_arrangement(&arrangement(name, path), false));
        // By name; of several of one name, the one of the same path.
        assert_eq!(find("A", "x/a.toml"), Some(2.0));
        assert_eq!(find("A", "elsewhere.toml"), Some(1.0));
        assert_eq!(find("B", "moved/b.toml"), Some(3.0));
        // A renamed arrangement at its old path.
        assert_eq!(find("B renamed", "b.toml"), Some(3.0));
        // Nothing of that name or path: gated without a baseline.
        assert!(matches!(
            baselines.for_arrangement(&arrangement("C", "c.toml"), true),
            BaselineFor::Unmatched(d) if !d.is_error()
        ));
    }

    #[test]
    fn one_report_of_another_arrangement_is_refused_unless_allowed() {
        let source = SourceFile::new("base.json", report_line("A", "a.toml", 1.0));
        let baselines = Baselines::parse(&source).unwrap();
        let other = arrangement("C", "c.toml");
        assert!(matches!(
            baselines.for_arrangement(&other, false),
            BaselineFor::Refused(d) if d.is_error() && d.message.contains("\"A\" (a.toml)") && d.message.contains("\"C\" (c.toml)")
        ));
        assert_eq!(
            score_of(&baselines.for_arrangement(&other, true)),
            Some(1.0)
        );
    }

    #[test]
    fn an_empty_baseline_is_refused() {
        let empty = Baselines::parse(&SourceFile::new("base.json", "\n"));
        assert!(empty.is_err_and(|d| d.message.contains("empty")));
    }
}
