//! `history` output: a table with a compact trend per figure, JSON, Markdown,
//! and a self-contained HTML page with a line chart per figure and the
//! alerts marked on the time axis.

use comfy_table::Cell;

use super::html::styled_page;
use super::markdown::{self, Align, cell, code};
use super::svg::{Scale, Svg};
use super::table::{new_table, score_text};
use crate::rubric::history::Figure;
use crate::text::xml_escape as esc;
use usd1eval_model::history::{Alert, AlertKind, History, Point, STORY, show};

/// A figure's value at a point, as a reader writes it; `–` when absent.
fn value_text(point: &Point, path: &str) -> String {
    match (point.number(path), Figure::resolve(path)) {
        (Some(v), Some(figure)) => show(figure, v),
        _ => "–".to_string(),
    }
}

/// The story figures that at least one point carries.
fn figures(h: &History) -> Vec<(&'static str, &'static str)> {
    STORY
        .iter()
        .filter(|(path, _)| h.points.iter().any(|p| p.number(path).is_some()))
        .copied()
        .collect()
}

/// The range a trend is drawn in: the figure's lowest to highest value,
/// widened about its middle to at least a tenth of its size (or 1 near
/// zero), so that noise in the last decimal does not look like a swing;
/// `None` when no disclosure carries the figure.
fn range(values: &[Option<f64>]) -> Option<(f64, f64)> {
    let (low, high) = values
        .iter()
        .flatten()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    if !low.is_finite() {
        return None;
    }
    let least = (low.abs().max(high.abs()) * 0.1).max(if high.abs() < 1e-9 { 1.0 } else { 0.0 });
    if high - low >= least {
        return Some((low, high));
    }
    let middle = (low + high) / 2.0;
    Some((middle - least / 2.0, middle + least / 2.0))
}

/// Eight-level bars, one per disclosure, in the figure's [`range`]; a gap
/// where a disclosure lacks it.
pub(crate) fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let Some((low, high)) = range(values) else {
        return " ".repeat(values.len());
    };
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(v) => {
                // A value in the middle takes the lower of the two middle bars.
                let level = ((v - low) / (high - low) * 7.0 - 1e-9).round().max(0.0) as usize;
                BARS.get(level).copied().unwrap_or('█')
            }
        })
        .collect()
}

fn span(h: &History) -> String {
    match (h.points.first(), h.points.last()) {
        (Some(first), Some(last)) => format!(
            "{} disclosure(s), {} to {}",
            h.points.len(),
            first.as_of,
            last.as_of
        ),
        _ => "no disclosure".into(),
    }
}

/// A figure's label, marked ⚠ when an alert concerns it.
fn flagged_label(h: &History, path: &str, label: &str) -> String {
    if h.alerts.iter().any(|a| a.figure == path) {
        format!("⚠ {label}")
    } else {
        label.to_string()
    }
}

/// The built-in scenarios a disclosure survives, of those run: `9/10`, or
/// `–` when none could run (the column "Stress").
fn stress_text(p: &Point) -> String {
    p.scenarios_survived()
        .map_or_else(|| "–".into(), |(ok, of)| format!("{ok}/{of}"))
}

/// The ids of the events that show at a disclosure, each once.
fn events_text(h: &History, p: &Point) -> String {
    alert_ids(h.events_at(&p.as_of)).join(", ")
}

/// The ids of some alerts, each once, in the order they come.
fn alert_ids<'h>(alerts: impl IntoIterator<Item = &'h Alert>) -> Vec<&'h str> {
    let mut ids: Vec<&str> = Vec::new();
    for a in alerts {
        if !ids.contains(&a.id.as_str()) {
            ids.push(&a.id);
        }
    }
    ids
}

fn stage_text(p: &Point) -> String {
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    format!(
        "{} / {}{}",
        name(&p.stage.visible),
        name(&p.stage.evidenced),
        match p.stage.outruns {
            Some(true) => " ⚠",
            Some(false) => "",
            None => " (not enough disclosed)",
        }
    )
}

/// A person's view of a history, `width` columns wide at most. Each
/// disclosure is named by its date (its file is in the JSON and the HTML).
pub fn table(h: &History, width: usize) -> String {
    let mut out = format!(
        "history of {} · {} · rubric {} v{}\n\n",
        crate::text::one_line(&h.arrangement),
        span(h),
        h.rubric.id,
        h.rubric.version
    );
    let mut points = new_table(
        &[
            "As of",
            "Score",
            "Grade",
            "Coverage",
            "Caps",
            "Stage visible / evidenced",
            "Stress",
            "Events",
        ],
        width,
    );
    for p in &h.points {
        points.add_row(vec![
            Cell::new(&p.as_of),
            Cell::new(score_text(p.score)),
            Cell::new(p.grade_text()),
            Cell::new(format!("{}%", score_text(Some(p.coverage_pct)))),
            Cell::new(p.caps.join(", ")),
            Cell::new(stage_text(p)),
            Cell::new(stress_text(p)),
            Cell::new(events_text(h, p)),
        ]);
    }
    super::table::whole_words(&mut points);
    out.push_str(&format!("{points}\n\n"));
    let (Some(first), Some(last)) = (h.points.first(), h.points.last()) else {
        return out;
    };
    let mut trends = new_table(&["Figure", &first.as_of, &last.as_of, "Trend"], width);
    for (path, label) in figures(h) {
        let values: Vec<Option<f64>> = h.points.iter().map(|p| p.number(path)).collect();
        trends.add_row(vec![
            Cell::new(flagged_label(h, path, label)),
            Cell::new(value_text(first, path)),
            Cell::new(value_text(last, path)),
            Cell::new(sparkline(&values)),
        ]);
    }
    out.push_str(&format!("{trends}\n\n"));
    if h.alerts.is_empty() {
        out.push_str("No alert: no watched figure moved the wrong way beyond its threshold.\n");
    } else {
        out.push_str(&format!("Alerts ({}):\n", h.alerts.len()));
        for a in &h.alerts {
            out.push_str(&super::layout::wrap(
                &format!("⚠ {} {}", a.id, alert_text(a)),
                width,
                "  ",
                "      ",
            ));
        }
    }
    out
}

/// The history as JSON.
pub fn json(h: &History) -> String {
    let mut text = serde_json::to_string_pretty(h).unwrap_or_default();
    text.push('\n');
    text
}

/// The history as a pull-request comment.
pub fn markdown(h: &History) -> String {
    let verdict = match h.alerts.len() {
        0 => "no alert".to_string(),
        n => format!("{n} alert(s)"),
    };
    let mut out = format!(
        "## usd1eval history: {verdict}\n\n**{}** · {}\n",
        cell(&h.arrangement),
        span(h)
    );
    if !h.alerts.is_empty() {
        out.push('\n');
        for a in &h.alerts {
            let mark = if a.waived.is_some() {
                ":heavy_minus_sign:"
            } else {
                ":warning:"
            };
            out.push_str(&format!(
                "- {mark} {} {}\n",
                code(&a.id),
                cell(&alert_text(a))
            ));
        }
    }
    out.push('\n');
    out.push_str(&markdown::table(
        &[
            ("As of", Align::Left),
            ("Score", Align::Right),
            ("Grade", Align::Left),
            ("Coverage", Align::Right),
            ("Caps", Align::Left),
            ("Stage visible / evidenced", Align::Left),
            ("Stress", Align::Right),
            ("Events", Align::Left),
        ],
        h.points.iter().map(|p| {
            [
                p.as_of.clone(),
                score_text(p.score),
                p.grade_text().to_string(),
                format!("{}%", score_text(Some(p.coverage_pct))),
                cell(&p.caps.join(", ")),
                cell(&stage_text(p)),
                stress_text(p),
                code_list(&events_text(h, p)),
            ]
        }),
    ));
    if let (Some(first), Some(last)) = (h.points.first(), h.points.last()) {
        out.push('\n');
        out.push_str(&markdown::table(
            &[
                ("Figure", Align::Left),
                (first.as_of.as_str(), Align::Right),
                (last.as_of.as_str(), Align::Right),
                ("Trend", Align::Left),
            ],
            figures(h).into_iter().map(|(path, label)| {
                let values: Vec<Option<f64>> = h.points.iter().map(|p| p.number(path)).collect();
                [
                    flagged_label(h, path, label),
                    value_text(first, path),
                    value_text(last, path),
                    sparkline(&values),
                ]
            }),
        ));
    }
    out
}

/// A comma-separated list of ids as Markdown code spans.
fn code_list(ids: &str) -> String {
    ids.split(", ")
        .filter(|id| !id.is_empty())
        .map(code)
        .collect::<Vec<_>>()
        .join(", ")
}

/// An alert's span, message and waiver, after its id.
fn alert_text(a: &Alert) -> String {
    let waived = a
        .waived
        .as_ref()
        .map(|r| format!(" (waived: {r})"))
        .unwrap_or_default();
    format!("{} → {}: {}{waived}", a.from, a.to, a.message)
}

/// A figure's chart in whole pixels: its size, and the margins around its
/// plot (the values' labels left, the title above, the dates below); the
/// timeline keeps the same margins above, right and below.
const CHART_W: u32 = 330;
const CHART_H: u32 = 170;
const LEFT: u32 = 74;
const RIGHT: u32 = 24;
const TOP: u32 = 28;
const BOTTOM: u32 = 30;

/// The disclosures on a time axis from `left` to `right`: each at its days
/// since the first, a single disclosure in the middle.
struct TimeAxis<'h> {
    h: &'h History,
    days: Vec<f64>,
    x: Scale,
}

impl<'h> TimeAxis<'h> {
    fn new(h: &'h History, left: u32, right: u32) -> Self {
        let dates: Vec<Option<chrono::NaiveDate>> =
            h.points.iter().map(|p| p.as_of.parse().ok()).collect();
        let first = dates.first().copied().flatten();
        let days: Vec<f64> = dates
            .iter()
            .map(|d| d.zip(first).map_or(0.0, |(d, f)| (d - f).num_days() as f64))
            .collect();
        let last = days.last().copied().unwrap_or(0.0);
        let x = Scale::new((0.0, last), (f64::from(left), f64::from(right)));
        Self { h, days, x }
    }

    /// The x of each disclosure, in date order.
    fn xs(&self) -> impl Iterator<Item = f64> + '_ {
        self.days.iter().map(|day| self.x.at(*day))
    }

    /// The x of the disclosure of `date` (of the first, when none is).
    fn x_of(&self, date: &str) -> f64 {
        let day = self
            .h
            .points
            .iter()
            .position(|p| p.as_of == date)
            .and_then(|i| self.days.get(i).copied())
            .unwrap_or(0.0);
        self.x.at(day)
    }

    /// Where an alert's span starts and ends.
    fn span(&self, a: &Alert) -> (f64, f64) {
        (self.x_of(&a.from), self.x_of(&a.to))
    }
}

/// One figure's line chart (`svg.history-chart`): a line through the
/// disclosures (`circle.point`), the spans of its alerts shaded
/// (`rect.alert-span`), a title and a description listing every value.
fn line_chart(h: &History, path: &str, label: &str, id: &str) -> String {
    let axis = TimeAxis::new(h, LEFT, CHART_W - RIGHT);
    let plot_h = CHART_H - TOP - BOTTOM;
    let values: Vec<Option<f64>> = h.points.iter().map(|p| p.number(path)).collect();
    let (low, high) = range(&values).unwrap_or((0.0, 1.0));
    // The highest value at the top.
    let y = Scale::new((high, low), (f64::from(TOP), f64::from(TOP + plot_h)));
    let figure = Figure::resolve(path);
    let show_value = |v: f64| figure.map_or_else(|| format!("{v}"), |f| show(f, v));
    let alerts: Vec<&Alert> = h.alerts.iter().filter(|a| a.figure == path).collect();
    let desc: Vec<String> = h
        .points
        .iter()
        .zip(&values)
        .map(|(p, v)| format!("{} {}", p.as_of, v.map_or_else(|| "–".into(), show_value)))
        .collect();
    let class = if alerts.is_empty() {
        "history-chart"
    } else {
        "history-chart alerted"
    };
    let mut svg = Svg::chart(class, CHART_W, CHART_H)
        .data("figure", path)
        .open(id, label, Some(&desc.join("; ")));
    svg.text().at(4, 16).class("chart-title").says(label);
    for a in &alerts {
        let (x0, x1) = axis.span(a);
        svg.rect()
            .class("alert-span")
            .data("alert", &a.id)
            .at(x0, TOP)
            .size((x1 - x0).max(3.0), plot_h)
            .titled(&a.message);
    }
    // The axis, the lowest and highest values seen at their heights, dates below.
    svg.line()
        .ends(LEFT, TOP + plot_h, CHART_W - RIGHT, TOP + plot_h)
        .class("axis")
        .end();
    let seen = values.iter().flatten().copied();
    let (least, most) = seen.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, m), v| {
        (l.min(v), m.max(v))
    });
    let mut marks = vec![most];
    if show_value(least) != show_value(most) {
        marks.push(least);
    }
    for v in marks.into_iter().filter(|v| v.is_finite()) {
        svg.text()
            .at(f64::from(LEFT) - 4.0, y.at(v) + 4.0)
            .anchor("end")
            .class("tick")
            .says(&show_value(v));
    }
    for (i, (p, x)) in h.points.iter().zip(axis.xs()).enumerate() {
        // Every date fits up to six disclosures; beyond, the first and last.
        if h.points.len() <= 6 || i == 0 || i + 1 == h.points.len() {
            svg.text()
                .at(x, f64::from(CHART_H) - 10.0)
                .anchor("middle")
                .class("tick")
                .says(p.as_of.get(..7).unwrap_or(&p.as_of));
        }
    }
    svg.polyline()
        .class("series")
        .points(
            axis.xs()
                .zip(&values)
                .filter_map(|(x, v)| v.map(|v| (x, y.at(v)))),
        )
        .end();
    for ((p, x), v) in h.points.iter().zip(axis.xs()).zip(&values) {
        if let Some(v) = v {
            svg.circle()
                .class("point")
                .centre(x, y.at(*v))
                .r(3.5)
                .titled(&format!("{}: {}", p.as_of, show_value(*v)));
        }
    }
    svg.close()
}

/// Every alert on one time axis (`svg.alert-timeline`): a row per alert id,
/// a band per alert from the start of its span to its end, a diamond
/// (`path.event-mark`) per event on the date of the disclosure that shows
/// it, ticks at each disclosure.
fn timeline(h: &History) -> String {
    const WIDTH: u32 = 1000;
    const LABELS: u32 = 230;
    const ROW: u32 = 26;
    let ids = alert_ids(&h.alerts);
    let height = TOP + ROW * ids.len().max(1) as u32 + BOTTOM;
    let axis = TimeAxis::new(h, LABELS, WIDTH - RIGHT);
    let title = format!(
        "Alerts on the time axis: {}",
        h.alerts
            .iter()
            .map(|a| format!("{} from {} to {}", a.id, a.from, a.to))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut svg = Svg::chart("alert-timeline", WIDTH, height).open("timeline", &title, None);
    for (i, (p, x)) in h.points.iter().zip(axis.xs()).enumerate() {
        // The last date ends at the axis' end, so that it is not cut off.
        let anchor = if i + 1 == h.points.len() && i > 0 {
            "end"
        } else {
            "middle"
        };
        svg.line()
            .class("grid")
            .ends(x, TOP, x, f64::from(height - BOTTOM))
            .end();
        svg.text()
            .at(x, f64::from(height) - 10.0)
            .anchor(anchor)
            .class("tick")
            .says(&p.as_of);
    }
    if h.alerts.is_empty() {
        svg.text()
            .at(LABELS, f64::from(TOP) + 17.0)
            .class("tick")
            .says("no alert");
    }
    for (i, id) in ids.iter().enumerate() {
        let y = f64::from(TOP) + f64::from(ROW) * i as f64 + 4.0;
        svg.text().at(0, y + 13.0).says(id);
        for a in h.alerts.iter().filter(|a| a.id == *id) {
            let (x0, x1) = axis.span(a);
            let waived = if a.waived.is_some() { " waived" } else { "" };
            if a.kind == AlertKind::Event {
                // An event happened by the disclosure that shows it: a
                // diamond on that date.
                let (cx, cy) = (x1, y + 8.0);
                svg.path()
                    .class(&format!("event-mark{waived}"))
                    .data("alert", &a.id)
                    .data("date", &a.to)
                    .outline(&[
                        (cx, cy - 8.0),
                        (cx + 8.0, cy),
                        (cx, cy + 8.0),
                        (cx - 8.0, cy),
                    ])
                    .titled(&a.message);
            } else {
                svg.rect()
                    .class(&format!("alert-mark{waived}"))
                    .data("alert", &a.id)
                    .at(x0, y)
                    .size((x1 - x0).max(6.0), 16)
                    .rx(4)
                    .titled(&a.message);
            }
        }
    }
    svg.close()
}

const HISTORY_STYLE: &str = "
.history-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 14px; }
svg.history-chart { border: 1px solid var(--line); border-radius: 8px; background: #fff; }
svg.history-chart.alerted { border-color: var(--warn); }
svg .chart-title { font-weight: 600; font-size: 13px; }
svg .tick { font-size: 10.5px; fill: var(--muted); }
svg .axis, svg .grid { stroke: var(--line); stroke-width: 1; }
svg .series { fill: none; stroke: #2f5d9b; stroke-width: 2.2; }
svg .point { fill: #2f5d9b; }
svg .alert-span { fill: #b3261e; fill-opacity: 0.12; }
svg .alert-mark { fill: #b3261e; fill-opacity: 0.55; }
svg .alert-mark.waived { fill: #8a8f98; }
svg .event-mark { fill: #7a3e9d; }
svg .event-mark.waived { fill: #8a8f98; }
.alert { border-left: 4px solid var(--warn); padding: 6px 12px; margin: 6px 0; background: #fff7f6; }
.alert.waived { border-left-color: #8a8f98; background: var(--soft); }
";

/// The history as one self-contained page.
pub fn html(h: &History) -> String {
    let mut out = format!(
        "<h1>{}</h1>\n<div class=\"meta\">History · {} · rubric {} v{}</div>\n",
        esc(&h.arrangement),
        esc(&span(h)),
        esc(&h.rubric.id),
        esc(&h.rubric.version)
    );
    if h.alerts.is_empty() {
        out.push_str("<div class=\"verdict\" role=\"note\"><strong>No alert</strong>: no watched figure moved the wrong way beyond its threshold.</div>\n");
    } else {
        let ids = alert_ids(&h.alerts);
        out.push_str(&format!(
            "<div class=\"verdict outruns\" role=\"note\"><strong>⚠ {} alert(s)</strong>: {}</div>\n",
            h.alerts.len(),
            esc(&ids.join(", "))
        ));
    }
    out.push_str("<h2>Figures over time</h2>\n<p class=\"notice\">Shaded: the span of an alert on that figure, from where it was best (or last on the right side of its level) to the latest disclosure.</p>\n<div class=\"history-charts\">\n");
    for (i, (path, label)) in figures(h).into_iter().enumerate() {
        out.push_str(&line_chart(h, path, label, &format!("figure{i}")));
    }
    out.push_str("</div>\n<h2>Alerts on the time axis</h2>\n<p class=\"notice\">A band spans a figure's alert; a diamond marks an event on the date of the disclosure that shows it.</p>\n");
    out.push_str(&timeline(h));
    for a in &h.alerts {
        let (class, waived) = match &a.waived {
            Some(reason) => ("alert waived", format!(" — waived: {}", esc(reason))),
            None => ("alert", String::new()),
        };
        out.push_str(&format!(
            "<div class=\"{class}\"><code>{}</code> {} → {}: {}{waived}</div>\n",
            esc(&a.id),
            esc(&a.from),
            esc(&a.to),
            esc(&a.message)
        ));
    }
    out.push_str("<h2>Disclosures</h2>\n<table>\n<tr><th>As of</th><th>File</th><th>Score</th><th>Grade</th><th>Coverage</th><th>Caps</th><th>Stage visible / evidenced</th><th>Scenarios survived</th><th>Events</th></tr>\n");
    for p in &h.points {
        out.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}%</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            esc(&p.as_of),
            esc(&p.file),
            score_text(p.score),
            esc(&p.grade_text()),
            score_text(Some(p.coverage_pct)),
            esc(&p.caps.join(", ")),
            esc(&stage_text(p)),
            esc(&stress_text(p)),
            esc(&events_text(h, p))
        ));
    }
    out.push_str(&format!(
        "</table>\n<p class=\"notice\">Generated by usd1eval {} from declared facts; an alert is not investment, legal or regulatory advice.</p>\n",
        usd1eval_input::TOOL_VERSION
    ));
    styled_page(
        &format!("usd1eval history: {}", h.arrangement),
        HISTORY_STYLE,
        &out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_between_the_lowest_and_highest_value() {
        assert_eq!(sparkline(&[Some(0.0), Some(50.0), Some(100.0)]), "▁▄█");
        assert_eq!(sparkline(&[Some(3.0), None, Some(3.0)]), "▄ ▄");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[None, None]), "  ");
    }

    #[test]
    fn noise_in_the_last_decimal_is_no_swing() {
        let line = sparkline(&[Some(56.6), Some(56.5), Some(56.5)]);
        assert!(line.chars().all(|c| c == '▄' || c == '▅'), "{line}");
        assert_eq!(sparkline(&[Some(0.0), Some(0.0)]), "▄▄");
    }
}
