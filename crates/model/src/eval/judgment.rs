//! Judgment on top of the weighted scores: weakest-link caps, the lifecycle
//! stage verdict (does growth outrun strength?), and the next steps that would
//! raise the score most.

use std::borrow::Cow;
use usd1eval_format::fact;

use crate::facts::{Derived, Facts};
use crate::report::{
    BucketScore, CapHit, CoreGap, MilestoneResult, NextStep, Outcome, PenaltyHit, Stage,
};
use crate::rubric::predicate::Predicate;
use crate::rubric::{Absent, Cap, Rubric};

use super::predicate::{answer, declared, number, raw_answer};
use super::score;

/// Whether a cap applies, and whether the declared facts alone make it apply.
fn applies(cap: &Cap, facts: &Facts, derived: &Derived) -> (bool, bool) {
    let holds = |ask: &dyn Fn(&Predicate) -> Option<bool>| {
        let all = !cap.when_all.is_empty() && cap.when_all.iter().all(|p| ask(p) == Some(true));
        let any = cap.when_any.iter().any(|p| ask(p) == Some(true));
        all || any
    };
    (
        holds(&|p| answer(p, facts, derived)),
        holds(&|p| raw_answer(p, facts, derived)),
    )
}

/// The caps that apply, and the grade after them.
pub fn caps<'r>(
    rubric: &'r Rubric,
    facts: &Facts,
    derived: &Derived,
    uncapped: &'r str,
) -> (Vec<CapHit>, &'r str) {
    let mut grade = uncapped;
    let mut hits = Vec::new();
    for cap in &rubric.caps {
        let (applies, known) = applies(cap, facts, derived);
        if !applies {
            continue;
        }
        let binding = rubric.grade_rank(&cap.max_grade) > rubric.grade_rank(uncapped);
        grade = rubric.worse_grade(grade, &cap.max_grade);
        hits.push(CapHit {
            id: cap.id.clone(),
            title: cap.title.clone(),
            reason: cap.reason.clone(),
            max_grade: cap.max_grade.clone(),
            binding,
            known,
            waived: None,
        });
    }
    (hits, grade)
}

/// The rubric's core facts that the file does not declare.
pub fn missing_core<'r>(rubric: &'r Rubric, facts: &Facts, derived: &Derived) -> Vec<CoreGap<'r>> {
    rubric
        .core
        .iter()
        .filter(|c| {
            !declared(c.target, facts, derived)
                && !c.or.iter().any(|p| answer(p, facts, derived) == Some(true))
        })
        .map(|c| CoreGap {
            fact: Cow::Borrowed(&c.fact),
            title: Cow::Borrowed(&c.title),
        })
        .collect()
}

/// The penalties that cost points, with their points.
pub fn penalties<'r>(rubric: &'r Rubric, facts: &Facts, derived: &Derived) -> Vec<PenaltyHit<'r>> {
    rubric
        .penalties
        .iter()
        .filter_map(|p| {
            let value = number(p.target, facts, derived)?;
            let points = p.points(value);
            (points > 0.0).then_some(PenaltyHit {
                id: Cow::Borrowed(&p.id),
                title: Cow::Borrowed(&p.title),
                fact: Cow::Borrowed(&p.fact),
                value,
                points,
            })
        })
        .collect()
}

fn stage_rank(rubric: &Rubric, id: &str) -> Option<usize> {
    rubric.stages.iter().position(|s| s.id == id)
}

/// Claimed, visible and evidenced stages, and whether growth outruns
/// strength. `buckets` are scored as evidence (absent facts unmet); `known`
/// are the same buckets over declared facts only, to tell which buckets only
/// thin disclosure holds down.
pub fn stage(
    rubric: &Rubric,
    facts: &Facts,
    derived: &Derived,
    buckets: &[BucketScore],
    known: &[BucketScore],
) -> Stage {
    let claimed = facts
        .text(fact!("arrangement.stage_claimed"))
        .map(str::to_string);
    if rubric.stages.is_empty() {
        return Stage {
            claimed,
            ..Stage::default()
        };
    }
    let score_of = |bucket: &str| {
        buckets
            .iter()
            .find(|b| b.id == bucket)
            .and_then(|b| b.score)
            .unwrap_or(0.0)
    };
    let evidenced = rubric.stages.iter().rposition(|s| {
        buckets
            .iter()
            .all(|b| score_of(&b.id) >= s.minimum_for(&b.id))
    });
    // An arrangement that issues no new units is not growing, whatever its size.
    let not_issuing = facts
        .text(fact!("arrangement.issuance_status"))
        .filter(|status| crate::facts::schema::NOT_ISSUING.contains(status));
    let issuing = not_issuing.is_none();
    let visible = rubric.stages.iter().enumerate().rposition(|(i, s)| {
        if !issuing {
            false
        } else if s.visible_when.is_empty() {
            i == 0
        } else {
            s.visible_when
                .iter()
                .any(|p| answer(p, facts, derived) == Some(true))
        }
    });
    let claimed_rank = claimed.as_deref().and_then(|c| stage_rank(rubric, c));
    let evidenced_rank = evidenced.unwrap_or(0);
    let target = visible.max(claimed_rank).unwrap_or(0);
    let outruns = evidenced.is_none() || target > evidenced_rank;
    let target_rule = rubric.stages.get(target).filter(|_| outruns);
    let held_down_by: Vec<String> = target_rule
        .map(|t| {
            buckets
                .iter()
                .filter(|b| score_of(&b.id) < t.minimum_for(&b.id))
                .map(|b| b.id.to_string())
                .collect()
        })
        .unwrap_or_default();
    let known_bucket = |bucket: &str| known.iter().find(|b| b.id == bucket);
    // Thin: the declared facts alone would meet the minimum, nothing is
    // declared, or too little is known for a grade.
    let thin_evidence: Vec<String> = target_rule
        .map(|t| {
            held_down_by
                .iter()
                .filter(|id| {
                    known_bucket(id).is_none_or(|b| {
                        !b.enough_disclosed || b.score.is_none_or(|s| s >= t.minimum_for(id))
                    })
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    // Growth outruns strength only when a bucket known well enough holds the
    // stage down; when only what is not disclosed does, the verdict cannot
    // be given.
    let outruns = if !outruns {
        Some(false)
    } else if !held_down_by.is_empty() && held_down_by.iter().all(|id| thin_evidence.contains(id)) {
        None
    } else {
        Some(true)
    };
    let id_at = |rank: Option<usize>| {
        rank.and_then(|r| rubric.stages.get(r))
            .map(|s| s.id.clone())
    };
    Stage {
        claimed,
        visible: id_at(visible),
        evidenced: id_at(evidenced),
        outruns,
        held_down_by,
        thin_evidence,
        not_issuing: not_issuing.map(str::to_string),
    }
}

/// How many next steps a report lists.
pub(crate) const NEXT_STEPS: usize = 5;

/// The overall score after penalties, from the score before them.
pub(crate) fn after_penalties(before: Option<f64>, penalty_points: f64) -> f64 {
    before.map_or(0.0, |s| (s - penalty_points).max(0.0))
}

/// Sets each finding's `gain`: what meeting its check would add to the
/// overall score, computed exactly by scoring its milestone again with the
/// check met and carrying that through the buckets and the overall rule.
/// A finding that is met or does not apply gains nothing; one whose fact is
/// absent gains what declaring it, and meeting it, would add.
///
/// Penalties do not depend on checks, so they leave gains alone; gains are
/// measured before the score's floor at zero, so that an arrangement whose
/// penalties take it to zero still learns what would raise it.
///
/// `milestones` are the results of the rubric's milestones, in its order.
pub(crate) fn set_gains(rubric: &Rubric, milestones: &mut [MilestoneResult<'_>]) {
    let absent = rubric.absent;
    let scores: Vec<Option<f64>> = milestones.iter().map(|m| m.score).collect();
    // Meeting a check changes one milestone, so one bucket: each trial
    // replaces that bucket's score and asks the overall rule again.
    let totals = score::bucket_totals(rubric, &scores);
    let mut buckets = score::bucket_scores(rubric, &scores);
    let now = score::overall_of(rubric, &buckets).unwrap_or(0.0);
    for ((compiled, m), own) in rubric.milestones.iter().zip(milestones).zip(&scores) {
        let b = compiled.bucket_index;
        let (Some(&(sum, weights)), Some(&bucket_now)) = (totals.get(b), buckets.get(b)) else {
            continue;
        };
        // The bucket without this milestone.
        let (others_sum, others_weight) = match own {
            Some(s) => (sum - s * m.weight, weights - m.weight),
            None => (sum, weights),
        };
        let (earned, possible) = score::points(&m.findings, absent);
        for f in &mut m.findings {
            f.gain = 0.0;
            let (earned, possible) = match f.outcome {
                Outcome::Met | Outcome::NotApplicable => continue,
                Outcome::NotDisclosed if absent == Absent::Unknown => {
                    (earned + f.points, possible + f.points)
                }
                _ => (earned + f.points - f.earned, possible),
            };
            let Some(met) = score::ratio(earned, possible) else {
                continue;
            };
            let weight = others_weight + m.weight;
            if let Some(slot) = buckets.get_mut(b) {
                *slot = (weight > 0.0).then(|| (others_sum + met * m.weight) / weight);
            }
            let then = score::overall_of(rubric, &buckets).unwrap_or(0.0);
            f.gain = (then - now).max(0.0);
            if let Some(slot) = buckets.get_mut(b) {
                *slot = bucket_now;
            }
        }
    }
}

/// The changes that would raise the overall score most: the findings with
/// the largest gain (see [`set_gains`]), ties by check id.
pub fn next_steps<'r>(milestones: &[MilestoneResult<'r>]) -> Vec<NextStep<'r>> {
    let mut ranked: Vec<(&MilestoneResult<'r>, &crate::report::Finding<'r>)> = milestones
        .iter()
        .flat_map(|m| m.findings.iter().map(move |f| (m, f)))
        .filter(|(_, f)| f.gain > 0.0)
        .collect();
    let order = |a: &(&MilestoneResult<'r>, &crate::report::Finding<'r>),
                 b: &(&MilestoneResult<'r>, &crate::report::Finding<'r>)| {
        b.1.gain
            .total_cmp(&a.1.gain)
            .then_with(|| a.1.check.cmp(&b.1.check))
    };
    if ranked.len() > NEXT_STEPS {
        ranked.select_nth_unstable_by(NEXT_STEPS, order);
        ranked.truncate(NEXT_STEPS);
    }
    ranked.sort_by(order);
    ranked
        .into_iter()
        .map(|(m, f)| NextStep {
            milestone: m.id.clone(),
            check: f.check.clone(),
            fact: f.fact.clone(),
            gain: f.gain,
            action: f.message.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Derived;
    use crate::rubric::load_rubric;
    use crate::source::SourceFile;

    const BUCKETS: [&str; 7] = [
        "promise-clarity",
        "redemption-liquidity",
        "reserve-custody",
        "transparency",
        "compliance",
        "technology-security",
        "resilience",
    ];

    fn facts(body: &str) -> Facts {
        let text = format!("format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\n{body}");
        crate::facts::load(&SourceFile::new("t.toml", text))
            .unwrap()
            .0
    }

    fn buckets(scores: [f64; 7]) -> Vec<BucketScore<'static>> {
        BUCKETS
            .iter()
            .zip(scores)
            .map(|(id, s)| BucketScore {
                id: Cow::Borrowed(id),
                title: Cow::Borrowed(id),
                score: Some(s),
                grade: None,
                coverage_pct: 100.0,
                known_pct: Some(100.0),
                enough_disclosed: true,
            })
            .collect()
    }

    fn verdict(body: &str, scores: [f64; 7]) -> Stage {
        let rubric = load_rubric("milestones").unwrap();
        let f = facts(body);
        let d = Derived::compute(&f, f.as_of);
        stage(&rubric, &f, &d, &buckets(scores), &buckets(scores))
    }

    #[test]
    fn evidenced_stage_is_the_highest_whose_minimums_all_buckets_meet() {
        let evidenced = |scores| verdict("", scores).evidenced.unwrap();
        assert_eq!(evidenced([90.0; 7]), "maturity");
        assert_eq!(evidenced([72.0; 7]), "scale");
        assert_eq!(
            evidenced([90.0, 90.0, 90.0, 60.0, 90.0, 90.0, 90.0]),
            "broader-access"
        );
        assert_eq!(
            evidenced([90.0, 90.0, 90.0, 90.0, 45.0, 90.0, 90.0]),
            "pilot"
        );
        assert_eq!(
            evidenced([90.0, 10.0, 90.0, 90.0, 90.0, 90.0, 90.0]),
            "exploration"
        );
    }

    #[test]
    fn visible_stage_follows_growth_figures() {
        let visible = |body: &str| verdict(body, [90.0; 7]).visible.unwrap();
        assert_eq!(visible(""), "exploration");
        assert_eq!(visible("[supply]\noutstanding_usd = 2_000_000\n"), "pilot");
        assert_eq!(
            visible("[supply]\nholders_count = 60_000\n"),
            "broader-access"
        );
        assert_eq!(
            visible("[[chain]]\nname = \"a\"\n[[chain]]\nname = \"b\"\n"),
            "broader-access"
        );
        assert_eq!(
            visible("[supply]\noutstanding_usd = 12_000_000_000\n"),
            "scale"
        );
        assert_eq!(
            visible("[supply]\nmonthly_transfer_volume_usd = 60_000_000_000\n"),
            "scale"
        );
        assert_eq!(
            visible("[supply]\noutstanding_usd = 600_000_000_000\n"),
            "scale",
            "size alone never shows maturity"
        );
    }

    #[test]
    fn a_halted_or_winding_down_arrangement_is_not_visibly_growing() {
        let large = "[supply]\noutstanding_usd = 12_000_000_000\n";
        let weak = [90.0, 90.0, 90.0, 50.0, 65.0, 90.0, 90.0];
        assert_eq!(verdict(large, weak).outruns, Some(true));
        for status in ["halted", "wind-down"] {
            let st = verdict(&format!("issuance_status = \"{status}\"\n{large}"), weak);
            assert_eq!(st.visible, None, "{status}");
            assert_eq!(st.not_issuing.as_deref(), Some(status));
            assert_eq!(st.outruns, Some(false), "{status}");
            assert!(st.held_down_by.is_empty());
        }
        let active = verdict(&format!("issuance_status = \"active\"\n{large}"), weak);
        assert_eq!(active.visible.as_deref(), Some("scale"));
        // A claimed stage still counts: the claim is the arrangement's own.
        let claimed = verdict(
            &format!("issuance_status = \"halted\"\nstage_claimed = \"scale\"\n{large}"),
            weak,
        );
        assert_eq!(claimed.outruns, Some(true));
    }

    #[test]
    fn growth_outruns_strength_names_the_buckets_holding_it_down() {
        let st = verdict(
            "[supply]\noutstanding_usd = 12_000_000_000\n",
            [90.0, 90.0, 90.0, 50.0, 65.0, 90.0, 90.0],
        );
        assert_eq!(st.evidenced.as_deref(), Some("pilot"));
        assert_eq!(st.outruns, Some(true));
        assert_eq!(st.held_down_by, ["transparency", "compliance"]);
    }

    #[test]
    fn buckets_held_down_only_by_what_is_not_disclosed_are_named_apart() {
        let rubric = load_rubric("milestones").unwrap();
        let f = facts("[supply]\noutstanding_usd = 12_000_000_000\n");
        let d = Derived::compute(&f, f.as_of);
        // As evidence, transparency and compliance fall short of scale (70);
        // on declared facts alone, transparency would meet it.
        let evidence = buckets([90.0, 90.0, 90.0, 50.0, 65.0, 90.0, 90.0]);
        let known = buckets([90.0, 90.0, 90.0, 95.0, 65.0, 90.0, 90.0]);
        let st = stage(&rubric, &f, &d, &evidence, &known);
        assert_eq!(st.held_down_by, ["transparency", "compliance"]);
        assert_eq!(st.thin_evidence, ["transparency"]);
        assert_eq!(st.outruns, Some(true), "compliance is known to fall short");
    }

    #[test]
    fn only_silence_holding_the_stage_down_gives_no_verdict() {
        let rubric = load_rubric("milestones").unwrap();
        let f = facts("[supply]\noutstanding_usd = 12_000_000_000\n");
        let d = Derived::compute(&f, f.as_of);
        let evidence = buckets([90.0, 90.0, 90.0, 50.0, 65.0, 90.0, 90.0]);
        // Transparency meets scale on its declared facts; compliance is known
        // on too little of its weight to count against the arrangement.
        let mut known = buckets([90.0, 90.0, 90.0, 95.0, 30.0, 90.0, 90.0]);
        known[4].enough_disclosed = false;
        known[4].known_pct = Some(4.0);
        let st = stage(&rubric, &f, &d, &evidence, &known);
        assert_eq!(st.held_down_by, ["transparency", "compliance"]);
        assert_eq!(st.thin_evidence, ["transparency", "compliance"]);
        assert_eq!(st.outruns, None);
    }

    #[test]
    fn claimed_stage_counts() {
        let rubric = load_rubric("milestones").unwrap();
        let text = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\nstage_claimed = \"scale\"\n";
        let f = crate::facts::load(&SourceFile::new("t.toml", text))
            .unwrap()
            .0;
        let d = Derived::compute(&f, f.as_of);
        let st = stage(&rubric, &f, &d, &buckets([60.0; 7]), &buckets([60.0; 7]));
        assert_eq!(st.claimed.as_deref(), Some("scale"));
        assert_eq!(st.visible.as_deref(), Some("exploration"));
        assert_eq!(st.evidenced.as_deref(), Some("broader-access"));
        assert_eq!(st.outruns, Some(true));
        assert_eq!(st.held_down_by.len(), 7);
        let honest = stage(&rubric, &f, &d, &buckets([75.0; 7]), &buckets([75.0; 7]));
        assert_eq!(honest.outruns, Some(false));
        assert!(honest.held_down_by.is_empty());
    }
}
