//! Judgment on top of the weighted scores: weakest-link caps, the lifecycle
//! stage verdict (does growth outrun strength?), and the next steps that would
//! raise the score most.

use crate::facts::{Derived, Facts};
use crate::report::{BucketScore, CapHit, MilestoneResult, NextStep, Stage};
use crate::rubric::{Cap, Rubric};

use super::predicate::answer;

/// True when a cap's condition holds.
fn applies(cap: &Cap, facts: &Facts, derived: &Derived) -> bool {
    let all = !cap.when_all.is_empty()
        && cap
            .when_all
            .iter()
            .all(|p| answer(p, facts, derived) == Some(true));
    let any = cap
        .when_any
        .iter()
        .any(|p| answer(p, facts, derived) == Some(true));
    all || any
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
    for cap in rubric.caps.iter().filter(|c| applies(c, facts, derived)) {
        let binding = rubric.grade_rank(&cap.max_grade) > rubric.grade_rank(uncapped);
        grade = rubric.worse_grade(grade, &cap.max_grade);
        hits.push(CapHit {
            id: cap.id.clone(),
            title: cap.title.clone(),
            reason: cap.reason.clone(),
            max_grade: cap.max_grade.clone(),
            binding,
        });
    }
    (hits, grade)
}

fn stage_rank(rubric: &Rubric, id: &str) -> Option<usize> {
    rubric.stages.iter().position(|s| s.id == id)
}

/// Claimed, visible and evidenced stages, and whether growth outruns strength.
pub fn stage(rubric: &Rubric, facts: &Facts, derived: &Derived, buckets: &[BucketScore]) -> Stage {
    let claimed = facts
        .text("arrangement", "stage_claimed")
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
            .all(|b| score_of(b.id) >= s.minimum_for(b.id))
    });
    let visible = rubric.stages.iter().enumerate().rposition(|(i, s)| {
        if s.visible_when.is_empty() {
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
    let held_down_by = if outruns {
        rubric
            .stages
            .get(target)
            .map(|t| {
                buckets
                    .iter()
                    .filter(|b| score_of(b.id) < t.minimum_for(b.id))
                    .map(|b| b.id.to_string())
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
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
    }
}

/// A finding that lost points, with what meeting it would add to the score.
type Ranked<'m, 'r> = (f64, &'m MilestoneResult<'r>, &'m crate::report::Finding<'r>);

/// How many next steps a report lists.
pub const NEXT_STEPS: usize = 5;

/// The changes that would raise the overall score most: every finding that
/// lost points, ranked by what meeting it would add.
///
/// Meeting one check changes only its milestone's score, so the gain is exact
/// without re-running the whole evaluation: the points lost, as a share of the
/// milestone's possible points, carried up through the milestone's weight in
/// its bucket and the bucket's weight overall.
///
/// `milestones` are the results of the rubric's milestones, in its order;
/// each finds its bucket by the position compiled into the rubric.
pub fn next_steps<'r>(rubric: &Rubric, milestones: &[MilestoneResult<'r>]) -> Vec<NextStep<'r>> {
    let placed = || rubric.milestones.iter().zip(milestones);
    // Weights of the scored milestones in each bucket (none: not scored),
    // and of the scored buckets.
    let mut weight_in_bucket: Vec<Option<f64>> = vec![None; rubric.buckets.len()];
    for (compiled, m) in placed().filter(|(_, m)| m.score.is_some()) {
        if let Some(weight) = weight_in_bucket.get_mut(compiled.bucket_index) {
            *weight = Some(weight.unwrap_or(0.0) + m.weight);
        }
    }
    let scored_buckets: f64 = rubric
        .buckets
        .iter()
        .zip(&weight_in_bucket)
        .filter(|(_, weight)| weight.is_some())
        .map(|(b, _)| b.weight)
        .sum();
    if scored_buckets <= 0.0 {
        return Vec::new();
    }
    // Rank (gain, finding) pairs first; build the few steps shown afterwards.
    let mut ranked: Vec<Ranked<'_, 'r>> = Vec::new();
    for (compiled, m) in placed() {
        let possible: f64 = m
            .findings
            .iter()
            .filter(|f| f.outcome.is_applicable())
            .map(|f| f.points)
            .sum();
        let b = compiled.bucket_index;
        let in_bucket = weight_in_bucket.get(b).copied().flatten().unwrap_or(0.0);
        let bucket_weight = rubric.buckets.get(b).map_or(0.0, |b| b.weight);
        if possible <= 0.0 || in_bucket <= 0.0 {
            continue;
        }
        for f in m.findings.iter().filter(|f| f.lost() > 0.0) {
            let gain =
                f.lost() / possible * 100.0 * m.weight / in_bucket * bucket_weight / scored_buckets;
            ranked.push((gain, m, f));
        }
    }
    // Largest gain first, ties by check id. Only the first few are shown, so
    // those are selected before they are sorted.
    let order = |a: &Ranked<'_, 'r>, b: &Ranked<'_, 'r>| {
        b.0.total_cmp(&a.0).then_with(|| a.2.check.cmp(b.2.check))
    };
    if ranked.len() > NEXT_STEPS {
        ranked.select_nth_unstable_by(NEXT_STEPS, order);
        ranked.truncate(NEXT_STEPS);
    }
    ranked.sort_by(order);
    ranked
        .into_iter()
        .take(NEXT_STEPS)
        .map(|(gain, m, f)| NextStep {
            milestone: m.id,
            check: f.check,
            fact: f.fact,
            gain,
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
                id,
                title: id,
                score: Some(s),
                grade: None,
                coverage_pct: 100.0,
            })
            .collect()
    }

    fn verdict(body: &str, scores: [f64; 7]) -> Stage {
        let rubric = load_rubric("milestones").unwrap();
        let f = facts(body);
        let d = Derived::compute(&f, f.as_of);
        stage(&rubric, &f, &d, &buckets(scores))
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
    fn growth_outruns_strength_names_the_buckets_holding_it_down() {
        let st = verdict(
            "[supply]\noutstanding_usd = 12_000_000_000\n",
            [90.0, 90.0, 90.0, 50.0, 65.0, 90.0, 90.0],
        );
        assert_eq!(st.evidenced.as_deref(), Some("pilot"));
        assert!(st.outruns);
        assert_eq!(st.held_down_by, ["transparency", "compliance"]);
    }

    #[test]
    fn claimed_stage_counts() {
        let rubric = load_rubric("milestones").unwrap();
        let text = "format = 1\n[arrangement]\nname = \"X\"\nas_of = 2026-09-30\nstage_claimed = \"scale\"\n";
        let f = crate::facts::load(&SourceFile::new("t.toml", text))
            .unwrap()
            .0;
        let d = Derived::compute(&f, f.as_of);
        let st = stage(&rubric, &f, &d, &buckets([60.0; 7]));
        assert_eq!(st.claimed.as_deref(), Some("scale"));
        assert_eq!(st.visible.as_deref(), Some("exploration"));
        assert_eq!(st.evidenced.as_deref(), Some("broader-access"));
        assert!(st.outruns);
        assert_eq!(st.held_down_by.len(), 7);
        let honest = stage(&rubric, &f, &d, &buckets([75.0; 7]));
        assert!(!honest.outruns);
        assert!(honest.held_down_by.is_empty());
    }
}
