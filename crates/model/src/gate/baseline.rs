//! Baselines: earlier JSON reports (one, or JSON Lines of several) read back
//! into the report's own types ([`Report`]), and the choice of which report
//! of a baseline file gates a scored arrangement. The regression rules
//! (`regression.rs`) and `diff` compare two reports; this file knows nothing
//! of gates or waivers, and reads a waiver's mark only as the report recorded
//! it.

use crate::report::{ArrangementRef, Report, RubricRef, SCHEMA_VERSION};
use crate::source::{Code, Diagnostic, Severity, SourceFile};

/// One report read from JSON: its version first, so that a report of another
/// version is named as such rather than by whichever field moved. `line` is
/// where the report starts in a JSON Lines file.
fn report_from_json(
    source: &SourceFile,
    value: &serde_json::Value,
    line: Option<u32>,
) -> Result<Report<'static>, Diagnostic> {
    let error = |code: Code, message: String| match line {
        Some(line) => Diagnostic::at_line(Severity::Error, code, source.name(), (line, 1), message),
        None => Diagnostic::file_error(code, source.name(), message),
    };
    let not_a_report = |code: Code, what: String| {
        error(code, format!("not a usd1eval JSON report: {what}"))
            .with_help("a baseline is the output of `usd1eval score --format json FILE...`")
    };
    match value.get("schema_version") {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(SCHEMA_VERSION)) => {}
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
    serde::Deserialize::deserialize(value)
        .map_err(|e: serde_json::Error| not_a_report(Code::UnsupportedFormat, e.to_string()))
}

/// Refuses a baseline report made with another rubric than `rubric`, naming
/// both. A report that does not say is compared.
fn check_rubric(report: &Report, file: &str, rubric: &RubricRef) -> Result<(), Diagnostic> {
    match report.made_with() {
        Some(made_with) if !made_with.same_rubric(rubric) => Err(Diagnostic::file_error(
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

/// The reports of a baseline file: one JSON report, or JSON Lines with one
/// report per scored file, as `score --format json` writes for several.
#[derive(Debug, Clone)]
pub struct Baselines {
    /// The file's name, for messages.
    pub file: String,
    /// The reports, in file order.
    pub reports: Vec<Report<'static>>,
}

/// Which report of a baseline file gates a scored arrangement.
#[derive(Debug)]
pub enum BaselineFor<'b> {
    /// The report of the same arrangement.
    Report(&'b Report<'static>),
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
                    reports.push(report_from_json(source, &value, line)?);
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
    pub fn check_rubric(&self, rubric: &RubricRef) -> Result<(), Diagnostic> {
        self.reports
            .iter()
            .try_for_each(|r| check_rubric(r, &self.file, rubric))
    }

    /// The report that gates `arrangement`: the one of the same name (of
    /// several, the one of the same path), else the one of the same path (a
    /// renamed arrangement). A baseline of one report of another arrangement
    /// is refused, naming both, unless `allow_other`; in a baseline of
    /// several, an arrangement no report names is gated without one.
    pub fn for_arrangement(
        &self,
        arrangement: &ArrangementRef,
        allow_other: bool,
    ) -> BaselineFor<'_> {
        let same_name: Vec<&Report<'static>> = self
            .reports
            .iter()
            .filter(|r| r.about().is_some_and(|(n, _)| n == arrangement.name))
            .collect();
        let same_path =
            |r: &&Report<'static>| r.about().is_some_and(|(_, p)| p == arrangement.path);
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
                let (name, path) = only.about().unwrap_or(("an unnamed arrangement", "?"));
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
                    .filter_map(Report::about)
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

    fn report_line(name: &str, path: &str, score: f64) -> String {
        format!(
            r#"{{"schema_version":{SCHEMA_VERSION},"arrangement":{{"name":"{name}","path":"{path}"}},"overall":{{"score":{score}}}}}"#
        )
    }

    fn arrangement(name: &str, path: &str) -> ArrangementRef {
        ArrangementRef {
            name: name.into(),
            path: path.into(),
            ..ArrangementRef::default()
        }
    }

    fn score_of(found: &BaselineFor) -> Option<f64> {
        match found {
            BaselineFor::Report(r) => Some(r.overall.score),
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

    /// A report of this schema_version with only the fields the old
    /// hand-written baseline copy read: an older build's report, trimmed.
    const OLD_STYLE: &str = r#"{
        "schema_version": 1,
        "arrangement": {"name": "A", "path": "a.toml"},
        "rubric": {"id": "milestones", "sha256": "0123456789abcdef"},
        "milestones": [{"id": "M01", "score": 50.0, "findings": [
            {"check": "M01.a", "outcome": "met", "fact": "x.y", "earned": 2.5},
            {"check": "M01.b", "outcome": "not-disclosed", "waived": "later"}
        ]}],
        "caps": [{"id": "cap-a", "max_grade": "C"}],
        "profiles": [{"id": "p", "requirements": [{"id": "r1", "outcome": "pass"}]}],
        "buckets": [{"id": "b", "score": 40.0}],
        "layers": [{"id": "l", "score": null}],
        "overall": {"score": 42.0, "grade": "C", "coverage_pct": 80.0}
    }"#;

    #[test]
    fn an_old_style_report_reads_as_a_baseline() {
        let baselines = Baselines::parse(&SourceFile::new("old.json", OLD_STYLE)).unwrap();
        let [old] = baselines.reports.as_slice() else {
            panic!("one report");
        };
        assert_eq!(old.about(), Some(("A", "a.toml")));
        assert_eq!(
            old.made_with().map(ToString::to_string).as_deref(),
            Some("rubric `milestones` (sha256 0123456789ab…)")
        );
        assert_eq!(old.overall.grade.as_deref(), Some("C"));
        let findings = &old.milestones[0].findings;
        assert_eq!(findings[0].earned_as_written(), 2.5);
        assert_eq!(findings[1].outcome, crate::report::Outcome::NotDisclosed);
        assert_eq!(findings[1].waived.as_deref(), Some("later"));
        assert_eq!(old.caps[0].max_grade, "C");
        assert_eq!(old.profiles[0].requirements[0].id, "r1");
        assert_eq!(old.layers[0].score, None);
        assert!(super::super::regressions_between(old, old, 0.0).is_empty());
    }

    #[test]
    fn what_the_old_baseline_required_is_still_required() {
        for (field, text) in [
            ("schema_version", r#"{"overall": {"score": 1}}"#),
            (
                "id",
                r#"{"schema_version": 1, "milestones": [{"score": 1}]}"#,
            ),
            (
                "check",
                r#"{"schema_version": 1, "milestones": [{"id": "M", "findings": [{"outcome": "met"}]}]}"#,
            ),
            (
                "outcome",
                r#"{"schema_version": 1, "milestones": [{"id": "M", "findings": [{"check": "c"}]}]}"#,
            ),
            (
                "id",
                r#"{"schema_version": 1, "caps": [{"max_grade": "C"}]}"#,
            ),
            (
                "id",
                r#"{"schema_version": 1, "profiles": [{"requirements": []}]}"#,
            ),
            (
                "outcome",
                r#"{"schema_version": 1, "profiles": [{"id": "p", "requirements": [{"id": "r"}]}]}"#,
            ),
            ("id", r#"{"schema_version": 1, "buckets": [{"score": 1}]}"#),
            ("id", r#"{"schema_version": 1, "layers": [{"score": 1}]}"#),
            (
                "score",
                r#"{"schema_version": 1, "overall": {"grade": "A"}}"#,
            ),
        ] {
            let refused = Baselines::parse(&SourceFile::new("b.json", text)).unwrap_err();
            assert!(
                refused.message.contains(&format!("`{field}`")),
                "{text}: {}",
                refused.message
            );
        }
    }

    /// A fresh report and the same report read back from its JSON compare
    /// alike: nothing changed between them, and against another report each
    /// finds the same regressions, so the regression gate needs no JSON.
    #[test]
    fn a_fresh_report_compares_as_its_json_does() {
        use crate::facts::Arrangement;
        let rubric = crate::rubric::load_rubric("milestones").unwrap();
        let profiles = [crate::rubric::profile::load_profile("genius-2025").unwrap()];
        let scored = |example: &str| {
            let path = format!(
                "{}/../../examples/{example}.toml",
                env!("CARGO_MANIFEST_DIR")
            );
            let source = SourceFile::read(path).unwrap();
            let arrangement = Arrangement::from_source(&source).unwrap();
            crate::eval::evaluate(&rubric, &profiles, &arrangement, arrangement.facts.as_of)
        };
        let read_back = |report: &Report| {
            let json = serde_json::to_string(report).unwrap();
            let mut read = Baselines::parse(&SourceFile::new("r.json", json)).unwrap();
            read.reports.pop().unwrap()
        };
        fn side(report: Report<'_>) -> crate::diff::Side<'_> {
            crate::diff::Side {
                label: String::new(),
                report,
                facts: None,
            }
        }
        let (weak, middling) = (scored("weak"), scored("middling"));
        let (weak_json, middling_json) = (read_back(&weak), read_back(&middling));
        let same = crate::diff::diff(&side(middling.clone()), &side(middling_json.clone()), 0.0);
        assert!(same.findings.is_empty() && same.scores.is_empty() && !same.regression);
        let fresh = super::super::regressions_between(&weak, &middling, 0.0);
        assert!(!fresh.is_empty());
        assert_eq!(
            fresh,
            super::super::regressions_between(&weak_json, &middling_json, 0.0)
        );
        assert_eq!(
            fresh,
            super::super::regressions_between(&weak, &middling_json, 0.0)
        );
        let apart = crate::diff::diff(&side(middling), &side(weak), 0.0);
        let apart_json = crate::diff::diff(&side(middling_json), &side(weak_json), 0.0);
        assert_eq!(
            serde_json::to_string(&apart).unwrap(),
            serde_json::to_string(&apart_json).unwrap()
        );
    }
}
