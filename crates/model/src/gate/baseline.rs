//! Baselines: the comparable parts of a report — scores, findings, caps,
//! profiles — read from an earlier JSON report (or JSON Lines of several) or
//! taken from a fresh report, and the choice of which report of a baseline
//! file gates a scored arrangement. The regression rules (`regression.rs`)
//! and `diff` compare two of these; this file knows nothing of gates or
//! waivers, and reads a waiver's mark only as the report recorded it.

use serde::Deserialize;

use crate::number::round_to;
use crate::report::{Outcome, Report, RequirementOutcome, SCHEMA_VERSION};
use crate::rubric::Rubric;
use crate::source::{Code, Diagnostic, Severity, SourceFile};

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
                grade: report.overall.grade.as_deref().map(str::to_string),
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
