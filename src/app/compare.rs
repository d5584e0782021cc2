//! `compare`: several arrangements, one row each.

use std::path::{Path, PathBuf};

use super::{Exit, each_arrangement, evaluation_date, load_rubric_arg};
use crate::cli::{CompareArgs, CompareFormat, CompareSort};
use crate::eval::evaluate;
use crate::render;
use crate::render::Output;
use crate::report::Report;
use crate::rubric::Rubric;

pub(super) fn run(args: &CompareArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    let rubric = Path::new(&args.rubric.rubric);
    let inputs = args.files.iter().map(PathBuf::as_path).chain([rubric]);
    if !super::stdin_read_once(inputs, out) {
        return Ok(Exit::Invalid);
    }
    let Some(rubric) = load_rubric_arg(&args.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let (results, mut exit) = each_arrangement(&args.files, "comparing", out, |a| {
        evaluation_date(args.as_of, a).map(|date| evaluate(&rubric, &[], a, date))
    });
    let mut reports = Vec::new();
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(d) => {
                out.diagnostics(&[d]);
                exit = Exit::Invalid;
            }
        }
    }
    sort_reports(&mut reports, args.sort, &rubric);
    if !reports.is_empty() {
        let text = match args.format {
            CompareFormat::Table => render::compare::table(&reports, width),
            CompareFormat::Json => render::compare::json(&reports),
            CompareFormat::Markdown => render::compare::markdown(&reports),
            CompareFormat::Html => render::html::comparison(&reports),
        };
        out.stdout(&text)?;
    }
    Ok(exit)
}

/// Orders compared reports; equal ones keep the order of their files.
fn sort_reports(reports: &mut [Report], sort: Option<CompareSort>, rubric: &Rubric) {
    let by_score = |a: &Report, b: &Report| b.overall.score.total_cmp(&a.overall.score);
    match sort {
        None => {}
        Some(CompareSort::Score) => reports.sort_by(by_score),
        Some(CompareSort::Grade) => reports.sort_by(|a, b| {
            // Not graded ranks after every grade.
            rubric
                .grade_rank(a.overall.grade.as_deref().unwrap_or_default())
                .cmp(&rubric.grade_rank(b.overall.grade.as_deref().unwrap_or_default()))
                .then_with(|| by_score(a, b))
        }),
        Some(CompareSort::Name) => reports.sort_by(|a, b| {
            a.arrangement
                .name
                .to_lowercase()
                .cmp(&b.arrangement.name.to_lowercase())
        }),
    }
}
