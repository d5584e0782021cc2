//! SARIF 2.1.0, as GitHub code scanning accepts it: one run per arrangement,
//! every milestone a rule on every run, every result located (startLine ≥ 1),
//! fingerprints from check id and fact path rather than line numbers. A fact
//! not disclosed while absent facts count as unknown gives no result: it is
//! left out of the score, and one run-level note counts such facts.

use serde_json::{Value, json};

use crate::report::{Outcome, Report};
use crate::rubric::Rubric;
use crate::source::hex_sha256;

/// A SARIF log is written a run at a time: `HEAD`, each run (after the
/// first, `BETWEEN` before it), then `TAIL`; the same bytes serde_json would
/// write for the whole log, whose keys it sorts.
pub(super) const HEAD: &str = concat!(
    "{\n  \"$schema\": \"",
    "https://json.schemastore.org/sarif-2.1.0.json",
    "\",\n  \"runs\": [\n"
);
pub(super) const BETWEEN: &str = ",\n";
pub(super) const TAIL: &str = "\n  ],\n  \"version\": \"2.1.0\"\n}\n";

/// One report's run, pretty-printed at its depth in the log.
pub(super) fn run_text(report: &Report, rubric: &Rubric) -> String {
    let text = serde_json::to_string_pretty(&run(report, rubric)).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// The descriptor of the run-level note counting facts left out of the score.
const LEFT_OUT_NOTE: &str = "not-disclosed";

/// The rule of the result an ungraded arrangement gets.
const NOT_GRADED_RULE: &str = "not-graded";

/// The rule of a failed gate's result.
const GATE_RULE: &str = "gate";

/// A file path as a SARIF URI reference (RFC 3986): unreserved characters
/// and `/` as they are, every other byte percent-encoded, so that a space,
/// `#`, `?` or `%` in a file name cannot change what the URI names. An
/// absolute path becomes a `file://` URI: a reference beginning with `/` has
/// no scheme, which SARIF forbids for an absolute location (SARIF1004).
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 7);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn run(report: &Report, rubric: &Rubric) -> Value {
    let uri = uri_reference(&report.arrangement.path);
    let rules: Vec<Value> = report
        .milestones
        .iter()
        .map(|m| {
            let (why, remediation) = rubric
                .milestone(&m.id)
                .map_or((String::new(), String::new()), |r| (r.why.clone(), r.remediation.clone()));
            let mut tags = vec![m.bucket.to_string()];
            tags.extend(m.layers.iter().cloned());
            json!({
                "id": m.id,
                "name": m.title,
                "shortDescription": { "text": m.title },
                "fullDescription": { "text": if why.is_empty() { m.title.to_string() } else { why } },
                "help": { "text": if remediation.is_empty() { m.title.to_string() } else { remediation.clone() } },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "tags": tags },
            })
        })
        .collect();
    let mut rules = rules;
    let mut results = Vec::new();
    if !report.overall.is_graded() {
        // No grade is a finding about the whole file: a rule of its own,
        // one result at its first line.
        results.push(json!({
            "ruleId": NOT_GRADED_RULE,
            "ruleIndex": rules.len(),
            "level": "error",
            "message": { "text": report.overall.not_graded_reason() },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": { "startLine": 1 }
                }
            }],
            "partialFingerprints": { "usd1evalCheck/v1": hex_sha256(NOT_GRADED_RULE.as_bytes()) },
        }));
        rules.push(json!({
            "id": NOT_GRADED_RULE,
            "name": "Not graded",
            "shortDescription": { "text": crate::report::NOT_GRADED },
            "fullDescription": { "text": "The file lacks core facts the rubric needs before it gives a grade, and no weak link is known from the facts it declares." },
            "help": { "text": "Declare the missing core facts (see `usd1eval rubric show`)." },
            "defaultConfiguration": { "level": "error" },
        }));
    }
    for (index, m) in report.milestones.iter().enumerate() {
        for f in m.findings.iter().filter(|f| {
            matches!(
                f.outcome,
                Outcome::Unmet | Outcome::Partial | Outcome::NotDisclosed
            ) && !report.left_out(f)
        }) {
            let level = match f.outcome {
                Outcome::Unmet => "error",
                Outcome::Partial => "warning",
                _ => "note",
            };
            let mut result = json!({
                "ruleId": m.id,
                "ruleIndex": index,
                "level": level,
                "message": { "text": format!("{} [{}]", f.message, f.outcome.as_str()) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": { "startLine": f.line.unwrap_or(1).max(1) }
                    }
                }],
                "partialFingerprints": {
                    "usd1evalCheck/v1": hex_sha256(format!("{}\u{0}{}", f.check, f.fact).as_bytes())
                },
                "properties": { "check": f.check, "fact": f.fact, "outcome": f.outcome.as_str(), "pointsLost": crate::report::number_json(f.lost(), 2) },
            });
            if let (Some(reason), Some(obj)) = (&f.waived, result.as_object_mut()) {
                obj.insert(
                    "suppressions".into(),
                    json!([{ "kind": "external", "justification": reason }]),
                );
            }
            results.push(result);
        }
    }
    // Each failed gate (a cap, a threshold, a regression) is an error of
    // its own rule, at the file's first line, so a job that exits 1 shows why
    // in code scanning too.
    if !report.gates.failures.is_empty() {
        let index = rules.len();
        rules.push(json!({
            "id": GATE_RULE,
            "name": "Gate failed",
            "shortDescription": { "text": "A CI gate failed" },
            "fullDescription": { "text": "A gate given on the command line (--fail-under, --min-grade, --fail-on-cap, --fail-on-outrun, --require-profile, --baseline) failed for this file; the run exits 1." },
            "help": { "text": "Fix what the message names, waive it with a reason (--waivers), or change the gate." },
            "defaultConfiguration": { "level": "error" },
        }));
        for failure in &report.gates.failures {
            results.push(json!({
                "ruleId": GATE_RULE,
                "ruleIndex": index,
                "level": "error",
                "message": { "text": format!("{}: {}", failure.gate, failure.reason) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": { "startLine": 1 }
                    }
                }],
                "partialFingerprints": {
                    "usd1evalCheck/v1": hex_sha256(format!("{GATE_RULE}\u{0}{}\u{0}{}", failure.gate, failure.reason).as_bytes())
                },
                "properties": { "gate": failure.gate },
            }));
        }
    }
    // Facts left out of the score (not disclosed, absent counting as
    // unknown) are no results: one run-level note counts them.
    let left_out = report.left_out_count();
    let mut notes = Vec::new();
    if left_out > 0 {
        notes.push(json!({
            "level": "note",
            "descriptor": { "id": LEFT_OUT_NOTE },
            "message": { "text": format!(
                "{left_out} checks read facts the file does not disclose; absent facts count as unknown, so they are left out of the score and reported as no result (disclosure coverage {:.1}%; `--absent unmet` holds the file to account for them)",
                crate::report::round1_value(report.overall.coverage_pct)
            ) },
        }));
    }
    json!({
        "tool": { "driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "informationUri": "https://github.com/usd1eval/usd1eval",
            "rules": rules,
        }},
        "automationDetails": { "id": format!("usd1eval/{}/", report.arrangement.path) },
        "results": results,
        "invocations": [{
            "executionSuccessful": true,
            "toolExecutionNotifications": notes,
        }],
        "properties": {
            "notDisclosed": left_out,
            "score": crate::report::number_json(report.overall.score, 1),
            "grade": report.overall.grade,
            "confidence": report.overall.confidence,
            "coveragePct": crate::report::number_json(report.overall.coverage_pct, 1),
        },
    })
}
