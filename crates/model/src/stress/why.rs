//! The English of a result: the one sentence (`why`) that says whether
//! holders were paid, whether coverage fell below the units, what was lost
//! and why.

use crate::number::usd;

use super::book::Book;
use super::demand::Stranded;
use super::slice::Losses;

/// The sentence that says what happened: holders paid or not, a coverage
/// gap or not, a loss for good or not, and the causes.
pub(super) fn explain(
    book: &Book,
    (first_unpaid, first_shortfall): (Option<(u32, f64, f64)>, Option<u32>),
    (gap_days, min_coverage): (u32, Option<f64>),
    losses: &Losses,
    stranded: Option<&Stranded>,
) -> String {
    let coverage = min_coverage.map_or_else(|| "–".to_string(), |c| format!("{c:.3}"));
    let mut parts = vec![match first_unpaid {
        None => "Pays every redemption when due".to_string(),
        Some((day, unpaid, liquid)) => format!(
            "On T+{day}, {} of redemptions due cannot be paid: only {} can be raised by then",
            usd(unpaid),
            usd(liquid)
        ),
    }];
    parts.push(if gap_days > 0 {
        format!(
            "reserves within reach fall below the units outstanding on {gap_days} business day{} (lowest {coverage}×)",
            if gap_days == 1 { "" } else { "s" }
        )
    } else {
        format!("reserves within reach never fall below {coverage}× the units outstanding")
    });
    let lost = losses.permanent();
    let buffer = book.buffer();
    if buffer < -book.outstanding * 1e-9 {
        parts.push(format!(
            "the reserves start {} short of the units outstanding",
            usd(-buffer)
        ));
    }
    let some = book.outstanding * 1e-9;
    // The table's first shortfall day, when the loss passed the buffer
    // before any redemption went unpaid.
    let loss_day = first_shortfall
        .filter(|d| first_unpaid.is_none_or(|(u, _, _)| *d < u))
        .filter(|_| lost > some);
    if let Some(day) = loss_day {
        parts.push(format!(
            "from T+{day} what is lost for good exceeds the buffer"
        ));
    }
    if buffer < 0.0 && lost <= some {
        // Said above: nothing more is lost, but there was no buffer.
    } else if buffer < 0.0 {
        parts.push(format!("{} more is lost for good", usd(lost)));
    } else if lost > some {
        // Two amounts that round alike are written in whole dollars, so the
        // sentence never says "1.0 m USD, more than the 1.0 m USD buffer".
        let (lost_text, buffer_text) = if usd(lost) == usd(buffer) {
            (
                format!("{} USD", crate::number::grouped(lost)),
                format!("{} USD", crate::number::grouped(buffer)),
            )
        } else {
            (usd(lost), usd(buffer))
        };
        let how = if lost > buffer + some {
            "more than"
        } else {
            "within"
        };
        parts.push(format!(
            "{lost_text} is lost for good, {how} the {buffer_text} buffer"
        ));
    } else {
        parts.push("nothing is lost for good".into());
    }
    if losses.frozen > 0.0 {
        parts.push(format!(
            "{} frozen at {}",
            usd(losses.frozen),
            losses.frozen_at.join(", ")
        ));
    }
    for (amount, what) in [
        (losses.freeze_lost, "lost with the frozen assets"),
        (losses.price, "lost to price shocks"),
        (losses.rate, "marked down by the rate shock"),
        (
            losses.repriced,
            "marked down while a stablecoin held trades below par",
        ),
        (losses.sold_at_loss, "lost in forced sales"),
    ] {
        if amount > book.outstanding * 1e-9 {
            parts.push(format!("{} {what}", usd(amount)));
        }
    }
    if book.in_kind {
        parts.push("redemptions are paid in kind from the on-chain collateral".into());
    }
    parts.extend(losses.unmatched.iter().cloned());
    if let Some(s) = stranded {
        parts.push(format!(
            "{:.1} % of units sit on {} and cannot be redeemed for {} business day{}",
            s.pct,
            s.chains.join(", "),
            s.days,
            if s.days == 1 { "" } else { "s" }
        ));
    }
    let mut sentence = parts.join("; ");
    sentence.push('.');
    sentence
}

/// Names joined for a sentence: `A`, `A or B`, `A, B or C`.
pub(super) fn or_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}
