//! The JSON report: pretty for one file, JSON Lines for several.
//!
//! The serde derive on [`Report`] defines the JSON (it also gives the JSON
//! Schema), and `pretty` uses it. JSON Lines is what a batch of thousands of
//! files writes, so [`line`] writes the same bytes by hand: keys are literal
//! text, strings are escaped only when they need it, and rounded numbers are
//! written from integers. Tests prove it byte-identical to serde's output on
//! the examples and on generated arrangements; a field added to the report
//! and not here fails them.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::facts::Value;
use crate::report::{Finding, MilestoneResult, Observed, Report, round_to};
use crate::rubric::{Check, CheckJson, Milestone, Rubric};
use crate::source::Diagnostic;

/// One report as an indented JSON document, newline-terminated.
pub fn pretty(report: &Report) -> String {
    // Serializing plain structs and maps of strings cannot fail; the fallback
    // keeps a bug from turning into a panic.
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize report: {e}\"}}"));
    text.push('\n');
    text
}

/// One report as a single line, for JSON Lines output: the bytes
/// `serde_json::to_string` would write, and a newline. `rubric` is the one
/// the report was evaluated with: its checks' texts are copied already
/// escaped ([`crate::rubric::CheckJson`]).
pub fn line(report: &Report, rubric: &Rubric) -> String {
    // A report is some 90 KB, nearly all of it findings. Room for all of it
    // up front: growing the string would copy it and touch fresh pages.
    let mut w = Line(String::with_capacity(capacity_for(rubric)));
    w.report(report, rubric);
    w.0.push('\n');
    w.0
}

/// Room for a report under `rubric`: each finding's fixed parts and
/// longest message, what its value, line and source usually take, and the
/// rest of the report.
fn capacity_for(rubric: &Rubric) -> usize {
    let findings: usize = rubric
        .milestones
        .iter()
        .flat_map(|m| &m.checks)
        .map(|c| {
            let j = c.json();
            j.head.len()
                + j.fact.len()
                + j.expected.len()
                + j.points.len()
                + j.met_message.len().max(j.missing_message.len())
                + 256
        })
        .sum();
    findings + 16 * 1024
}

/// A compact JSON writer for the report's shape.
struct Line(String);

impl Line {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    fn bool(&mut self, b: bool) {
        self.raw(if b { "true" } else { "false" });
    }

    fn uint(&mut self, n: u32) {
        self.raw(itoa::Buffer::new().format(n));
    }

    /// A string, quoted and escaped as serde_json escapes it.
    fn str(&mut self, s: &str) {
        self.0.push('"');
        if needs_escape(s.as_bytes()) {
            self.escaped(s);
        } else {
            self.0.push_str(s);
        }
        self.0.push('"');
    }

    fn escaped(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '"' => self.raw("\\\""),
                '\\' => self.raw("\\\\"),
                '\n' => self.raw("\\n"),
                '\r' => self.raw("\\r"),
                '\t' => self.raw("\\t"),
                '\u{8}' => self.raw("\\b"),
                '\u{c}' => self.raw("\\f"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(self.0, "\\u{:04x}", u32::from(c));
                }
                c => self.0.push(c),
            }
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    /// A number rounded to `decimals` places (1 to 4), as serde_json writes
    /// the `f64` that [`round_to`] gives.
    fn rounded(&mut self, n: f64, decimals: u32) {
        let unit = 10u64.pow(decimals);
        // `round_to` divides this by `unit`; below 10^15 serde_json writes
        // that quotient as plain decimals, which these digits are.
        let scaled = (n * unit as f64).round();
        if !(scaled.is_finite() && scaled.abs() < 1e15 && decimals > 0) {
            let r = round_to(n, decimals as i32);
            self.raw(
                &serde_json::Number::from_f64(r)
                    .map_or_else(|| "null".to_string(), |n| n.to_string()),
            );
            return;
        }
        let scaled = scaled as i64;
        if scaled < 0 {
            self.0.push('-');
        }
        let magnitude = scaled.unsigned_abs();
        self.raw(itoa::Buffer::new().format(magnitude / unit));
        self.0.push('.');
        let mut fraction = magnitude % unit;
        if fraction == 0 {
            self.0.push('0');
            return;
        }
        // Leading zeros of the fraction, then its digits without trailing zeros.
        let mut width = decimals;
        while fraction % 10 == 0 {
            fraction /= 10;
            width -= 1;
        }
        let digits = itoa::Buffer::new().format(fraction).len() as u32;
        for _ in digits..width {
            self.0.push('0');
        }
        self.raw(itoa::Buffer::new().format(fraction));
    }

    fn opt_rounded(&mut self, n: Option<f64>, decimals: u32) {
        match n {
            Some(n) => self.rounded(n, decimals),
            None => self.raw("null"),
        }
    }

    fn value(&mut self, v: &serde_json::Value) {
        match v {
            serde_json::Value::Null => self.raw("null"),
            serde_json::Value::Bool(b) => self.bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => self.raw(itoa::Buffer::new().format(i)),
                None => {
                    let _ = write!(self.0, "{n}");
                }
            },
            serde_json::Value::String(s) => self.str(s),
            serde_json::Value::Array(items) => self.list(items, |w, item| w.value(item)),
            serde_json::Value::Object(map) => self.object(map.iter().map(|(k, v)| (k.as_str(), v))),
        }
    }

    /// What a finding saw, as [`Observed::to_json`] gives it.
    fn observed(&mut self, o: &Observed) {
        match o {
            Observed::Nothing => self.raw("null"),
            Observed::Value(Value::Bool(b)) => self.bool(*b),
            Observed::Value(Value::Number(n)) => {
                // Whole numbers are integers in the report, others rounded floats.
                let r = round_to(*n, 4);
                if r.fract() == 0.0 && r.abs() < 9.0e15 {
                    self.raw(itoa::Buffer::new().format(r as i64));
                } else {
                    self.rounded(*n, 4);
                }
            }
            Observed::Value(Value::Date(d)) => self.date(*d),
            Observed::Value(Value::Text(s)) => self.str(s),
            Observed::Value(Value::List(items)) => self.list(items, |w, item| w.str(item)),
            Observed::Entries { satisfied, of } => {
                self.raw("{\"of\":");
                self.raw(itoa::Buffer::new().format(*of));
                self.raw(",\"satisfied\":");
                self.raw(itoa::Buffer::new().format(*satisfied));
                self.raw("}");
            }
        }
    }

    /// A date as `"YYYY-MM-DD"`, as chrono writes years 0 to 9999 (the
    /// only years TOML has).
    fn date(&mut self, d: NaiveDate) {
        let year = d.year();
        if !(0..=9999).contains(&year) {
            self.str(&d.to_string());
            return;
        }
        // Each number fits its width, so each digit is 0 to 9.
        fn digits(out: &mut String, n: u32, width: u32) {
            for place in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
            }
        }
        self.0.push('"');
        digits(&mut self.0, year.unsigned_abs(), 4);
        self.0.push('-');
        digits(&mut self.0, d.month(), 2);
        self.0.push('-');
        digits(&mut self.0, d.day(), 2);
        self.0.push('"');
    }

    /// A JSON object of `entries`, in their order.
    fn object<'a>(&mut self, entries: impl Iterator<Item = (&'a str, &'a serde_json::Value)>) {
        self.0.push('{');
        for (i, (key, value)) in entries.enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            self.str(key);
            self.0.push(':');
            self.value(value);
        }
        self.0.push('}');
    }

    /// A JSON array of `items`, each written by `item`.
    fn list<T>(&mut self, items: &[T], mut item: impl FnMut(&mut Self, &T)) {
        self.0.push('[');
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            item(self, x);
        }
        self.0.push(']');
    }

    fn report(&mut self, r: &Report, rubric: &Rubric) {
        self.raw("{\"schema_version\":");
        self.uint(r.schema_version);
        self.raw(",\"tool\":{\"name\":");
        self.str(r.tool.name);
        self.raw(",\"version\":");
        self.str(r.tool.version);
        self.raw("},\"rubric\":{\"id\":");
        self.str(r.rubric.id);
        self.raw(",\"version\":");
        self.str(r.rubric.version);
        self.raw(",\"sha256\":");
        self.str(r.rubric.sha256);
        self.raw("},\"evaluated_as_of\":");
        self.str(&r.evaluated_as_of);
        let a = &r.arrangement;
        self.raw(",\"arrangement\":{\"name\":");
        self.str(&a.name);
        self.raw(",\"issuer\":");
        self.opt_str(a.issuer.as_deref());
        self.raw(",\"path\":");
        self.str(&a.path);
        self.raw(",\"sha256\":");
        self.str(&a.sha256);
        self.raw(",\"as_of\":");
        self.str(&a.as_of);
        let o = &r.overall;
        self.raw("},\"overall\":{\"score\":");
        self.rounded(o.score, 1);
        self.raw(",\"grade\":");
        self.str(o.grade);
        self.raw(",\"uncapped_grade\":");
        self.str(o.uncapped_grade);
        self.raw(",\"coverage_pct\":");
        self.rounded(o.coverage_pct, 1);
        self.raw("},\"caps\":");
        self.list(&r.caps, |w, c| {
            w.raw("{\"id\":");
            w.str(&c.id);
            w.raw(",\"reason\":");
            w.str(&c.reason);
            w.raw(",\"max_grade\":");
            w.str(&c.max_grade);
            w.raw(",\"title\":");
            w.str(&c.title);
            w.raw(",\"binding\":");
            w.bool(c.binding);
            w.raw("}");
        });
        let s = &r.stage;
        self.raw(",\"stage\":{\"claimed\":");
        self.opt_str(s.claimed.as_deref());
        self.raw(",\"visible\":");
        self.opt_str(s.visible.as_deref());
        self.raw(",\"evidenced\":");
        self.opt_str(s.evidenced.as_deref());
        self.raw(",\"outruns\":");
        self.bool(s.outruns);
        self.raw(",\"held_down_by\":");
        self.list(&s.held_down_by, |w, id| w.str(id));
        self.raw("},\"buckets\":");
        self.list(&r.buckets, |w, b| {
            w.raw("{\"id\":");
            w.str(b.id);
            w.raw(",\"title\":");
            w.str(b.title);
            w.raw(",\"score\":");
            w.opt_rounded(b.score, 1);
            w.raw(",\"grade\":");
            w.opt_str(b.grade);
            w.raw(",\"coverage_pct\":");
            w.rounded(b.coverage_pct, 1);
            w.raw("}");
        });
        self.raw(",\"layers\":");
        self.list(&r.layers, |w, l| {
            w.raw("{\"id\":");
            w.str(l.id);
            w.raw(",\"title\":");
            w.str(l.title);
            w.raw(",\"score\":");
            w.opt_rounded(l.score, 1);
            w.raw("}");
        });
        self.raw(",\"matrix\":");
        self.list(&r.matrix, |w, c| {
            w.raw("{\"bucket\":");
            w.str(c.bucket);
            w.raw(",\"layer\":");
            w.str(c.layer);
            w.raw(",\"score\":");
            w.opt_rounded(c.score, 1);
            w.raw("}");
        });
        self.raw(",\"milestones\":");
        self.list(&r.milestones, |w, m| {
            // The report's milestones are the rubric's, in its order.
            let compiled = rubric
                .milestones
                .iter()
                .find(|c| std::ptr::eq(c.id.as_str(), m.id));
            w.milestone(m, compiled);
        });
        self.raw(",\"derived\":");
        self.object(r.derived.iter().map(|(name, value)| (*name, value)));
        self.raw(",\"profiles\":");
        self.list(&r.profiles, |w, p| {
            w.raw("{\"id\":");
            w.str(&p.id);
            w.raw(",\"passed\":");
            w.bool(p.passed);
            w.raw(",\"requirements\":");
            w.list(&p.requirements, |w, q| {
                w.raw("{\"id\":");
                w.str(&q.id);
                w.raw(",\"clause\":");
                w.str(&q.clause);
                w.raw(",\"outcome\":");
                w.str(q.outcome.as_str());
                w.raw(",\"message\":");
                w.str(&q.message);
                w.raw(",\"title\":");
                w.str(&q.title);
                w.raw(",\"missing_fact\":");
                w.opt_str(q.missing_fact.as_deref());
                w.raw("}");
            });
            w.raw(",\"title\":");
            w.str(&p.title);
            w.raw(",\"source\":");
            w.str(&p.source);
            w.raw(",\"notice\":");
            w.str(&p.notice);
            w.raw(",\"applies_from\":");
            w.opt_str(p.applies_from.as_deref());
            w.raw(",\"applies_from_note\":");
            w.opt_str(p.applies_from_note.as_deref());
            w.raw(",\"in_force\":");
            w.bool(p.in_force);
            w.raw(",\"verdict\":");
            w.str(p.verdict.as_str());
            w.raw("}");
        });
        self.raw(",\"next_steps\":");
        self.list(&r.next_steps, |w, n| {
            w.raw("{\"milestone\":");
            w.str(n.milestone);
            w.raw(",\"fact\":");
            w.str(n.fact);
            w.raw(",\"check\":");
            w.str(n.check);
            w.raw(",\"gain\":");
            w.rounded(n.gain, 2);
            w.raw(",\"action\":");
            w.str(&n.action);
            w.raw("}");
        });
        self.raw(",\"gates\":{\"passed\":");
        self.bool(r.gates.passed);
        self.raw(",\"failures\":");
        self.list(&r.gates.failures, |w, f| {
            w.raw("{\"gate\":");
            w.str(&f.gate);
            w.raw(",\"reason\":");
            w.str(&f.reason);
            w.raw("}");
        });
        self.raw("},\"diagnostics\":");
        self.list(&r.diagnostics, Self::diagnostic);
        self.raw("}");
    }

    fn milestone(&mut self, m: &MilestoneResult, compiled: Option<&Milestone>) {
        self.raw("{\"id\":");
        self.str(m.id);
        self.raw(",\"title\":");
        self.str(m.title);
        self.raw(",\"bucket\":");
        self.str(m.bucket);
        self.raw(",\"layers\":");
        self.list(m.layers, |w, l| w.str(l));
        self.raw(",\"score\":");
        self.opt_rounded(m.score, 1);
        self.raw(",\"findings\":");
        let checks = compiled.map_or(&[][..], |c| c.checks.as_slice());
        self.list(&m.findings, |w, f| {
            let check = checks.iter().find(|c| std::ptr::eq(c.id.as_str(), f.check));
            w.finding(f, check);
        });
        self.raw("}");
    }

    fn finding(&mut self, f: &Finding, check: Option<&Check>) {
        // The compiled parts are copied only when the finding borrows its
        // texts from that very check and has its points; otherwise they
        // are made here from the finding.
        let made;
        let parts = match check {
            Some(c)
                if std::ptr::eq(f.check, c.id.as_str())
                    && std::ptr::eq(f.fact, c.fact.as_str())
                    && std::ptr::eq(f.expected, c.expected.as_str())
                    && f.points.to_bits() == c.points.to_bits() =>
            {
                c.json()
            }
            _ => {
                made = CheckJson::around(f.check, f.fact, f.expected, f.points);
                &made
            }
        };
        self.raw(&parts.head);
        self.raw(f.outcome.as_str());
        self.raw(&parts.fact);
        self.observed(&f.value);
        self.raw(&parts.expected);
        match f.line {
            Some(line) => self.uint(line),
            None => self.raw("null"),
        }
        self.raw(",\"source\":");
        self.opt_str(f.source.as_deref());
        self.raw(",\"message\":");
        let message = f.message.as_ref();
        match check {
            Some(c) if std::ptr::eq(message, c.met_message.as_str()) => {
                self.raw(&c.json().met_message);
            }
            Some(c) if std::ptr::eq(message, c.missing_message.as_str()) => {
                self.raw(&c.json().missing_message);
            }
            _ => self.str(message),
        }
        self.raw(&parts.points);
        if f.earned.to_bits() == f.points.to_bits() {
            self.raw(&parts.all_points);
        } else {
            self.rounded(f.earned, 2);
        }
        self.raw(",\"waived\":");
        self.opt_str(f.waived.as_deref());
        self.raw("}");
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.raw("{\"severity\":");
        self.str(d.severity.as_str());
        self.raw(",\"file\":");
        self.str(&d.file);
        self.raw(",\"line\":");
        self.uint(d.line);
        self.raw(",\"column\":");
        self.uint(d.column);
        self.raw(",\"message\":");
        self.str(&d.message);
        self.raw(",\"help\":");
        self.opt_str(d.help.as_deref());
        self.raw("}");
    }
}

/// True when a string holds a byte JSON must escape (`"`, `\\`, or a
/// control character). Looks at eight bytes at a time: most strings in a
/// report are short and need no escaping.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `x` that is below `n` (for n <= 128).
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGHS;
    let is = |x: u64, b: u8| below(x ^ (ONES * u64::from(b)), 1);
    let flagged = |x: u64| below(x, 0x20) | is(x, b'"') | is(x, b'\\') != 0;
    let word = |chunk: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        u64::from_le_bytes(word)
    };
    // Sixteen bytes per step: two words, one branch.
    let mut pairs = bytes.chunks_exact(16);
    for pair in &mut pairs {
        let (a, b) = pair.split_at(8);
        if flagged(word(a)) | flagged(word(b)) {
            return true;
        }
    }
    let mut chunks = pairs.remainder().chunks_exact(8);
    if chunks.next().is_some_and(|chunk| flagged(word(chunk))) {
        return true;
    }
    // The last few bytes, padded with spaces (which never need escaping), as
    // one more word rather than byte by byte.
    let rest = chunks.remainder();
    let mut word = [b' '; 8];
    if let Some(head) = word.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    flagged(u64::from_le_bytes(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_line(report: &Report) -> String {
        serde_json::to_string(report).unwrap() + "\n"
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "plain",
            "quote \" and \\ backslash",
            "tab\tnew\nline\r",
            "\u{1}\u{8}\u{c}\u{1f}\u{7f}",
            "ünïcödé ✓",
            "",
            "eight ch",
            "a longer string with a \" quote after eight bytes",
            "a longer string with a control \u{1f} after eight bytes",
            "a longer string with a backslash \\ after eight bytes",
            "bytes at 0x20 and 0x7f and 0x80: \u{20}\u{7f}\u{80}\u{ff} and more",
        ] {
            let mut w = Line(String::new());
            w.str(s);
            assert_eq!(w.0, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn every_byte_at_every_position_is_classified_as_json_requires() {
        // Lengths that reach each path: pairs of words, one word, the tail.
        for len in [1, 7, 8, 9, 16, 23, 24, 27, 40] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let expected = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(
                        needs_escape(&bytes),
                        expected,
                        "byte {b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }

    #[test]
    fn rounded_numbers_are_written_as_serde_json_writes_them() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            0.5,
            0.05,
            0.005,
            0.015,
            99.95,
            100.0,
            12.345,
            1e-9,
            -3.25,
            1e13,
            123_456_789.123,
            1e15,
            1e16,
            1e20,
            f64::NAN,
            f64::INFINITY,
        ];
        for n in cases {
            for decimals in [1, 2, 4] {
                let mut w = Line(String::new());
                w.rounded(n, decimals);
                let expected = serde_json::to_string(&round_to(n, decimals as i32)).unwrap();
                assert_eq!(w.0, expected, "{n} to {decimals} places");
            }
        }
        // A sweep over magnitudes and fractions, negative ones included.
        for i in 0..200_000u32 {
            let n = (f64::from(i) - 50_000.0) * 0.012_345_7 * 10f64.powi((i % 13) as i32 - 4);
            for decimals in [1, 2] {
                let mut w = Line(String::new());
                w.rounded(n, decimals);
                let expected = serde_json::to_string(&round_to(n, decimals as i32)).unwrap();
                assert_eq!(w.0, expected, "{n} to {decimals} places");
            }
        }
    }

    #[test]
    fn observed_values_are_written_as_serde_json_writes_them() {
        use crate::facts::Value;
        let date =
            |y, m, d| Observed::Value(Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap()));
        for observed in [
            Observed::Nothing,
            Observed::Entries {
                satisfied: 2,
                of: 13,
            },
            Observed::Value(Value::Bool(false)),
            Observed::Value(Value::Number(1e6)),
            Observed::Value(Value::Number(-0.0)),
            Observed::Value(Value::Number(2.000_01)),
            Observed::Value(Value::Number(0.123_456)),
            Observed::Value(Value::Number(1e16)),
            Observed::Value(Value::Text("say \"hi\"".into())),
            Observed::Value(Value::List(vec!["US".into(), "US-NY".into()])),
            Observed::Value(Value::List(Vec::new())),
            date(2026, 9, 30),
            date(0, 1, 1),
            date(9999, 12, 31),
            date(12_345, 6, 7),
            date(-44, 3, 15),
        ] {
            let mut w = Line(String::new());
            w.observed(&observed);
            assert_eq!(
                w.0,
                serde_json::to_string(&observed).unwrap(),
                "{observed:?}"
            );
        }
    }

    #[test]
    fn compiled_check_texts_give_the_bytes_serde_writes() {
        // Texts that need escaping, copied from the compiled check.
        let mut rubric = crate::rubric::load_rubric("milestones").unwrap();
        for check in rubric.milestones.iter_mut().flat_map(|m| &mut m.checks) {
            check.met_message = format!("\"{}\"\t: met", check.title);
            check.missing_message.push_str(" \\ see \"docs\"");
            check.expected.push_str(" \"or so\"");
            check.points += 0.125;
            // The compiled parts are made from the changed texts.
            check.json = std::sync::OnceLock::new();
        }
        let source = crate::source::SourceFile::read("examples/weak.toml").unwrap();
        let arrangement = crate::facts::Arrangement::from_source(&source).unwrap();
        let report = crate::eval::evaluate(&rubric, &[], &arrangement, arrangement.facts.as_of);
        let met = report.milestones.iter().flat_map(|m| &m.findings);
        assert!(met.clone().any(|f| f.message.starts_with('"')));
        assert!(met.clone().any(|f| f.message.ends_with("\"docs\"")));
        assert!(met.clone().any(|f| f.earned > 0.0 && f.earned < f.points));
        assert_eq!(line(&report, &rubric), serde_line(&report));
        // Another rubric's texts are never copied: its strings are not the
        // report's, so each is escaped here.
        let other = crate::rubric::load_rubric("milestones").unwrap();
        assert_eq!(line(&report, &other), serde_line(&report));

        // The compiled texts are what is copied (a marker shows it).
        let mut marked = crate::rubric::load_rubric("milestones").unwrap();
        for check in marked.milestones.iter_mut().flat_map(|m| &mut m.checks) {
            let mut json = crate::rubric::CheckJson::of(check);
            json.met_message = "\"copied\"".into();
            json.head = "{\"check\":\"marked\",\"outcome\":\"".into();
            check.json = std::sync::OnceLock::from(json);
        }
        let report = crate::eval::evaluate(&marked, &[], &arrangement, arrangement.facts.as_of);
        assert!(line(&report, &marked).contains("\"message\":\"copied\""));
        assert!(line(&report, &marked).contains("{\"check\":\"marked\""));
        assert!(!line(&report, &other).contains("\"marked\""));
        assert!(!line(&report, &other).contains("\"copied\""));
    }

    #[test]
    fn every_example_report_is_byte_identical_to_serde() {
        let rubric = crate::rubric::load_rubric("milestones").unwrap();
        let profiles: Vec<_> = crate::rubric::profile::names()
            .map(|name| crate::rubric::profile::load_profile(name).unwrap())
            .collect();
        let mut files = 0;
        for dir in ["examples", "examples/calibration"] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "toml") {
                    continue;
                }
                let source = crate::source::SourceFile::read(path.to_str().unwrap()).unwrap();
                let arrangement = crate::facts::Arrangement::from_source(&source).unwrap();
                let mut report = crate::eval::evaluate(
                    &rubric,
                    &profiles,
                    &arrangement,
                    arrangement.facts.as_of,
                );
                let written = line(&report, &rubric);
                assert_eq!(written, serde_line(&report), "{}", path.display());
                // The room made up front holds the whole line.
                assert!(
                    written.len() <= capacity_for(&rubric),
                    "{}: {} bytes, room for {}",
                    path.display(),
                    written.len(),
                    capacity_for(&rubric)
                );
                // What gates and waivers add to a report.
                report.gates.passed = false;
                report.gates.failures.push(crate::report::GateFailure {
                    gate: "fail-under".into(),
                    reason: "score \"low\"\n".into(),
                });
                if let Some(f) = report
                    .milestones
                    .first_mut()
                    .and_then(|m| m.findings.first_mut())
                {
                    f.waived = Some("accepted until the audit".into());
                }
                report
                    .diagnostics
                    .push(crate::source::Diagnostic::file_error("x.toml", "warning"));
                assert_eq!(
                    line(&report, &rubric),
                    serde_line(&report),
                    "{} with gates",
                    path.display()
                );
                files += 1;
            }
        }
        assert!(files >= 7, "found {files} example files");
    }
}
