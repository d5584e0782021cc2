//! A report document written as its reports come: a head, one part per
//! report, a tail. A run over thousands of files keeps no report once its
//! part is written, so memory does not grow with the number of files (JUnit,
//! whose root element counts every test, keeps its suites' text in a
//! nameless temporary file until the end).

use std::io::{self, Write};

use super::Format;
use crate::report::Report;
use crate::rubric::Rubric;

use super::{View, github, html, json, junit, markdown, sarif, table};

/// One document in one format, fed one report at a time.
#[derive(Debug)]
pub struct Document<'r> {
    format: Format,
    rubric: &'r Rubric,
    view: View,
    written: usize,
    junit: junit::Suites,
}

impl<'r> Document<'r> {
    /// An empty document of `format`, its head not yet written.
    pub fn new(format: Format, rubric: &'r Rubric, view: View) -> Self {
        Self {
            format,
            rubric,
            view,
            written: 0,
            junit: junit::Suites::default(),
        }
    }

    /// Writes the part of one report (after the head, for the first).
    pub fn add(&mut self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let first = self.written == 0;
        let index = self.written;
        self.written += 1;
        let several = self.view.several_inputs;
        let between = |separator: &str| if first { "" } else { separator }.to_string();
        let text = match self.format {
            Format::Table => between("\n") + &table::scorecard(report, self.view),
            Format::Json if several => return out.write_all(&json::line(report)),
            Format::Json => return out.write_all(&json::pretty(report)),
            Format::Markdown => between("\n---\n\n") + &markdown::one(report),
            Format::Github => github::github(std::slice::from_ref(report)),
            Format::Sarif => {
                let head = if first { sarif::HEAD } else { sarif::BETWEEN };
                head.to_string() + &sarif::run_text(report, self.rubric)
            }
            Format::Junit => return self.junit.add(report),
            Format::Html if several => {
                let head = if first {
                    html::scorecards_head()
                } else {
                    "<hr>\n".to_string()
                };
                head + &html::scorecard_body(report, &format!("chart{index}"))
            }
            Format::Html => html::scorecard(report),
        };
        out.write_all(text.as_bytes())
    }

    /// Writes the tail, once every report is in; nothing when none was.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        if self.written == 0 {
            return Ok(());
        }
        match self.format {
            Format::Sarif => out.write_all(sarif::TAIL.as_bytes()),
            Format::Junit => self.junit.finish(out),
            Format::Html if self.view.several_inputs => {
                out.write_all(html::scorecards_tail().as_bytes())
            }
            _ => Ok(()),
        }
    }
}
