//! The scorecard a person reads in a terminal, fitted to a width: prose wraps
//! at spaces, ids, fact paths, dates and numbers stay whole, and findings are
//! short blocks rather than a wide table.

use crate::text::one_line;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::View;
use super::layout::{pack, width_of, wrap};
use crate::report::{Finding, MilestoneResult, Outcome, ProfileResult, Report};

/// How many costly findings the default view lists before pointing at `--detail`.
const TOP_FINDINGS: usize = 15;

/// The indent of the lines under a finding's or a step's first line.
const UNDER: &str = "    ";

/// Renders a scorecard; `detail` lists every check instead of the costly ones.
pub(crate) fn scorecard(report: &Report, view: View) -> String {
    let paint = Paint(view.color);
    let width = view.width;
    let mut out = String::new();
    let a = &report.arrangement;
    let issuer = a
        .issuer
        .as_deref()
        .map(|i| format!(" ({})", one_line(i)))
        .unwrap_or_default();
    out.push_str(&wrap(
        &format!("{}{issuer}", one_line(&a.name)),
        width,
        "",
        UNDER,
    ));
    out.push_str(&pack(
        &[
            format!("file {}", one_line(&a.path)),
            format!("facts as of {}", a.as_of),
            format!("evaluated as of {}", report.evaluated_as_of),
            format!("rubric {} v{}", report.rubric.id, report.rubric.version),
        ],
        " · ",
        width,
        "",
        "",
    ));
    out.push('\n');
    let o = &report.overall;
    let grade = match (o.grade.as_deref(), o.uncapped_grade.as_deref()) {
        (Some(g), Some(u)) if g != u => {
            format!("grade {} (uncapped {u})", paint.text(g, grade_ansi(g)))
        }
        (Some(g), _) => format!("grade {}", paint.text(g, grade_ansi(g))),
        (None, _) => paint.text(&crate::report::NOT_GRADED.to_uppercase(), "1;33"),
    };
    let mut parts = vec![
        format!("Overall {} / 100", score_text(Some(o.score))),
        grade,
    ];
    // Confidence belongs to a grade: an ungraded file says why instead.
    if o.is_graded() {
        parts.push(report.confidence_text());
    }
    parts.push(format!(
        "disclosure coverage {}%",
        score_text(Some(o.coverage_pct))
    ));
    out.push_str(&pack(&parts, " · ", width, "", ""));
    if !o.missing_core.is_empty() {
        let effect = if o.is_graded() {
            "graded on a weak link the declared facts show"
        } else {
            "no grade without them"
        };
        out.push_str(&wrap(
            &format!("Core facts missing ({effect}): {}", o.missing_core_titles()),
            width,
            "",
            UNDER,
        ));
    }
    if report.evidence.declared {
        let per_bucket: Vec<String> = report
            .buckets
            .iter()
            .zip(&report.evidence.buckets)
            .map(|(b, e)| format!("{} {}%", b.title, score_text(e.independent_pct)))
            .collect();
        out.push_str(&wrap(
            &format!(
                "Independent evidence: {}% of the points earned rest on it ({})",
                score_text(report.evidence.independent_pct),
                per_bucket.join(", ")
            ),
            width,
            "",
            UNDER,
        ));
    }
    out.push_str(&stage_lines(report, paint, width));
    for cap in &report.caps {
        out.push_str(&wrap(
            &format!(
                "Cap {} {}: {}",
                cap.id,
                cap.effect(o.is_graded()),
                cap.reason
            ),
            width,
            "",
            UNDER,
        ));
    }
    for p in &o.penalties {
        let value = crate::facts::format_number(crate::report::round_to(p.value, 2));
        out.push_str(&pack(
            &[
                format!("Penalty {}: −{} points", p.id, score_text(Some(p.points))),
                format!("({} = {value})", p.fact),
            ],
            " ",
            width,
            "",
            UNDER,
        ));
    }
    // The day-by-day hint only where there is a day to show.
    let ran = report.stress.scenarios.iter().any(|s| s.survives.is_some());
    out.push_str(&wrap(
        &format!(
            "{}{}",
            super::quantity::summary_line(&report.stress),
            if ran {
                " (day by day: usd1eval stress --days FILE)"
            } else {
                ""
            }
        ),
        width,
        "",
        UNDER,
    ));
    out.push('\n');

    /// What a bucket or layer whose facts are all undisclosed shows.
    const NOTHING_DISCLOSED: &str = "nothing disclosed";
    let mut buckets = paint.new_table(&["Bucket", "Score", "Grade", "Coverage", ""], width);
    for b in &report.buckets {
        let (score, last) = if b.score.is_none() && b.coverage_pct <= 0.0 {
            ("–".to_string(), NOTHING_DISCLOSED.to_string())
        } else if b.enough_disclosed || b.score.is_none() {
            (score_text(b.score), bar(b.score))
        } else {
            ("–".to_string(), crate::report::not_enough_text(b.known_pct))
        };
        buckets.add_row(vec![
            Cell::new(&b.title),
            right(score),
            paint.grade_cell(b.grade.as_deref().unwrap_or("–")),
            right(format!("{}%", score_text(Some(b.coverage_pct)))),
            Cell::new(last),
        ]);
    }
    whole_words(&mut buckets);
    out.push_str(&table_or_lines(&mut buckets, 4, width, || {
        let rows: Vec<Vec<String>> = report
            .buckets
            .iter()
            .map(|b| {
                vec![
                    format!("{}:", b.title),
                    score_text(b.score),
                    format!("grade {}", b.grade.as_deref().unwrap_or("–")),
                    format!("coverage {}%", score_text(Some(b.coverage_pct))),
                ]
            })
            .collect();
        lines("Buckets (score, grade, coverage):", &rows, width)
    }));

    let mut layers = new_table(&["Scale layer", "Score", ""], width);
    for l in &report.layers {
        let (score, last) = if l.score.is_none() && l.known_pct.is_some_and(|k| k <= 0.0) {
            ("–".to_string(), NOTHING_DISCLOSED.to_string())
        } else if l.enough_disclosed || l.score.is_none() {
            (score_text(l.score), bar(l.score))
        } else {
            ("–".to_string(), crate::report::not_enough_text(l.known_pct))
        };
        layers.add_row(vec![Cell::new(&l.title), right(score), Cell::new(last)]);
    }
    whole_words(&mut layers);
    out.push_str(&table_or_lines(&mut layers, 2, width, || {
        let rows: Vec<Vec<String>> = report
            .layers
            .iter()
            .map(|l| vec![format!("{}:", l.title), score_text(l.score)])
            .collect();
        lines("Scale layers:", &rows, width)
    }));

    out.push_str(&matrix(report, width));

    for profile in &report.profiles {
        out.push_str(&profile_section(profile, width));
    }

    if view.detail {
        out.push_str(&all_findings(&report.milestones, paint, width));
    } else {
        out.push_str(&costly_findings(&report.milestones, paint, width));
    }

    if !report.next_steps.is_empty() {
        out.push('\n');
        out.push_str(&wrap(
            "Next steps (overall points gained by each change):",
            width,
            "",
            "",
        ));
        let number_width = report.next_steps.len().to_string().len();
        for (i, step) in report.next_steps.iter().enumerate() {
            out.push_str(&block(
                &[
                    format!("{:>number_width$}.", i + 1),
                    format!("+{}", crate::report::fixed(step.gain, 1)),
                    step.milestone.to_string(),
                    step.fact.to_string(),
                ],
                &step.action,
                width,
            ));
        }
    }

    if !report.diagnostics.is_empty() {
        out.push_str("\nWarnings:\n");
        for d in &report.diagnostics {
            for line in d.to_string().lines() {
                out.push_str(&wrap(line, width, "  ", UNDER));
            }
        }
    }
    // Gate failures come last, where a CI log reader looks first.
    if !report.gates.failures.is_empty() {
        out.push_str("\nGates FAILED:\n");
        for g in &report.gates.failures {
            out.push_str(&wrap(
                &format!("{}: {}", g.gate, g.reason),
                width,
                "  ",
                UNDER,
            ));
        }
    }
    out
}

/// The bucket × layer matrix. Layer titles head the columns; where they do
/// not fit the width they are shortened (`Trans.`), never broken inside a
/// word. The scale-layer table just above names each one in full.
fn matrix(report: &Report, width: usize) -> String {
    let corner = "Bucket × layer";
    let titles: Vec<&str> = report.layers.iter().map(|l| &*l.title).collect();
    let first = report
        .buckets
        .iter()
        .map(|b| width_of(&b.title))
        .chain([width_of(corner)])
        .max()
        .unwrap_or(0);
    // A table's width: a border, then each column's content with a space on
    // either side and a border after it; scores take at most five columns.
    let fits = |headers: &[String]| {
        let columns: usize = headers.iter().map(|h| width_of(h).max(5) + 3).sum();
        1 + first + 3 + columns <= width
    };
    let longest = titles.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    // The longest titles that fit and still tell the layers apart; where
    // none fit, the shortest that do, and the table is wider than asked.
    let candidates: Vec<Vec<String>> = (3..=longest)
        .rev()
        .map(|keep| titles.iter().map(|t| shorten(t, keep)).collect::<Vec<_>>())
        .filter(|headers| all_different(headers))
        .collect();
    let Some(headers) = candidates.iter().find(|headers| fits(headers)).cloned() else {
        // Too narrow for a column per layer: a line per bucket, naming the
        // layers it has a score on.
        let rows: Vec<Vec<String>> = report
            .buckets
            .iter()
            .map(|b| {
                let scored = report.layers.iter().filter_map(|l| {
                    let cell = report
                        .matrix
                        .iter()
                        .find(|c| c.bucket == b.id && c.layer == l.id)?;
                    let score = cell.score.filter(|_| b.enough_disclosed)?;
                    Some(format!("{} {}", l.title, score_text(Some(score))))
                });
                std::iter::once(format!("{}:", b.title))
                    .chain(scored)
                    .collect()
            })
            .collect();
        return format!("{}\n", lines("Bucket × layer:", &rows, width));
    };
    let mut header = vec![corner];
    header.extend(headers.iter().map(String::as_str));
    let mut table = new_table(&header, width);
    for b in &report.buckets {
        let mut row = vec![Cell::new(&b.title)];
        for l in &report.layers {
            let cell = report
                .matrix
                .iter()
                .find(|c| c.bucket == b.id && c.layer == l.id)
                .and_then(|c| c.score);
            // A bucket known on too little shows no score in its cells either.
            let text = match cell {
                None => "·".to_string(),
                Some(_) if !b.enough_disclosed => "–".to_string(),
                Some(s) => score_text(Some(s)),
            };
            row.push(right(text));
        }
        table.add_row(row);
    }
    whole_words(&mut table);
    format!("{table}\n\n")
}

/// `title` cut to its first `keep` characters and a full stop, when longer.
fn shorten(title: &str, keep: usize) -> String {
    if title.chars().count() <= keep {
        return title.to_string();
    }
    let cut: String = title.chars().take(keep).collect();
    format!("{}.", cut.trim_end())
}

fn all_different(texts: &[String]) -> bool {
    texts
        .iter()
        .enumerate()
        .all(|(i, t)| !texts.iter().skip(i + 1).any(|u| u == t))
}

/// The healthy-scale verdict: claimed, visible and evidenced stage, and
/// whether growth outruns structural strength.
fn stage_lines(report: &Report, paint: Paint, width: usize) -> String {
    let st = &report.stage;
    let name = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".to_string());
    let mut parts = vec![
        format!("Stage: claimed {}", name(&st.claimed)),
        match &st.not_issuing {
            Some(status) => format!("visible – (issuance {status})"),
            None => format!("visible {}", name(&st.visible)),
        },
        format!("evidenced {}", name(&st.evidenced)),
    ];
    if st.outruns == Some(false) && st.evidenced.is_some() {
        parts.push("growth is backed by evidenced strength".to_string());
    }
    let mut out = pack(&parts, " · ", width, "", "");
    if let Some((alarm, by)) = report.stage_alarm() {
        let (headline, colour) = match alarm {
            crate::report::StageAlarm::Outruns => {
                (">>> GROWTH OUTRUNS STRENGTH".to_string(), "1;31")
            }
            crate::report::StageAlarm::CannotJudge => (alarm.headline().to_string(), "1;33"),
        };
        let mut text = headline.clone();
        if !by.is_empty() {
            text.push_str(&format!(": {by}"));
        }
        let wrapped = wrap(&text, width, "", UNDER);
        out.push_str(&wrapped.replacen(&headline, &paint.text(&headline, colour), 1));
    }
    out
}

/// A profile's verdict, then one block per requirement: id, outcome and
/// clause on the first line, what was found under it.
fn profile_section(profile: &ProfileResult, width: usize) -> String {
    let mut out = format!(
        "Profile {} — {}\n",
        profile.id,
        profile.verdict.label().to_uppercase()
    );
    out.push_str(&wrap(&profile.title, width, "", ""));
    out.push_str(&wrap(&profile.notice, width, "", ""));
    // The note may quote the file (what it declares, for an out-of-scope
    // profile): escaped as every arrangement text is in a table.
    if let Some(note) = profile.readiness_note() {
        out.push_str(&wrap(&one_line(&note), width, "", ""));
    }
    let open = profile.not_assessable().count();
    if open > 0 {
        out.push_str(&wrap(
            &format!(
                "{open} requirement(s) not assessable from format-1 facts: never counted as passes; check them by hand"
            ),
            width,
            "",
            "",
        ));
    }
    out.push('\n');
    let id_width = column_width(profile.requirements.iter().map(|r| r.id.as_str()));
    let outcome_width = column_width(profile.requirements.iter().map(|r| r.outcome.as_str()));
    for r in &profile.requirements {
        out.push_str(&block(
            &[
                format!("{:<id_width$}", r.id),
                format!("{:<outcome_width$}", r.outcome.as_str()),
                r.clause.clone(),
            ],
            &r.detail(),
            width,
        ));
    }
    out.push('\n');
    out
}

fn costly_findings(milestones: &[MilestoneResult], paint: Paint, width: usize) -> String {
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
            .then_with(|| a.check.cmp(&b.check))
    });
    let total = costly.len();
    costly.truncate(TOP_FINDINGS);
    let mut out = wrap(
        &format!("Findings not met ({total}, by what meeting each adds to the overall score):"),
        width,
        "",
        "",
    );
    out.push_str(&finding_blocks(&costly, paint, width));
    if total > TOP_FINDINGS {
        out.push_str(&wrap(
            &format!(
                "… and {} more; `--detail` lists every check.",
                total - TOP_FINDINGS
            ),
            width,
            "",
            "",
        ));
    }
    out
}

fn all_findings(milestones: &[MilestoneResult], paint: Paint, width: usize) -> String {
    let mut out = String::new();
    for m in milestones {
        out.push_str(&pack(
            &[
                m.id.to_string(),
                m.title.to_string(),
                format!(
                    "— {} ({})",
                    if m.enough_disclosed || m.score.is_none() {
                        score_text(m.score)
                    } else {
                        crate::report::not_enough_text(m.known_pct)
                    },
                    m.bucket
                ),
            ],
            " ",
            width,
            "",
            UNDER,
        ));
        let findings: Vec<&Finding> = m.findings.iter().collect();
        out.push_str(&finding_blocks(&findings, paint, width));
        out.push('\n');
    }
    out
}

/// One block per finding: check, outcome and what meeting it would add to
/// the overall score on the first line, aligned across the blocks; the fact,
/// the value seen, the line and what is expected under it, wrapped at spaces.
fn finding_blocks(findings: &[&Finding], paint: Paint, width: usize) -> String {
    let gains: Vec<String> = findings.iter().map(|f| gain_text(f)).collect();
    let check_width = column_width(findings.iter().map(|f| &*f.check));
    let outcome_width = column_width(findings.iter().map(|f| f.outcome.as_str()));
    let gain_width = column_width(gains.iter().map(String::as_str));
    let mut out = String::new();
    for (f, gain) in findings.iter().zip(&gains) {
        let outcome = f.outcome.as_str();
        let pad = " ".repeat(outcome_width.saturating_sub(width_of(outcome)));
        out.push_str(&pack(
            &[
                format!("{:<check_width$}", f.check),
                format!("{}{pad}", paint.outcome(f.outcome)),
                format!("{gain:>gain_width$}"),
            ],
            "  ",
            width,
            "",
            UNDER,
        ));
        let fact = match f.value {
            crate::report::Observed::Nothing => f.fact.to_string(),
            ref value => format!("{} = {value}", f.fact),
        };
        let mut parts = vec![fact];
        if let Some(line) = f.line {
            parts.push(format!("line {line}"));
        }
        parts.push(format!("expected {}", f.expected));
        if let Some(reason) = &f.waived {
            parts.push(format!("waived: {reason}"));
        }
        out.push_str(&pack(&parts, " · ", width, UNDER, UNDER));
    }
    out
}

/// A block: its heading's parts two spaces apart (each kept whole), then
/// `body` wrapped under it, indented.
fn block(heading: &[String], body: &str, width: usize) -> String {
    let mut out = pack(heading, "  ", width, "", UNDER);
    out.push_str(&wrap(body, width, UNDER, UNDER));
    out
}

/// What meeting a check would add to the overall score (`+1.7`), or `–`
/// where it costs nothing.
fn gain_text(f: &Finding) -> String {
    if f.lost() > 0.0 {
        format!("+{}", score_text(Some(f.gain)))
    } else {
        "–".into()
    }
}

/// The width of the widest text, for aligning a column of blocks.
fn column_width<'a>(texts: impl Iterator<Item = &'a str>) -> usize {
    texts.map(width_of).max().unwrap_or(0)
}

/// A score with one decimal, or a dash when there is none.
pub fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_string(), |s| crate::report::fixed(s, 1))
}

/// The table, followed by a blank line; without its column of bars when
/// the table would be wider than `width` with them (the scores say the same).
fn without_bars_if_too_wide(table: &mut Table, bars: usize, width: usize) -> String {
    let text = table.to_string();
    if fits(&text, width) {
        return format!("{text}\n\n");
    }
    if let Some(column) = table.column_mut(bars) {
        column.set_constraint(ColumnConstraint::Hidden);
    }
    format!("{table}\n\n")
}

fn fits(text: &str, width: usize) -> bool {
    text.lines().all(|l| width_of(l) <= width)
}

/// The table, without its bars when it is too wide with them; where even
/// then its whole words do not fit, its rows as `lines` instead, so that
/// the output keeps to `--width`.
fn table_or_lines(
    table: &mut Table,
    bars: usize,
    width: usize,
    lines: impl FnOnce() -> String,
) -> String {
    let text = without_bars_if_too_wide(table, bars, width);
    if fits(&text, width) {
        text
    } else {
        format!("{}\n", lines())
    }
}

/// A heading, then a line per row: its parts kept whole, wrapped at the
/// width, continued indented.
fn lines(heading: &str, rows: &[Vec<String>], width: usize) -> String {
    let mut out = wrap(heading, width, "", "");
    for row in rows {
        out.push_str(&pack(row, " ", width, "  ", "      "));
    }
    out
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

/// A table in the house style, at most `width` columns wide: where the
/// content is wider, text wraps at spaces inside its cells.
pub(crate) fn new_table(header: &[&str], width: usize) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .set_header(header.iter().map(|h| Cell::new(*h)).collect::<Vec<_>>());
    table
}

/// Lets every column of a filled table wrap only at spaces: each is at
/// least as wide as its longest word, so ids, fact paths, dates and numbers
/// are never broken. Where even that does not fit, the table is wider than
/// asked rather than broken.
pub(crate) fn whole_words(table: &mut Table) {
    let mut longest: Vec<usize> = Vec::new();
    for row in table.header().into_iter().chain(table.row_iter()) {
        for (i, cell) in row.cell_iter().enumerate() {
            let word = cell
                .content()
                .split([' ', '\n'])
                .map(width_of)
                .max()
                .unwrap_or(0);
            if longest.len() <= i {
                longest.resize(i + 1, 0);
            }
            if let Some(l) = longest.get_mut(i) {
                *l = (*l).max(word);
            }
        }
    }
    for (i, word) in longest.into_iter().enumerate() {
        if let Some(column) = table.column_mut(i) {
            // The boundary counts the column's padding.
            let word = u16::try_from(word)
                .unwrap_or(u16::MAX)
                .saturating_add(column.padding_width());
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(word)));
        }
    }
}

/// Keeps these columns as wide as their content (names that must read
/// whole), so that only the other columns wrap when the table is too wide.
pub(crate) fn keep_whole(table: &mut Table, columns: &[usize]) {
    for &index in columns {
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

/// Terminal colour, when asked for (`--color`, `NO_COLOR`).
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// A table that keeps its colours even when stdout is not a terminal
    /// (`--color always`).
    fn new_table(self, header: &[&str], width: usize) -> Table {
        let mut table = new_table(header, width);
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

    fn outcome(self, outcome: Outcome) -> String {
        let ansi = match outcome {
            Outcome::Met => "32",
            Outcome::Partial => "33",
            Outcome::Unmet => "31",
            Outcome::NotDisclosed => "35",
            Outcome::NotApplicable => "90",
        };
        self.text(outcome.as_str(), ansi)
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
