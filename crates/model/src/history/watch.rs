//! A watched figure over time: how far it moved from its best earlier value
//! (a change, absolute or relative), or whether it crossed a level, and the
//! sentences that say so.

use super::*;

/// The move from `before` to `after` in percent of `before`, signed; `None`
/// from zero.
pub(super) fn relative_pct(before: f64, after: f64) -> Option<f64> {
    (before.abs() > 1e-12).then(|| (after - before) / before.abs() * 100.0)
}

/// Where a watched figure went wrong: the indices of the best earlier
/// disclosure and of the latest one.
pub(crate) fn deterioration(
    values: &[Option<f64>],
    worse: Worse,
    threshold: Threshold,
    missing_is_worse: bool,
) -> Option<(usize, usize)> {
    let (latest, earlier) = values.split_last()?;
    let last = earlier.len();
    let Some(now) = latest else {
        // Disclosed before, gone now: from the last disclosure that had it.
        return missing_is_worse
            .then(|| earlier.iter().rposition(Option::is_some))
            .flatten()
            .map(|i| (i, last));
    };
    let better = |a: f64, b: f64| match worse {
        Worse::Higher => a < b,
        Worse::Lower => a > b,
    };
    // The best earlier value; on a tie the later disclosure, so the span
    // starts where the slide did.
    let (best_at, best) = earlier
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .fold(None, |acc: Option<(usize, f64)>, (i, v)| match acc {
            Some((_, b)) if better(b, v) => acc,
            _ => Some((i, v)),
        })?;
    let moved = match worse {
        Worse::Higher => now - best,
        Worse::Lower => best - now,
    };
    threshold.met(best, moved).then_some((best_at, last))
}

/// Where a watched figure crossed its level to the worse side: the index of
/// the last earlier disclosure on the right side of it (or on it), and the
/// latest one, which is strictly beyond it. Both the figure and the level
/// must be known at both ends; a figure beyond the level all along has not
/// crossed it.
pub(crate) fn crossing(
    values: &[Option<f64>],
    levels: &[Option<f64>],
    worse: Worse,
) -> Option<(usize, usize)> {
    let beyond = |v: f64, level: f64| match worse {
        Worse::Higher => v > level + 1e-9,
        Worse::Lower => v < level - 1e-9,
    };
    let at = |i: usize| {
        values
            .get(i)
            .copied()
            .flatten()
            .zip(levels.get(i).copied().flatten())
    };
    let last = values.len().checked_sub(1)?;
    let (now, level) = at(last)?;
    if !beyond(now, level) {
        return None;
    }
    let from = (0..last)
        .rev()
        .find(|&i| at(i).is_some_and(|(v, l)| !beyond(v, l)))?;
    Some((from, last))
}

pub(super) fn change_message(
    w: &Watch,
    before: Option<f64>,
    after: Option<f64>,
    relative: bool,
    from: &str,
    to: &str,
) -> String {
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| show(w.figure, v));
    match after {
        None => format!(
            "{} was {} on {from} and is no longer disclosed on {to}.",
            w.label,
            show(before)
        ),
        Some(_) if w.figure.kind() == Kind::Bool => format!(
            "{}: {} on {from}, {} on {to}.",
            w.label,
            show(before),
            show(after)
        ),
        Some(now) => {
            // Said when the rubric measures the move relative to itself.
            let share = before
                .and_then(|b| relative_pct(b, now))
                .filter(|_| relative)
                .map(|pct| {
                    format!(
                        " ({}{}%)",
                        if pct < 0.0 { "−" } else { "+" },
                        crate::facts::format_number(crate::report::round_to(pct.abs(), 0))
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} from {} on {from} to {} on {to}{share}.",
                w.label,
                match w.worse {
                    Worse::Higher => "rose",
                    Worse::Lower => "fell",
                },
                show(before),
                show(after)
            )
        }
    }
}

pub(super) fn crossing_message(
    w: &Watch,
    level: &Level,
    (before, level_before): (Option<f64>, Option<f64>),
    (after, level_after): (Option<f64>, Option<f64>),
    from: &str,
    to: &str,
) -> String {
    let show = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| show(w.figure, v));
    let way = match w.worse {
        Worse::Higher => "rose above",
        Worse::Lower => "fell below",
    };
    match level {
        Level::Value(v) => format!(
            "{} {way} {} on {to}: {} ({} on {from}).",
            w.label,
            show(Some(*v)),
            show(after),
            show(before)
        ),
        Level::Figure { label, figure, .. } => {
            let level_show =
                |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| self::show(*figure, v));
            format!(
                "{} {way} {label} on {to}: {} against {} ({} against {} on {from}).",
                w.label,
                show(after),
                level_show(level_after),
                show(before),
                level_show(level_before)
            )
        }
    }
}
