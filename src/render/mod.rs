//! Renderers: the only code that turns results into text and writes it out.
//!
//! Every renderer is a pure function from data to a `String`; [`Output`]
//! writes those strings to stdout (treating a closed pipe as success, so that
//! `usd1eval score x.toml | head -1` exits quietly) and diagnostics to stderr.

pub mod compare;
pub mod diff;
mod explain;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod reference;
pub mod sarif;
pub mod table;

use std::io::{self, Write};

pub use explain::{
    explain_bucket, explain_cap, explain_check, explain_layer, explain_milestone,
    explain_requirement, profile_summary, rubric_list, rubric_summary,
};

use crate::cli::Format;
use crate::report::Report;
use crate::rubric::Rubric;
use crate::source::Diagnostic;

/// What goes between two reports rendered one at a time (streaming), so that
/// the result equals rendering them together.
pub fn separator(format: Format) -> &'static str {
    match format {
        Format::Table => "\n",
        Format::Markdown => "\n---\n\n",
        Format::Json | Format::Sarif | Format::Junit | Format::Github | Format::Html => "",
    }
}

/// How reports are shown, beyond their format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    /// Every check in the table, not only those that cost points.
    pub detail: bool,
    /// Several input files were given (JSON Lines rather than one document).
    pub several_inputs: bool,
    /// Colour in the table (ANSI), decided by `--color` and `NO_COLOR`.
    pub color: bool,
}

/// Renders reports in one format. Several input files become one document
/// where the format has a container (SARIF runs, JUnit suites), JSON Lines for
/// JSON (decided by the number of inputs, so a consumer's parser does not
/// depend on how many of them were valid), and consecutive sections otherwise.
pub fn reports(format: Format, reports: &[Report], rubric: &Rubric, view: View) -> String {
    match format {
        Format::Table => reports
            .iter()
            .map(|r| table::scorecard(r, view))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json if !view.several_inputs => reports.iter().map(json::pretty).collect(),
        Format::Json => reports.iter().map(json::line).collect(),
        Format::Markdown => markdown::markdown(reports),
        Format::Sarif => sarif::sarif(reports, rubric),
        Format::Junit => junit::junit(reports),
        Format::Github => github::github(reports),
        Format::Html => html::scorecards(reports),
    }
}

/// Where output goes: report text to stdout, messages to stderr.
#[derive(Debug, Default)]
pub struct Output {
    /// Set once stdout has been closed by the reader; later writes are dropped.
    closed: bool,
}

impl Output {
    /// Writes to the process's stdout and stderr.
    pub fn stdio() -> Self {
        Self::default()
    }

    /// Writes report text to stdout. A reader that went away (broken pipe) is
    /// not an error: the rest of the output is simply dropped.
    pub fn stdout(&mut self, text: &str) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let mut lock = io::stdout().lock();
        match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }

    /// Writes a line for a person to stderr (errors, warnings, notes).
    pub fn stderr(&mut self, text: &str) {
        // stderr is unbuffered: one write for the line and its newline, not
        // one each (`check` writes a line per file). Nothing sensible is left
        // to do if stderr itself is gone.
        let mut line = String::with_capacity(text.len() + 1);
        line.push_str(text);
        line.push('\n');
        let _ = io::stderr().lock().write_all(line.as_bytes());
    }

    /// Writes diagnostics to stderr, one block each.
    pub fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            self.stderr(&d.to_string());
        }
    }
}
