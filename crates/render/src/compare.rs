//! `compare`: several arrangements, one row each, with their figures as
//! columns. Arrangements are named by their `name` (their file name is added
//! only where two share one), so that the table stays narrow in a pipe.

use crate::text::one_line;
use comfy_table::{Cell, CellAlignment, LineStyle, TableStyle};
use serde_json::json;

use super::markdown::{self, Align, cell};
use super::table::{keep_whole, new_table, score_text, whole_words};
use crate::report::Report;

/// Columns apart by two spaces, a rule under the header: no borders to
/// spend the width on, and rows that `grep` and `sort` can read.
const PLAIN: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// A column of the comparison: its header, the figure for one report, and
/// whether it is a number (right-aligned).
struct Column {
    header: &'static str,
    value: fn(&Report) -> String,
    numeric: bool,
}

/// The figures compared, in order; the arrangement's name comes first.
const COLUMNS: &[Column] = &[
    Column {
        header: "Score",
        value: |r| score_text(Some(r.overall.score)),
        numeric: true,
    },
    Column {
        header: "Grade",
        // The grade with its confidence: `A (low)`.
        value: |r| match &r.overall.grade {
            Some(g) => format!("{g} ({})", r.overall.confidence),
            None => r.overall.grade_text().to_string(),
        },
        numeric: false,
    },
    Column {
        header: "Coverage",
        value: |r| format!("{}%", score_text(Some(r.overall.coverage_pct))),
        numeric: true,
    },
    Column {
        header: "Caps",
        value: |r| r.caps.len().to_string(),
        numeric: true,
    },
    Column {
        header: "Stage",
        value: |r| stage(r.stage.evidenced.as_deref()),
        numeric: false,
    },
    Column {
        header: "Outrun",
        value: |r| {
            match r.stage.outruns {
                Some(true) => "YES",
                Some(false) => "no",
                // Only what is not disclosed holds the stage down.
                None => "?",
            }
            .to_string()
        },
        numeric: false,
    },
    Column {
        header: "Lowest bucket",
        value: |r| {
            weakest_bucket(r).map_or_else(
                || "–".to_string(),
                |(title, score)| format!("{} {title}", score_text(Some(score))),
            )
        },
        numeric: false,
    },
];

fn stage(name: Option<&str>) -> String {
    name.unwrap_or("–").to_string()
}

/// The title and score of the bucket with the lowest score; the first of equals.
fn weakest_bucket<'a>(r: &'a Report) -> Option<(&'a str, f64)> {
    r.buckets
        .iter()
        .filter(|b| b.enough_disclosed)
        .filter_map(|b| b.score.map(|s| (&*b.title, s)))
        .min_by(|(_, a), (_, b)| a.total_cmp(b))
}

/// Each report's label: its name, and its file name where two share a name.
fn names(reports: &[Report]) -> Vec<String> {
    reports
        .iter()
        .map(|r| {
            let a = &r.arrangement;
            let shared = reports
                .iter()
                .filter(|o| o.arrangement.name == a.name)
                .count()
                > 1;
            if shared {
                let file = std::path::Path::new(&a.path)
                    .file_name()
                    .map_or_else(|| a.path.clone(), |f| f.to_string_lossy().into_owned());
                format!("{} ({})", one_line(&a.name), one_line(&file))
            } else {
                one_line(&a.name).into_owned()
            }
        })
        .collect()
}

/// The comparison as a table `width` columns wide at most: names, grades,
/// stages and numbers stay whole; the weakest bucket's title wraps first.
pub fn table(reports: &[Report], width: usize) -> String {
    let mut header = vec!["Arrangement"];
    header.extend(COLUMNS.iter().map(|c| c.header));
    let mut t = new_table(&header, width);
    t.load_style(PLAIN);
    for (name, r) in names(reports).into_iter().zip(reports) {
        let mut row = vec![Cell::new(name)];
        row.extend(COLUMNS.iter().map(|c| Cell::new((c.value)(r))));
        t.add_row(row);
    }
    for (i, c) in COLUMNS.iter().enumerate() {
        if let Some(column) = t.column_mut(i + 1) {
            if c.numeric {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    // Every column but the last (the lowest bucket) stays whole; that one
    // wraps at spaces, never inside a word.
    whole_words(&mut t);
    for column in t.column_iter_mut() {
        column.set_padding((0, 1));
    }
    let whole: Vec<usize> = (0..COLUMNS.len()).collect();
    keep_whole(&mut t, &whole);
    // Cells are padded to their column; a pipe has no use for the blanks at
    // the end of a line.
    t.lines()
        .map(|line| format!("{}\n", line.trim_end()))
        .collect()
}

/// `compare --format markdown`: one row per arrangement.
pub fn markdown(reports: &[Report]) -> String {
    let header: Vec<(&str, Align)> = std::iter::once(("Arrangement", Align::Left))
        .chain(
            COLUMNS
                .iter()
                .map(|c| (c.header, if c.numeric { Align::Right } else { Align::Left })),
        )
        .collect();
    markdown::table(
        &header,
        names(reports).into_iter().zip(reports).map(|(name, r)| {
            std::iter::once(cell(&name))
                .chain(COLUMNS.iter().map(|c| cell(&(c.value)(r))))
                .collect::<Vec<_>>()
        }),
    )
}

/// `compare --format json`: the arrangements' summaries in one document.
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
