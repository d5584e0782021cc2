//! `diff` output: table, JSON and Markdown.

use comfy_table::Cell;

use super::markdown::{self, Align, cell, code};
use super::table::{new_table, score_text, whole_words};
use crate::text::one_line;
use usd1eval_model::diff::Diff;

fn signed(n: Option<f64>) -> String {
    n.map_or_else(|| "–".to_string(), |n| format!("{n:+.1}"))
}

/// A person's view of a diff.
pub fn table(d: &Diff, width: usize) -> String {
    let mut out = format!("diff {} → {}\n\n", one_line(&d.old), one_line(&d.new));
    if !d.facts.is_empty() {
        let mut t = new_table(&["Fact", "Old", "New"], width);
        for f in &d.facts {
            t.add_row(vec![
                Cell::new(one_line(&f.fact)),
                Cell::new(one_line(f.old.as_deref().unwrap_or("–"))),
                Cell::new(one_line(f.new.as_deref().unwrap_or("–"))),
            ]);
        }
        whole_words(&mut t);
        out.push_str(&format!("Changed facts ({}):\n{t}\n\n", d.facts.len()));
    }
    if !d.findings.is_empty() {
        let mut t = new_table(&["Check", "Old", "New", "Points"], width);
        for f in &d.findings {
            t.add_row(vec![
                Cell::new(one_line(&f.check)),
                Cell::new(f.old.as_str()),
                Cell::new(f.new.as_str()),
                Cell::new(format!("{:+.2}", f.points_delta)),
            ]);
        }
        whole_words(&mut t);
        out.push_str(&format!(
            "Findings that changed ({}):\n{t}\n\n",
            d.findings.len()
        ));
    }
    if d.scores.is_empty() {
        out.push_str("No score changed.\n");
    } else {
        let mut t = new_table(&["Score", "Id", "Old", "New", "Δ"], width);
        for s in &d.scores {
            t.add_row(vec![
                Cell::new(&s.kind),
                Cell::new(one_line(&s.id)),
                Cell::new(score_text(s.old)),
                Cell::new(score_text(s.new)),
                Cell::new(signed(s.delta)),
            ]);
        }
        whole_words(&mut t);
        out.push_str(&format!("Score changes:\n{t}\n"));
    }
    if d.regressions.is_empty() {
        out.push_str("\nNo regression.\n");
    } else {
        out.push_str("\nRegressions:\n");
        for r in &d.regressions {
            out.push_str(&format!("  {}\n", one_line(r)));
        }
    }
    out
}

/// The diff as JSON.
pub fn json(d: &Diff) -> String {
    let mut text = serde_json::to_string_pretty(d).unwrap_or_default();
    text.push('\n');
    text
}

/// The diff as a pull-request comment.
pub fn markdown(d: &Diff) -> String {
    let verdict = if d.regression {
        "regression"
    } else {
        "no regression"
    };
    let mut out = format!(
        "## usd1eval diff: {verdict}\n\n{} → {}\n",
        code(&d.old),
        code(&d.new)
    );
    if !d.regressions.is_empty() {
        out.push('\n');
        for r in &d.regressions {
            out.push_str(&format!("- :x: {}\n", cell(r)));
        }
    }
    if !d.scores.is_empty() {
        out.push('\n');
        out.push_str(&markdown::table(
            &[
                ("Score", Align::Left),
                ("Id", Align::Left),
                ("Old", Align::Right),
                ("New", Align::Right),
                ("Δ", Align::Right),
            ],
            d.scores.iter().map(|s| {
                [
                    s.kind.to_string(),
                    cell(&s.id),
                    score_text(s.old),
                    score_text(s.new),
                    signed(s.delta),
                ]
            }),
        ));
    }
    if !d.facts.is_empty() {
        out.push('\n');
        out.push_str(&markdown::table(
            &[
                ("Fact", Align::Left),
                ("Old", Align::Left),
                ("New", Align::Left),
            ],
            d.facts.iter().map(|f| {
                [
                    code(&f.fact),
                    cell(f.old.as_deref().unwrap_or("–")),
                    cell(f.new.as_deref().unwrap_or("–")),
                ]
            }),
        ));
    }
    out
}
