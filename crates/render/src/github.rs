//! GitHub Actions workflow commands: one annotation per failed gate, one per
//! finding that costs points (a bounded number per file, the rest named on
//! one line), located at its line, and the score. A fact not disclosed while
//! absent facts count as unknown is left out of the score and not annotated.

use crate::report::{Outcome, Report};

/// Escapes a message for a workflow command: `%`, and line breaks as the
/// runner expects; any other control or invisible character (ESC) as an
/// escape, so that no file can write to the log's terminal.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push_str(&crate::text::one_line(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// Escapes a property value (file, title) for a workflow command.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The most finding annotations written for one file. GitHub shows ten
/// error and ten warning annotations per step; the rest of a file's findings
/// are named on one summary line instead of being dropped unseen.
pub(crate) const MAX_FINDINGS_PER_FILE: usize = 10;

/// Annotations for one or more reports: per file, one per failed gate, the
/// findings that cost points (not waived, not left out of the score), the
/// largest gains first and at most `MAX_FINDINGS_PER_FILE`, one line
/// naming the rest, and the score.
pub fn github(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let file = escape_property(&r.arrangement.path);
        for g in &r.gates.failures {
            out.push_str(&format!(
                "::error file={file},title={}::{}\n",
                escape_property(&format!("usd1eval gate {}", g.gate)),
                escape_data(&g.reason)
            ));
        }
        let mut findings: Vec<_> = r
            .milestones
            .iter()
            .flat_map(|m| &m.findings)
            .filter(|f| f.lost() > 0.0 && f.waived.is_none() && !r.left_out(f))
            .collect();
        // Stable: equal gains keep the rubric's order.
        findings.sort_by(|a, b| b.gain.total_cmp(&a.gain));
        let shown = findings.len().min(MAX_FINDINGS_PER_FILE);
        let (annotated, rest) = findings.split_at(shown);
        for f in annotated {
            let level = if f.outcome == Outcome::Unmet {
                "error"
            } else {
                "warning"
            };
            out.push_str(&format!(
                "::{level} file={file},line={},title={}::{}\n",
                f.line.unwrap_or(1).max(1),
                escape_property(&format!("{} {}", f.check, f.outcome.as_str())),
                escape_data(&f.message)
            ));
        }
        if !rest.is_empty() {
            let ids: Vec<&str> = rest.iter().map(|f| &*f.check).collect();
            out.push_str(&format!(
                "::notice file={file},title={}::{} more findings cost points, not annotated (the SARIF or Markdown report lists each): {}\n",
                escape_property(&format!("usd1eval {} more findings", rest.len())),
                rest.len(),
                escape_data(&ids.join(", "))
            ));
        }
        let left_out = r.left_out_count();
        let left_out = if left_out > 0 {
            format!("; {left_out} checks read facts not disclosed, left out of the score")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "::notice file={file},title=usd1eval::{} scored {:.1}, grade {}, coverage {:.1}%{}\n",
            escape_data(&r.arrangement.name),
            crate::report::round1_value(r.overall.score),
            escape_data(&match r.overall.grade {
                Some(_) => format!("{} ({})", r.overall.grade_summary(), r.confidence_text()),
                None => r.overall.not_graded_reason(),
            }),
            crate::report::round1_value(r.overall.coverage_pct),
            escape_data(&left_out)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escaping() {
        assert_eq!(escape_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
