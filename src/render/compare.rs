//! `compare`: several arrangements side by side — one column each, with the
//! overall line, stage, buckets and layers as rows.

use comfy_table::{Cell, CellAlignment};
use serde_json::json;

use super::markdown::cell;
use super::table::{new_table, score_text};
use crate::report::Report;

/// The rows: a label and one value per report.
fn rows(reports: &[Report]) -> Vec<(String, Vec<String>)> {
    let mut rows = Vec::new();
    let mut row = |label: &str, f: &dyn Fn(&Report) -> String| {
        rows.push((label.to_string(), reports.iter().map(f).collect()));
    };
    row("File", &|r| r.arrangement.path.clone());
    row("Score", &|r| score_text(Some(r.overall.score)));
    row("Grade", &|r| r.overall.grade_summary());
    row("Coverage %", &|r| score_text(Some(r.overall.coverage_pct)));
    row("Caps", &|r| {
        if r.caps.is_empty() {
            "–".into()
        } else {
            r.caps
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    });
    let stage = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    row("Stage claimed", &|r| stage(&r.stage.claimed));
    row("Stage visible", &|r| stage(&r.stage.visible));
    row("Stage evidenced", &|r| stage(&r.stage.evidenced));
    row("Growth outruns strength", &|r| {
        if r.stage.outruns {
            "YES".into()
        } else {
            "no".into()
        }
    });
    if let Some(first) = reports.first() {
        for (i, b) in first.buckets.iter().enumerate() {
            row(b.title, &|r| {
                score_text(r.buckets.get(i).and_then(|x| x.score))
            });
        }
        for (i, l) in first.layers.iter().enumerate() {
            row(&format!("Layer: {}", l.title), &|r| {
                score_text(r.layers.get(i).and_then(|x| x.score))
            });
        }
    }
    rows
}

pub fn table(reports: &[Report]) -> String {
    let mut header = vec![String::new()];
    header.extend(reports.iter().map(|r| r.arrangement.name.clone()));
    let mut t = new_table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for (label, values) in rows(reports) {
        let mut cells = vec![Cell::new(label)];
        cells.extend(
            values
                .into_iter()
                .map(|v| Cell::new(v).set_alignment(CellAlignment::Right)),
        );
        t.add_row(cells);
    }
    format!("{t}\n")
}

pub fn markdown(reports: &[Report]) -> String {
    let names: Vec<String> = reports.iter().map(|r| cell(&r.arrangement.name)).collect();
    let mut out = format!(
        "| | {} |\n|---|{}\n",
        names.join(" | "),
        "---:|".repeat(reports.len())
    );
    for (label, values) in rows(reports) {
        let values: Vec<String> = values.iter().map(|v| cell(v)).collect();
        out.push_str(&format!("| {label} | {} |\n", values.join(" | ")));
    }
    out
}

pub fn json(reports: &[Report]) -> String {
    let arrangements: Vec<_> = reports
        .iter()
        .map(|r| {
            json!({
                "name": r.arrangement.name,
                "path": r.arrangement.path,
                "overall": r.overall,
                "caps": r.caps.iter().map(|c| &c.id).collect::<Vec<_>>(),
                "stage": r.stage,
                "buckets": r.buckets,
                "layers": r.layers,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(
        &json!({ "schema_version": crate::report::SCHEMA_VERSION, "arrangements": arrangements }),
    )
    .unwrap_or_default();
    text.push('\n');
    text
}
