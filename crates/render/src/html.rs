//! A self-contained HTML scorecard: no network, no external assets. Inline
//! CSS and an inline SVG chart drawn here; readable when printed; every chart
//! has a text alternative.

use crate::report::{Outcome, Report};

use super::quantity::{day_text, gap_text, money, ratio, reverse_line};
use super::svg::{Scale, Svg};
use super::table::score_text;
use crate::text::xml_escape as esc;
use usd1eval_model::stress::{ScenarioResult, StressReport};

const STYLE: &str = r#"
:root { --ink: #1d2330; --muted: #5b6475; --line: #d8dce3; --bg: #ffffff; --soft: #f5f6f8; --warn: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: var(--muted); font-size: 13px; }
.headline { display: flex; gap: 24px; align-items: center; margin: 18px 0; flex-wrap: wrap; }
.grade { font-size: 54px; font-weight: 700; width: 96px; height: 96px; border-radius: 14px; display: flex; align-items: center; justify-content: center; color: #fff; }
.grade-A { background: #1a7f37; } .grade-B { background: #4c8c2b; } .grade-C { background: #a37a00; } .grade-D { background: #c4561d; } .grade-F { background: #b3261e; } .grade-none { background: #8a8f98; }
.figures div { margin: 2px 0; }
.verdict { padding: 12px 16px; border-radius: 8px; background: var(--soft); border-left: 6px solid #1a7f37; }
.verdict.outruns { border-left-color: var(--warn); background: #fdecea; }
.verdict strong { font-size: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.heat td.num { font-weight: 600; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.o-met { background: #dff3e4; color: #14532d; } .o-partial { background: #fff4d6; color: #6b4e00; }
.o-unmet { background: #fde2e0; color: #7f1d1d; } .o-not-disclosed { background: #e8e9ee; color: #363b47; }
.o-not-applicable { background: #f1f2f4; color: #6b7280; } .o-pass { background: #dff3e4; color: #14532d; } .o-fail { background: #fde2e0; color: #7f1d1d; }
.o-not-assessable { background: #fdf3d8; color: #713f12; }
.cap { border-left: 4px solid var(--warn); padding: 6px 12px; margin: 6px 0; background: #fff7f6; }
.notice { color: var(--muted); font-size: 13px; }
svg text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 18px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; }
@media print {
  body { font-size: 11.5px; }
  main { padding: 0; max-width: none; }
  h2 { break-after: avoid; }
  table, .verdict, .cap, svg { break-inside: avoid; }
  .grade { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  td, .badge, .verdict { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

fn grade_class(grade: Option<&str>) -> String {
    match grade {
        Some(g @ ("A" | "B" | "C" | "D" | "F")) => format!("grade-{g}"),
        _ => "grade-none".into(),
    }
}

fn bar_colour(grade: Option<&str>) -> &'static str {
    match grade {
        Some("A") => "#1a7f37",
        Some("B") => "#4c8c2b",
        Some("C") => "#a37a00",
        Some("D") => "#c4561d",
        Some("F") => "#b3261e",
        _ => "#8a8f98",
    }
}

/// A pale background from red (0) through amber to green (100).
fn heat(score: Option<f64>) -> String {
    match score {
        Some(s) => format!(
            "background: hsl({:.0}, 62%, 84%)",
            s.clamp(0.0, 100.0) * 1.2
        ),
        None => "background: #f1f2f4; color: #9aa0aa".into(),
    }
}

/// A whole page around `body`.
pub(super) fn page(title: &str, body: &str) -> String {
    styled_page(title, "", body)
}

/// A page in the house style, with `extra` CSS after the shared rules.
pub(super) fn styled_page(title: &str, extra: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"usd1eval {}\">\n<title>{}</title>\n<style>{STYLE}{extra}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        usd1eval_input::TOOL_VERSION,
        esc(title)
    )
}

/// A bucket's score as the chart writes it, or why it shows none.
fn chart_score(b: &crate::report::BucketScore) -> String {
    if b.enough_disclosed || b.score.is_none() {
        score_text(b.score)
    } else {
        crate::report::not_enough_text(b.known_pct)
    }
}

/// The small grey labels of a chart: an axis' ticks, the days.
const TICK_STYLE: &str = "fill:#5b6475;font-size:11px";

/// The chart of the seven buckets: one bar (`rect.bucket-bar`) per bucket,
/// with a title and description for screen readers and a table beside it.
fn bucket_chart(report: &Report, id: &str) -> String {
    const ROW: u32 = 34;
    const LABEL_WIDTH: u32 = 230;
    const BAR_WIDTH: u32 = 400;
    let rows = report.buckets.len() as u32;
    let summary: Vec<String> = report
        .buckets
        .iter()
        .map(|b| format!("{} {}", b.title, chart_score(b)))
        .collect();
    let mut svg = Svg::chart(
        "bucket-chart",
        LABEL_WIDTH + BAR_WIDTH + 70,
        ROW * rows + 30,
    )
    .no_wider()
    .open(id, "Bucket scores, 0 to 100", Some(&summary.join("; ")));
    // A score's length along its bar.
    let length = Scale::new((0.0, 100.0), (0.0, f64::from(BAR_WIDTH)));
    for (i, b) in report.buckets.iter().enumerate() {
        let y = ROW * i as u32 + 6;
        let shown = b.score.filter(|_| b.enough_disclosed);
        let score = chart_score(b);
        svg.text().at(0, y + 16).says(&b.title);
        svg.rect()
            .at(LABEL_WIDTH, y)
            .size(BAR_WIDTH, 22)
            .rx(4)
            .fill("#eef0f3")
            .end();
        svg.rect()
            .class("bucket-bar")
            .data("bucket", &b.id)
            .at(LABEL_WIDTH, y)
            .size(length.px(shown.unwrap_or(0.0).clamp(0.0, 100.0)), 22)
            .rx(4)
            .fill(bar_colour(b.grade.as_deref()))
            .titled(&format!("{}: {score}", b.title));
        // Too little known: the words sit in the empty bar.
        let x = if shown.is_some() || b.score.is_none() {
            LABEL_WIDTH + BAR_WIDTH + 10
        } else {
            LABEL_WIDTH + 8
        };
        svg.text().at(x, y + 16).says(&score);
    }
    for tick in [0u32, 25, 50, 75, 100] {
        svg.text()
            .at(LABEL_WIDTH + length.px(f64::from(tick)), ROW * rows + 20)
            .anchor("middle")
            .style(TICK_STYLE)
            .says(&tick.to_string());
    }
    svg.close()
}

fn heat_map(report: &Report) -> String {
    let mut out = String::from(
        "<table class=\"heat\" aria-label=\"Bucket by layer scores\">\n<tr><th scope=\"col\">Bucket \\ layer</th>",
    );
    for l in &report.layers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&l.title)));
    }
    out.push_str("</tr>\n");
    for b in &report.buckets {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(&b.title)));
        for l in &report.layers {
            let score = report
                .matrix
                .iter()
                .find(|c| c.bucket == b.id && c.layer == l.id)
                .and_then(|c| c.score);
            let text = score.map_or_else(|| "·".to_string(), |s| score_text(Some(s)));
            out.push_str(&format!(
                "<td class=\"num\" style=\"{}\">{text}</td>",
                heat(score)
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr><th scope=\"row\">Layer score</th>");
    for l in &report.layers {
        let text = if l.enough_disclosed || l.score.is_none() {
            score_text(l.score)
        } else {
            crate::report::not_enough_text(l.known_pct)
        };
        out.push_str(&format!("<td class=\"num\">{}</td>", esc(&text)));
    }
    out.push_str("</tr>\n</table>\n");
    out
}

fn badge(outcome: &str) -> String {
    format!("<span class=\"badge o-{0}\">{0}</span>", esc(outcome))
}

fn stage_verdict(report: &Report) -> String {
    let st = &report.stage;
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    let (class, headline) = if let Some((alarm, text)) = report.stage_alarm() {
        let by = if text.is_empty() {
            String::new()
        } else {
            format!(" — {}", esc(&text))
        };
        let (class, mark) = match alarm {
            crate::report::StageAlarm::Outruns => ("verdict outruns", "⚠ "),
            crate::report::StageAlarm::CannotJudge => ("verdict", ""),
        };
        (
            class,
            format!("<strong>{mark}{}</strong>{by}", alarm.headline()),
        )
    } else {
        (
            "verdict",
            "<strong>Growth is backed by evidenced strength</strong>".to_string(),
        )
    };
    format!(
        "<div class=\"{class}\" role=\"note\">{headline}<br>Claimed stage <b>{}</b> · visible stage <b>{}</b> · evidenced stage <b>{}</b></div>\n",
        esc(&name(&st.claimed)),
        esc(&name(&st.visible)),
        esc(&name(&st.evidenced))
    )
}

/// One arrangement's scorecard as a page.
pub(crate) fn scorecard(report: &Report) -> String {
    page(
        &format!("usd1eval: {}", report.arrangement.name),
        &scorecard_body(report, "chart"),
    )
}

pub(super) fn scorecard_body(r: &Report, chart_id: &str) -> String {
    let a = &r.arrangement;
    let o = &r.overall;
    let mut out = format!("<h1>{}</h1>\n<div class=\"meta\">", esc(&a.name));
    if let Some(issuer) = &a.issuer {
        out.push_str(&format!("{} · ", esc(issuer)));
    }
    out.push_str(&format!(
        "facts as of {} · evaluated as of {} · <code>{}</code> · rubric {} v{}</div>\n",
        esc(&a.as_of),
        esc(&r.evaluated_as_of),
        esc(&a.path),
        esc(&r.rubric.id),
        esc(&r.rubric.version)
    ));
    let mut uncapped = match (o.grade.as_deref(), o.uncapped_grade.as_deref()) {
        (Some(g), Some(u)) if g != u => format!(
            "<div>Uncapped grade <b>{}</b> — limited by the caps below</div>",
            esc(u)
        ),
        (Some(_), _) => String::new(),
        (None, _) => format!(
            "<div class=\"not-graded\"><b>{}</b></div>",
            esc(crate::report::NOT_GRADED)
        ),
    };
    if !o.missing_core.is_empty() {
        uncapped.push_str(&format!(
            "<div>Core facts missing: {}</div>",
            esc(&o.missing_core_titles())
        ));
    }
    for p in &o.penalties {
        uncapped.push_str(&format!(
            "<div>Penalty <b>−{}</b>: {}</div>",
            score_text(Some(p.points)),
            esc(&p.title)
        ));
    }
    let (label, g) = match o.grade.as_deref() {
        Some(g) => (format!("Grade {g}"), g),
        None => ("Not graded".to_string(), "–"),
    };
    out.push_str(&format!(
        "<div class=\"headline\"><div class=\"grade {}\" aria-label=\"{label}\">{g}</div><div class=\"figures\"><div>Overall score <b>{}</b> / 100</div>{uncapped}<div class=\"confidence\">{}</div><div>Disclosure coverage {}%</div></div></div>\n",
        grade_class(o.grade.as_deref()),
        score_text(Some(o.score)),
        if o.is_graded() {
            esc(&r.confidence_text())
        } else {
            String::new()
        },
        score_text(Some(o.coverage_pct)),
        g = esc(g),
    ));
    out.push_str(&stage_verdict(r));
    if !r.caps.is_empty() {
        out.push_str("<h2>Weakest-link caps</h2>\n");
        for c in &r.caps {
            out.push_str(&format!(
                "<div class=\"cap\"><b>{}</b> — {}<br>{}</div>\n",
                esc(&c.title),
                esc(&c.effect(r.overall.is_graded())),
                esc(&c.reason)
            ));
        }
    }
    out.push_str("<h2>Buckets</h2>\n<div class=\"columns\">\n<div>\n");
    out.push_str(&bucket_chart(r, chart_id));
    out.push_str("</div>\n<div>\n<table>\n<tr><th>Bucket</th><th>Score</th><th>Grade</th><th>Coverage</th></tr>\n");
    for b in &r.buckets {
        let (score, grade) = if b.enough_disclosed || b.score.is_none() {
            (
                score_text(b.score),
                b.grade.as_deref().unwrap_or("–").to_string(),
            )
        } else {
            ("–".to_string(), crate::report::not_enough_text(b.known_pct))
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}%</td></tr>\n",
            esc(&b.title),
            score,
            esc(&grade),
            score_text(Some(b.coverage_pct))
        ));
    }
    out.push_str("</table>\n</div>\n</div>\n<h2>Bucket × scale layer</h2>\n");
    out.push_str(&heat_map(r));
    out.push_str("<h2>Stress tests: redemptions due against dollars reachable</h2>\n");
    out.push_str(&section(&r.stress, &format!("{chart_id}-stress")));
    for p in &r.profiles {
        out.push_str(&format!(
            "<h2>Profile {} — {}</h2>\n<p class=\"notice\">{} {}</p>\n",
            esc(&p.id),
            p.verdict.label(),
            esc(&p.title),
            esc(&p.notice)
        ));
        if let Some(note) = p.readiness_note() {
            out.push_str(&format!("<p class=\"notice\"><b>{}</b></p>\n", esc(&note)));
        }
        out.push_str("<table>\n<tr><th>Requirement</th><th>Clause</th><th>Outcome</th><th>Detail</th></tr>\n");
        for q in &p.requirements {
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&q.id),
                esc(&q.clause),
                badge(q.outcome.as_str()),
                esc(&q.detail())
            ));
        }
        out.push_str("</table>\n");
    }
    if !r.next_steps.is_empty() {
        out.push_str("<h2>Next steps</h2>\n<ol>\n");
        for s in &r.next_steps {
            out.push_str(&format!(
                "<li><b>+{}</b> points — {} <code>{}</code>: {}</li>\n",
                crate::report::fixed(s.gain, 1),
                esc(&s.milestone),
                esc(&s.fact),
                esc(&s.action)
            ));
        }
        out.push_str("</ol>\n");
    }
    if !r.gates.failures.is_empty() {
        out.push_str("<h2>Gates failed</h2>\n<ul>\n");
        for g in &r.gates.failures {
            out.push_str(&format!(
                "<li><code>{}</code>: {}</li>\n",
                esc(&g.gate),
                esc(&g.reason)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Findings by bucket</h2>\n");
    for b in &r.buckets {
        let findings: Vec<_> = r
            .milestones
            .iter()
            .filter(|m| m.bucket == b.id)
            .flat_map(|m| m.findings.iter().map(move |f| (m, f)))
            .collect();
        let met = findings
            .iter()
            .filter(|(_, f)| f.outcome == Outcome::Met)
            .count();
        out.push_str(&format!(
            "<h3>{} — {} ({met} of {} checks met)</h3>\n<table>\n<tr><th>Milestone</th><th>Check</th><th>Outcome</th><th>Fact</th><th>Seen</th><th>Expected</th><th>Evidence</th></tr>\n",
            esc(&b.title),
            esc(&chart_score(b)),
            findings.len()
        ));
        for (m, f) in findings.iter().filter(|(_, f)| f.outcome != Outcome::Met) {
            let seen = f.value.to_string();
            let mut evidence = f
                .line
                .map_or_else(|| "–".to_string(), |l| format!("line {l}"));
            if let Some(source) = &f.source {
                evidence.push_str(&format!("; source: {source}"));
            }
            if let Some(reason) = &f.waived {
                evidence.push_str(&format!("; waived: {reason}"));
            }
            out.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&m.id),
                esc(&f.check),
                badge(f.outcome.as_str()),
                esc(&f.fact),
                esc(&seen),
                esc(&f.expected),
                esc(&evidence)
            ));
        }
        out.push_str("</table>\n");
    }
    out.push_str(&format!(
        "<p class=\"notice\">Generated by usd1eval {} from declared facts; a score is not investment, legal or regulatory advice.</p>\n",
        esc(r.tool.version)
    ));
    out
}

/// The page of several scorecards up to its first body.
pub(super) fn scorecards_head() -> String {
    let page = page(SCORECARDS_TITLE, "");
    let at = page.find(MAIN_END).unwrap_or(page.len());
    page.get(..at).unwrap_or_default().to_string()
}

/// The page of several scorecards after its last body.
pub(super) fn scorecards_tail() -> String {
    let page = page(SCORECARDS_TITLE, "");
    let at = page.find(MAIN_END).unwrap_or(page.len());
    page.get(at..).unwrap_or_default().to_string()
}

const SCORECARDS_TITLE: &str = "usd1eval scorecards";
const MAIN_END: &str = "</main>";

/// Several arrangements side by side: one column each.
pub fn comparison(reports: &[Report]) -> String {
    let mut out = String::from("<h1>Arrangements compared</h1>\n<table>\n<tr><th></th>");
    for r in reports {
        out.push_str(&format!("<th>{}</th>", esc(&r.arrangement.name)));
    }
    out.push_str("</tr>\n");
    let mut row = |label: &str, cells: Vec<(String, String)>| {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(label)));
        for (text, style) in cells {
            out.push_str(&format!("<td class=\"num\" style=\"{style}\">{text}</td>"));
        }
        out.push_str("</tr>\n");
    };
    row(
        "Grade",
        reports
            .iter()
            .map(|r| {
                (
                    format!(
                        "<span class=\"badge {}\" style=\"color:#fff\">{}</span>",
                        grade_class(r.overall.grade.as_deref()),
                        esc(r.overall.grade_text())
                    ),
                    String::new(),
                )
            })
            .collect(),
    );
    row(
        "Confidence",
        reports
            .iter()
            .map(|r| (esc(r.overall.confidence), String::new()))
            .collect(),
    );
    row(
        "Uncapped grade",
        reports
            .iter()
            .map(|r| {
                (
                    esc(r.overall.uncapped_grade.as_deref().unwrap_or("–")),
                    String::new(),
                )
            })
            .collect(),
    );
    row(
        "Score",
        reports
            .iter()
            .map(|r| {
                (
                    score_text(Some(r.overall.score)),
                    heat(Some(r.overall.score)),
                )
            })
            .collect(),
    );
    row(
        "Coverage %",
        reports
            .iter()
            .map(|r| (score_text(Some(r.overall.coverage_pct)), String::new()))
            .collect(),
    );
    row(
        "Caps",
        reports
            .iter()
            .map(|r| {
                (
                    esc(&r
                        .caps
                        .iter()
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")),
                    String::new(),
                )
            })
            .collect(),
    );
    let stage = |s: &Option<String>| esc(s.as_deref().unwrap_or("–"));
    row(
        "Stage claimed / visible / evidenced",
        reports
            .iter()
            .map(|r| {
                (
                    format!(
                        "{} / {} / {}",
                        stage(&r.stage.claimed),
                        stage(&r.stage.visible),
                        stage(&r.stage.evidenced)
                    ),
                    String::new(),
                )
            })
            .collect(),
    );
    row(
        "Growth outruns strength",
        reports
            .iter()
            .map(|r| {
                (
                    match r.stage.outruns {
                        Some(true) => "⚠ yes".into(),
                        Some(false) => "no".into(),
                        None => "not enough disclosed".into(),
                    },
                    String::new(),
                )
            })
            .collect(),
    );
    if let Some(first) = reports.first() {
        for (i, b) in first.buckets.iter().enumerate() {
            row(
                &b.title,
                reports
                    .iter()
                    .map(|r| match r.buckets.get(i) {
                        Some(x) if !x.enough_disclosed && x.score.is_some() => {
                            (esc(&chart_score(x)), String::new())
                        }
                        x => {
                            let s = x.and_then(|x| x.score);
                            (score_text(s), heat(s))
                        }
                    })
                    .collect(),
            );
        }
        for (i, l) in first.layers.iter().enumerate() {
            row(
                &format!("Layer: {}", l.title),
                reports
                    .iter()
                    .map(|r| match r.layers.get(i) {
                        Some(x) if !x.enough_disclosed && x.score.is_some() => (
                            esc(&crate::report::not_enough_text(x.known_pct)),
                            String::new(),
                        ),
                        x => {
                            let s = x.and_then(|x| x.score);
                            (score_text(s), heat(s))
                        }
                    })
                    .collect(),
            );
        }
    }
    out.push_str("</table>\n<h2>Bucket charts</h2>\n<div class=\"columns\">\n");
    for (i, r) in reports.iter().enumerate() {
        out.push_str(&format!(
            "<div><h3>{}</h3>\n{}</div>\n",
            esc(&r.arrangement.name),
            bucket_chart(r, &format!("chart{i}"))
        ));
    }
    out.push_str("</div>\n");
    page("usd1eval comparison", &out)
}

/// The stress section of a page: the reverse stress test, a table of the
/// scenarios, and one chart per scenario that could be run. `id` keeps the
/// charts' element ids unique on a page with several arrangements.
pub fn section(stress: &StressReport, id: &str) -> String {
    let mut out = format!("<p>{}</p>\n", esc(&reverse_line(stress)));
    out.push_str(
        "<table class=\"stress\">\n<tr><th>Scenario</th><th>Outcome</th><th>First shortfall</th><th>Unpaid</th><th>Gap days</th><th>Lost for good</th><th>Min coverage</th><th>Why</th></tr>\n",
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
pub(crate) fn chart(s: &ScenarioResult, id: &str) -> String {
    const WIDTH: u32 = 340;
    const HEIGHT: u32 = 184;
    const LEFT: u32 = 8;
    const BOTTOM: u32 = 22;
    let top = s
        .days
        .iter()
        .map(|d| d.due_usd.max(d.liquid_usd))
        .fold(0.0, f64::max)
        .max(1.0);
    let slot = f64::from(WIDTH - LEFT) / s.days.len().max(1) as f64;
    let bar = (slot / 2.0 - 3.0).max(2.0);
    let summary: Vec<String> = s
        .days
        .iter()
        .map(|d| {
            format!(
                "T+{}: due {}, payable {}",
                d.day,
                money(Some(d.due_usd)),
                money(Some(d.liquid_usd))
            )
        })
        .collect();
    let mut svg = Svg::chart("stress-chart", WIDTH, HEIGHT).no_wider().open(
        id,
        &format!(
            "{}: redemptions due (red) against dollars payable by then (green), by business day",
            s.id
        ),
        Some(&summary.join("; ")),
    );
    svg.text()
        .at(LEFT, 12)
        .style(TICK_STYLE)
        .says(&format!("top: {}", money(Some(top))));
    // Dollars as a bar's height, up to the top.
    let height = Scale::new((0.0, top), (0.0, f64::from(HEIGHT - BOTTOM - 22)));
    let base = f64::from(HEIGHT - BOTTOM);
    for (i, d) in s.days.iter().enumerate() {
        let x = f64::from(LEFT) + i as f64 * slot;
        let (due, liquid) = (
            height.px(d.due_usd.max(0.0)),
            height.px(d.liquid_usd.max(0.0)),
        );
        svg.rect()
            .class("liquidity")
            .at(x, base - f64::from(liquid))
            .size(bar, liquid)
            .fill("#4c8c2b")
            .titled(&format!(
                "T+{}: {} payable by then",
                d.day,
                money(Some(d.liquid_usd))
            ));
        svg.rect()
            .class("demand")
            .at(x + bar + 2.0, base - f64::from(due))
            .size(bar, due)
            .fill("#b3261e")
            .titled(&format!("T+{}: {} due", d.day, money(Some(d.due_usd))));
        svg.text()
            .at(x + bar + 1.0, f64::from(HEIGHT) - 6.0)
            .anchor("middle")
            .style(TICK_STYLE)
            .says(&format!("T+{}", d.day));
    }
    svg.close()
}
