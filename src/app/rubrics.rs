//! `rubric list|show|check`: the built-in rubrics and profiles, and checking your own.

use super::{Exit, load_profiles, load_rubric_or_report};
use crate::cli::RubricCommand;
use crate::render::Output;
use crate::rubric::profile::load_profile;
use crate::rubric::{builtin, profile};
use crate::source::SourceFile;
use crate::{render, rubric};

pub(super) fn run(command: RubricCommand, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
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
