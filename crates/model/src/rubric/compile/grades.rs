//! `[[grade]]`: the grade letters, best first, each with the lowest score
//! that earns it.

use super::Compiler;
use crate::rubric::Grade;
use crate::rubric::draft::{Loc, Located};
use crate::rubric::file::GradeFile;
use crate::source::Code;

impl Compiler<'_> {
    /// The grades, sorted best first; a grade out of order, given twice or
    /// outside 0–100 is reported, and so is a rubric with none.
    pub(super) fn grades(&mut self, drafts: &[Located<GradeFile>]) -> Vec<Grade> {
        // Grades are listed best first: a grade whose min_score is not below
        // the one before it would never be given, or give a weak file an A.
        for pair in drafts.windows(2) {
            if let [better, worse] = pair
                && worse.value.min_score >= better.value.min_score
            {
                self.error(
                    Code::Inconsistent,
                    worse.loc,
                    format!(
                        "grade `{}` has min_score {}, not below {} of grade `{}` before it",
                        worse.value.letter,
                        worse.value.min_score,
                        better.value.min_score,
                        better.value.letter
                    ),
                    Some(
                        "list grades best first, each min_score strictly below the one before"
                            .into(),
                    ),
                );
            }
        }

        let mut grades: Vec<Grade> = Vec::new();
        for g in drafts {
            if grades.iter().any(|x| x.letter == g.value.letter) {
                self.error(
                    Code::Duplicate,
                    g.loc,
                    format!("grade `{}` is defined twice", g.value.letter),
                    None,
                );
            }
            if !g.value.min_score.is_finite() || !(0.0..=100.0).contains(&g.value.min_score) {
                self.error(
                    Code::OutOfRange,
                    g.loc,
                    format!(
                        "grade `{}` has min_score {}; it must be 0–100",
                        g.value.letter, g.value.min_score
                    ),
                    None,
                );
            }
            grades.push(Grade {
                letter: g.value.letter.clone(),
                min_score: g.value.min_score,
            });
        }
        if grades.is_empty() {
            self.error(
                Code::MissingKey,
                Loc::TOP,
                "the rubric has no [[grade]] entries".into(),
                Some("add grades such as `[[grade]] letter = \"A\" min_score = 85`".into()),
            );
        }
        grades.sort_by(|a, b| b.min_score.total_cmp(&a.min_score));
        grades
    }
}
