//! `history`: successive disclosures of one arrangement and their alerts.

use std::path::{Path, PathBuf};

use super::{Exit, load_arrangement_quietly, load_rubric_arg, load_waivers};
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
    // Every file is read, so that every problem is reported at once.
    let arrangements: Vec<Option<Arrangement>> = args
        .files
        .iter()
        .map(|path| {
            let (arrangement, lines) = load_arrangement_quietly(path);
            for line in &lines {
                out.stderr(line);
            }
            arrangement
        })
        .collect();
    let Some(arrangements) = arrangements.into_iter().collect::<Option<Vec<_>>>() else {
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
