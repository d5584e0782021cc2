//! The reserves while a scenario runs: each asset as slices with their
//! shocks, marks and freezes ([`Slice`]), and what the shocks took
//! ([`Losses`]).

use crate::facts::ladder::Rung;
use crate::facts::loss::{Haircut, sale_proceeds};

/// A piece of one reserve asset: what is left of it, and until when it is
/// out of reach.
#[derive(Debug, Clone)]
pub(super) struct Slice {
    pub(super) rung: &'static Rung,
    pub(super) haircut: &'static Haircut,
    /// Position of the rung in the ladder: the sale order's tie-break.
    pub(super) rank: usize,
    pub(super) max_maturity_days: Option<f64>,
    /// Value at par after any price shock and freeze loss, before the rate mark.
    pub(super) par: f64,
    /// The fraction of its value the price shock took (0–1).
    pub(super) shock: f64,
    /// The fall in price a rate shock causes until maturity (0–1).
    pub(super) rate_loss: f64,
    /// A temporary price below par (a stablecoin's) and the first business
    /// day it is back at par.
    pub(super) repriced: Option<(f64, u32)>,
    /// Paid out as it is by a channel that pays in kind.
    pub(super) in_kind: bool,
    /// First business day it can be reached again (0 = never frozen).
    pub(super) frozen_until: u32,
}

impl Slice {
    /// The price factor of a temporary repricing on `day` (1 when none).
    fn reprice(&self, day: u32) -> f64 {
        match self.repriced {
            Some((price, until)) if day < until => price,
            _ => 1.0,
        }
    }

    pub(super) fn mark(&self, day: u32) -> f64 {
        let rate = if self.rung.matured_by(self.max_maturity_days, day) {
            1.0
        } else {
            // A loss never takes a mark below nothing.
            (1.0 - self.rate_loss).max(0.0)
        };
        rate * self.reprice(day)
    }

    pub(super) fn marked(&self, day: u32) -> f64 {
        self.par * self.mark(day)
    }

    pub(super) fn reachable(&self, day: u32) -> bool {
        self.frozen_until <= day
    }

    /// Dollars per dollar of marked value if sold (or matured, or paid out in
    /// kind) by `day`. A sale while the price is down loses the larger of the
    /// shock and the sale haircut, never both.
    pub(super) fn proceeds(&self, day: u32) -> Option<f64> {
        if !self.reachable(day) {
            return None;
        }
        if self.in_kind {
            return Some(1.0);
        }
        if self.rung.matured_by(self.max_maturity_days, day) {
            return Some(1.0);
        }
        let shock = 1.0 - (1.0 - self.shock) * self.reprice(day);
        self.rung
            .sale_day
            .filter(|sale| *sale <= day)
            .map(|_| sale_proceeds(self.haircut, shock))
    }
}

/// What the shocks did, for the sentence that explains a result.
#[derive(Debug, Default)]
pub(super) struct Losses {
    pub(super) price: f64,
    pub(super) rate: f64,
    pub(super) repriced: f64,
    pub(super) frozen: f64,
    pub(super) frozen_at: Vec<String>,
    pub(super) freeze_lost: f64,
    /// Realised below par by forced sales (sale haircuts, and rate or
    /// reprice mark-downs of what was sold).
    pub(super) sold_at_loss: f64,
    /// Freezes, reprices and outages that selected nothing, in words.
    pub(super) unmatched: Vec<String>,
}

impl Losses {
    /// Everything lost for good so far.
    pub(super) fn permanent(&self) -> f64 {
        self.price + self.freeze_lost + self.sold_at_loss
    }
}
