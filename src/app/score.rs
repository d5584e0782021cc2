//! `score`: every file scored, gated and rendered; the reports written.

use super::{
    Exit, evaluation_date, load_arrangement_quietly, load_profiles, load_rubric_arg, load_waivers,
    unique_profiles,
};
use crate::cli::{Format, ScoreArgs};
use crate::eval::evaluate;
use crate::gate::{BaselineFor, Baselines, GateOptions, Waiver, apply_waivers};
use crate::render::document::Document;
use crate::render::{Output, View};
use crate::report::{Report, RubricRef};
use crate::rubric::Rubric;
use crate::source::{Code, Diagnostic, SourceFile};
use crate::{gate, render};
use anyhow::Context;
use std::path::{Path, PathBuf};

/// Everything `score` needs besides the arrangements, loaded up front so that a
/// bad rubric, profile, baseline or waiver file stops the run before any output.
struct ScoreSetup {
    rubric: Rubric,
    profiles: Vec<crate::rubric::profile::Profile>,
    gates: GateOptions,
    baselines: Option<Baselines>,
    waivers: Option<(String, Vec<Waiver>)>,
}

fn score_setup(args: &ScoreArgs, out: &mut Output) -> Option<ScoreSetup> {
    let rubric = load_rubric_arg(&args.rubric, out)?;
    // Load --profile and --require-profile together, in order; a required
    // name may be a path, and the gate looks results up by the profile's id.
    let names: Vec<String> = args
        .profiles
        .iter()
        .chain(&args.gates.require_profiles)
        .cloned()
        .collect();
    let loaded = load_profiles(&names, out)?;
    let require_profiles = loaded
        .iter()
        .skip(args.profiles.len())
        .map(|p| p.id.clone())
        .collect();
    let profiles = unique_profiles(loaded);
    let baseline = match &args.gates.baseline {
        None => None,
        Some(path) => match read_baseline(path).and_then(|b| {
            if !args.gates.allow_other_rubric {
                b.check_rubric(&RubricRef::of(&rubric))?;
            }
            Ok(b)
        }) {
            Ok(baseline) => Some(baseline),
            Err(d) => {
                out.diagnostics(&[d]);
                return None;
            }
        },
    };
    let min_grade = args.gates.min_grade.clone();
    if let Some(grade) = &min_grade
        && !rubric.grades.iter().any(|g| &g.letter == grade)
    {
        let letters: Vec<&str> = rubric.grades.iter().map(|g| g.letter.as_str()).collect();
        out.diagnostics(&[Diagnostic::without_file(
            Code::Usage,
            format!("--min-grade {grade}: not a grade of rubric `{}`", rubric.id),
        )
        .with_help(format!("grades: {}", letters.join(", ")))]);
        return None;
    }
    let waivers = match &args.gates.waivers {
        None => None,
        Some(path) => Some((path.clone(), load_waivers(path, &rubric, out)?)),
    };
    Some(ScoreSetup {
        gates: GateOptions {
            fail_under: args.gates.fail_under,
            min_grade,
            fail_on_cap: args.gates.fail_on_cap,
            fail_on_outrun: args.gates.fail_on_outrun,
            require_profiles,
            tolerance: args.gates.tolerance,
        },
        baselines: baseline,
        rubric,
        profiles,
        waivers,
    })
}

/// Reads a JSON report, or JSON Lines of several, as a baseline, up to the
/// size of the largest report.
fn read_baseline(path: &str) -> Result<Baselines, Diagnostic> {
    SourceFile::read_at_most(path, crate::source::MAX_REPORT_BYTES)
        .and_then(|s| Baselines::parse(&s))
}

/// What scoring one file produced: its report (or none), lines for stderr,
/// and its own exit code.
struct Scored<'r> {
    report: Option<Report<'r>>,
    /// The report already rendered in the stdout format, when streaming.
    text: Option<Vec<u8>>,
    stderr: Vec<String>,
    exit: Exit,
}

fn score_file<'r>(
    path: &Path,
    args: &ScoreArgs,
    setup: &'r ScoreSetup,
    render_now: bool,
    view: View,
) -> Scored<'r> {
    let (arrangement, mut stderr) = load_arrangement_quietly(path);
    let Some(arrangement) = arrangement else {
        return Scored {
            report: None,
            text: None,
            stderr,
            exit: Exit::Invalid,
        };
    };
    let as_of = match evaluation_date(args.as_of, &arrangement) {
        Ok(date) => date,
        Err(d) => {
            stderr.push(d.to_string());
            return Scored {
                report: None,
                text: None,
                stderr,
                exit: Exit::Invalid,
            };
        }
    };
    let mut report = evaluate(&setup.rubric, &setup.profiles, &arrangement, as_of);
    let mut exit = Exit::Ok;
    if let Some((file, waivers)) = &setup.waivers {
        let diagnostics = apply_waivers(
            &mut report,
            waivers,
            file,
            as_of,
            args.gates.deny_unused_waivers,
        );
        if diagnostics.iter().any(Diagnostic::is_error) {
            exit = Exit::Invalid;
        }
        stderr.extend(diagnostics.iter().map(ToString::to_string));
        report.diagnostics.extend(diagnostics);
    }
    let baseline = match setup
        .baselines
        .as_ref()
        .map(|b| b.for_arrangement(&report.arrangement, args.gates.allow_other_arrangement))
    {
        None => None,
        Some(BaselineFor::Report(baseline)) => Some(baseline),
        Some(BaselineFor::Unmatched(d)) => {
            stderr.push(d.to_string());
            report.diagnostics.push(d);
            None
        }
        Some(BaselineFor::Refused(d)) => {
            stderr.push(d.to_string());
            return Scored {
                report: None,
                text: None,
                stderr,
                exit: Exit::Invalid,
            };
        }
    };
    gate::apply(&mut report, &setup.rubric, &setup.gates, baseline);
    if !report.gates.passed {
        exit = exit.max(Exit::GateFailed);
    }
    for g in &report.gates.failures {
        stderr.push(format!(
            "gate failed: {}: {}: {}",
            crate::text::path(path),
            g.gate,
            g.reason
        ));
    }
    if render_now {
        let text = render::reports(
            args.format,
            std::slice::from_ref(&report),
            &setup.rubric,
            view,
        );
        return Scored {
            report: None,
            text: Some(text),
            stderr,
            exit,
        };
    }
    Scored {
        report: Some(report),
        text: None,
        stderr,
        exit,
    }
}

/// The path of the `index`th `--output`, for messages.
fn spec_path(args: &ScoreArgs, index: usize) -> String {
    args.outputs
        .get(index)
        .map(|spec| spec.path.display().to_string())
        .unwrap_or_default()
}

/// Every file a `score` run reads, which no report may overwrite.
fn score_inputs(args: &ScoreArgs) -> Vec<&Path> {
    let gates = &args.gates;
    let named = args
        .profiles
        .iter()
        .chain(&gates.require_profiles)
        .chain(&gates.waivers)
        .chain(&gates.baseline)
        .chain([&args.rubric.rubric])
        .map(Path::new);
    args.files
        .iter()
        .map(PathBuf::as_path)
        .chain(named)
        .collect()
}

pub(super) fn run(
    args: &ScoreArgs,
    out: &mut Output,
    color: bool,
    width: usize,
) -> anyhow::Result<Exit> {
    let planned = crate::outputs::plan(
        args.outputs.iter().map(|spec| spec.path.as_path()),
        &score_inputs(args),
    );
    let targets = match planned {
        Ok(targets) => targets,
        Err(d) => {
            out.diagnostics(&[d]);
            return Ok(Exit::Invalid);
        }
    };
    let Some(setup) = score_setup(args, out) else {
        return Ok(Exit::Invalid);
    };
    let view = View {
        detail: args.detail,
        several_inputs: args.files.len() > 1,
        color,
        width,
    };
    // Table, JSON, markdown and github reports are rendered per file on the
    // workers; SARIF, JUnit, HTML and --output files are documents fed one
    // report at a time, which is dropped once its part is written.
    let stream = args.outputs.is_empty()
        && !matches!(args.format, Format::Sarif | Format::Junit | Format::Html);
    let render_now = stream && !args.quiet;
    // Files never carry terminal colour codes.
    let file_view = View {
        color: false,
        ..view
    };
    let mut documents: Vec<Document> = args
        .outputs
        .iter()
        .map(|spec| Document::new(spec.format, &setup.rubric, file_view))
        .collect();
    let mut on_stdout =
        (!stream && !args.quiet).then(|| Document::new(args.format, &setup.rubric, view));
    let mut files = crate::outputs::open(&targets)?;
    let mut exit = Exit::Ok;
    let mut evaluated = 0usize;
    let mut first = true;
    out.start_progress("scoring", args.files.len());
    let batch = crate::batch::for_each_in_order(
        &args.files,
        |path| score_file(path, args, &setup, render_now, view),
        |scored| {
            out.advance();
            for line in &scored.stderr {
                out.stderr(line);
            }
            exit = exit.max(scored.exit);
            if let Some(text) = scored.text {
                if !first {
                    out.stdout(render::separator(args.format))?;
                }
                first = false;
                out.stdout_bytes(&text)?;
            }
            if let Some(report) = scored.report {
                evaluated += 1;
                for (index, document) in documents.iter_mut().enumerate() {
                    document
                        .add(&report, &mut files.writer(index))
                        .with_context(|| format!("cannot write {}", spec_path(args, index)))?;
                }
                if let Some(document) = &mut on_stdout {
                    document.add(&report, out)?;
                }
            }
            anyhow::Ok(())
        },
    );
    out.end_progress();
    batch?;
    // Every requested report is written, whatever the gates say; when no
    // file could be evaluated there is no report, and no file is replaced.
    if evaluated > 0 {
        for (index, document) in documents.into_iter().enumerate() {
            document
                .finish(&mut files.writer(index))
                .with_context(|| format!("cannot write {}", spec_path(args, index)))?;
        }
        files.commit()?;
    }
    if let Some(document) = on_stdout {
        document.finish(out)?;
    }
    Ok(exit)
}
