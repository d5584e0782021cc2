//! Markdown for a pull-request comment: grade, stage verdict, caps, buckets,
//! next steps and gates.

use crate::report::Report;

use super::table::score_text;

/// Untrusted text for a Markdown table cell or a line: the one rule,
/// [`crate::text::markdown`].
pub fn cell(text: &str) -> String {
    crate::text::markdown(text)
}

/// An id or a path from a file, for Markdown: [`crate::text::markdown_code`].
pub fn code(text: &str) -> String {
    crate::text::markdown_code(text)
}

/// A comment for one or more reports.
pub fn markdown(reports: &[Report]) -> String {
    reports
        .iter()
        .map(one)
        .collect::<Vec<_>>()
        .join("\n---\n\n")
}

/// The comment for one report.
pub fn one(r: &Report) -> String {
    let o = &r.overall;
    let grade = match o.grade {
        Some(_) => format!("grade {} · {}", o.grade_summary(), r.confidence_text()),
        None => crate::report::NOT_GRADED.to_string(),
    };
    let mut out = format!("## usd1eval: {} — {grade}", cell(&r.arrangement.name));
    if !o.missing_core.is_empty() {
        out.push_str(&format!(
            "\n\n**Core facts missing**: {}",
            cell(&o.missing_core_titles())
        ));
    }
    for p in &o.penalties {
        out.push_str(&format!(
            "\n\n**Penalty** {}: −{} points ({})",
            code(p.id),
            score_text(Some(p.points)),
            cell(p.title)
        ));
    }
    out.push_str(&format!(
        "\n\nScore **{}** / 100 · disclosure coverage {}% · {} as of {} · rubric {} v{}\n\n",
        score_text(Some(o.score)),
        score_text(Some(o.coverage_pct)),
        code(&r.arrangement.path),
        r.evaluated_as_of,
        code(r.rubric.id),
        r.rubric.version
    ));
    let st = &r.stage;
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    out.push_str(&format!(
        "**Stage**: claimed {} · visible {} · evidenced {}\n",
        name(&st.claimed),
        name(&st.visible),
        name(&st.evidenced)
    ));
    if let Some((alarm, text)) = r.stage_alarm() {
        let mark = match alarm {
            crate::report::StageAlarm::Outruns => ":warning: ",
            crate::report::StageAlarm::CannotJudge => "",
        };
        let by = if text.is_empty() {
            String::new()
        } else {
            format!(" — {}", cell(&text))
        };
        out.push_str(&format!("\n> {mark}**{}**{by}\n", alarm.headline()));
    }
    if !r.caps.is_empty() {
        out.push_str("\n**Caps**\n\n");
        for c in &r.caps {
            out.push_str(&format!(
                "- {} {}: {}\n",
                code(&c.id),
                cell(&c.effect(r.overall.is_graded())),
                cell(&c.reason)
            ));
        }
    }
    out.push_str(&format!(
        "\n{}\n",
        cell(&super::quantity::summary_line(&r.stress))
    ));
    out.push_str("\n| Bucket | Score | Grade | Coverage |\n|---|---:|:---:|---:|\n");
    for b in &r.buckets {
        let (score, grade) = if b.enough_disclosed || b.score.is_none() {
            (score_text(b.score), b.grade.unwrap_or("–").to_string())
        } else {
            ("–".to_string(), crate::report::not_enough_text(b.known_pct))
        };
        out.push_str(&format!(
            "| {} | {score} | {grade} | {}% |\n",
            cell(b.title),
            score_text(Some(b.coverage_pct))
        ));
    }
    for p in &r.profiles {
        let failing: Vec<String> = p
            .blocking()
            .map(|q| {
                let waived = if q.waived.is_some() { ", waived" } else { "" };
                format!(
                    "{} ({}, {}{waived})",
                    code(&q.id),
                    cell(&q.clause),
                    q.outcome.as_str()
                )
            })
            .collect();
        out.push_str(&format!(
            "\n**Profile {}** {}",
            code(&p.id),
            p.verdict.label()
        ));
        if !failing.is_empty() {
            out.push_str(&format!(": {}", failing.join(", ")));
        }
        if let Some(note) = p.readiness_note() {
            out.push_str(&format!(" — _{}_", cell(&note)));
        }
        out.push_str(" — reference checks, not legal advice.\n");
        let open: Vec<String> = p
            .not_assessable()
            .map(|q| format!("{} ({})", code(&q.id), cell(&q.clause)))
            .collect();
        if !open.is_empty() {
            out.push_str(&format!(
                "\nNot assessable from the declared facts, never counted as passes (check by hand): {}\n",
                open.join(", ")
            ));
        }
    }
    if !r.next_steps.is_empty() {
        out.push_str("\n**Next steps**\n\n");
        for (i, s) in r.next_steps.iter().enumerate() {
            out.push_str(&format!(
                "{}. +{} — {} {}: {}\n",
                i + 1,
                crate::report::fixed(s.gain, 1),
                cell(s.milestone),
                code(s.fact),
                cell(&s.action)
            ));
        }
    }
    if r.gates.failures.is_empty() {
        out.push_str("\n**Gates**: passed\n");
    } else {
        out.push_str("\n**Gates**: failed\n\n");
        for g in &r.gates.failures {
            out.push_str(&format!("- {}: {}\n", code(&g.gate), cell(&g.reason)));
        }
    }
    out
}
