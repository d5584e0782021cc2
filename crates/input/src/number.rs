//! Numbers as every output writes them: one rounding rule (round first, so
//! equal inputs give equal bytes and nothing prints as `-0.0`), whole
//! numbers as JSON integers. The lowest layer: facts, stress, the report and
//! every renderer use it, and it uses none of them.

use serde::{Serialize, Serializer};

/// A share written with one decimal and never as a negative zero: `25.0`.
pub fn format_pct(n: f64) -> String {
    fixed(n, 1)
}

/// A number with a fixed count of decimals, as every format prints one:
/// rounded first, so a value that rounds to zero is `0.0`, never `-0.0`.
pub fn fixed(n: f64, decimals: usize) -> String {
    format!("{:.decimals$}", round_to(n, decimals as i32))
}

/// A number written rounded to `.1` places (`Rounded(n, decimals)`); whole numbers become JSON
/// integers so that `1000000000` is not written `1000000000.0`, and NaN and
/// infinity are written null.
#[derive(Debug, Clone, Copy)]
pub struct Rounded(pub f64, pub i32);

impl Serialize for Rounded {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rounded = round_to(self.0, self.1);
        if rounded.fract() == 0.0 && rounded.abs() < 9.0e15 {
            serializer.serialize_i64(rounded as i64)
        } else {
            serializer.serialize_f64(rounded)
        }
    }
}

/// [`Rounded`] as a JSON value.
pub fn number_json(n: f64, decimals: i32) -> serde_json::Value {
    serde_json::to_value(Rounded(n, decimals)).unwrap_or_default()
}

/// Rounds a score to one decimal for display and output.
pub fn round1_value(n: f64) -> f64 {
    let r = (n * 10.0).round() / 10.0;
    if r == 0.0 { 0.0 } else { r }
}

/// Rounds to `decimals` places as the report writes numbers, with -0.0
/// normalised so that equal inputs give equal bytes.
pub fn round_to(n: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    let r = (n * factor).round() / factor;
    if r == 0.0 { 0.0 } else { r }
}

/// A dollar amount, as every output writes one: `950 USD`, `564,545 USD`,
/// `12.3 m USD`, `1.25 bn USD` (the unit chosen after rounding, so never
/// `1000.0 m USD`; never `-0.0`; a negative amount keeps its sign).
pub fn usd(n: f64) -> String {
    let sign = if n < 0.0 && round_to(n, 0) != 0.0 {
        "−"
    } else {
        ""
    };
    let v = n.abs();
    if round_to(v / 1e6, 1) >= 1000.0 {
        format!("{sign}{} bn USD", fixed(v / 1e9, 2))
    } else if round_to(v, 0) >= 1e6 {
        format!("{sign}{} m USD", fixed(v / 1e6, 1))
    } else {
        format!("{sign}{} USD", grouped(v))
    }
}

/// Whole dollars with thousands separators: `564,545`.
pub fn grouped(v: f64) -> String {
    let digits = fixed(v, 0);
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", digits),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_are_written_one_way() {
        assert_eq!(usd(950.4), "950 USD");
        assert_eq!(usd(564_545.0), "564,545 USD");
        assert_eq!(usd(999_999.7), "1.0 m USD");
        assert_eq!(usd(999_960_000.0), "1.00 bn USD");
        assert_eq!(usd(12_340_000.0), "12.3 m USD");
        assert_eq!(usd(1_250_000_000.0), "1.25 bn USD");
        assert_eq!(usd(-0.2), "0 USD");
        assert_eq!(usd(-3_000_000.0), "−3.0 m USD");
    }

    #[test]
    fn fixed_never_writes_a_negative_zero() {
        assert_eq!(fixed(-0.04, 1), "0.0");
        assert_eq!(fixed(2.25, 1), "2.3");
    }
}
