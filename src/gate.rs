//! Gates: thresholds, baseline regression and waivers → pass/fail with reasons.
//!
//! Regression is judged item by item — per milestone, per cap and per profile
//! requirement — so an improvement in one place can never pay for a
//! regression in another. A waiver exempts its milestone or check from the
//! regression gate and marks its findings as waived; it never changes a score.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::report::{GateFailure, Report, RequirementOutcome, SCHEMA_VERSION};
use crate::rubric::Rubric;
use crate::rubric::table::{At, read_file};
use crate::source::{Code, Diagnostic, Severity, SourceFile, sort_diagnostics};

/// What the command line asked the gates to enforce.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    pub fail_under: Option<f64>,
    pub min_grade: Option<String>,
    pub fail_on_cap: bool,
    pub fail_on_outrun: bool,
    pub require_profiles: Vec<String>,
    pub baseline: Option<Baseline>,
    /// Points a milestone may drop before it counts as a regression.
    pub tolerance: f64,
}

/// The comparable parts of a report — scores, findings, caps, profiles —
/// read from an earlier JSON report or taken from a fresh one. Regressions
/// and `diff` compare two of these.
#[derive(Debug, Clone, Deserialize)]
pub struct Baseline {
    #[serde(default)]
    pub arrangement: Option<BaselineArrangement>,
    pub schema_version: u32,
    /// The rubric the report was made with; comparing across rubrics
    /// compares scores that do not mean the same thing.
    #[serde(default)]
    pub rubric: Option<BaselineRubric>,
    #[serde(default)]
    pub milestones: Vec<BaselineMilestone>,
    #[serde(default)]
    pub caps: Vec<BaselineCap>,
    #[serde(default)]
    pub profiles: Vec<BaselineProfile>,
    #[serde(default)]
    pub buckets: Vec<BaselineScore>,
    #[serde(default)]
    pub layers: Vec<BaselineScore>,
    pub overall: Option<BaselineOverall>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineArrangement {
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BaselineRubric {
    pub id: String,
    pub sha256: String,
}

impl BaselineRubric {
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

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineMilestone {
    pub id: String,
    pub score: Option<f64>,
    #[serde(default)]
    pub findings: Vec<BaselineFinding>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineFinding {
    pub check: String,
    pub outcome: String,
    #[serde(default)]
    pub fact: String,
    #[serde(default)]
    pub earned: f64,
    #[serde(default)]
    pub waived: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineCap {
    pub id: String,
    #[serde(default)]
    pub max_grade: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineProfile {
    pub id: String,
    #[serde(default)]
    pub requirements: Vec<BaselineRequirement>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineRequirement {
    pub id: String,
    pub outcome: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineScore {
    pub id: String,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BaselineOverall {
    pub score: f64,
    /// Null when the arrangement was not graded.
    #[serde(default)]
    pub grade: Option<String>,
    #[serde(default)]
    pub coverage_pct: f64,
}

impl Baseline {
    /// Reads a JSON report as a baseline. A report of another schema version
    /// is refused: its fields may not mean what this build thinks. Only the
    /// fields a baseline needs are kept: the rest (diagnostics, derived
    /// figures) is skipped as it is read.
    pub fn parse(source: &SourceFile) -> Result<Self, Diagnostic> {
        /// The version alone, read first, so that a report of another
        /// version is named as such rather than by whichever field moved.
        #[derive(Deserialize)]
        struct Version {
            schema_version: Option<serde_json::Value>,
        }
        let text = source.text();
        let version: Version = serde_json::from_str(text).map_err(|e| json_error(source, &e))?;
        let not_a_report = |code: Code, what: String| {
            Diagnostic::file_error(
                code,
                source.name(),
                format!("not a usd1eval JSON report: {what}"),
            )
            .with_help("a baseline is the output of `usd1eval score --format json FILE`")
        };
        match version.schema_version {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {
            }
            Some(serde_json::Value::Number(n)) => {
                return Err(Diagnostic::file_error(
                    Code::UnsupportedFormat,
                    source.name(),
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
        serde_json::from_str(text).map_err(|e| not_a_report(Code::UnsupportedFormat, e.to_string()))
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

    /// A baseline from a report in memory (for `diff` of two arrangement files).
    pub fn from_report(report: &Report) -> Self {
        let value = serde_json::to_value(report).unwrap_or_default();
        serde_json::from_value(value).unwrap_or(Self {
            arrangement: None,
            schema_version: SCHEMA_VERSION,
            rubric: None,
            milestones: Vec::new(),
            caps: Vec::new(),
            profiles: Vec::new(),
            buckets: Vec::new(),
            layers: Vec::new(),
            overall: None,
        })
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

/// One waiver as loaded.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// A milestone id (`M18`), a check id (`M18.settlement`), or a history
    /// alert id (`buffer-shrinking`) when `alert` is true.
    pub target: String,
    /// True for a waiver of a history alert (`alert = "id"`).
    pub alert: bool,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<NaiveDate>,
    pub line: u32,
}

crate::rubric::file::tables! {
    WaiverEntry {
        milestone: Option<String> = optional("milestone"),
        check: Option<String> = optional("check"),
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
        "each [[waiver]] takes `milestone`, `check` or `alert`, `reason`, and optionally `expires` and `owner`",
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
        let alert = w.alert.is_some();
        let target = match (w.milestone, w.check, w.alert) {
            (None, None, Some(a)) => {
                let ids = rubric.history.ids();
                if !ids.contains(&a.as_str()) {
                    let hint = crate::facts::schema::did_you_mean(&a, ids.iter().copied())
                        .map_or_else(
                            || format!("alerts of rubric `{}`: {}", rubric.id, ids.join(", ")),
                            |s| format!("did you mean `{s}`?"),
                        );
                    errors.push(
                        source
                            .error(
                                Code::UnknownReference,
                                at("alert"),
                                format!("waiver names unknown alert `{a}`"),
                            )
                            .with_help(hint),
                    );
                }
                a
            }
            (Some(m), None, None) => {
                if rubric.milestone(&m).is_none() {
                    errors.push(
                        source
                            .error(
                                Code::UnknownReference,
                                at("milestone"),
                                format!("waiver names unknown milestone `{m}`"),
                            )
                            .with_help("see `usd1eval rubric show` for milestone ids"),
                    );
                }
                m
            }
            (None, Some(c), None) => {
                if rubric.check(&c).is_none() {
                    errors.push(
                        source
                            .error(
                                Code::UnknownReference,
                                at("check"),
                                format!("waiver names unknown check `{c}`"),
                            )
                            .with_help("see `usd1eval explain MILESTONE` for check ids"),
                    );
                }
                c
            }
            _ => {
                errors.push(source.error(
                    Code::WrongType,
                    span,
                    "a waiver names exactly one of `milestone`, `check` or `alert`",
                ));
                continue;
            }
        };
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
            alert,
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
    let findings = waivers.iter().filter(|w| !w.alert);
    each_waiver(findings, waiver_file, as_of, deny_unused, |w| {
        let mut used = false;
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
    let alerts = waivers.iter().filter(|w| w.alert);
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
            let what = if w.alert {
                "raised alert"
            } else {
                "finding that costs points"
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

/// Runs every requested gate and records the failures in the report.
pub fn apply(report: &mut Report, rubric: &Rubric, options: &GateOptions) {
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
        for cap in &report.caps {
            fail(
                "fail-on-cap",
                format!(
                    "cap {} applies (at most {}): {}",
                    cap.id, cap.max_grade, cap.reason
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
            Some(p) if !p.passed => {
                let failing: Vec<String> = p
                    .blocking()
                    .map(|r| format!("{} ({})", r.id, r.outcome.as_str()))
                    .collect();
                let readiness = p
                    .readiness_note()
                    .map(|note| format!(" [{note}]"))
                    .unwrap_or_default();
                fail(
                    "require-profile",
                    format!(
                        "profile {name} {}: {}{readiness}",
                        p.verdict.label(),
                        failing.join(", ")
                    ),
                );
            }
            Some(_) => {}
            None => fail(
                "require-profile",
                format!("profile {name} was not evaluated"),
            ),
        }
    }
    if let Some(baseline) = &options.baseline {
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
            .is_some_and(|o| !matches!(o.outcome.as_str(), "not-disclosed" | "not-applicable"));
        if was_declared && f.outcome == "not-disclosed" && f.waived.is_none() {
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
            .map(|(f, o)| format!("{} {} → {}", f.check, o.outcome, f.outcome))
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
    for cap in &new.caps {
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
        // Not-assessable is not a regression: it comes from a profile that
        // found its reading beyond format 1, never from changed facts.
        let not_worse = [
            RequirementOutcome::Pass,
            RequirementOutcome::NotApplicable,
            RequirementOutcome::NotAssessable,
        ]
        .map(RequirementOutcome::as_str);
        let pass = RequirementOutcome::Pass.as_str();
        for r in &p.requirements {
            let was_passing = before
                .requirements
                .iter()
                .any(|o| o.id == r.id && o.outcome == pass);
            if was_passing && !not_worse.contains(&r.outcome.as_str()) {
                out.push(format!(
                    "profile {} requirement {} was pass, now {}",
                    p.id, r.id, r.outcome
                ));
            }
        }
    }
    out
}
