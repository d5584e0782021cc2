//! The commands: read inputs, call the library, hand results to the renderers,
//! and decide the exit code.
//!
//! One module per command; this one holds what several commands share:
//! loading rubrics, profiles, waivers and arrangements, the evaluation date,
//! the batch of arrangements, and atomic writes.

mod check;
mod compare;
mod diff;
mod explain;
mod history;
mod init;
mod rubrics;
mod score;
mod stress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{AsOf, Cli, Command, SchemaKind};
use crate::facts::Arrangement;
use crate::gate::{Waiver, parse_waivers};
use crate::render::{self, Output};
use crate::rubric::profile::load_profile;
use crate::rubric::{Rubric, load_rubric};
use crate::source::{Code, Diagnostic, SourceFile};

/// The three outcomes a run can have, in order of severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Evaluated; every gate passed.
    Ok = 0,
    /// Evaluated; a gate failed.
    GateFailed = 1,
    /// Could not evaluate.
    Invalid = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli, out: &mut Output) -> Exit {
    let color = cli.color.enabled();
    let width = cli.width();
    let result = match cli.command {
        Command::Score(args) => score::run(&args, out, color, width),
        Command::Check(args) => Ok(check::run(&args, out)),
        Command::Diff(args) => diff::run(&args, out, width),
        Command::Compare(args) => compare::run(&args, out, width),
        Command::History(args) => history::run(&args, out, width),
        Command::Stress(args) => stress::run(&args, out, width),
        Command::Explain(args) => explain::run(&args, out, width),
        Command::Rubric(command) => rubrics::run(command, out, width),
        Command::Init(args) => init::run(&args, out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "usd1eval", &mut script);
            out.stdout(&String::from_utf8_lossy(&script))
                .map(|()| Exit::Ok)
                .map_err(anyhow::Error::from)
        }
        Command::Schema { what } => {
            let schema = match what {
                SchemaKind::Arrangement => render::reference::arrangement_json_schema(),
                SchemaKind::Report => render::reference::report_json_schema(),
                SchemaKind::History => render::reference::history_json_schema(),
                SchemaKind::Stress => render::reference::stress_json_schema(),
            };
            let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
            text.push('\n');
            out.stdout(&text)
                .map(|()| Exit::Ok)
                .map_err(anyhow::Error::from)
        }
    };
    match result {
        Ok(exit) => exit,
        Err(e) => {
            out.diagnostics(&[Diagnostic::without_file(Code::Output, format!("{e:#}"))]);
            Exit::Invalid
        }
    }
}

/// Whether a run's inputs name standard input at most once; otherwise the
/// refusal is on stderr and nothing is read.
fn stdin_read_once<'a>(inputs: impl IntoIterator<Item = &'a Path>, out: &mut Output) -> bool {
    let inputs: Vec<&Path> = inputs.into_iter().collect();
    match crate::source::stdin_read_once(&inputs) {
        Ok(()) => true,
        Err(d) => {
            out.diagnostics(&[d]);
            false
        }
    }
}

/// The rubric a command's `--rubric` and `--absent` ask for.
fn load_rubric_arg(arg: &crate::cli::RubricArg, out: &mut Output) -> Option<Rubric> {
    let mut rubric = load_rubric_or_report(&arg.rubric, out)?;
    if let Some(absent) = arg.absent {
        rubric.absent = absent;
    }
    Some(rubric)
}

fn load_rubric_or_report(name: &str, out: &mut Output) -> Option<Rubric> {
    match load_rubric(name) {
        Ok(rubric) => Some(rubric),
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            None
        }
    }
}

/// Reads and validates one arrangement, returning the lines for stderr
/// instead of printing them, so that workers on other threads can load files
/// while the output keeps argument order.
fn load_arrangement_quietly(path: &Path) -> (Option<Arrangement>, Vec<String>) {
    match SourceFile::read(path) {
        Ok(source) => arrangement_quietly(&source, &crate::text::path(path)),
        Err(d) => (None, vec![d.to_string()]),
    }
}

/// [`load_arrangement_quietly`] for a text already read (a committed version
/// of a file); `shown` names it in the line that counts its errors.
fn arrangement_quietly(source: &SourceFile, shown: &str) -> (Option<Arrangement>, Vec<String>) {
    match Arrangement::from_source(source) {
        Ok(arrangement) => {
            let lines = arrangement
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect();
            (Some(arrangement), lines)
        }
        Err(diagnostics) => {
            let errors = crate::source::count_errors(&diagnostics);
            let mut lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            lines.push(format!(
                "{shown}: {errors} error(s); nothing scored for this file"
            ));
            (None, lines)
        }
    }
}

/// Reads a waiver file against the rubric; diagnostics go to stderr.
fn load_waivers(path: &str, rubric: &Rubric, out: &mut Output) -> Option<Vec<Waiver>> {
    let loaded = SourceFile::read(path)
        .map_err(|d| vec![d])
        .and_then(|s| parse_waivers(&s, rubric));
    match loaded {
        Ok(w) => Some(w),
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            None
        }
    }
}

/// The evaluation date for one arrangement: `--as-of`, else the file's own
/// `as_of`. A date before the file's `as_of` would make its facts younger
/// than zero days, so it is refused.
fn evaluation_date(
    as_of: Option<AsOf>,
    arrangement: &Arrangement,
) -> Result<chrono::NaiveDate, Diagnostic> {
    let file_date = arrangement.facts.as_of;
    let date = match as_of {
        Some(AsOf::Date(d)) => d,
        Some(AsOf::Today) => chrono::Local::now().date_naive(),
        None => file_date,
    };
    if date < file_date {
        return Err(Diagnostic::file_error(
            Code::Usage,
            &arrangement.path,
            format!("--as-of {date} is before the file's as_of date {file_date}"),
        )
        .with_help(format!(
            "facts are evaluated on or after the date they describe; give --as-of {file_date} or later"
        )));
    }
    Ok(date)
}

/// Loads profiles by name or path, in order; diagnostics go to stderr.
fn load_profiles(
    names: &[String],
    out: &mut Output,
) -> Option<Vec<crate::rubric::profile::Profile>> {
    let mut profiles = Vec::new();
    for name in names {
        match load_profile(name) {
            Ok(p) => profiles.push(p),
            Err(diagnostics) => {
                out.diagnostics(&diagnostics);
                return None;
            }
        }
    }
    Some(profiles)
}

/// The profiles with repeats (same id) dropped, first one kept.
fn unique_profiles(
    profiles: Vec<crate::rubric::profile::Profile>,
) -> Vec<crate::rubric::profile::Profile> {
    let mut unique: Vec<crate::rubric::profile::Profile> = Vec::new();
    for p in profiles {
        if !unique.iter().any(|u| u.id == p.id) {
            unique.push(p);
        }
    }
    unique
}

/// Reads each arrangement file and applies `f` to it, on every core, with a
/// progress line labelled `doing`: the results in argument order, and exit 2
/// when a file could not be read (its diagnostics are on stderr).
fn each_arrangement<T: Send>(
    files: &[PathBuf],
    doing: &str,
    out: &mut Output,
    f: impl Fn(&Arrangement) -> T + Sync,
) -> (Vec<T>, Exit) {
    let mut exit = Exit::Ok;
    let mut results = Vec::new();
    out.start_progress(doing, files.len());
    crate::batch::for_each_in_order(
        files,
        |path| {
            let (arrangement, lines) = load_arrangement_quietly(path);
            (arrangement.as_ref().map(&f), lines)
        },
        |(result, lines)| {
            out.advance();
            for line in &lines {
                out.stderr(line);
            }
            match result {
                Some(result) => results.push(result),
                None => exit = Exit::Invalid,
            }
            Ok::<(), std::convert::Infallible>(())
        },
    )
    .unwrap_or_else(|never| match never {});
    out.end_progress();
    (results, exit)
}
