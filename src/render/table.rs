//! The scorecard a person reads in a terminal.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::View;
use crate::report::{Finding, MilestoneResult, Outcome, ProfileResult, Report};

/// How many costly findings the default view lists before pointing at `--detail`.
const TOP_FINDINGS: usize = 15;

/// Renders a scorecard; `detail` lists every check instead of the costly ones.
pub fn scorecard(report: &Report, view: View) -> String {
    let paint = Paint(view.color);
    let detail = view.detail;
    let mut out = String::new();
    let a = &report.arrangement;
    let issuer = a
        .issuer
        .as_deref()
        .map(|i| format!(" ({i})"))
        .unwrap_or_default();
    out.push_str(&format!("{}{issuer}\n", a.name));
    out.push_str(&format!(
        "file {} · facts as of {} · evaluated as of {} · rubric {} v{}\n\n",
        a.path, a.as_of, report.evaluated_as_of, report.rubric.id, report.rubric.version
    ));
    let o = &report.overall;
    let grade = match (o.grade, o.uncapped_grade) {
        (Some(g), Some(u)) if g != u => {
            format!("grade {} (uncapped {u})", paint.text(g, grade_ansi(g)))
        }
        (Some(g), _) => format!("grade {}", paint.text(g, grade_ansi(g))),
        (None, _) => paint.text(&crate::report::NOT_GRADED.to_uppercase(), "1;33"),
    };
    out.push_str(&format!(
        "Overall {} / 100 · {grade} · disclosure coverage {}%\n",
        score_text(Some(o.score)),
        score_text(Some(o.coverage_pct))
    ));
    if !o.missing_core.is_empty() {
        let missing: Vec<&str> = o.missing_core.iter().map(|c| c.title).collect();
        let effect = if o.is_graded() {
            "graded on a weak link the declared facts show"
        } else {
            "no grade without them"
        };
        out.push_str(&format!(
            "Core facts missing ({effect}): {}\n",
            missing.join(", ")
        ));
    }
    out.push_str(&stage_line(report, paint));
    for cap in &report.caps {
        let effect = if cap.binding {
            "caps the grade at"
        } else {
            "applies (at most"
        };
        let close = if cap.binding {
            ""
        } else {
            "; the grade is no higher already)"
        };
        out.push_str(&format!(
            "Cap {} {effect} {}{close}: {}\n",
            cap.id, cap.max_grade, cap.reason
        ));
    }
    for p in &o.penalties {
        out.push_str(&format!(
            "Penalty {}: −{} points ({} = {})\n",
            p.id,
            score_text(Some(p.points)),
            p.fact,
            crate::facts::format_number(crate::report::round_to(p.value, 2))
        ));
    }
    out.push('\n');

    let mut buckets = paint.new_table(&["Bucket", "Score", "Grade", "Coverage", ""]);
    for b in &report.buckets {
        buckets.add_row(vec![
            Cell::new(b.title),
            right(score_text(b.score)),
            paint.grade_cell(b.grade.unwrap_or("–")),
            right(format!("{}%", score_text(Some(b.coverage_pct)))),
            Cell::new(bar(b.score)),
        ]);
    }
    out.push_str(&format!("{buckets}\n\n"));

    let mut layers = new_table(&["Scale layer", "Score", ""]);
    for l in &report.layers {
        layers.add_row(vec![
            Cell::new(l.title),
            right(score_text(l.score)),
            Cell::new(bar(l.score)),
        ]);
    }
    out.push_str(&format!("{layers}\n\n"));

    let mut header = vec!["Bucket × layer".to_string()];
    header.extend(report.layers.iter().map(|l| l.title.to_string()));
    let mut matrix = new_table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for b in &report.buckets {
        let mut row = vec![Cell::new(b.title)];
        for l in &report.layers {
            let cell = report
                .matrix
                .iter()
                .find(|c| c.bucket == b.id && c.layer == l.id)
                .and_then(|c| c.score);
            row.push(right(
                cell.map_or_else(|| "·".to_string(), |s| score_text(Some(s))),
            ));
        }
        matrix.add_row(row);
    }
    out.push_str(&format!("{matrix}\n\n"));

    for profile in &report.profiles {
        out.push_str(&profile_section(profile));
    }

    if detail {
        out.push_str(&all_findings(&report.milestones, paint));
    } else {
        out.push_str(&costly_findings(&report.milestones, paint));
    }

    if !report.next_steps.is_empty() {
        let mut steps = new_table(&["#", "Gain", "Milestone", "Fact", "Action"]);
        for (i, step) in report.next_steps.iter().enumerate() {
            steps.add_row(vec![
                right((i + 1).to_string()),
                right(format!("+{:.1}", step.gain)),
                Cell::new(step.milestone),
                Cell::new(step.fact),
                Cell::new(&step.action),
            ]);
        }
        out.push_str(&format!(
            "\nNext steps (overall points gained by each change):\n{steps}\n"
        ));
    }

    if !report.diagnostics.is_empty() {
        out.push_str("\nWarnings:\n");
        for d in &report.diagnostics {
            out.push_str(&format!("  {d}\n"));
        }
    }
    // Gate failures come last, where a CI log reader looks first.
    if !report.gates.failures.is_empty() {
        out.push_str("\nGates FAILED:\n");
        for g in &report.gates.failures {
            out.push_str(&format!("  {}: {}\n", g.gate, g.reason));
        }
    }
    out
}

/// The healthy-scale verdict: claimed, visible and evidenced stage, and
/// whether growth outruns structural strength.
fn stage_line(report: &Report, paint: Paint) -> String {
    let st = &report.stage;
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".to_string());
    let mut line = format!(
        "Stage: claimed {} · visible {} · evidenced {}",
        name(&st.claimed),
        name(&st.visible),
        name(&st.evidenced)
    );
    if st.outruns {
        line.push('\n');
        line.push_str(&paint.text(">>> GROWTH OUTRUNS STRENGTH", "1;31"));
        if !st.held_down_by.is_empty() {
            line.push_str(&format!(
                ": held down by {}",
                report.held_down_titles().join(", ")
            ));
        }
    } else if st.evidenced.is_some() {
        line.push_str(" — growth is backed by evidenced strength");
    }
    line.push('\n');
    line
}

fn profile_section(profile: &ProfileResult) -> String {
    let mut table = new_table(&["Requirement", "Clause", "Outcome", "Detail"]);
    for r in &profile.requirements {
        table.add_row(vec![
            Cell::new(&r.id),
            Cell::new(&r.clause),
            Cell::new(r.outcome.as_str()),
            Cell::new(&r.message),
        ]);
    }
    let mut head = format!(
        "Profile {} — {}\n{}\n{}\n",
        profile.id,
        profile.verdict.label().to_uppercase(),
        profile.title,
        profile.notice
    );
    if let Some(note) = profile.readiness_note() {
        head.push_str(&format!("{note}\n"));
    }
    let open = profile.not_assessable().count();
    if open > 0 {
        head.push_str(&format!(
            "{open} requirement(s) not assessable from format-1 facts: never counted as passes; check them by hand\n"
        ));
    }
    format!("{head}{table}\n\n")
}

fn costly_findings(milestones: &[MilestoneResult], paint: Paint) -> String {
    let mut costly: Vec<&Finding> = milestones
        .iter()
        .flat_map(|m| &m.findings)
        .filter(|f| f.lost() > 0.0)
        .collect();
    if costly.is_empty() {
        return "Every applicable check is met.\n".into();
    }
    // One figure orders findings and next steps alike: what meeting the
    // check adds to the overall score; then points lost, then check id.
    costly.sort_by(|a, b| {
        b.gain
            .total_cmp(&a.gain)
            .then_with(|| b.lost().total_cmp(&a.lost()))
            .then_with(|| a.check.cmp(b.check))
    });
    let total = costly.len();
    let mut table = paint.new_table(&[
        "Check", "Outcome", "Gain", "Fact", "Seen", "Expected", "Line",
    ]);
    for f in costly.iter().take(TOP_FINDINGS) {
        table.add_row(finding_row(f, paint));
    }
    let mut out = format!(
        "Findings not met ({total}, by what meeting each adds to the overall score):\n{table}\n"
    );
    if total > TOP_FINDINGS {
        out.push_str(&format!(
            "… and {} more; `--detail` lists every check.\n",
            total - TOP_FINDINGS
        ));
    }
    out
}

fn all_findings(milestones: &[MilestoneResult], paint: Paint) -> String {
    let mut out = String::new();
    for m in milestones {
        out.push_str(&format!(
            "{} {} — {} ({})\n",
            m.id,
            m.title,
            score_text(m.score),
            m.bucket
        ));
        let mut table = paint.new_table(&[
            "Check", "Outcome", "Gain", "Fact", "Seen", "Expected", "Line",
        ]);
        for f in &m.findings {
            table.add_row(finding_row(f, paint));
        }
        out.push_str(&format!("{table}\n\n"));
    }
    out
}

fn finding_row(f: &Finding, paint: Paint) -> Vec<Cell> {
    let seen = f.value.to_string();
    let gain = if f.lost() > 0.0 {
        format!("+{}", score_text(Some(f.gain)))
    } else {
        "–".into()
    };
    vec![
        Cell::new(f.check),
        paint.outcome_cell(f.outcome),
        right(gain),
        Cell::new(f.fact),
        Cell::new(seen),
        Cell::new(f.expected),
        right(f.line.map_or_else(|| "–".to_string(), |l| l.to_string())),
    ]
}

/// A score with one decimal, or a dash when there is none.
pub fn score_text(score: Option<f64>) -> String {
    score.map_or_else(
        || "–".to_string(),
        |s| format!("{:.1}", crate::report::round1_value(s)),
    )
}

/// A ten-step bar for a 0–100 score.
fn bar(score: Option<f64>) -> String {
    let Some(score) = score else {
        return String::new();
    };
    let filled = ((score / 10.0).round() as usize).min(10);
    format!("{}{}", "█".repeat(filled), "░".repeat(10 - filled))
}

fn right(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}

/// A table in the house style; wraps to the terminal's width when there is one.
pub fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| Cell::new(*h)).collect::<Vec<_>>());
    table
}

/// Terminal colour, when asked for (`--color`, `NO_COLOR`).
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// A table that keeps its colours even when stdout is not a terminal
    /// (`--color always`).
    fn new_table(self, header: &[&str]) -> Table {
        let mut table = new_table(header);
        if self.0 {
            table.enforce_styling();
        }
        table
    }

    fn text(self, text: &str, ansi: &str) -> String {
        if self.0 {
            format!("\u{1b}[{ansi}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    fn grade_cell(self, grade: &str) -> Cell {
        let cell = Cell::new(grade);
        if !self.0 {
            return cell;
        }
        let colour = match grade {
            "A" | "B" => Color::Green,
            "C" => Color::Yellow,
            "D" | "F" => Color::Red,
            _ => return cell,
        };
        cell.fg(colour).add_attribute(Attribute::Bold)
    }

    fn outcome_cell(self, outcome: Outcome) -> Cell {
        let cell = Cell::new(outcome.as_str());
        if !self.0 {
            return cell;
        }
        match outcome {
            Outcome::Met => cell.fg(Color::Green),
            Outcome::Partial => cell.fg(Color::Yellow),
            Outcome::Unmet => cell.fg(Color::Red),
            Outcome::NotDisclosed => cell.fg(Color::Magenta),
            Outcome::NotApplicable => cell.fg(Color::DarkGrey),
        }
    }
}

/// The ANSI colour of a grade letter.
fn grade_ansi(grade: &str) -> &'static str {
    match grade {
        "A" | "B" => "1;32",
        "C" => "1;33",
        _ => "1;31",
    }
}
