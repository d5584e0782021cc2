//! Renderers: the only code that turns results into text and writes it out.
//!
//! Every renderer is a pure function from data to a `String`; [`Output`]
//! writes those strings to stdout (treating a closed pipe as success, so that
//! `usd1eval score x.toml | head -1` exits quietly) and diagnostics to stderr.

#![warn(missing_docs)]

pub mod compare;
pub mod diff;
pub mod document;
mod explain;
pub mod github;
pub mod history;
pub mod html;
pub mod json;
pub mod junit;
mod layout;
pub mod markdown;
mod quantity;
pub mod reference;
pub mod sarif;
pub mod stress;
mod svg;
pub mod table;

// The layers below under the names the modules use (`crate::report`, …).
pub use usd1eval_format::facts;
pub use usd1eval_input::{number, source, text};
pub use usd1eval_model::{eval, figures, gate, report, rubric};

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use layout::{DEFAULT_WIDTH, MIN_WIDTH};

pub use explain::{
    explain_alert, explain_bucket, explain_cap, explain_check, explain_field, explain_layer,
    explain_milestone, explain_penalty, explain_requirement, explain_stage, profile_summary,
    rubric_list, rubric_summary,
};

use crate::report::Report;
use crate::rubric::Rubric;
use crate::source::Diagnostic;

/// Output formats of `score` (`--format`, `--output FORMAT=PATH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A scorecard for people
    Table,
    /// The JSON report (schema_version 1); JSON Lines for several files
    Json,
    /// A pull-request comment
    Markdown,
    /// SARIF 2.1.0 for code scanning
    Sarif,
    /// JUnit XML, a test case per check
    Junit,
    /// GitHub Actions workflow annotations
    Github,
    /// A self-contained HTML page (no network, no external assets)
    Html,
}

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Every check in the table, not only those that cost points.
    pub detail: bool,
    /// Several input files were given (JSON Lines rather than one document).
    pub several_inputs: bool,
    /// Colour in the table (ANSI), decided by `--color` and `NO_COLOR`.
    pub color: bool,
    /// The columns the table fits (`--width`, the terminal, `COLUMNS`).
    pub width: usize,
}

impl Default for View {
    fn default() -> Self {
        Self {
            detail: false,
            several_inputs: false,
            color: false,
            width: DEFAULT_WIDTH,
        }
    }
}

/// Renders reports in one format. Several input files become one document
/// where the format has a container (SARIF runs, JUnit suites), JSON Lines for
/// JSON (decided by the number of inputs, so a consumer's parser does not
/// depend on how many of them were valid), and consecutive sections otherwise.
///
/// The text is the bytes each format's writer gave (UTF-8), handed to output
/// as they are.
pub fn reports(format: Format, reports: &[Report], rubric: &Rubric, view: View) -> Vec<u8> {
    let mut out = Vec::new();
    let mut document = document::Document::new(format, rubric, view);
    // Writing to memory cannot fail.
    for r in reports {
        let _ = document.add(r, &mut out);
    }
    let _ = document.finish(&mut out);
    out
}

/// A document writes its pieces to standard output through this.
impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stdout_bytes(buf).map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Where output goes: report text to stdout, messages to stderr, and a
/// progress line on stderr while a long batch runs there in a terminal.
#[derive(Debug, Default)]
pub struct Output {
    /// Set once stdout has been closed by the reader; later writes are dropped.
    closed: bool,
    progress: Option<Progress>,
}

/// Work that ends sooner than this shows no progress line.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// A batch's progress line: drawn once the batch has run for
/// [`PROGRESS_AFTER`], cleared at its end.
#[derive(Debug)]
struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
}

impl Output {
    /// Writes to the process's stdout and stderr.
    pub fn stdio() -> Self {
        Self::default()
    }

    /// Starts a progress line for `what` (`scoring`, `checking`) over `len`
    /// files. It shows on stderr only when stderr is a terminal, and only
    /// once the work has taken `PROGRESS_AFTER`; never in a pipe or a log.
    pub fn start_progress(&mut self, what: &str, len: usize) {
        if len < 2 || !io::stderr().is_terminal() {
            return;
        }
        let bar =
            ProgressBar::with_draw_target(u64::try_from(len).ok(), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {pos}/{len} files [{bar:30}] {eta} left")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        self.progress = Some(Progress {
            bar,
            started: Instant::now(),
            shown: false,
        });
    }

    /// Counts one more file done.
    pub fn advance(&mut self) {
        let Some(p) = &mut self.progress else { return };
        p.bar.inc(1);
        if !p.shown && p.started.elapsed() >= PROGRESS_AFTER {
            p.bar.set_draw_target(ProgressDrawTarget::stderr());
            p.shown = true;
        }
    }

    /// Clears the progress line, if one was started.
    pub fn end_progress(&mut self) {
        if let Some(p) = self.progress.take() {
            p.bar.finish_and_clear();
        }
    }

    /// Writes report text to stdout. A reader that went away (broken pipe) is
    /// not an error: the rest of the output is simply dropped.
    pub fn stdout(&mut self, text: &str) -> io::Result<()> {
        self.stdout_bytes(text.as_bytes())
    }

    /// [`Output::stdout`] for bytes (a document written in pieces, a report
    /// rendered on a worker).
    pub fn stdout_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let result = self.around_progress(|| {
            let mut lock = io::stdout().lock();
            lock.write_all(bytes).and_then(|()| lock.flush())
        });
        match result {
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
        // Every message may quote a file (a name, a grade letter, a rubric's
        // help): the one escaping rule holds for all of stderr.
        let text = crate::text::lines(text);
        let mut line = String::with_capacity(text.len() + 1);
        line.push_str(&text);
        line.push('\n');
        let _ = self.around_progress(|| io::stderr().lock().write_all(line.as_bytes()));
    }

    /// Runs `write` with the progress line taken off the screen, so that
    /// text never lands inside it.
    fn around_progress<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.progress {
            Some(p) if p.shown => p.bar.suspend(write),
            _ => write(),
        }
    }

    /// Writes diagnostics to stderr, one block each.
    pub fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            self.stderr(&d.to_string());
        }
    }
}
