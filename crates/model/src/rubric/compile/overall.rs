//! What the overall grade rests on: `[overall]` (bucket scores pulled toward
//! the anchor buckets), `[[penalty]]` (points off for a weakness in
//! proportion to its size), `[[core]]` (facts without which no grade is
//! given) and `absent` (what an absent fact counts as).

use super::Compiler;
use crate::facts::schema::{self, Target};
use crate::rubric::draft::{Loc, Located, field};
use crate::rubric::file::{CoreFile, OverallFile, PenaltyFile};
use crate::rubric::{Absent, Bucket, ConditionOperator, CoreFact, OverallRule, Penalty};
use crate::source::Code;

impl Compiler<'_> {
    /// `absent`: what an absent fact counts as (`unknown` when not given).
    pub(super) fn absent(&mut self, absent: Option<Located<String>>) -> Absent {
        let Some(absent) = absent else {
            return Absent::default();
        };
        Absent::parse(&absent.value).unwrap_or_else(|| {
            self.error(
                Code::UnknownValue,
                absent.loc,
                format!("`absent` is \"{}\"", absent.value),
                Some(format!(
                    "allowed values: {}",
                    schema::quote_list(Absent::NAMES)
                )),
            );
            Absent::default()
        })
    }

    /// Resolves a fact path a rubric names outside a check, reporting an
    /// unknown one.
    fn fact(&mut self, fact: &str, owner: &str, loc: Loc) -> Option<Target> {
        let target = crate::figures::resolve(fact);
        if target.is_none() {
            self.error(
                Code::UnknownReference,
                loc,
                format!("{owner} reads unknown fact `{fact}`"),
                Some("fact paths are listed in docs/fields.md and docs/derived.md".into()),
            );
        }
        target
    }

    /// One `[[core]]` fact, its path resolved; `None` for an unknown path.
    pub(super) fn core_fact(&mut self, located: Located<CoreFile>) -> Option<CoreFact> {
        let (loc, c) = (located.loc, located.value);
        let target = self.fact(&c.fact, "core fact", loc)?;
        let owner = format!("core fact `{}`", c.fact);
        let or = self.predicates(c.or.as_deref().unwrap_or_default(), &owner, loc);
        Some(CoreFact {
            title: c.title.unwrap_or_else(|| c.fact.clone()),
            fact: c.fact,
            target,
            or,
        })
    }

    /// `[overall]`: its anchor buckets among `buckets`, and its bounds.
    pub(super) fn overall(
        &mut self,
        located: Located<OverallFile>,
        buckets: &[Bucket],
    ) -> OverallRule {
        let (loc, o) = (located.loc, located.value);
        let mut anchor = Vec::new();
        for id in o.anchor.unwrap_or_default() {
            match buckets.iter().position(|b| b.id == id) {
                Some(i) if !anchor.contains(&i) => anchor.push(i),
                Some(_) => self.error(
                    Code::Duplicate,
                    loc,
                    format!("[overall] names `{id}` twice"),
                    None,
                ),
                None => {
                    let hint =
                        crate::text::did_you_mean(&id, buckets.iter().map(|b| b.id.as_str()))
                            .map(|s| format!("did you mean `{s}`?"));
                    self.error(
                        Code::UnknownReference,
                        loc,
                        format!("[overall] anchors on unknown bucket `{id}`"),
                        hint,
                    );
                }
            }
        }
        let mut bounded = |name: &str, value: Option<f64>, range: std::ops::RangeInclusive<f64>| {
            let value = value.unwrap_or(0.0);
            if !range.contains(&value) {
                self.error(
                    Code::OutOfRange,
                    loc,
                    format!(
                        "[overall] has {name} = {value}; it must be {}–{}",
                        range.start(),
                        range.end()
                    ),
                    None,
                );
            }
            value
        };
        OverallRule {
            pull: bounded("pull", o.pull, 0.0..=1.0),
            max_up: bounded("max_up", o.max_up, 0.0..=100.0),
            max_down: bounded("max_down", o.max_down, 0.0..=100.0),
            anchor,
        }
    }

    /// One `[[penalty]]`: a number it reads, a direction and its rates.
    pub(super) fn penalty(&mut self, located: Located<PenaltyFile>) -> Option<Penalty> {
        let (loc, keys, p) = (located.loc, located.keys, located.value);
        let owner = format!("penalty `{}`", p.id);
        let fact = self.require(p.fact, "fact", &owner, loc);
        let target = if fact.is_empty() {
            None
        } else {
            self.fact(&fact, &owner, loc)
        };
        if let Some(t) = target
            && (!t.kind().is_numeric() || matches!(t, Target::EachField(..)))
        {
            self.error(
                Code::Operator,
                loc,
                format!("{owner} reads `{fact}`, which is {}", t.kind().describe()),
                Some("a penalty needs a number field of a plain table or a derived number".into()),
            );
        }
        let op = p.op.as_deref().unwrap_or_default();
        let below = match ConditionOperator::parse(op) {
            Some(ConditionOperator::Below) => true,
            Some(ConditionOperator::Above) => false,
            _ => {
                let (below, above) = (ConditionOperator::Below, ConditionOperator::Above);
                self.error(
                    Code::Operator,
                    field(loc, &keys, "op"),
                    format!("{owner} has op {op:?}"),
                    Some(format!(
                        "`op = \"{}\"` or `op = \"{}\"`",
                        below.name(),
                        above.name()
                    )),
                );
                false
            }
        };
        let mut number = |name: &str, value: Option<f64>, positive: bool| {
            let ok = value.is_some_and(|v| v.is_finite() && (!positive || v > 0.0));
            if !ok {
                let need = if positive {
                    "a positive number"
                } else {
                    "a number"
                };
                self.error(
                    Code::MissingKey,
                    loc,
                    format!("{owner} needs `{name}`, {need}"),
                    None,
                );
            }
            value.unwrap_or(0.0)
        };
        let threshold = number("value", p.value, false);
        let per_unit = number("per_unit", p.per_unit, true);
        let max = number("max", p.max, true);
        Some(Penalty {
            title: self.require(p.title, "title", &owner, loc),
            id: p.id,
            fact,
            target: target?,
            below,
            threshold,
            per_unit,
            max,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::rubric::{Absent, parse_text};

    #[test]
    fn the_judgment_keys_are_validated_and_can_be_overridden() {
        let strict = parse_text(
            "id = \"s\"\ntitle = \"S\"\nextends = \"milestones\"\nabsent = \"unmet\"\n\
             [overall]\npull = 0.2\n\
             [[penalty]]\nid = \"reserve-shortfall\"\nper_unit = 5\n\
             [[core]]\nfact = \"reserves.asset[]\"\n",
        )
        .unwrap();
        assert_eq!(strict.absent, Absent::Unmet);
        // Overridden fields change; the rest is inherited.
        assert_eq!(strict.overall.pull, 0.2);
        assert_eq!(strict.overall.max_down, 15.0);
        assert_eq!(strict.overall.anchor.len(), 2);
        let shortfall = strict
            .penalties
            .iter()
            .find(|p| p.id == "reserve-shortfall")
            .unwrap();
        assert_eq!((shortfall.per_unit, shortfall.max), (5.0, 60.0));
        // A core list replaces the base's.
        assert_eq!(strict.core.len(), 1);

        let errors = parse_text(
            "id = \"b\"\ntitle = \"B\"\nextends = \"milestones\"\nabsent = \"maybe\"\n\
             [overall]\nanchor = [\"reserve-custdy\"]\npull = 2\n\
             [[penalty]]\nid = \"p\"\ntitle = \"P\"\nfact = \"redemption.eligible\"\nop = \"beyond\"\nvalue = 0\nper_unit = 0\nmax = 1\n\
             [[core]]\nfact = \"reserves.nothing\"\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(|d| d.message.clone()).collect();
        for expected in [
            "`absent` is \"maybe\"",
            "[overall] anchors on unknown bucket `reserve-custdy`",
            "[overall] has pull = 2",
            "penalty `p` reads `redemption.eligible`",
            "penalty `p` has op \"beyond\"",
            "penalty `p` needs `per_unit`",
            "core fact reads unknown fact `reserves.nothing`",
        ] {
            assert!(
                text.iter().any(|t| t.contains(expected)),
                "{expected} in {text:#?}"
            );
        }
        assert!(errors.iter().all(|d| d.line > 0));
    }
}
