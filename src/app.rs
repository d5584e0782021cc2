//! The commands: read inputs, call the library, hand results to the renderers,
//! and decide the exit code.

use std::path::Path;

use anyhow::Context;
use std::process::ExitCode;

use crate::cli::Format;
use crate::cli::{
    AsOf, CheckArgs, Cli, Command, CompareArgs, CompareFormat, CompareSort, DiffArgs, ExplainArgs,
    HistoryArgs, InitArgs, RubricCommand, SchemaKind, ScoreArgs, StressArgs, SummaryFormat,
};
use crate::eval::evaluate;
use crate::facts::Arrangement;
use crate::gate::{
    self, Baseline, BaselineRubric, GateOptions, Waiver, apply_waivers, parse_waivers,
};
use crate::render::document::Document;
use crate::render::{self, Output, View};
use crate::report::Report;
use crate::rubric::profile::{self, load_profile};
use crate::rubric::{self, Rubric, builtin, load_rubric};
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
        Command::Score(args) => score(&args, out, color, width),
        Command::Check(args) => Ok(check(&args, out)),
        Command::Diff(args) => diff(&args, out, width),
        Command::Compare(args) => compare(&args, out, width),
        Command::History(args) => history(&args, out, width),
        Command::Stress(args) => stress(&args, out, width),
        Command::Explain(args) => explain(&args, out, width),
        Command::Rubric(command) => rubric_command(command, out, width),
        Command::Init(args) => init(&args, out),
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
fn load_arrangement_quietly(path: &str) -> (Option<Arrangement>, Vec<String>) {
    let source = match SourceFile::read(path) {
        Ok(source) => source,
        Err(d) => return (None, vec![d.to_string()]),
    };
    match Arrangement::from_source(&source) {
        Ok(arrangement) => {
            let lines = arrangement
                .warnings
                .iter()
                .map(ToString::to_string)
                .collect();
            (Some(arrangement), lines)
        }
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let mut lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            lines.push(format!(
                "{path}: {errors} error(s); nothing scored for this file"
            ));
            (None, lines)
        }
    }
}

/// Everything `score` needs besides the arrangements, loaded up front so that a
/// bad rubric, profile, baseline or waiver file stops the run before any output.
struct ScoreSetup {
    rubric: Rubric,
    profiles: Vec<crate::rubric::profile::Profile>,
    gates: GateOptions,
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
                b.check_rubric(path, &BaselineRubric::of(&rubric))?;
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
            baseline,
            tolerance: args.gates.tolerance,
        },
        rubric,
        profiles,
        waivers,
    })
}

/// Reads a JSON report as a baseline, up to the size of the largest report.
fn read_baseline(path: &str) -> Result<Baseline, Diagnostic> {
    SourceFile::read_at_most(path, crate::source::MAX_REPORT_BYTES)
        .and_then(|s| Baseline::parse(&s))
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

/// What scoring one file produced: its report (or none), lines for stderr,
/// and its own exit code.
struct Scored<'r> {
    report: Option<Report<'r>>,
    /// The report already rendered in the stdout format, when streaming.
    text: Option<String>,
    stderr: Vec<String>,
    exit: Exit,
}

fn score_file<'r>(
    path: &str,
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
    gate::apply(&mut report, &setup.rubric, &setup.gates);
    if !report.gates.passed {
        exit = exit.max(Exit::GateFailed);
    }
    for g in &report.gates.failures {
        stderr.push(format!("gate failed: {path}: {}: {}", g.gate, g.reason));
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
fn score_inputs(args: &ScoreArgs) -> Vec<&str> {
    let gates = &args.gates;
    args.files
        .iter()
        .chain(&args.profiles)
        .chain(&gates.require_profiles)
        .chain(&gates.waivers)
        .chain(&gates.baseline)
        .map(String::as_str)
        .chain([args.rubric.rubric.as_str()])
        .collect()
}

fn score(args: &ScoreArgs, out: &mut Output, color: bool, width: usize) -> anyhow::Result<Exit> {
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
                out.stdout(&text)?;
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

/// One side of a diff: a JSON report, or an arrangement file scored now.
fn diff_side(
    path: &str,
    rubric: &Rubric,
    profiles: &[crate::rubric::profile::Profile],
    as_of: Option<AsOf>,
    out: &mut Output,
) -> Option<crate::diff::Side> {
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
        return match Baseline::parse(&source) {
            Ok(summary) => Some(crate::diff::Side {
                label: path.to_string(),
                summary,
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
        summary: Baseline::from_report(&report),
        facts: Some(arrangement.facts.flatten()),
    })
}

fn diff(args: &DiffArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
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
        let made_with = |side: &crate::diff::Side| {
            side.summary
                .rubric
                .clone()
                .unwrap_or_else(|| BaselineRubric::of(&rubric))
        };
        if let Err(d) = old.summary.check_rubric(&args.old, &made_with(&new)) {
            out.diagnostics(&[d]);
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

/// Reads each arrangement file and applies `f` to it, on every core, with a
/// progress line labelled `doing`: the results in argument order, and exit 2
/// when a file could not be read (its diagnostics are on stderr).
fn each_arrangement<T: Send>(
    files: &[String],
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

fn compare(args: &CompareArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
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
                .grade_rank(a.overall.grade.unwrap_or_default())
                .cmp(&rubric.grade_rank(b.overall.grade.unwrap_or_default()))
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

fn history(args: &HistoryArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
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
    let disclosures = args
        .files
        .iter()
        .zip(&arrangements)
        .zip(&reports)
        .map(|((file, arrangement), report)| crate::history::Disclosure {
            file,
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
        for a in h.alerts.iter().filter(|a| a.waived.is_none()) {
            out.stderr(&format!("deterioration: {}: {}", a.id, a.message));
        }
        exit = exit.max(Exit::GateFailed);
    }
    Ok(exit)
}

fn stress(args: &StressArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    // Every scenario file is read before any arrangement, so a bad one stops
    // the run with all of its problems and no output.
    let mut scenarios = Vec::new();
    let mut invalid = false;
    for name in &args.scenarios {
        match crate::stress::load_scenario(name) {
            Ok(s) => scenarios.push(s),
            Err(diagnostics) => {
                out.diagnostics(&diagnostics);
                invalid = true;
            }
        }
    }
    if invalid {
        return Ok(Exit::Invalid);
    }
    if scenarios.is_empty() {
        scenarios = crate::stress::builtin_scenarios().to_vec();
    }
    let (runs, exit) = each_arrangement(&args.files, "stress-testing", out, |a| {
        crate::stress::StressRun {
            arrangement: crate::report::ArrangementRef::of(a),
            stress: crate::stress::run(&a.facts, &scenarios),
        }
    });
    if !runs.is_empty() {
        let text = match args.format {
            CompareFormat::Table => render::stress::table(&runs, width),
            CompareFormat::Json => render::stress::json(&runs, args.files.len() > 1),
            CompareFormat::Markdown => render::stress::markdown(&runs),
            CompareFormat::Html => render::stress::html(&runs),
        };
        out.stdout(&text)?;
    }
    Ok(exit)
}

fn check(args: &CheckArgs, out: &mut Output) -> Exit {
    let mut exit = Exit::Ok;
    out.start_progress("checking", args.files.len());
    // Checking writes only to stderr, which cannot fail here.
    let Ok(()) = crate::batch::for_each_in_order(
        &args.files,
        |path| {
            let (arrangement, mut lines) = load_arrangement_quietly(path);
            let valid = arrangement.is_some();
            if let Some(a) = arrangement {
                lines.push(format!(
                    "{path}: ok ({} as of {})",
                    crate::text::one_line(&a.facts.name),
                    a.facts.as_of
                ));
            }
            (valid, lines)
        },
        |(valid, lines)| {
            out.advance();
            for line in &lines {
                out.stderr(line);
            }
            if !valid {
                exit = Exit::Invalid;
            }
            Ok::<(), std::convert::Infallible>(())
        },
    );
    out.end_progress();
    exit
}

fn explain(args: &ExplainArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    let Some(rubric) = load_rubric_arg(&args.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let id = args.id.as_str();
    let text = if let Some(m) = rubric.milestone(id) {
        render::explain_milestone(&rubric, m, width)
    } else if let Some((m, c)) = rubric.check(id) {
        render::explain_check(m, c)
    } else if let Some(text) = render::explain_bucket(&rubric, id)
        .or_else(|| render::explain_layer(&rubric, id))
        .or_else(|| render::explain_cap(&rubric, id))
        .or_else(|| render::explain_alert(&rubric, id))
        .or_else(|| render::explain_field(&rubric, id))
        .or_else(|| explain_profile_item(id, width))
        .or_else(|| render::stress::explain_scenario(id))
    {
        text
    } else {
        let mut ids: Vec<&str> = rubric
            .milestones
            .iter()
            .flat_map(|m| {
                std::iter::once(m.id.as_str()).chain(m.checks.iter().map(|c| c.id.as_str()))
            })
            .chain(rubric.buckets.iter().map(|b| b.id.as_str()))
            .chain(rubric.layers.iter().map(|l| l.id.as_str()))
            .chain(rubric.caps.iter().map(|c| c.id.as_str()))
            .chain(rubric.history.ids())
            .collect();
        for name in profile::names() {
            ids.push(name);
        }
        for id in crate::stress::scenario::builtin_ids() {
            ids.push(id);
        }
        let paths = crate::facts::schema::all_fact_paths();
        ids.extend(paths.iter().map(String::as_str));
        let hint = crate::facts::schema::did_you_mean(id, ids).map_or_else(
            || "try a milestone id such as M01, or `usd1eval rubric show`".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        out.diagnostics(&[Diagnostic::without_file(
            Code::Usage,
            format!(
                "`{id}` is not a milestone, check, bucket, layer or field of rubric `{}`",
                rubric.id
            ),
        )
        .with_help(hint)]);
        return Ok(Exit::Invalid);
    };
    out.stdout(&text)?;
    Ok(Exit::Ok)
}

/// A built-in profile, or a requirement of one, by id.
fn explain_profile_item(id: &str, width: usize) -> Option<String> {
    let profiles: Vec<_> = profile::names()
        .filter_map(|n| load_profile(n).ok())
        .collect();
    if let Some(p) = profiles.iter().find(|p| p.id == id) {
        return Some(render::profile_summary(p, width));
    }
    profiles.iter().find_map(|p| {
        p.requirements
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
            .map(|r| render::explain_requirement(p, r))
    })
}

fn rubric_command(command: RubricCommand, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    match command {
        RubricCommand::List => {
            let mut rubrics = Vec::new();
            for name in builtin::NAMES {
                let Some(r) = load_rubric_or_report(name, out) else {
                    return Ok(Exit::Invalid);
                };
                rubrics.push(r);
            }
            let names: Vec<String> = profile::names().map(String::from).collect();
            let Some(profiles) = load_profiles(&names, out) else {
                return Ok(Exit::Invalid);
            };
            out.stdout(&render::rubric_list(&rubrics, &profiles, width))?;
        }
        RubricCommand::Show { name } => {
            if profile::names().any(|n| n == name) {
                match load_profile(&name) {
                    Ok(p) => out.stdout(&render::profile_summary(&p, width))?,
                    Err(diagnostics) => {
                        out.diagnostics(&diagnostics);
                        return Ok(Exit::Invalid);
                    }
                }
                return Ok(Exit::Ok);
            }
            let Some(r) = load_rubric_or_report(&name, out) else {
                return Ok(Exit::Invalid);
            };
            out.stdout(&render::rubric_summary(&r, width))?;
        }
        RubricCommand::Check { file } => {
            let source = match SourceFile::read(&file) {
                Ok(s) => s,
                Err(d) => {
                    out.diagnostics(&[d]);
                    return Ok(Exit::Invalid);
                }
            };
            match rubric::parse_rubric(&source) {
                Ok(r) => {
                    let checks: usize = r.milestones.iter().map(|m| m.checks.len()).sum();
                    out.stderr(&format!(
                        "{file}: ok (rubric `{}`: {} milestones, {checks} checks)",
                        r.id,
                        r.milestones.len()
                    ));
                }
                Err(diagnostics) => {
                    out.diagnostics(&diagnostics);
                    return Ok(Exit::Invalid);
                }
            }
        }
    }
    Ok(Exit::Ok)
}

fn init(args: &InitArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let template = crate::facts::template::template();
    let Some(path) = &args.out else {
        out.stdout(&template)?;
        return Ok(Exit::Ok);
    };
    let target = match crate::outputs::Target::new(path) {
        Ok(target) => target,
        Err(d) => {
            out.diagnostics(&[d]);
            return Ok(Exit::Invalid);
        }
    };
    if target.replaces_something() && !args.force {
        out.diagnostics(&[Diagnostic::file_error(
            Code::Usage,
            &path.display().to_string(),
            "already exists; not overwritten",
        )
        .with_help("pass --force to overwrite it, or choose another --out")]);
        return Ok(Exit::Invalid);
    }
    crate::outputs::write_all(&[(&target, template.as_bytes())])?;
    let schema = path
        .parent()
        .unwrap_or(Path::new(""))
        .join(crate::facts::template::SCHEMA_FILE);
    out.stderr(&format!(
        "wrote {}\n  note: for completion and checks in an editor, write the schema its first line names: \
         usd1eval schema arrangement > {}",
        path.display(),
        schema.display()
    ));
    Ok(Exit::Ok)
}
