//! `stress`: the declared reserves through scenarios, day by day.

use std::path::{Path, PathBuf};

use super::{Exit, each_arrangement};
use crate::cli::{CompareFormat, StressArgs};
use crate::render;
use crate::render::Output;
use crate::source::{Code, Diagnostic};
use crate::stress::Scenario;

/// A scenario's id names one row of the results and its `stress.ID.*`
/// figures: two scenarios of one id, or a file named like a built-in
/// scenario, would be two different things under one name.
fn unique_id(
    scenario: &Scenario,
    name: &str,
    earlier: &[(&str, Scenario)],
) -> Result<(), Diagnostic> {
    let id = crate::text::one_line(&scenario.id);
    let file = crate::text::one_line(name);
    let builtin = crate::stress::scenario::builtin_ids().any(|b| b == scenario.id);
    if let Some((other, _)) = earlier.iter().find(|(_, s)| s.id == scenario.id) {
        return Err(Diagnostic::file_error(
            Code::Duplicate,
            &file,
            format!(
                "scenario id `{id}` is given twice (also by --scenario {})",
                crate::text::one_line(other)
            ),
        )
        .with_help("give each scenario once; rename a scenario file to give it its own id"));
    }
    if builtin && name != scenario.id {
        return Err(Diagnostic::file_error(
            Code::Duplicate,
            &file,
            format!("the file's id `{id}` is the id of a built-in scenario"),
        )
        .with_help("rename the file: its results would pass for the built-in scenario's"));
    }
    Ok(())
}

pub(super) fn run(args: &StressArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    // Every scenario file is read before any arrangement, so a bad one stops
    // the run with all of its problems and no output.
    let scenarios = args.scenarios.iter().map(Path::new);
    let inputs = args.files.iter().map(PathBuf::as_path).chain(scenarios);
    if !super::stdin_read_once(inputs, out) {
        return Ok(Exit::Invalid);
    }
    let mut loaded: Vec<(&str, Scenario)> = Vec::new();
    let mut invalid = false;
    for name in &args.scenarios {
        match crate::stress::load_scenario(name) {
            Ok(s) => match unique_id(&s, name, &loaded) {
                Ok(()) => loaded.push((name, s)),
                Err(d) => {
                    out.diagnostics(&[d]);
                    invalid = true;
                }
            },
            Err(diagnostics) => {
                out.diagnostics(&diagnostics);
                invalid = true;
            }
        }
    }
    if invalid {
        return Ok(Exit::Invalid);
    }
    let mut scenarios: Vec<Scenario> = loaded.into_iter().map(|(_, s)| s).collect();
    if scenarios.is_empty() {
        scenarios = crate::stress::builtin_scenarios().to_vec();
    }
    let (runs, exit) = each_arrangement(&args.files, "stress-testing", out, |a| {
        crate::report::StressRun {
            arrangement: crate::report::ArrangementRef::of(a),
            stress: crate::stress::run(&a.facts, &scenarios),
        }
    });
    if !runs.is_empty() {
        let text = match args.format {
            CompareFormat::Table => render::stress::table(&runs, width, args.days),
            CompareFormat::Json => render::stress::json(&runs, args.files.len() > 1),
            CompareFormat::Markdown => render::stress::markdown(&runs, args.days),
            CompareFormat::Html => render::stress::html(&runs),
        };
        out.stdout(&text)?;
    }
    Ok(exit)
}
