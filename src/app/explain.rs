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
