//! `history`: successive disclosures of one arrangement and their alerts,
//! from files given by name or from one file's committed versions (`--git`,
//! in [`git`]).

mod git;

use std::path::{Path, PathBuf};

use super::{Exit, arrangement_quietly, load_arrangement_quietly, load_rubric_arg, load_waivers};
use crate::cli::{CompareFormat, HistoryArgs};
use crate::eval::evaluate;
use crate::facts::Arrangement;
use crate::render::Output;
use crate::report::Report;
use crate::source::Diagnostic;
use crate::{gate, render};

pub(super) fn run(args: &HistoryArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    let inputs = args
        .files
        .iter()
        .map(PathBuf::as_path)
        .chain(args.git.as_deref())
        .chain([Path::new(&args.rubric.rubric)])
        .chain(args.waivers.iter().map(Path::new));
    if !super::stdin_read_once(inputs, out) {
        return Ok(Exit::Invalid);
    }
    let Some(rubric) = load_rubric_arg(&args.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let waivers = match &args.waivers {
        None => Vec::new(),
        Some(path) => match load_waivers(path, &rubric, out) {
            Some(w) => w,
            None => return Ok(Exit::Invalid),
        },
    };
    let arrangements = match &args.git {
        None => from_files(&args.files, out),
        Some(file) => from_git(file, out),
    };
    let Some(arrangements) = arrangements else {
        return Ok(Exit::Invalid);
    };
    // Each disclosure is scored as of its own date.
    let reports: Vec<Report> = arrangements
        .iter()
        .map(|a| evaluate(&rubric, &[], a, a.facts.as_of))
        .collect();
    let disclosures = arrangements
        .iter()
        .zip(&reports)
        .map(|(arrangement, report)| crate::history::Disclosure {
            file: &arrangement.path,
            arrangement,
            report,
        })
        .collect();
    let mut h = match crate::history::history(&rubric, disclosures) {
        Ok(h) => h,
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            return Ok(Exit::Invalid);
        }
    };
    let mut exit = Exit::Ok;
    if let Some(path) = &args.waivers {
        let diagnostics = gate::waive_alerts(&mut h, &waivers, path, args.deny_unused_waivers);
        if diagnostics.iter().any(Diagnostic::is_error) {
            exit = Exit::Invalid;
        }
        out.diagnostics(&diagnostics);
    }
    let text = match args.format {
        CompareFormat::Table => render::history::table(&h, width),
        CompareFormat::Json => render::history::json(&h),
        CompareFormat::Markdown => render::history::markdown(&h),
        CompareFormat::Html => render::history::html(&h),
    };
    out.stdout(&text)?;
    if args.fail_on_deterioration && h.deteriorated() {
        for a in h.gating() {
            out.stderr(&format!("deterioration: {}: {}", a.id, a.message));
        }
        exit = exit.max(Exit::GateFailed);
    }
    Ok(exit)
}

/// The disclosures given by name. Every file is read, so that every problem
/// is reported at once; `None` when one could not be read or is invalid.
fn from_files(files: &[PathBuf], out: &mut Output) -> Option<Vec<Arrangement>> {
    let arrangements: Vec<Option<Arrangement>> = files
        .iter()
        .map(|path| {
            let (arrangement, lines) = load_arrangement_quietly(path);
            for line in &lines {
                out.stderr(line);
            }
            arrangement
        })
        .collect();
    arrangements.into_iter().collect()
}

/// The disclosures of `--git FILE`: its committed versions, each read with
/// the loader of files and named `PATH@COMMIT`. Every version is read, so
/// that every problem is reported at once; `None` when git could not give
/// the history or a version is invalid. Of several versions of one
/// `as_of`, the newest commit's is kept (a correction of that disclosure);
/// the warnings of the others are not shown, as they are not scored.
fn from_git(file: &Path, out: &mut Output) -> Option<Vec<Arrangement>> {
    let committed = match git::versions(file) {
        Ok(committed) => committed,
        Err(d) => {
            out.diagnostics(&[d]);
            return None;
        }
    };
    out.diagnostics(&committed.warnings);
    // Oldest first, as a reader follows the history.
    let loaded: Vec<(Option<Arrangement>, Vec<String>)> = committed
        .versions
        .iter()
        .rev()
        .map(|version| match &version.source {
            Ok(source) => arrangement_quietly(source, &crate::text::one_line(&version.name)),
            Err(d) => (None, vec![d.to_string()]),
        })
        .collect();
    if loaded.iter().any(|(arrangement, _)| arrangement.is_none()) {
        for (_, lines) in &loaded {
            for line in lines {
                out.stderr(line);
            }
        }
        return None;
    }
    // Newest first, the first version of each date is the one kept.
    let mut kept: Vec<(Arrangement, Vec<String>)> = Vec::new();
    for (arrangement, lines) in loaded.into_iter().rev() {
        let Some(arrangement) = arrangement else {
            continue;
        };
        if !kept
            .iter()
            .any(|(k, _)| k.facts.as_of == arrangement.facts.as_of)
        {
            kept.push((arrangement, lines));
        }
    }
    kept.reverse();
    for (_, lines) in &kept {
        for line in lines {
            out.stderr(line);
        }
    }
    Some(
        kept.into_iter()
            .map(|(arrangement, _)| arrangement)
            .collect(),
    )
}
