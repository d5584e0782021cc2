//! [`Quantity`]: a number with its [`Unit`], and the one rounding rule and
//! the one way of printing each unit that every format uses.

use super::Unit;

/// A number with its unit, as every format writes it: one rounding rule and
/// one way to print per unit (`592.6 m USD`, `12.54%`, `25 bps`, `3.5 days`,
/// `1.5 h`, `1.009`, `12`). Tables, Markdown, HTML, history sentences and
/// stress lines all print quantities through this type; JSON carries the
/// number itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// The number, in `unit`.
    pub value: f64,
    /// What the number counts.
    pub unit: Unit,
}

impl Quantity {
    /// A number in a unit.
    pub fn new(value: f64, unit: Unit) -> Self {
        Quantity { value, unit }
    }

    /// The value rounded as the unit is printed: dollars to the cent,
    /// percentages to two decimals, days and hours to one, ratios to three,
    /// basis points and counts to whole numbers.
    pub fn rounded(self) -> f64 {
        use crate::number::round_to;
        let decimals = match self.unit {
            Unit::Usd | Unit::Pct => 2,
            Unit::Days | Unit::Hours => 1,
            Unit::Ratio => 3,
            Unit::Bps | Unit::Count => 0,
        };
        round_to(self.value, decimals)
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::number::fixed;
        let n = crate::facts::format_number;
        let v = self.rounded();
        match self.unit {
            Unit::Usd => f.write_str(&crate::number::usd(self.value)),
            Unit::Pct => write!(f, "{}%", n(v)),
            Unit::Bps => write!(f, "{} bps", n(v)),
            Unit::Days => write!(f, "{} days", n(v)),
            Unit::Hours => write!(f, "{} h", n(v)),
            Unit::Ratio => f.write_str(&fixed(v, 3)),
            Unit::Count => f.write_str(&n(v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Quantity, Unit};

    #[test]
    fn each_unit_has_one_rounding_and_one_way_to_print() {
        let q = |v: f64, unit: Unit| Quantity::new(v, unit).to_string();
        assert_eq!(q(592_600_000.0, Unit::Usd), "592.6 m USD");
        assert_eq!(q(12.544, Unit::Pct), "12.54%");
        assert_eq!(q(30.0, Unit::Pct), "30%");
        assert_eq!(q(-0.001, Unit::Pct), "0%");
        assert_eq!(q(24.6, Unit::Bps), "25 bps");
        assert_eq!(q(45.0, Unit::Days), "45 days");
        assert_eq!(q(1.25, Unit::Hours), "1.3 h");
        assert_eq!(q(1.0094, Unit::Ratio), "1.009");
        assert_eq!(q(5050.4, Unit::Count), "5050");
        assert_eq!(Quantity::new(67.184, Unit::Pct).rounded(), 67.18);
    }
}
