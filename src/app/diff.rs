//! `diff`: what changed between two arrangement files or JSON reports.

use super::{Exit, evaluation_date, load_profiles, load_rubric_arg, unique_profiles};
use crate::cli::{AsOf, DiffArgs, SummaryFormat};
use crate::eval::evaluate;
use crate::facts::Arrangement;
use crate::gate::Baselines;
use crate::render;
use crate::render::Output;
use crate::report::RubricRef;
use crate::rubric::Rubric;
use crate::source::{Code, Diagnostic, SourceFile};

/// One side of a diff: a JSON report, or an arrangement file scored now.
fn diff_side<'r>(
    path: &str,
    rubric: &'r Rubric,
    profiles: &[crate::rubric::profile::Profile],
    as_of: Option<AsOf>,
    out: &mut Output,
) -> Option<crate::diff::Side<'r>> {
    // Read up to the larger limit of a report; an arrangement file is held
    // to its own below.
    let source = match SourceFile::read_at_most(path, crate::source::MAX_REPORT_BYTES) {
        Ok(s) => s,
        Err(d) => {
            out.diagnostics(&[d]);
            return None;
        }
    };
    let is_json = path.ends_with(".json") || source.text().trim_start().starts_with('{');
    if is_json {
        let one = Baselines::parse(&source).and_then(|b| match <[_; 1]>::try_from(b.reports) {
            Ok([report]) => Ok(report),
            Err(several) => Err(Diagnostic::file_error(
                Code::Usage,
                path,
                format!(
                    "holds {} reports (JSON Lines); diff compares one report with another",
                    several.len()
                ),
            )
            .with_help("give the report of one arrangement (one line of the file)")),
        });
        return match one {
            Ok(report) => Some(crate::diff::Side {
                label: path.to_string(),
                report,
                facts: None,
            }),
            Err(d) => {
                out.diagnostics(&[d]);
                None
            }
        };
    }
    if source.text().len() > crate::source::MAX_INPUT_BYTES {
        out.diagnostics(&[crate::source::too_large(
            path,
            crate::source::MAX_INPUT_BYTES,
        )]);
        return None;
    }
    let arrangement = match Arrangement::from_source(&source) {
        Ok(a) => a,
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            return None;
        }
    };
    out.diagnostics(&arrangement.warnings);
    let date = match evaluation_date(as_of, &arrangement) {
        Ok(date) => date,
        Err(d) => {
            out.diagnostics(&[d]);
            return None;
        }
    };
    let report = evaluate(rubric, profiles, &arrangement, date);
    Some(crate::diff::Side {
        label: path.to_string(),
        report,
        facts: Some(arrangement.facts.flatten()),
    })
}

pub(super) fn run(args: &DiffArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    let inputs = [&args.old, &args.new, &args.rubric.rubric]
        .into_iter()
        .chain(&args.profiles);
    if !super::stdin_read_once(inputs.map(std::path::Path::new), out) {
        return Ok(Exit::Invalid);
    }
    let Some(rubric) = load_rubric_arg(&args.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let Some(profiles) = load_profiles(&args.profiles, out).map(unique_profiles) else {
        return Ok(Exit::Invalid);
    };
    let old = diff_side(&args.old, &rubric, &profiles, args.as_of, out);
    let new = diff_side(&args.new, &rubric, &profiles, args.as_of, out);
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(Exit::Invalid);
    };
    if !args.allow_other_rubric {
        // A side scored now is scored with this run's rubric.
        let this_run = RubricRef::of(&rubric);
        let old_rubric = old.report.made_with().unwrap_or(&this_run);
        let new_rubric = new.report.made_with().unwrap_or(&this_run);
        if !old_rubric.same_rubric(new_rubric) {
            // Each side is named with the rubric it was scored with.
            let scored = |side: &crate::diff::Side, rubric: &RubricRef| {
                let how = if side.facts.is_some() {
                    "scored now"
                } else {
                    "made"
                };
                format!("{} is {how} with {rubric}", side.label)
            };
            out.diagnostics(&[crate::source::Diagnostic::without_file(
                crate::source::Code::Usage,
                format!(
                    "the two sides were scored with different rubrics: {}, {}",
                    scored(&old, old_rubric),
                    scored(&new, new_rubric)
                ),
            )
            .with_help(
                "compare reports of one rubric: give the --rubric a report was made with, \
                 re-create a report, or pass --allow-other-rubric to compare anyway",
            )]);
            return Ok(Exit::Invalid);
        }
    }
    let d = crate::diff::diff(&old, &new, args.tolerance);
    let text = match args.format {
        SummaryFormat::Table => render::diff::table(&d, width),
        SummaryFormat::Json => render::diff::json(&d),
        SummaryFormat::Markdown => render::diff::markdown(&d),
    };
    out.stdout(&text)?;
    Ok(if d.regression {
        Exit::GateFailed
    } else {
        Exit::Ok
    })
}
