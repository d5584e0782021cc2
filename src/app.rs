//! The commands: read inputs, call the library, hand results to the renderers,
//! and decide the exit code.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{
    AsOf, CheckArgs, Cli, Command, CompareArgs, DiffArgs, ExplainArgs, InitArgs, RubricCommand,
    SchemaKind, ScoreArgs, SummaryFormat,
};
use crate::eval::evaluate;
use crate::facts::Arrangement;
use crate::gate::{self, Baseline, GateOptions, Waiver, apply_waivers, parse_waivers};
use crate::render::{self, Output};
use crate::rubric::profile::{self, load_profile};
use crate::rubric::{self, Rubric, builtin, load_rubric};
use crate::source::{Diagnostic, SourceFile};

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
    let result = match cli.command {
        Command::Score(args) => score(&args, out),
        Command::Check(args) => Ok(check(&args, out)),
        Command::Diff(args) => diff(&args, out),
        Command::Compare(args) => compare(&args, out),
        Command::Explain(args) => explain(&args, out),
        Command::Rubric(command) => rubric_command(command, out),
        Command::Init(args) => init(&args, out),
        Command::Schema { what } => {
            let schema = match what {
                SchemaKind::Arrangement => render::reference::arrangement_json_schema(),
                SchemaKind::Report => render::reference::report_json_schema(),
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
            out.stderr(&format!("error: {e:#}"));
            Exit::Invalid
        }
    }
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

/// Reads and validates one arrangement; diagnostics go to stderr.
fn load_arrangement(path: &str, out: &mut Output) -> Option<Arrangement> {
    let source = match SourceFile::read(path) {
        Ok(source) => source,
        Err(d) => {
            out.diagnostics(&[d]);
            return None;
        }
    };
    match Arrangement::from_source(&source) {
        Ok(arrangement) => {
            out.diagnostics(&arrangement.warnings);
            Some(arrangement)
        }
        Err(diagnostics) => {
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            out.diagnostics(&diagnostics);
            out.stderr(&format!(
                "{path}: {errors} error(s); nothing scored for this file"
            ));
            None
        }
    }
}

fn report_diagnostics(out: &mut Output, result: Result<(), Vec<Diagnostic>>) -> bool {
    match result {
        Ok(()) => true,
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            false
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
    let rubric = load_rubric_or_report(&args.rubric.rubric, out)?;
    let mut profiles: Vec<crate::rubric::profile::Profile> = Vec::new();
    for name in args.profiles.iter().chain(&args.gates.require_profiles) {
        let profile = match load_profile(name) {
            Ok(p) => p,
            Err(diagnostics) => {
                out.diagnostics(&diagnostics);
                return None;
            }
        };
        if !profiles.iter().any(|p| p.id == profile.id) {
            profiles.push(profile);
        }
    }
    // --require-profile takes a name or a path; the gate looks results up by id.
    let require_profiles = args
        .gates
        .require_profiles
        .iter()
        .filter_map(|name| load_profile(name).ok().map(|p| p.id))
        .collect();
    let baseline = match &args.gates.baseline {
        None => None,
        Some(path) => {
            let parsed = SourceFile::read(path).and_then(|s| Baseline::parse(&s));
            if !report_diagnostics(
                out,
                parsed.as_ref().map(|_| ()).map_err(|d| vec![d.clone()]),
            ) {
                return None;
            }
            parsed.ok()
        }
    };
    let min_grade = args.gates.min_grade.clone();
    if let Some(grade) = &min_grade
        && !rubric.grades.iter().any(|g| &g.letter == grade)
    {
        let letters: Vec<&str> = rubric.grades.iter().map(|g| g.letter.as_str()).collect();
        out.stderr(&format!(
            "error: --min-grade {grade}: not a grade of rubric `{}`\n  help: grades: {}",
            rubric.id,
            letters.join(", ")
        ));
        return None;
    }
    let waivers = match &args.gates.waivers {
        None => None,
        Some(path) => {
            let loaded = SourceFile::read(path)
                .map_err(|d| vec![d])
                .and_then(|s| parse_waivers(&s, &rubric));
            match loaded {
                Ok(w) => Some((path.clone(), w)),
                Err(diagnostics) => {
                    out.diagnostics(&diagnostics);
                    return None;
                }
            }
        }
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

fn score(args: &ScoreArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let Some(setup) = score_setup(args, out) else {
        return Ok(Exit::Invalid);
    };
    // An input file is never written: refuse an --output that names one.
    for spec in &args.outputs {
        let target = std::fs::canonicalize(&spec.path).ok();
        let clash = args
            .files
            .iter()
            .find(|f| target.is_some() && std::fs::canonicalize(f).ok() == target);
        if let Some(input) = clash {
            out.stderr(&format!(
                "error: --output {} would overwrite the input file {input}\n  help: write the report to another path",
                spec.path.display()
            ));
            return Ok(Exit::Invalid);
        }
    }
    let mut exit = Exit::Ok;
    let several = args.files.len() > 1;
    let mut reports = Vec::new();
    for path in &args.files {
        let Some(arrangement) = load_arrangement(path, out) else {
            exit = exit.max(Exit::Invalid);
            continue;
        };
        let as_of = match args.as_of {
            Some(AsOf::Date(d)) => d,
            Some(AsOf::Today) => chrono::Local::now().date_naive(),
            None => arrangement.facts.as_of,
        };
        let mut report = evaluate(&setup.rubric, &setup.profiles, &arrangement, as_of);
        if let Some((file, waivers)) = &setup.waivers {
            let diagnostics = apply_waivers(
                &mut report,
                waivers,
                file,
                as_of,
                args.gates.deny_unused_waivers,
            );
            if diagnostics.iter().any(Diagnostic::is_error) {
                exit = exit.max(Exit::Invalid);
            }
            out.diagnostics(&diagnostics);
            report.diagnostics.extend(diagnostics);
        }
        gate::apply(&mut report, &setup.rubric, &setup.gates);
        if !report.gates.passed {
            exit = exit.max(Exit::GateFailed);
        }
        reports.push(report);
    }
    // Every requested report is written, whatever the gates say; when no
    // file could be evaluated there is no report, and nothing is written.
    for spec in args.outputs.iter().filter(|_| !reports.is_empty()) {
        let text = render::reports(spec.format, &reports, &setup.rubric, args.detail, several);
        write_atomically(&spec.path, text.as_bytes())?;
    }
    if !args.quiet && !reports.is_empty() {
        out.stdout(&render::reports(
            args.format,
            &reports,
            &setup.rubric,
            args.detail,
            several,
        ))?;
    }
    for r in reports.iter().filter(|r| !r.gates.passed) {
        for g in &r.gates.failures {
            out.stderr(&format!(
                "gate failed: {}: {}: {}",
                r.arrangement.path, g.gate, g.reason
            ));
        }
    }
    Ok(exit)
}

/// The evaluation date for one arrangement.
fn evaluation_date(as_of: Option<AsOf>, arrangement: &Arrangement) -> chrono::NaiveDate {
    match as_of {
        Some(AsOf::Date(d)) => d,
        Some(AsOf::Today) => chrono::Local::now().date_naive(),
        None => arrangement.facts.as_of,
    }
}

fn load_profiles(
    names: &[String],
    out: &mut Output,
) -> Option<Vec<crate::rubric::profile::Profile>> {
    let mut profiles: Vec<crate::rubric::profile::Profile> = Vec::new();
    for name in names {
        match load_profile(name) {
            Ok(p) if profiles.iter().any(|x| x.id == p.id) => {}
            Ok(p) => profiles.push(p),
            Err(diagnostics) => {
                out.diagnostics(&diagnostics);
                return None;
            }
        }
    }
    Some(profiles)
}

/// One side of a diff: a JSON report, or an arrangement file scored now.
fn diff_side(
    path: &str,
    rubric: &Rubric,
    profiles: &[crate::rubric::profile::Profile],
    as_of: Option<AsOf>,
    out: &mut Output,
) -> Option<crate::diff::Side> {
    let source = match SourceFile::read(path) {
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
    let arrangement = match Arrangement::from_source(&source) {
        Ok(a) => a,
        Err(diagnostics) => {
            out.diagnostics(&diagnostics);
            return None;
        }
    };
    out.diagnostics(&arrangement.warnings);
    let report = evaluate(
        rubric,
        profiles,
        &arrangement,
        evaluation_date(as_of, &arrangement),
    );
    Some(crate::diff::Side {
        label: path.to_string(),
        summary: Baseline::from_report(&report),
        facts: Some(arrangement.facts.flatten()),
    })
}

fn diff(args: &DiffArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let Some(rubric) = load_rubric_or_report(&args.rubric.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let Some(profiles) = load_profiles(&args.profiles, out) else {
        return Ok(Exit::Invalid);
    };
    let old = diff_side(&args.old, &rubric, &profiles, args.as_of, out);
    let new = diff_side(&args.new, &rubric, &profiles, args.as_of, out);
    let (Some(old), Some(new)) = (old, new) else {
        return Ok(Exit::Invalid);
    };
    let d = crate::diff::diff(&old, &new, args.tolerance);
    let text = match args.format {
        SummaryFormat::Table => render::diff::table(&d),
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

fn compare(args: &CompareArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let Some(rubric) = load_rubric_or_report(&args.rubric.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let mut exit = Exit::Ok;
    let mut reports = Vec::new();
    for path in &args.files {
        match load_arrangement(path, out) {
            Some(a) => reports.push(evaluate(&rubric, &[], &a, evaluation_date(args.as_of, &a))),
            None => exit = Exit::Invalid,
        }
    }
    if !reports.is_empty() {
        let text = match args.format {
            SummaryFormat::Table => render::compare::table(&reports),
            SummaryFormat::Json => render::compare::json(&reports),
            SummaryFormat::Markdown => render::compare::markdown(&reports),
        };
        out.stdout(&text)?;
    }
    Ok(exit)
}

fn check(args: &CheckArgs, out: &mut Output) -> Exit {
    let mut exit = Exit::Ok;
    for path in &args.files {
        match load_arrangement(path, out) {
            Some(a) => out.stderr(&format!(
                "{path}: ok ({} as of {})",
                a.facts.name, a.facts.as_of
            )),
            None => exit = Exit::Invalid,
        }
    }
    exit
}

fn explain(args: &ExplainArgs, out: &mut Output) -> anyhow::Result<Exit> {
    let Some(rubric) = load_rubric_or_report(&args.rubric.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let id = args.id.as_str();
    let text = if let Some(m) = rubric.milestone(id) {
        render::explain_milestone(&rubric, m)
    } else if let Some((m, c)) = rubric.check(id) {
        render::explain_check(m, c)
    } else if let Some(text) = render::explain_bucket(&rubric, id)
        .or_else(|| render::explain_layer(&rubric, id))
        .or_else(|| render::explain_cap(&rubric, id))
        .or_else(|| explain_profile_item(id))
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
            .collect();
        for name in profile::names() {
            ids.push(name);
        }
        let hint = crate::facts::schema::did_you_mean(id, ids).map_or_else(
            || "try a milestone id such as M01, or `usd1eval rubric show`".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        out.stderr(&format!("error: `{id}` is not a milestone, check, bucket or layer of rubric `{}`\n  help: {hint}", rubric.id));
        return Ok(Exit::Invalid);
    };
    out.stdout(&text)?;
    Ok(Exit::Ok)
}

/// A built-in profile, or a requirement of one, by id.
fn explain_profile_item(id: &str) -> Option<String> {
    let profiles: Vec<_> = profile::names()
        .filter_map(|n| load_profile(n).ok())
        .collect();
    if let Some(p) = profiles.iter().find(|p| p.id == id) {
        return Some(render::profile_summary(p));
    }
    profiles.iter().find_map(|p| {
        p.requirements
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
            .map(|r| render::explain_requirement(p, r))
    })
}

fn rubric_command(command: RubricCommand, out: &mut Output) -> anyhow::Result<Exit> {
    match command {
        RubricCommand::List => {
            let mut rubrics = Vec::new();
            for name in builtin::NAMES {
                let Some(r) = load_rubric_or_report(name, out) else {
                    return Ok(Exit::Invalid);
                };
                rubrics.push(r);
            }
            let mut profiles = Vec::new();
            for name in profile::names() {
                match load_profile(name) {
                    Ok(p) => profiles.push(p),
                    Err(diagnostics) => {
                        out.diagnostics(&diagnostics);
                        return Ok(Exit::Invalid);
                    }
                }
            }
            out.stdout(&render::rubric_list(&rubrics, &profiles))?;
        }
        RubricCommand::Show { name } => {
            if profile::names().any(|n| n == name) {
                match load_profile(&name) {
                    Ok(p) => out.stdout(&render::profile_summary(&p))?,
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
            out.stdout(&render::rubric_summary(&r))?;
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
    if path.exists() && !args.force {
        out.diagnostics(&[Diagnostic::file_error(
            &path.display().to_string(),
            "already exists; not overwritten",
        )
        .with_help("pass --force to overwrite it, or choose another --out")]);
        return Ok(Exit::Invalid);
    }
    write_atomically(path, template.as_bytes())?;
    out.stderr(&format!("wrote {}", path.display()));
    Ok(Exit::Ok)
}

/// Writes a file through a temporary sibling and a rename, so that a reader
/// never sees half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.usd1eval-tmp-{}", std::process::id()));
    let result = std::fs::File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}
