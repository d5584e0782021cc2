//! Markdown for a pull-request comment: grade, stage verdict, caps, buckets,
//! next steps and gates.

use crate::report::Report;

use super::table::score_text;

/// How a Markdown table's column aligns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text, to the left (`---`).
    Left,
    /// Numbers, to the right (`---:`).
    Right,
    /// Short marks, centred (`:---:`).
    Center,
}

/// The one Markdown table writer: a header line, a rule with each column's
/// alignment, a line per row. Cells are written as given, so callers pass
/// untrusted text through [`cell`] or [`code`] first.
pub(crate) fn table<R>(header: &[(&str, Align)], rows: R) -> String
where
    R: IntoIterator,
    R::Item: IntoIterator,
    <R::Item as IntoIterator>::Item: AsRef<str>,
{
    let line = |cells: &mut dyn Iterator<Item = String>| {
        let mut out = String::from("|");
        for c in cells {
            out.push(' ');
            out.push_str(&c);
            out.push_str(" |");
        }
        out.push('\n');
        out
    };
    let mut out = line(&mut header.iter().map(|(h, _)| (*h).to_string()));
    out.push('|');
    for (_, align) in header {
        out.push_str(match align {
            Align::Left => "---|",
            Align::Right => "---:|",
            Align::Center => ":---:|",
        });
    }
    out.push('\n');
    for row in rows {
        out.push_str(&line(&mut row.into_iter().map(|c| c.as_ref().to_string())));
    }
    out
}

/// Untrusted text for a Markdown table cell or a line: the one rule,
/// [`crate::text::markdown`].
pub(crate) fn cell(text: &str) -> String {
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
            code(&p.id),
            score_text(Some(p.points)),
            cell(&p.title)
        ));
    }
    out.push_str(&format!(
        "\n\nScore **{}** / 100 · disclosure coverage {}% · {} as of {} · rubric {} v{}\n\n",
        score_text(Some(o.score)),
        score_text(Some(o.coverage_pct)),
        code(&r.arrangement.path),
        r.evaluated_as_of,
        code(&r.rubric.id),
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
    out.push('\n');
    out.push_str(&table(
        &[
            ("Bucket", Align::Left),
            ("Score", Align::Right),
            ("Grade", Align::Center),
            ("Coverage", Align::Right),
        ],
        r.buckets.iter().map(|b| {
            let (score, grade) = if b.enough_disclosed || b.score.is_none() {
                (
                    score_text(b.score),
                    b.grade.as_deref().unwrap_or("–").to_string(),
                )
            } else {
                ("–".to_string(), crate::report::not_enough_text(b.known_pct))
            };
            [
                cell(&b.title),
                score,
                grade,
                format!("{}%", score_text(Some(b.coverage_pct))),
            ]
        }),
    ));
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
                cell(&s.milestone),
                code(&s.fact),
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

#[cfg(test)]
mod table_tests {
    use super::{Align, table};

    #[test]
    fn a_table_has_a_header_a_rule_with_alignments_and_a_line_per_row() {
        let text = table(
            &[
                ("a", Align::Left),
                ("b", Align::Right),
                ("c", Align::Center),
            ],
            [["1", "2", "3"], ["x", "y", "z"]],
        );
        assert_eq!(
            text,
            "| a | b | c |\n|---|---:|:---:|\n| 1 | 2 | 3 |\n| x | y | z |\n"
        );
    }
}
