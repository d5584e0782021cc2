//! `stress`: the declared reserves through scenarios, day by day.

use std::path::{Path, PathBuf};

use super::{Exit, each_arrangement};
use crate::cli::{CompareFormat, StressArgs};
use crate::render;
use crate::render::Output;

pub(super) fn run(args: &StressArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    // Every scenario file is read before any arrangement, so a bad one stops
    // the run with all of its problems and no output.
    let scenarios = args.scenarios.iter().map(Path::new);
    let inputs = args.files.iter().map(PathBuf::as_path).chain(scenarios);
    if !super::stdin_read_once(inputs, out) {
        return Ok(Exit::Invalid);
    }
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
