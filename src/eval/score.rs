//! From findings to scores: milestones, buckets, layers, the bucket × layer
//! matrix, the overall score and disclosure coverage.

use crate::report::{BucketScore, Finding, LayerScore, MatrixCell, MilestoneResult, Outcome};
use crate::rubric::Rubric;

/// Points earned ÷ points possible over applicable checks, as 0–100; `None`
/// when no check applies.
pub fn milestone_score(findings: &[Finding<'_>]) -> Option<f64> {
    let (earned, possible) = findings
        .iter()
        .filter(|f| f.outcome.is_applicable())
        .fold((0.0, 0.0), |(e, p), f| (e + f.earned, p + f.points));
    (possible > 0.0).then(|| earned / possible * 100.0)
}

/// Weighted mean of the scores that exist.
pub fn weighted_mean(items: impl IntoIterator<Item = (Option<f64>, f64)>) -> Option<f64> {
    let (sum, weights) = items
        .into_iter()
        .filter_map(|(score, weight)| score.map(|s| (s * weight, weight)))
        .fold((0.0, 0.0), |(s, w), (sw, weight)| (s + sw, w + weight));
    (weights > 0.0).then(|| sum / weights)
}

/// Share of applicable checks whose facts were declared, 0–100.
pub fn coverage<'a, 'r: 'a>(findings: impl IntoIterator<Item = &'a Finding<'r>>) -> f64 {
    let (declared, applicable) = findings
        .into_iter()
        .filter(|f| f.outcome.is_applicable())
        .fold((0usize, 0usize), |(d, a), f| {
            (d + usize::from(f.outcome != Outcome::NotDisclosed), a + 1)
        });
    if applicable == 0 {
        0.0
    } else {
        declared as f64 / applicable as f64 * 100.0
    }
}

pub struct Scores<'r> {
    pub overall: f64,
    pub coverage_pct: f64,
    pub buckets: Vec<BucketScore<'r>>,
    pub layers: Vec<LayerScore<'r>>,
    pub matrix: Vec<MatrixCell<'r>>,
}

/// Buckets, layers and the matrix are weighted means of milestone scores;
/// the overall score is the weighted mean of bucket scores. `milestones` are
/// the results of the rubric's milestones, in the rubric's order; each is
/// placed by the bucket and layer positions compiled into the rubric.
pub fn aggregate<'r>(rubric: &'r Rubric, milestones: &[MilestoneResult<'_>]) -> Scores<'r> {
    let placed: Vec<_> = rubric.milestones.iter().zip(milestones).collect();
    let in_bucket = |bucket: usize| {
        placed
            .iter()
            .filter(move |(m, _)| m.bucket_index == bucket)
            .copied()
    };
    let buckets: Vec<BucketScore> = rubric
        .buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let score = weighted_mean(in_bucket(i).map(|(_, r)| (r.score, r.weight)));
            BucketScore {
                id: &b.id,
                title: &b.title,
                score,
                grade: score.map(|s| rubric.grade_for(s)),
                coverage_pct: coverage(in_bucket(i).flat_map(|(_, r)| &r.findings)),
            }
        })
        .collect();
    let layers = rubric
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| LayerScore {
            id: &l.id,
            title: &l.title,
            score: weighted_mean(
                placed
                    .iter()
                    .filter(|(m, _)| m.layer_indices.contains(&i))
                    .map(|(_, r)| (r.score, r.weight)),
            ),
        })
        .collect();
    let matrix = rubric
        .buckets
        .iter()
        .enumerate()
        .flat_map(|(bi, b)| {
            let in_bucket = &in_bucket;
            rubric
                .layers
                .iter()
                .enumerate()
                .map(move |(li, l)| MatrixCell {
                    bucket: &b.id,
                    layer: &l.id,
                    score: weighted_mean(
                        in_bucket(bi)
                            .filter(|(m, _)| m.layer_indices.contains(&li))
                            .map(|(_, r)| (r.score, r.weight)),
                    ),
                })
        })
        .collect();
    let overall = weighted_mean(
        buckets
            .iter()
            .zip(&rubric.buckets)
            .map(|(score, bucket)| (score.score, bucket.weight)),
    )
    .unwrap_or(0.0);
    Scores {
        overall,
        coverage_pct: coverage(milestones.iter().flat_map(|m| &m.findings)),
        buckets,
        layers,
        matrix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(outcome: Outcome, points: f64, earned: f64) -> Finding<'static> {
        Finding {
            check: "c",
            outcome,
            fact: "f",
            value: crate::report::Observed::Nothing,
            expected: "",
            line: None,
            source: None,
            message: "".into(),
            points,
            earned,
            waived: None,
        }
    }

    #[test]
    fn not_applicable_checks_leave_the_denominator() {
        let findings = [
            finding(Outcome::Met, 2.0, 2.0),
            finding(Outcome::NotDisclosed, 1.0, 0.0),
            finding(Outcome::NotApplicable, 5.0, 0.0),
        ];
        let score = milestone_score(&findings).unwrap();
        assert!((score - 200.0 / 3.0).abs() < 1e-9);
        assert!((coverage(&findings) - 50.0).abs() < 1e-9);
        assert_eq!(
            milestone_score(&[finding(Outcome::NotApplicable, 1.0, 0.0)]),
            None
        );
    }

    #[test]
    fn weighted_mean_skips_missing_scores() {
        assert_eq!(
            weighted_mean([(Some(100.0), 1.0), (Some(40.0), 3.0), (None, 9.0)]),
            Some(55.0)
        );
        assert_eq!(weighted_mean([(None, 1.0)]), None);
    }
}
