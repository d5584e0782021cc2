//! `stress`: each arrangement's scenarios and reverse stress test as a table,
//! JSON, Markdown or a self-contained HTML page; and the day-by-day chart the
//! HTML scorecard shows too.

use crate::text::one_line;
use comfy_table::{Cell, CellAlignment};

use super::junit::xml_escape as esc;
use super::layout::wrap;
use super::markdown::{cell, code};
use super::table::{new_table, whole_words};
use crate::stress::{ScenarioResult, StressReport, StressRun};

/// What happened, in words; upper case when the scenario is not survived.
fn outcome_text(s: &ScenarioResult) -> String {
    match s.survives {
        Some(false) => s.outcome().to_uppercase(),
        _ => s.outcome().to_string(),
    }
}

fn gap_text(s: &ScenarioResult) -> String {
    s.gap_days.map_or_else(|| "–".into(), |d| d.to_string())
}

/// Whole dollars with thousands separators: `592,600,000`.
fn money(n: Option<f64>) -> String {
    let Some(n) = n else {
        return "–".into();
    };
    let digits = crate::report::fixed(n.max(0.0), 0);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn day_text(s: &ScenarioResult) -> String {
    s.first_shortfall_day
        .map_or_else(|| "–".into(), |d| format!("T+{d}"))
}

fn ratio(n: Option<f64>) -> String {
    n.map_or_else(|| "–".into(), |n| crate::report::fixed(n, 3))
}

fn pct(n: Option<f64>) -> String {
    n.map_or_else(
        || "–".into(),
        |n| format!("{} %", crate::report::fixed(n, 1)),
    )
}

/// The reverse stress test in one line.
fn reverse_line(stress: &StressReport) -> String {
    let m = &stress.max_redeemable_pct;
    format!(
        "Reverse stress test: payable at par by T+0 {} · by T+1 {} · by T+5 {} of units outstanding",
        pct(m.t0),
        pct(m.t1),
        pct(m.t5)
    )
}

/// One line for a scorecard: how many scenarios are survived, which fail
/// and from which day, and the reverse stress test.
pub fn summary_line(stress: &StressReport) -> String {
    let run: Vec<&ScenarioResult> = stress
        .scenarios
        .iter()
        .filter(|s| s.survives.is_some())
        .collect();
    let failed: Vec<String> = run
        .iter()
        .filter(|s| s.survives == Some(false))
        .map(|s| format!("{} from {}", one_line(&s.id), day_text(s)))
        .collect();
    let not_run = stress.scenarios.len() - run.len();
    let mut line = format!(
        "Stress: survives {} of {} scenarios",
        run.len() - failed.len(),
        run.len()
    );
    if run.is_empty() {
        // Say why rather than "0 of 0": the first scenario's reason stands
        // for all when a fact every scenario needs is missing.
        let why = stress.scenarios.first().map_or("", |s| {
            let why = s.why.trim_end_matches('.');
            why.strip_prefix("Cannot be run: ").unwrap_or(why)
        });
        line = format!("Stress: not run: {why}");
    } else if not_run > 0 {
        line.push_str(&format!("; {not_run} could not be run"));
    }
    if !failed.is_empty() {
        line.push_str(&format!("; fails {}", failed.join(", ")));
    }
    // Survived with reserves out of reach for a while: said, not failed.
    let gaps: Vec<String> = run
        .iter()
        .filter(|s| s.survives == Some(true))
        .filter_map(|s| {
            let days = s.gap_days.filter(|d| *d > 0)?;
            Some(format!(
                "{} ({days} day{}, lowest {}×)",
                one_line(&s.id),
                if days == 1 { "" } else { "s" },
                ratio(s.min_coverage_ratio)
            ))
        })
        .collect();
    if !gaps.is_empty() {
        line.push_str(&format!("; coverage gaps in {}", gaps.join(", ")));
    }
    let m = &stress.max_redeemable_pct;
    if m.t0.is_some() {
        line.push_str(&format!(
            " · payable at par by T+0 {}, T+1 {}, T+5 {}",
            pct(m.t0),
            pct(m.t1),
            pct(m.t5)
        ));
    }
    line
}

/// `explain ID` for a built-in scenario: what it replays, its settings, and
/// how a rubric reads its results.
pub fn explain_scenario(id: &str) -> Option<String> {
    let s = crate::stress::builtin_scenarios()
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
         stress.{id}.min_coverage_ratio, stress.{id}.unpaid_usd, stress.{id}.gap_days and \
         stress.{id}.loss_usd. The model is in docs/stress.md; run it with \
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
                    "Unpaid USD",
                    "Gap days",
                    "Loss USD",
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
                    out.push_str(&format!(
                        "\n### {}: {}\n\n| {} |\n|---|---:|---:|---:|---:|---:|\n",
                        code(&s.id),
                        outcome_text(s),
                        DAY_HEADERS.join(" | ")
                    ));
                    for row in day_rows(s) {
                        out.push_str(&format!("| {} |\n", row.join(" | ")));
                    }
                }
            }
            out
        })
        .collect();
    blocks.join("\n---\n\n")
}

/// The scenarios as a Markdown table.
pub fn markdown_table(stress: &StressReport) -> String {
    let mut out = String::from(
        "| Scenario | Outcome | First shortfall | Unpaid USD | Gap days | Loss USD | Min coverage | Why |\n\
         |---|---|---:|---:|---:|---:|---:|---|\n",
    );
    for s in &stress.scenarios {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            code(&s.id),
            outcome_text(s),
            day_text(s),
            money(s.unpaid_usd),
            gap_text(s),
            money(s.loss_usd),
            ratio(s.min_coverage_ratio),
            cell(&s.why)
        ));
    }
    out
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
    super::html::page("usd1eval stress tests", &body)
}

/// The stress section of a page: the reverse stress test, a table of the
/// scenarios, and one chart per scenario that could be run. `id` keeps the
/// charts' element ids unique on a page with several arrangements.
pub fn section(stress: &StressReport, id: &str) -> String {
    let mut out = format!("<p>{}</p>\n", esc(&reverse_line(stress)));
    out.push_str(
        "<table class=\"stress\">\n<tr><th>Scenario</th><th>Outcome</th><th>First shortfall</th><th>Unpaid USD</th><th>Gap days</th><th>Loss USD</th><th>Min coverage</th><th>Why</th></tr>\n",
    );
    for s in &stress.scenarios {
        let class = match (s.survives, s.gap_days) {
            (Some(false), _) => "o-fail",
            (Some(true), Some(g)) if g > 0 => "o-partial",
            (Some(true), _) => "o-pass",
            (None, _) => "o-not-disclosed",
        };
        out.push_str(&format!(
            "<tr><td><code>{}</code><br>{}</td><td><span class=\"badge {class}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            esc(&s.id),
            esc(&s.title),
            esc(s.outcome()),
            day_text(s),
            money(s.unpaid_usd),
            gap_text(s),
            money(s.loss_usd),
            ratio(s.min_coverage_ratio),
            esc(&s.why)
        ));
    }
    out.push_str(
        "</table>\n<p class=\"notice\"><span style=\"color:#b3261e\">■</span> redemptions due so far · \
         <span style=\"color:#4c8c2b\">■</span> dollars reachable by that business day (paid, plus what \
         reachable assets would still fetch); one scale per chart, its top labelled.</p>\n<div class=\"columns\">\n",
    );
    for (j, s) in stress.scenarios.iter().enumerate() {
        if !s.days.is_empty() {
            out.push_str(&format!(
                "<div><h3>{}</h3>\n{}</div>\n",
                esc(&s.id),
                chart(s, &format!("{id}-{j}"))
            ));
        }
    }
    out.push_str("</div>\n");
    out
}

/// Demand against reachable liquidity, day by day: for each business day a
/// bar of the redemptions due so far (`rect.demand`) and one of the dollars
/// that could be raised by then (`rect.liquidity`), on one scale, with a
/// title and description for screen readers.
pub fn chart(s: &ScenarioResult, id: &str) -> String {
    let (width, height, left, bottom) = (340.0, 184.0, 8.0, 22.0);
    let plot = height - bottom - 22.0;
    let top = s
        .days
        .iter()
        .map(|d| d.due_usd.max(d.liquid_usd))
        .fold(0.0, f64::max)
        .max(1.0);
    let slot = (width - left) / s.days.len().max(1) as f64;
    let bar = (slot / 2.0 - 3.0).max(2.0);
    let summary: Vec<String> = s
        .days
        .iter()
        .map(|d| {
            format!(
                "day {}: due {:.0}, liquid {:.0}",
                d.day, d.due_usd, d.liquid_usd
            )
        })
        .collect();
    let mut svg = format!(
        "<svg class=\"stress-chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width: {width}px\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"{id}-title\">{}: redemptions due (red) against dollars reachable (green), USD, by business day</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        esc(&s.id),
        esc(&summary.join("; "))
    );
    svg.push_str(&format!(
        "<text x=\"{left}\" y=\"12\" style=\"fill:#5b6475;font-size:11px\">top: {} USD</text>\n",
        money(Some(top))
    ));
    for (i, d) in s.days.iter().enumerate() {
        let x = left + i as f64 * slot;
        let h = |v: f64| (v.max(0.0) / top * plot).round();
        let (hd, hl) = (h(d.due_usd), h(d.liquid_usd));
        let base = height - bottom;
        svg.push_str(&format!(
            "<rect class=\"liquidity\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{hl}\" fill=\"#4c8c2b\"><title>day {}: {:.0} USD reachable</title></rect>\n\
             <rect class=\"demand\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{hd}\" fill=\"#b3261e\"><title>day {}: {:.0} USD due</title></rect>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" style=\"fill:#5b6475;font-size:11px\">T+{}</text>\n",
            base - hl,
            d.day,
            d.liquid_usd,
            x + bar + 2.0,
            base - hd,
            d.day,
            d.due_usd,
            x + bar + 1.0,
            height - 6.0,
            d.day
        ));
    }
    svg.push_str("</svg>\n");
    svg
}
