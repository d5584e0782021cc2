//! JUnit XML: one test suite per arrangement, one test case per check, so CI
//! dashboards list every check. A check that costs points fails; a check that
//! does not apply, or is waived, is skipped.

use crate::report::{Outcome, Report};

/// Escapes text for XML attributes and content.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The suites of a JUnit document, one per report, and their totals, which
/// the root element carries.
#[derive(Debug, Default)]
pub struct Suites {
    text: String,
    tests: usize,
    failures: usize,
    skipped: usize,
}

impl Suites {
    /// Adds the suite of one report.
    pub fn add(&mut self, r: &Report) {
        let (mut t, mut f, mut s) = (0, 0, 0);
        let mut cases = String::new();
        for m in &r.milestones {
            for finding in &m.findings {
                t += 1;
                let classname = xml_escape(&format!("usd1eval.{}.{}", m.bucket, m.id));
                let name = xml_escape(finding.check);
                let body = if finding.outcome == Outcome::NotApplicable {
                    s += 1;
                    format!(
                        "      <skipped message=\"{}\"/>\n",
                        xml_escape(&finding.message)
                    )
                } else if let Some(reason) =
                    finding.waived.as_ref().filter(|_| finding.lost() > 0.0)
                {
                    s += 1;
                    format!(
                        "      <skipped message=\"waived: {}\"/>\n",
                        xml_escape(reason)
                    )
                } else if finding.lost() > 0.0 {
                    f += 1;
                    let line = finding
                        .line
                        .map_or_else(String::new, |l| format!(" (line {l})"));
                    format!(
                        "      <failure message=\"{}\" type=\"{}\">{}: {}{line}</failure>\n",
                        xml_escape(&finding.message),
                        finding.outcome.as_str(),
                        xml_escape(&r.arrangement.path),
                        xml_escape(finding.fact)
                    )
                } else {
                    String::new()
                };
                if body.is_empty() {
                    cases.push_str(&format!(
                        "    <testcase classname=\"{classname}\" name=\"{name}\"/>\n"
                    ));
                } else {
                    cases.push_str(&format!("    <testcase classname=\"{classname}\" name=\"{name}\">\n{body}    </testcase>\n"));
                }
            }
        }
        self.text.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"0\" skipped=\"{s}\">\n{cases}  </testsuite>\n",
        xml_escape(&format!("{} ({})", r.arrangement.name, r.arrangement.path))
    ));
        self.tests += t;
        self.failures += f;
        self.skipped += s;
    }

    /// The whole document.
    pub fn document(&self) -> String {
        let Self {
            text,
            tests,
            failures,
            skipped,
        } = self;
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"usd1eval\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{text}</testsuites>\n"
        )
    }
}
