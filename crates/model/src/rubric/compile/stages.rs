//! `[[stage]]`: the lifecycle stages in their order, each with the bucket
//! scores that evidence it and the conditions that make it visible.

use super::Compiler;
use crate::facts::schema;
use crate::rubric::draft::Located;
use crate::rubric::file::StageFile;
use crate::rubric::{Bucket, StageRule};
use crate::source::Code;

impl Compiler<'_> {
    /// The `[[stage]]` rules, each a lifecycle stage after the one before
    /// it, its minimums for buckets among `buckets`.
    pub(super) fn stages(
        &mut self,
        stages: Vec<Located<StageFile>>,
        buckets: &[Bucket],
    ) -> Vec<StageRule> {
        let mut out: Vec<StageRule> = Vec::new();
        for located in stages {
            let (loc, st) = (located.loc, located.value);
            let owner = format!("stage `{}`", st.id);
            let position = schema::STAGES.iter().position(|s| *s == st.id);
            match position {
                None => self.error(
                    Code::UnknownValue,
                    loc,
                    format!("{owner} is not a lifecycle stage"),
                    Some(format!("stages: {}", schema::STAGES.join(", "))),
                ),
                Some(p) => {
                    let previous = out
                        .last()
                        .and_then(|s| schema::STAGES.iter().position(|x| *x == s.id));
                    if previous.is_some_and(|prev| prev >= p) {
                        self.error(
                            Code::Inconsistent,
                            loc,
                            format!("{owner} is out of order"),
                            Some(format!(
                                "list stages in the order {}",
                                schema::STAGES.join(", ")
                            )),
                        );
                    }
                }
            }
            let minimum = st.min_bucket_score.unwrap_or(0.0);
            let bucket_min = st.bucket_min.unwrap_or_default();
            for (bucket, min) in
                std::iter::once((&String::new(), &minimum)).chain(bucket_min.iter())
            {
                if !bucket.is_empty() && !buckets.iter().any(|b| &b.id == bucket) {
                    self.error(
                        Code::UnknownReference,
                        loc,
                        format!("{owner} sets a minimum for unknown bucket `{bucket}`"),
                        None,
                    );
                }
                if !(0.0..=100.0).contains(min) {
                    self.error(
                        Code::OutOfRange,
                        loc,
                        format!("{owner} has minimum {min}; minimums are 0–100"),
                        None,
                    );
                }
            }
            let visible_when =
                self.predicates(st.visible_when.as_deref().unwrap_or_default(), &owner, loc);
            out.push(StageRule {
                title: st.title.unwrap_or_else(|| st.id.clone()),
                id: st.id,
                min_bucket_score: minimum,
                bucket_min,
                visible_when,
            });
        }
        out
    }
}
