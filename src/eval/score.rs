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
    let mut mean = Mean::default();
    for (score, weight) in items {
        mean.add(score, weight);
    }
    mean.value()
}

/// A weighted mean being summed up; scores that do not exist are skipped.
#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: f64,
    weights: f64,
}

impl Mean {
    fn add(&mut self, score: Option<f64>, weight: f64) {
        if let Some(score) = score {
            self.sum += score * weight;
            self.weights += weight;
        }
    }

    fn value(self) -> Option<f64> {
        (self.weights > 0.0).then(|| self.sum / self.weights)
    }
}

/// Applicable checks, and how many of them had their fact declared: the
/// share declared is the disclosure coverage, 0–100.
#[derive(Debug, Clone, Copy, Default)]
struct Coverage {
    declared: usize,
    applicable: usize,
}

impl Coverage {
    fn add<'a, 'r: 'a>(&mut self, findings: impl IntoIterator<Item = &'a Finding<'r>>) {
        for f in findings.into_iter().filter(|f| f.outcome.is_applicable()) {
            self.declared += usize::from(f.outcome != Outcome::NotDisclosed);
            self.applicable += 1;
        }
    }

    fn merge(&mut self, other: Coverage) {
        self.declared += other.declared;
        self.applicable += other.applicable;
    }

    fn pct(self) -> f64 {
        if self.applicable == 0 {
            0.0
        } else {
            self.declared as f64 / self.applicable as f64 * 100.0
        }
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
///
/// One pass over the milestones adds each to its bucket, its layers and
/// their cells, in the rubric's order, so every mean sums in the same order
/// as a mean taken over that bucket, layer or cell alone.
pub fn aggregate<'r>(rubric: &'r Rubric, milestones: &[MilestoneResult<'_>]) -> Scores<'r> {
    let layer_count = rubric.layers.len();
    let mut bucket_means = vec![Mean::default(); rubric.buckets.len()];
    let mut bucket_coverage = vec![Coverage::default(); rubric.buckets.len()];
    let mut layer_means = vec![Mean::default(); layer_count];
    let mut cell_means = vec![Mean::default(); rubric.buckets.len() * layer_count];
    let mut overall_coverage = Coverage::default();
    for (m, r) in rubric.milestones.iter().zip(milestones) {
        let mut coverage = Coverage::default();
        coverage.add(&r.findings);
        overall_coverage.merge(coverage);
        let b = m.bucket_index;
        if let Some(mean) = bucket_means.get_mut(b) {
            mean.add(r.score, r.weight);
        }
        if let Some(c) = bucket_coverage.get_mut(b) {
            c.merge(coverage);
        }
        // A layer named twice still counts the milestone once.
        for l in (0..layer_count).filter(|l| m.layer_indices.contains(l)) {
            if let Some(mean) = layer_means.get_mut(l) {
                mean.add(r.score, r.weight);
            }
            if let Some(mean) = cell_means.get_mut(b * layer_count + l) {
                mean.add(r.score, r.weight);
            }
        }
    }
    let buckets: Vec<BucketScore> = rubric
        .buckets
        .iter()
        .zip(bucket_means.iter().zip(&bucket_coverage))
        .map(|(b, (mean, coverage))| {
            let score = mean.value();
            BucketScore {
                id: &b.id,
                title: &b.title,
                score,
                grade: score.map(|s| rubric.grade_for(s)),
                coverage_pct: coverage.pct(),
            }
        })
        .collect();
    let layers = rubric
        .layers
        .iter()
        .zip(&layer_means)
        .map(|(l, mean)| LayerScore {
            id: &l.id,
            title: &l.title,
            score: mean.value(),
        })
        .collect();
    let matrix = rubric
        .buckets
        .iter()
        .flat_map(|b| rubric.layers.iter().map(move |l| (b, l)))
        .zip(&cell_means)
        .map(|((b, l), mean)| MatrixCell {
            bucket: &b.id,
            layer: &l.id,
            score: mean.value(),
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
        coverage_pct: overall_coverage.pct(),
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
        let mut coverage = Coverage::default();
        coverage.add(&findings);
        assert!((coverage.pct() - 50.0).abs() < 1e-9);
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
