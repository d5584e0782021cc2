//! `stress`: each arrangement's scenarios and reverse stress test as a table,
//! JSON, Markdown or a self-contained HTML page; and the day-by-day chart the
//! HTML scorecard shows too.

use crate::text::one_line;
use comfy_table::{Cell, CellAlignment};

use super::html::{page, section};
use super::layout::wrap;
use super::markdown::{self, Align, cell, code};
use super::quantity::{day_text, gap_text, money, outcome_text, ratio, reverse_line};
use super::table::{new_table, whole_words};
use crate::report::StressRun;
use crate::text::xml_escape as esc;
use usd1eval_model::stress::{ScenarioResult, StressReport};

/// `explain ID` for a built-in scenario: what it replays, its settings, and
/// how a rubric reads its results.
pub fn explain_scenario(id: &str) -> Option<String> {
    let s = usd1eval_model::stress::builtin_scenarios()
        .iter()
        .find(|s| s.id == id)?;
    let [redemptions, freezes, prices, rate, chains] = s.settings();
    Some(format!(
        "{} — {} (stress scenario)\n\n{}\n\n\
         Redemptions (% of units; per business day unless a date is given): {redemptions}\n\
         Custodians frozen: {freezes}\n\
         Price shocks: {prices}\n\
         Rate shock: {rate}\n\
         Chains down: {chains}\n\n\
         A rubric reads its results as stress.{id}.survives, stress.{id}.shortfall_usd, \
         stress.{id}.min_coverage_ratio, stress.{id}.unpaid_usd, stress.{id}.gap_days, \
         stress.{id}.loss_usd, stress.{id}.first_shortfall_day and stress.{id}.stranded_pct. \
         The model is in docs/stress.md; run it with \
         `usd1eval stress --scenario {id} FILE`.\n",
        s.id,
        s.title,
        s.description.trim()
    ))
}

/// The path of one scenario, a row per business day, as cells: day (with
/// its date in a replay), due, paid, reachable, outstanding, lost.
fn day_rows(s: &ScenarioResult) -> Vec<[String; 6]> {
    s.days
        .iter()
        .map(|d| {
            let day = match &d.date {
                Some(date) => format!("T+{} ({date})", d.day),
                None => format!("T+{}", d.day),
            };
            [
                day,
                money(Some(d.due_usd)),
                money(Some(d.paid_usd)),
                money(Some(d.reachable_usd)),
                money(Some(d.outstanding_usd)),
                money(Some(d.lost_usd)),
            ]
        })
        .collect()
}

const DAY_HEADERS: [&str; 6] = [
    "Day",
    "Due (cumulative)",
    "Paid (cumulative)",
    "Reachable",
    "Outstanding",
    "Lost for good",
];

/// Tables for a terminal, one block per arrangement; with `days`, each
/// scenario's path follows, one row per business day.
pub fn table(runs: &[StressRun], width: usize, days: bool) -> String {
    let blocks: Vec<String> = runs
        .iter()
        .map(|run| {
            let a = &run.arrangement;
            let mut t = new_table(
                &[
                    "Scenario",
                    "Outcome",
                    "First shortfall",
                    "Unpaid",
                    "Gap days",
                    "Lost for good",
                    "Min coverage",
                ],
                width,
            );
            for s in &run.stress.scenarios {
                let right = |text: String| Cell::new(text).set_alignment(CellAlignment::Right);
                t.add_row(vec![
                    Cell::new(one_line(&s.id)),
                    Cell::new(outcome_text(s)),
                    right(day_text(s)),
                    right(money(s.unpaid_usd)),
                    right(gap_text(s)),
                    right(money(s.loss_usd)),
                    right(ratio(s.min_coverage_ratio)),
                ]);
            }
            whole_words(&mut t);
            // Why each came out as it did, below the table, where the
            // sentence has the whole width.
            let mut why = String::new();
            for s in &run.stress.scenarios {
                why.push_str(&wrap(
                    &format!("{}: {}", one_line(&s.id), one_line(&s.why)),
                    width,
                    "  ",
                    "    ",
                ));
            }
            let mut paths = String::new();
            if days {
                for s in run.stress.scenarios.iter().filter(|s| !s.days.is_empty()) {
                    let mut d = new_table(&DAY_HEADERS, width);
                    for row in day_rows(s) {
                        let mut cells = row.into_iter();
                        let first = cells.next().map(Cell::new);
                        d.add_row(first.into_iter().chain(
                            cells.map(|c| Cell::new(c).set_alignment(CellAlignment::Right)),
                        ));
                    }
                    whole_words(&mut d);
                    paths.push_str(&format!(
                        "\n{}: {}\n{d}\n",
                        one_line(&s.id),
                        outcome_text(s)
                    ));
                }
            }
            format!(
                "{}{t}\n{why}{}{paths}",
                wrap(
                    &format!(
                        "{} · file {} · facts as of {}",
                        one_line(&a.name),
                        one_line(&a.path),
                        a.as_of
                    ),
                    width,
                    "",
                    "  "
                ),
                wrap(&reverse_line(&run.stress), width, "", "  ")
            )
        })
        .collect();
    blocks.join("\n")
}

/// One JSON object per arrangement: pretty for one file, JSON Lines for several.
pub fn json(runs: &[StressRun], several: bool) -> String {
    runs.iter()
        .map(|run| {
            let text = if several {
                serde_json::to_string(run)
            } else {
                serde_json::to_string_pretty(run)
            };
            let mut text = text.unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
            text.push('\n');
            text
        })
        .collect()
}

/// Markdown, one section per arrangement; with `days`, each scenario's path.
pub fn markdown(runs: &[StressRun], days: bool) -> String {
    let blocks: Vec<String> = runs
        .iter()
        .map(|run| {
            let mut out = format!(
                "## Stress: {}\n\n{} · facts as of {}\n\n{}\n\n",
                cell(&run.arrangement.name),
                code(&run.arrangement.path),
                run.arrangement.as_of,
                reverse_line(&run.stress)
            );
            out.push_str(&markdown_table(&run.stress));
            if days {
                for s in run.stress.scenarios.iter().filter(|s| !s.days.is_empty()) {
                    out.push_str(&format!("\n### {}: {}\n\n", code(&s.id), outcome_text(s)));
                    let header: Vec<(&str, Align)> = DAY_HEADERS
                        .iter()
                        .enumerate()
                        .map(|(i, h)| (*h, if i == 0 { Align::Left } else { Align::Right }))
                        .collect();
                    out.push_str(&markdown::table(&header, day_rows(s)));
                }
            }
            out
        })
        .collect();
    blocks.join("\n---\n\n")
}

/// The scenarios as a Markdown table.
pub(crate) fn markdown_table(stress: &StressReport) -> String {
    markdown::table(
        &[
            ("Scenario", Align::Left),
            ("Outcome", Align::Left),
            ("First shortfall", Align::Right),
            ("Unpaid", Align::Right),
            ("Gap days", Align::Right),
            ("Lost for good", Align::Right),
            ("Min coverage", Align::Right),
            ("Why", Align::Left),
        ],
        stress.scenarios.iter().map(|s| {
            [
                code(&s.id),
                outcome_text(s),
                day_text(s),
                money(s.unpaid_usd),
                gap_text(s),
                money(s.loss_usd),
                ratio(s.min_coverage_ratio),
                cell(&s.why),
            ]
        }),
    )
}

/// A self-contained page: per arrangement, the reverse stress test and every
/// scenario with its chart.
pub fn html(runs: &[StressRun]) -> String {
    let mut body = String::from("<h1>Stress tests</h1>\n");
    for (i, run) in runs.iter().enumerate() {
        body.push_str(&format!(
            "<h2>{}</h2>\n<div class=\"meta\"><code>{}</code> · facts as of {}</div>\n",
            esc(&run.arrangement.name),
            esc(&run.arrangement.path),
            esc(&run.arrangement.as_of)
        ));
        body.push_str(&section(&run.stress, &format!("s{i}")));
    }
    page("usd1eval stress tests", &body)
}
