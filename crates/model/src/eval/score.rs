//! From findings to scores: milestones, buckets, layers, the bucket × layer
//! matrix, the overall score and disclosure coverage.

use std::borrow::Cow;

use crate::report::{BucketScore, Finding, LayerScore, MatrixCell, MilestoneResult, Outcome};
use crate::rubric::{Absent, Rubric};

/// True when a finding counts in the scores: it applies, and its fact is
/// known or the rubric holds absent facts as unmet.
pub(crate) fn is_scored(outcome: Outcome, absent: Absent) -> bool {
    match outcome {
        Outcome::NotApplicable => false,
        Outcome::NotDisclosed => absent == Absent::Unmet,
        Outcome::Met | Outcome::Partial | Outcome::Unmet => true,
    }
}

/// Points earned and possible over the findings that count.
pub fn points(findings: &[Finding<'_>], absent: Absent) -> (f64, f64) {
    findings
        .iter()
        .filter(|f| is_scored(f.outcome, absent))
        .fold((0.0, 0.0), |(e, p), f| (e + f.earned, p + f.points))
}

/// Points earned ÷ points possible over the findings that count, as 0–100;
/// `None` when none counts.
pub(crate) fn milestone_score(findings: &[Finding<'_>], absent: Absent) -> Option<f64> {
    let (earned, possible) = points(findings, absent);
    ratio(earned, possible)
}

/// The share of an applicable check's points whose fact is known (declared
/// or derived), as 0–100: how much of a milestone's weight is known; `None`
/// when no check applies.
pub fn known_pct(findings: &[Finding<'_>]) -> Option<f64> {
    let (known, possible) =
        findings
            .iter()
            .filter(|f| f.outcome.is_applicable())
            .fold((0.0, 0.0), |(k, p), f| {
                let known = if f.outcome == Outcome::NotDisclosed {
                    0.0
                } else {
                    f.points
                };
                (k + known, p + f.points)
            });
    ratio(known, possible)
}

/// Earned ÷ possible as 0–100; `None` when nothing is possible.
pub fn ratio(earned: f64, possible: f64) -> Option<f64> {
    (possible > 0.0).then(|| earned / possible * 100.0)
}

/// Weighted mean of the scores that exist.
pub(crate) fn weighted_mean(items: impl IntoIterator<Item = (Option<f64>, f64)>) -> Option<f64> {
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

pub(crate) struct Scores<'r> {
    /// The overall score before penalties; `None` when no bucket is scored.
    pub overall: Option<f64>,
    pub coverage_pct: f64,
    /// The share of the anchor buckets' weight (every bucket's, with no
    /// anchor) that is known, 0–100.
    pub anchor_known_pct: f64,
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
pub(crate) fn aggregate<'r>(rubric: &'r Rubric, milestones: &[MilestoneResult<'_>]) -> Scores<'r> {
    let layer_count = rubric.layers.len();
    let mut bucket_means = vec![Mean::default(); rubric.buckets.len()];
    let mut bucket_coverage = vec![Coverage::default(); rubric.buckets.len()];
    let mut bucket_known = vec![Mean::default(); rubric.buckets.len()];
    let mut layer_known = vec![Mean::default(); layer_count];
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
        if let Some(mean) = bucket_known.get_mut(b) {
            mean.add(r.known_pct, r.weight);
        }
        if let Some(c) = bucket_coverage.get_mut(b) {
            c.merge(coverage);
        }
        // A layer named twice still counts the milestone once.
        for l in (0..layer_count).filter(|l| m.layer_indices.contains(l)) {
            if let Some(mean) = layer_means.get_mut(l) {
                mean.add(r.score, r.weight);
            }
            if let Some(mean) = layer_known.get_mut(l) {
                mean.add(r.known_pct, r.weight);
            }
            if let Some(mean) = cell_means.get_mut(b * layer_count + l) {
                mean.add(r.score, r.weight);
            }
        }
    }
    let buckets: Vec<BucketScore> = rubric
        .buckets
        .iter()
        .zip(bucket_means.iter().zip(&bucket_coverage).zip(&bucket_known))
        .map(|(b, ((mean, coverage), known))| {
            let score = mean.value();
            let known_pct = known.value();
            let enough_disclosed = rubric.confidence.enough(known_pct);
            BucketScore {
                id: Cow::Borrowed(&b.id),
                title: Cow::Borrowed(&b.title),
                score,
                grade: score
                    .filter(|_| enough_disclosed)
                    .map(|s| Cow::Borrowed(rubric.grade_for(s))),
                coverage_pct: coverage.pct(),
                known_pct,
                enough_disclosed,
            }
        })
        .collect();
    let layers = rubric
        .layers
        .iter()
        .zip(layer_means.iter().zip(&layer_known))
        .map(|(l, (mean, known))| LayerScore {
            id: Cow::Borrowed(&l.id),
            title: Cow::Borrowed(&l.title),
            score: mean.value(),
            known_pct: known.value(),
            enough_disclosed: rubric.confidence.enough(known.value()),
        })
        .collect();
    let matrix = rubric
        .buckets
        .iter()
        .flat_map(|b| rubric.layers.iter().map(move |l| (b, l)))
        .zip(&cell_means)
        .map(|((b, l), mean)| MatrixCell {
            bucket: Cow::Borrowed(&b.id),
            layer: Cow::Borrowed(&l.id),
            score: mean.value(),
        })
        .collect();
    let bucket_scores: Vec<Option<f64>> = bucket_means.iter().map(|m| m.value()).collect();
    let overall = overall_of(rubric, &bucket_scores);
    let anchor_known_pct = weighted_mean(
        rubric
            .buckets
            .iter()
            .zip(&bucket_known)
            .enumerate()
            .filter(|(i, _)| rubric.overall.anchor.is_empty() || rubric.overall.anchor.contains(i))
            .map(|(_, (b, known))| (Some(known.value().unwrap_or(0.0)), b.weight)),
    )
    .unwrap_or(0.0);
    Scores {
        overall,
        anchor_known_pct,
        coverage_pct: overall_coverage.pct(),
        buckets,
        layers,
        matrix,
    }
}

/// Each bucket's weighted sum of milestone scores and the weight behind it,
/// in the rubric's order, of milestone scores given in the rubric's order.
pub(crate) fn bucket_totals(rubric: &Rubric, milestone_scores: &[Option<f64>]) -> Vec<(f64, f64)> {
    let mut means = vec![Mean::default(); rubric.buckets.len()];
    for (m, score) in rubric.milestones.iter().zip(milestone_scores) {
        if let Some(mean) = means.get_mut(m.bucket_index) {
            mean.add(*score, m.weight);
        }
    }
    means.iter().map(|m| (m.sum, m.weights)).collect()
}

/// The bucket scores, in the rubric's order, of milestone scores given in
/// the rubric's order.
pub(crate) fn bucket_scores(rubric: &Rubric, milestone_scores: &[Option<f64>]) -> Vec<Option<f64>> {
    bucket_totals(rubric, milestone_scores)
        .into_iter()
        .map(|(sum, weights)| Mean { sum, weights }.value())
        .collect()
}

/// The overall score (before penalties) of bucket scores given in the
/// rubric's order, by the rubric's [`crate::rubric::OverallRule`]: the
/// weighted mean of every bucket, or, with an anchor, the anchor buckets'
/// mean moved towards the others' by `pull`, within `max_up` / `max_down`.
pub(crate) fn overall_of(rubric: &Rubric, bucket_scores: &[Option<f64>]) -> Option<f64> {
    let rule = &rubric.overall;
    let weighted = |anchor: bool| {
        weighted_mean(
            rubric
                .buckets
                .iter()
                .zip(bucket_scores)
                .enumerate()
                .filter(|(i, _)| rule.anchor.is_empty() || rule.anchor.contains(i) == anchor)
                .map(|(_, (bucket, score))| (*score, bucket.weight)),
        )
    };
    if rule.anchor.is_empty() {
        return weighted(true);
    }
    match (weighted(true), weighted(false)) {
        (Some(anchor), Some(rest)) => {
            Some(anchor + (rule.pull * (rest - anchor)).clamp(-rule.max_down, rule.max_up))
        }
        (anchor, rest) => anchor.or(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(outcome: Outcome, points: f64, earned: f64) -> Finding<'static> {
        Finding {
            check: "c".into(),
            outcome,
            fact: "f".into(),
            value: crate::report::Observed::Nothing,
            expected: "".into(),
            line: None,
            source: None,
            evidence: None,
            message: "".into(),
            points,
            earned,
            gain: 0.0,
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
        let score = milestone_score(&findings, Absent::Unmet).unwrap();
        assert!((score - 200.0 / 3.0).abs() < 1e-9);
        // Unknown is not weak: the absent fact leaves the score too.
        assert_eq!(milestone_score(&findings, Absent::Unknown), Some(100.0));
        let mut coverage = Coverage::default();
        coverage.add(&findings);
        assert!((coverage.pct() - 50.0).abs() < 1e-9);
        assert_eq!(
            milestone_score(&[finding(Outcome::NotApplicable, 1.0, 0.0)], Absent::Unmet),
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
