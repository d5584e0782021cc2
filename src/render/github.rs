//! GitHub Actions workflow commands: an annotation per finding that costs
//! points, located at its line, and one per failed gate.

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

/// Annotations for one or more reports.
pub fn github(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let file = escape_property(&r.arrangement.path);
        for m in &r.milestones {
            for f in m
                .findings
                .iter()
                .filter(|f| f.lost() > 0.0 && f.waived.is_none())
            {
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
        }
        for g in &r.gates.failures {
            out.push_str(&format!(
                "::error file={file},title={}::{}\n",
                escape_property(&format!("usd1eval gate {}", g.gate)),
                escape_data(&g.reason)
            ));
        }
        out.push_str(&format!(
            "::notice file={file},title=usd1eval::{} scored {:.1}, grade {}, coverage {:.1}%\n",
            escape_data(&r.arrangement.name),
            crate::report::round1_value(r.overall.score),
            escape_data(&match r.overall.grade {
                Some(_) => format!("{} ({})", r.overall.grade_summary(), r.confidence_text()),
                None => r.overall.not_graded_reason(),
            }),
            crate::report::round1_value(r.overall.coverage_pct)
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
