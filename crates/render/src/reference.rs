//! Reference pages generated from the schema, so that the documentation of
//! fields and derived figures cannot drift from the code. A test compares
//! them with docs/fields.md and docs/derived.md; run
//! `UPDATE_DOCS=1 cargo test --test docs` to rewrite them.

use super::markdown::{self, Align};
use crate::facts::derived::{DERIVED, REDEMPTION_WAVE_SHARE, VOLATILE_CLASSES};
use crate::facts::ladder::{LADDER, LCR_SOURCE};
use crate::facts::schema::{Kind, Quantity, TABLES, Unit};

fn kind_text(kind: Kind) -> String {
    let unit = |u: Unit| match u {
        Unit::Usd => "US dollars, 0 to 10^15",
        Unit::Pct => "percent, 0–100",
        Unit::Bps => "basis points, ≥ 0",
        Unit::Days => "days, ≥ 0",
        Unit::Hours => "hours, ≥ 0",
        Unit::Count => "count, ≥ 0",
        Unit::Ratio => "ratio, ≥ 0",
    };
    match kind {
        Kind::Bool => "bool".into(),
        Kind::Number(u) => format!("number ({})", unit(u)),
        Kind::Integer(u) => format!("integer ({})", unit(u)),
        Kind::Date => "date (or a month, `\"YYYY-MM\"`)".into(),
        Kind::Text => "string".into(),
        Kind::Enum(values) => format!(
            "enum: {}",
            values
                .iter()
                .map(|v| format!("`{}`", v.name))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Kind::EnumList(values) => format!(
            "array of: {}",
            values
                .iter()
                .map(|v| format!("`{}`", v.name))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Kind::CountryList => "array of ISO 3166 codes (`US`, `US-NY`)".into(),
    }
}

/// docs/fields.md: every table and field of format 1.
pub fn fields_markdown() -> String {
    let mut out = String::from(
        "# Format 1: every table and field\n\n\
         Generated from `crates/format/src/facts/schema/tables.rs` (the declaration) and `choices.rs`; do not edit by hand (see docs/arrangement.md for the rules \
         that apply to all fields). Every table may also carry `source = \"…\"` and `evidence = \"…\"`.\n",
    );
    for table in TABLES {
        let heading = match (table.path, table.repeated) {
            ("", _) => "Top level".to_string(),
            (path, true) => format!("[[{path}]]"),
            (path, false) => format!("[{path}]"),
        };
        out.push_str(&format!("\n## {heading}\n\n{}\n\n", table.doc));
        out.push_str(&markdown::table(
            &[
                ("key", Align::Left),
                ("type", Align::Left),
                ("meaning", Align::Left),
                ("example", Align::Left),
            ],
            table.fields.iter().map(|f| {
                let required = if f.required { " **(required)**" } else { "" };
                [
                    format!("`{}`", f.name),
                    format!("{}{required}", kind_text(f.kind)),
                    f.doc.to_string(),
                    format!("`{}`", f.example.replace('|', "\\|")),
                ]
            }),
        ));
        for f in table.fields.iter().filter(|f| !f.kind.choices().is_empty()) {
            out.push_str(&format!("\nValues of `{}`:\n\n", f.name));
            for c in f.kind.choices() {
                out.push_str(&format!("- `{}`: {}\n", c.name, c.doc));
            }
        }
    }
    out.push_str("\n## `evidence` (any table)\n\nWhat backs a table's facts; the rubric's `[evidence]` decides what each kind earns.\n\n");
    for c in crate::facts::schema::EVIDENCE_CHOICES {
        out.push_str(&format!("- `{}`: {}\n", c.name, c.doc));
    }
    out
}

/// docs/derived.md: every derived figure's formula and the liquidity ladder.
pub fn derived_markdown() -> String {
    let mut out = String::from(
        "# Derived figures\n\n\
         Generated from `crates/format/src/facts/derived.rs`; do not edit by hand. The evaluator computes these from the \
         declared facts before any check runs; a rubric reads them as `derived.NAME`. A figure is absent \
         (never zero or infinite) when a fact it needs is absent, or when it would divide by zero \
         (for example when `supply.outstanding_usd` is 0). Ages are measured against the evaluation date: \
         `--as-of` when given, else `[arrangement].as_of`.\n\n",
    );
    out.push_str(&markdown::table(
        &[
            ("name", Align::Left),
            ("type", Align::Left),
            ("formula", Align::Left),
            ("inputs", Align::Left),
        ],
        DERIVED.iter().map(|d| {
            let inputs: Vec<String> = d.inputs.iter().map(|i| format!("`{i}`")).collect();
            let kind = if d.kind == Kind::Bool {
                "bool"
            } else {
                "number"
            };
            [
                format!("`{}`", d.name),
                kind.to_string(),
                d.formula.replace('|', "\\|"),
                inputs.join(" "),
            ]
        }),
    ));
    out.push_str(&format!(
        "\nVolatile classes: {}, and `stablecoin` when its `issuer` is not named. A figure built on \
         `share_pct` is unknown when any [[reserves.asset]] entry leaves its share out.\n\n## The liquidity ladder\n\n\
         How soon each reserve asset class becomes dollars in a redemption wave (the same ladder the \
         stress scenarios use: see docs/stress.md); what a forced sale loses is the loss model's sale \
         haircut (docs/stress.md, `rubrics/loss.toml`). \
         `liquid_tN_pct` = Σ share_pct × (1 − sale haircut) over classes whose sale day is N or earlier; \
         an asset whose declared `max_maturity_days` has passed by day N counts at par. \
         `redemption_wave_cover` tests the T+2 figure against a wave of {}% of units outstanding: \
         1.0 or more means the wave can be met within two business days.\n\n",
        VOLATILE_CLASSES.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
        REDEMPTION_WAVE_SHARE * 100.0
    ));
    out.push_str(&ladder_markdown());
    out
}

/// The liquidity ladder as a Markdown table, with the source of every number.
pub(crate) fn ladder_markdown() -> String {
    let mut out = markdown::table(
        &[
            ("class", Align::Left),
            ("sale day", Align::Left),
            ("sale haircut", Align::Left),
            ("rate maturity", Align::Left),
            ("why", Align::Left),
            ("source", Align::Left),
        ],
        LADDER.iter().map(|r| {
            let day = r
                .sale_day
                .map_or_else(|| "at maturity".to_string(), |d| format!("T+{d}"));
            let maturity = r.assumed_maturity_days.map_or_else(
                || "–".to_string(),
                |m| Quantity::new(m, Unit::Days).to_string(),
            );
            [
                format!("`{}`", r.class),
                day,
                Quantity::new(r.sale_haircut() * 100.0, Unit::Pct).to_string(),
                maturity,
                r.why.to_string(),
                r.source.to_string(),
            ]
        }),
    );
    out.push_str(&format!(
        "\nThe sale haircut is the loss model's (below). BCBS LCR: {LCR_SOURCE}.\n"
    ));
    out
}

/// The loss model (`rubrics/loss.toml`) as a Markdown table, with the source
/// of every number.
pub(crate) fn loss_markdown() -> String {
    let mut out = markdown::table(
        &[
            ("class", Align::Left),
            ("crisis haircut", Align::Left),
            ("forced-sale haircut", Align::Left),
            ("source", Align::Left),
        ],
        crate::facts::loss::haircuts().iter().map(|h| {
            [
                format!("`{}`", h.class),
                Quantity::new(h.market_pct, Unit::Pct).to_string(),
                Quantity::new(h.sale_pct, Unit::Pct).to_string(),
                h.source.clone(),
            ]
        }),
    );
    out.push_str("\nBCBS 238: Basel Committee on Banking Supervision, Basel III: The Liquidity Coverage Ratio and liquidity risk monitoring tools (January 2013).\n");
    out
}

/// docs/stress.md with its generated parts (the ladder, the built-in
/// scenarios) brought up to date; the prose around them is kept as written.
/// Each part sits between `<!-- generated: NAME -->` and `<!-- end: NAME -->`.
pub fn stress_markdown(current: &str) -> String {
    let mut out = current.to_string();
    for (name, text) in [
        ("loss", loss_markdown()),
        ("ladder", ladder_markdown()),
        ("scenarios", scenarios_markdown()),
    ] {
        let (start, end) = (
            format!("<!-- generated: {name} -->\n"),
            format!("<!-- end: {name} -->"),
        );
        if let (Some(a), Some(b)) = (out.find(&start), out.find(&end)) {
            if a + start.len() <= b {
                out.replace_range(a + start.len()..b, &text);
            }
        }
    }
    out
}

/// The built-in scenarios as a Markdown table and what each replays.
fn scenarios_markdown() -> String {
    let scenarios = usd1eval_model::stress::builtin_scenarios();
    let mut out = markdown::table(
        &[
            ("id", Align::Left),
            (
                "redemptions (% of units; per business day, or per calendar day from a replay's start)",
                Align::Left,
            ),
            ("custodians frozen", Align::Left),
            ("price shocks", Align::Left),
            ("rate shock", Align::Left),
            ("chains down", Align::Left),
        ],
        scenarios.iter().map(|s| {
            let [redemptions, freezes, prices, rate, chains] = s.settings();
            [
                format!("`{}`", s.id),
                redemptions,
                freezes,
                prices,
                rate,
                chains,
            ]
        }),
    );
    out.push('\n');
    for s in scenarios {
        out.push_str(&format!(
            "- **`{}`: {}.** {}\n",
            s.id,
            s.title,
            s.description.trim()
        ));
    }
    out
}

/// JSON Schema (draft 2020-12) of an arrangement file, read as JSON: the TOML
/// converted value for value, dates as `YYYY-MM-DD` strings.
pub fn arrangement_json_schema() -> serde_json::Value {
    use crate::facts::schema::{self, Field, Kind};
    use serde_json::{Map, Value, json};

    /// Sets a key on a JSON object (a no-op on anything else).
    fn set(value: &mut Value, key: &str, v: Value) {
        if let Some(object) = value.as_object_mut() {
            object.insert(key.to_string(), v);
        }
    }

    fn field_schema(kind: Kind) -> Value {
        let number = |unit: Unit, integer: bool| {
            let mut s = json!({ "type": if integer { "integer" } else { "number" }, "minimum": 0 });
            let (_, high) = unit.range();
            if high < f64::MAX {
                // Whole bounds are written as integers (100, not 100.0).
                let max = if high.fract() == 0.0 {
                    json!(high as u64)
                } else {
                    json!(high)
                };
                set(&mut s, "maximum", max);
            }
            s
        };
        match kind {
            Kind::Bool => json!({ "type": "boolean" }),
            Kind::Number(u) => number(u, false),
            Kind::Integer(u) => number(u, true),
            Kind::Date => {
                json!({ "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$" })
            }
            Kind::Text => json!({ "type": "string" }),
            Kind::Enum(values) => json!({ "type": "string", "enum": schema::names_of(values) }),
            Kind::EnumList(values) => {
                json!({ "type": "array", "items": { "type": "string", "enum": schema::names_of(values) } })
            }
            Kind::CountryList => {
                json!({ "type": "array", "items": { "type": "string", "pattern": "^[A-Z]{2}(-[A-Z0-9]{1,3})?$" } })
            }
        }
    }

    fn table_schema(table: &crate::facts::schema::Table) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in table.fields {
            let mut s = field_schema(f.kind);
            set(&mut s, "description", json!(schema::defined(f)));
            properties.insert(f.name.to_string(), s);
            if f.required {
                required.push(f.name);
            }
        }
        if !table.path.is_empty() {
            properties.insert(schema::SOURCE_KEY.into(), json!({ "type": "string", "description": "URL or document reference carried into findings" }));
            let evidence = Field {
                name: schema::EVIDENCE_KEY,
                kind: Kind::Enum(schema::EVIDENCE_CHOICES),
                required: false,
                doc: "what backs this table's facts; undeclared, they are the issuer's word",
                example: "\"issuer\"",
            };
            let mut s = field_schema(evidence.kind);
            set(&mut s, "description", json!(schema::defined(&evidence)));
            properties.insert(schema::EVIDENCE_KEY.into(), s);
        }
        for child in schema::children(table.path) {
            let child_schema = table_schema(child);
            let value = if child.repeated {
                json!({ "type": "array", "items": child_schema })
            } else {
                child_schema
            };
            properties.insert(child.key().to_string(), value);
        }
        let mut s = json!({ "type": "object", "description": table.doc, "properties": properties, "additionalProperties": false });
        if !required.is_empty() {
            set(&mut s, "required", json!(required));
        }
        s
    }

    let mut root = match schema::table("") {
        Some(t) => table_schema(t),
        None => json!({}),
    };
    set(
        &mut root,
        "$schema",
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    set(
        &mut root,
        "$id",
        json!("https://usd1eval.example/schema/arrangement-1.json"),
    );
    set(&mut root, "title", json!("usd1eval arrangement, format 1"));
    set(&mut root, "required", json!(["format", "arrangement"]));
    if let Some(properties) = root.get_mut("properties") {
        set(
            properties,
            "format",
            json!({ "const": schema::FORMAT, "description": "format version; this build reads 1" }),
        );
    }
    root
}

/// The JSON Schema of `history --format json`.
pub fn history_json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(usd1eval_model::history::History))
        .unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "title".into(),
            serde_json::json!("usd1eval history, schema_version 1"),
        );
    }
    schema
}

/// JSON Schema of `stress --format json` (one object per arrangement).
pub fn stress_json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(crate::report::StressRun)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), serde_json::json!("usd1eval stress"));
    }
    schema
}

/// JSON Schema of the JSON report (`schema_version` 1).
pub fn report_json_schema() -> serde_json::Value {
    let mut schema =
        serde_json::to_value(schemars::schema_for!(crate::report::Report)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "title".into(),
            serde_json::json!("usd1eval report, schema_version 1"),
        );
    }
    schema
}
