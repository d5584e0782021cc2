//! Frozen custodians: which custodians a freeze names, and how their share
//! of the reserves is taken out of reach (and partly lost) asset by asset.

use crate::facts::ladder::Holder;

use super::book::{Book, CustodianFact};
use super::names::{same_words, words};
use super::scenario::{self, Custodians, Scenario};
use super::slice::{Losses, Slice};
use super::why::or_list;

/// Freezes the custodians each freeze names. A custodian's share of the
/// reserves comes first out of the assets its kind holds (deposits at a bank,
/// fund shares at a fund manager, securities at a custodian), pro rata, and
/// the rest pro rata out of every other asset but central bank balances;
/// a freeze of deposits only takes cash and deposits, and no more of them
/// than there are.
pub(super) fn freeze(
    book: &Book,
    scenario: &Scenario,
    slices: &mut Vec<Slice>,
    losses: &mut Losses,
) -> Result<(), &'static str> {
    let mut frozen_names: Vec<&str> = Vec::new();
    for f in &scenario.freezes {
        let is_bank = |c: &&CustodianFact| matches!(c.kind, Some("bank") | None);
        let chosen: Vec<&CustodianFact> = match &f.custodians {
            Custodians::LargestBank | Custodians::LargestBankNotGsib | Custodians::Largest
                if book.custodians.is_empty() =>
            {
                return Err("[[reserves.custodian]] with share_pct");
            }
            Custodians::LargestBank => largest(book.custodians.iter().filter(is_bank).collect()),
            Custodians::LargestBankNotGsib => largest(
                book.custodians
                    .iter()
                    .filter(is_bank)
                    .filter(|c| !c.gsib)
                    .collect(),
            ),
            Custodians::Largest => largest(book.custodians.iter().collect()),
            Custodians::Kind(kind) => book
                .custodians
                .iter()
                .filter(|c| c.kind == Some(kind.as_str()))
                .collect(),
            Custodians::Country(country) => book
                .custodians
                .iter()
                .filter(|c| c.country.is_some_and(|x| x.eq_ignore_ascii_case(country)))
                .collect(),
            Custodians::Name(name) => book.custodians.iter().filter(|c| c.name == name).collect(),
            Custodians::Names(names) => book
                .custodians
                .iter()
                .filter(|c| names.iter().any(|n| same_words(&c.words, &words(n))))
                .collect(),
        };
        if chosen.is_empty() {
            losses.unmatched.push(match &f.custodians {
                Custodians::LargestBank => "no custodian is a bank, so none is frozen".into(),
                Custodians::LargestBankNotGsib => {
                    "no custodian is a bank outside the G-SIB list, so none is frozen".into()
                }
                Custodians::Largest => "no custodian is frozen".into(),
                Custodians::Kind(kind) => format!("no custodian is a {kind}"),
                Custodians::Country(country) => format!("no custodian is in {country}"),
                Custodians::Name(name) => format!("no custodian is named {name}"),
                Custodians::Names(names) => {
                    format!("no custodian is {}, so none is frozen", or_list(names))
                }
            });
        }
        if f.days == 0 && f.loss_pct == 0.0 {
            continue;
        }
        for c in chosen {
            if frozen_names.contains(&c.name) {
                continue;
            }
            frozen_names.push(c.name);
            let amount = book.reserves * c.share_pct / 100.0;
            let holder = if f.deposits_only {
                Some(Holder::Bank)
            } else {
                Holder::of_custodian_kind(c.kind)
            };
            let frozen = take_from(slices, amount, holder, f, losses);
            if frozen > 0.0 {
                losses.frozen += frozen;
                losses.frozen_at.push(c.name.to_string());
            } else if f.deposits_only {
                losses.unmatched.push(format!(
                    "no deposits are declared, so none is frozen at {}",
                    c.name
                ));
            }
        }
    }
    Ok(())
}

/// The candidate holding the largest share, alone (none when there is none).
fn largest<'a, 'f>(candidates: Vec<&'a CustodianFact<'f>>) -> Vec<&'a CustodianFact<'f>> {
    candidates
        .into_iter()
        .max_by(|a, b| a.share_pct.total_cmp(&b.share_pct))
        .into_iter()
        .collect()
}

/// Moves `amount` of par value out of the unfrozen slices into frozen ones
/// (preferred holder first; only it when the freeze takes deposits only),
/// returning how much was frozen. An advance comes back on its day; the
/// freeze's loss is taken from the rest.
fn take_from(
    slices: &mut Vec<Slice>,
    amount: f64,
    holder: Option<Holder>,
    f: &scenario::Freeze,
    losses: &mut Losses,
) -> f64 {
    let mut left = amount;
    let mut frozen = Vec::new();
    let advance = f.advance_pct / 100.0;
    let loss = f.loss_pct / 100.0;
    let passes: &[bool] = if f.deposits_only {
        &[true]
    } else {
        &[true, false]
    };
    for &preferred in passes {
        let eligible = |s: &Slice| {
            s.frozen_until == 0
                && s.rung.holder != Holder::CentralBank
                && (Some(s.rung.holder) == holder) == preferred
        };
        let pool: f64 = slices.iter().filter(|s| eligible(s)).map(|s| s.par).sum();
        if pool <= 0.0 || left <= 0.0 {
            continue;
        }
        let fraction = (left / pool).min(1.0);
        for s in slices.iter_mut().filter(|s| eligible(s)) {
            let part = s.par * fraction;
            s.par -= part;
            if advance > 0.0 {
                frozen.push(Slice {
                    par: part * advance,
                    frozen_until: f.advance_day,
                    ..s.clone()
                });
            }
            let rest = part * (1.0 - advance);
            frozen.push(Slice {
                par: rest * (1.0 - loss),
                frozen_until: f.days,
                ..s.clone()
            });
            losses.freeze_lost += rest * loss;
        }
        left -= pool * fraction;
    }
    slices.extend(frozen);
    amount - left.max(0.0)
}
