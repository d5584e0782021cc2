//! `[evidence]` and `[confidence]`: what each kind of evidence earns of a
//! check's points, and how much must be known, and how independently, for a
//! grade and for each level of confidence in it.

use super::Compiler;
use crate::rubric::draft::Located;
use crate::rubric::file::{ConfidenceFile, EvidenceFile};
use crate::rubric::{ConfidenceLevel, ConfidenceRule, EvidenceCredit};
use crate::source::Code;

impl Compiler<'_> {
    /// `[confidence]`: every share in percent, 0–100.
    pub(super) fn confidence(&mut self, located: Located<ConfidenceFile>) -> ConfidenceRule {
        let (loc, c) = (located.loc, located.value);
        let mut pct = |name: &str, value: Option<f64>| {
            let value = value.unwrap_or(0.0);
            if !(0.0..=100.0).contains(&value) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!("[confidence] has {name} = {value}; it must be 0–100"),
                    Some("a share in percent".into()),
                );
            }
            value
        };
        ConfidenceRule {
            min_known_pct: pct("min_known_pct", c.min_known_pct),
            high: ConfidenceLevel {
                known_pct: pct("high_known_pct", c.high_known_pct),
                independent_pct: pct("high_independent_pct", c.high_independent_pct),
            },
            medium: ConfidenceLevel {
                known_pct: pct("medium_known_pct", c.medium_known_pct),
                independent_pct: pct("medium_independent_pct", c.medium_independent_pct),
            },
        }
    }

    /// `[evidence]`: the credit of each kind given, 0–1; the rest earn 1.
    pub(super) fn evidence(&mut self, located: Located<EvidenceFile>) -> EvidenceCredit {
        let (loc, e) = (located.loc, located.value);
        let mut credit = EvidenceCredit::default();
        for (kind, value) in [
            ("independent-assurance", e.independent_assurance),
            ("regulator", e.regulator),
            ("third-party", e.third_party),
            ("issuer", e.issuer),
            ("unverified", e.unverified),
        ] {
            let Some(value) = value else { continue };
            if (0.0..=1.0).contains(&value) {
                credit.set(kind, value);
            } else {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!("[evidence] has {kind} = {value}; it must be 0–1"),
                    Some("the share of a check's points a fact backed by this kind earns".into()),
                );
            }
        }
        credit
    }
}

#[cfg(test)]
mod tests {
    use crate::rubric::{load_rubric, parse_text};

    #[test]
    fn evidence_credits_are_read_overlaid_and_bounded() {
        let base = load_rubric("milestones").unwrap();
        assert_eq!(base.evidence.credit(Some("unverified")), 0.5);
        assert_eq!(
            base.evidence.credit(None),
            1.0,
            "undeclared is the issuer's word"
        );
        let strict =
            parse_text("id = \"strict\"\nextends = \"milestones\"\n[evidence]\nissuer = 0.8\n")
                .unwrap();
        assert_eq!(strict.evidence.credit(None), 0.8);
        assert_eq!(
            strict.evidence.credit(Some("unverified")),
            0.5,
            "kept from the base"
        );
        assert_eq!(strict.evidence.credit(Some("regulator")), 1.0);
        let errors =
            parse_text("id = \"b\"\nextends = \"milestones\"\n[evidence]\nregulator = 2\n")
                .unwrap_err();
        assert!(errors[0].message.contains("regulator = 2"), "{errors:#?}");
    }
}
