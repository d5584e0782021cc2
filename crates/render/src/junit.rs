//! JUnit XML: one test suite per arrangement, one test case per check, so CI
//! dashboards list every check. A check that costs points fails; a check that
//! does not apply, is waived, or reads a fact not disclosed while absent facts
//! count as unknown (left out of the score) is skipped, with the reason.

use std::io::{Seek, Write};

use crate::report::{Outcome, Report};

use crate::text::xml_escape;

/// The suites of a JUnit document, one per report, and their totals, which
/// the root element carries.
#[derive(Debug, Default)]
pub(crate) struct Suites {
    /// The suites' text, in a file that has no name once opened (so that
    /// nothing is left behind, whatever ends the run) when one can be
    /// made, else in memory.
    spill: Option<std::fs::File>,
    spill_tried: bool,
    text: Vec<u8>,
    tests: usize,
    failures: usize,
    skipped: usize,
}

/// A file for the suites' text, removed from its directory at once: on
/// Unix it lives on, nameless, until it is closed.
fn nameless_file() -> Option<std::fs::File> {
    let path = std::env::temp_dir().join(format!(
        ".usd1eval-junit-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .ok()?;
    // Where an open file cannot lose its name, keep the text in memory.
    match std::fs::remove_file(&path) {
        Ok(()) => Some(file),
        Err(_) => {
            drop(file);
            let _ = std::fs::remove_file(&path);
            None
        }
    }
}

impl Suites {
    /// Adds the suite of one report.
    pub fn add(&mut self, r: &Report) -> std::io::Result<()> {
        let (mut t, mut f, mut s) = (0, 0, 0);
        let mut cases = String::new();
        for m in &r.milestones {
            for finding in &m.findings {
                t += 1;
                let classname = xml_escape(&format!("usd1eval.{}.{}", m.bucket, m.id));
                let name = xml_escape(&finding.check);
                let body = if finding.outcome == Outcome::NotApplicable {
                    s += 1;
                    format!(
                        "      <skipped message=\"{}\"/>\n",
                        xml_escape(&finding.message)
                    )
                } else if r.left_out(finding) {
                    // Unknown is not weak: the fact is left out of the score,
                    // so the case is skipped, saying why.
                    s += 1;
                    format!(
                        "      <skipped message=\"not disclosed, left out of the score (absent facts count as unknown): {}\"/>\n",
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
                        xml_escape(&finding.fact)
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
        // Each failed gate is a failing case of its own, so a job that exits
        // 1 shows why on the test dashboard too.
        for (i, failure) in r.gates.failures.iter().enumerate() {
            t += 1;
            f += 1;
            cases.push_str(&format!(
                "    <testcase classname=\"usd1eval.gates\" name=\"{}\">\n      <failure message=\"{}\" type=\"gate\">{}</failure>\n    </testcase>\n",
                xml_escape(&format!("{} #{}", failure.gate, i + 1)),
                xml_escape(&failure.reason),
                xml_escape(&r.arrangement.path)
            ));
        }
        let suite = format!(
            "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"0\" skipped=\"{s}\">\n{cases}  </testsuite>\n",
            xml_escape(&format!("{} ({})", r.arrangement.name, r.arrangement.path))
        );
        if !self.spill_tried {
            self.spill_tried = true;
            self.spill = nameless_file();
        }
        match &mut self.spill {
            Some(file) => file.write_all(suite.as_bytes())?,
            None => self.text.extend_from_slice(suite.as_bytes()),
        }
        self.tests += t;
        self.failures += f;
        self.skipped += s;
        Ok(())
    }

    /// Writes the whole document: the root element with the totals, then
    /// the suites.
    pub fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        let Self {
            spill,
            text,
            spill_tried: _,
            tests,
            failures,
            skipped,
        } = self;
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"usd1eval\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n"
        )?;
        if let Some(mut file) = spill {
            file.seek(std::io::SeekFrom::Start(0))?;
            std::io::copy(&mut file, out)?;
        }
        out.write_all(&text)?;
        out.write_all(b"</testsuites>\n")
    }
}
