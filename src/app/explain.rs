//! `explain`: what an id means and how it is judged.

use super::{Exit, load_rubric_arg};
use crate::cli::ExplainArgs;
use crate::render;
use crate::render::Output;
use crate::rubric::profile;
use crate::rubric::profile::load_profile;
use crate::source::{Code, Diagnostic};

pub(super) fn run(args: &ExplainArgs, out: &mut Output, width: usize) -> anyhow::Result<Exit> {
    let Some(rubric) = load_rubric_arg(&args.rubric, out) else {
        return Ok(Exit::Invalid);
    };
    let profiles: Vec<_> = profile::names()
        .filter_map(|n| load_profile(n).ok())
        .collect();
    let mut texts = Vec::new();
    let mut unknown = Vec::new();
    for id in &args.ids {
        match explain_one(&rubric, &profiles, id, width) {
            Ok(text) => texts.push(text),
            Err(d) => unknown.push(d),
        }
    }
    if !unknown.is_empty() {
        out.diagnostics(&unknown);
        return Ok(Exit::Invalid);
    }
    out.stdout(&texts.join("\n"))?;
    Ok(Exit::Ok)
}

/// One id's explanation, or the diagnostic saying it is unknown.
fn explain_one(
    rubric: &crate::rubric::Rubric,
    profiles: &[profile::Profile],
    id: &str,
    width: usize,
) -> Result<String, Diagnostic> {
    // A cap and a penalty may share an id (the same weakness, judged twice).
    let cap_and_penalty = match (
        render::explain_cap(rubric, id),
        render::explain_penalty(rubric, id),
    ) {
        (Some(cap), Some(penalty)) => Some(format!("{cap}\n{penalty}")),
        (cap, penalty) => cap.or(penalty),
    };
    let text = if let Some(m) = rubric.milestone(id) {
        render::explain_milestone(rubric, m, width)
    } else if let Some((m, c)) = rubric.check(id) {
        render::explain_check(m, c)
    } else if let Some(text) = render::explain_bucket(rubric, id)
        .or_else(|| render::explain_layer(rubric, id))
        .or(cap_and_penalty)
        .or_else(|| render::explain_stage(rubric, id, width))
        .or_else(|| render::explain_alert(rubric, id))
        .or_else(|| render::explain_field(rubric, profiles, id))
        .or_else(|| explain_profile_item(profiles, id, width))
        .or_else(|| render::stress::explain_scenario(id))
        .or_else(|| (id == rubric.id).then(|| render::rubric_summary(rubric, width)))
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
            .chain(rubric.penalties.iter().map(|p| p.id.as_str()))
            .chain(rubric.stages.iter().map(|s| s.id.as_str()))
            .chain(["stage"])
            .chain(rubric.history.ids())
            .collect();
        for name in profile::names() {
            ids.push(name);
        }
        for id in crate::stress::scenario::builtin_ids() {
            ids.push(id);
        }
        let paths: Vec<String> = crate::figures::paths().collect();
        ids.extend(paths.iter().map(String::as_str));
        let hint = crate::text::did_you_mean(id, ids).map_or_else(
            || "try a milestone id such as M01, or `usd1eval rubric show`".to_string(),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Diagnostic::without_file(
            Code::Usage,
            format!(
                "`{id}` is not a milestone, check, bucket, layer, cap, penalty, stage, alert, field, table, derived figure, scenario or profile of rubric `{}`",
                rubric.id
            ),
        )
        .with_help(hint));
    };
    Ok(text)
}

/// A built-in profile, or a requirement of one, by id.
fn explain_profile_item(profiles: &[profile::Profile], id: &str, width: usize) -> Option<String> {
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
