//! Batch work on every core, results in argument order.
//!
//! `score` and `check` take thousands of files. A fixed set of workers (one
//! per core, started once) takes the next file as soon as it is free, so one
//! slow file does not leave the other cores idle; the calling thread receives
//! results and hands them on in the files' order. Workers never run more than
//! [`WINDOW_PER_WORKER`] files per core ahead of the last result handed on, so
//! memory stays flat however many files there are.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError, mpsc};

/// How many files each worker may be ahead of the output.
const WINDOW_PER_WORKER: usize = 32;

/// Runs `work` on every item on all cores and passes each result to `emit` in
/// the items' order, as soon as it and every item before it are done. The
/// first error `emit` returns stops the workers and is returned.
pub fn for_each_in_order<T, R, E>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    mut emit: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    if workers <= 1 {
        return items.iter().try_for_each(|item| emit(work(item)));
    }
    let window = workers * WINDOW_PER_WORKER;
    let shared = Shared {
        next: AtomicUsize::new(0),
        emitted: Mutex::new(0),
        progress: Condvar::new(),
        stop: AtomicBool::new(false),
    };
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, R)>();
        for _ in 0..workers {
            let sender = sender.clone();
            let (shared, work) = (&shared, &work);
            scope.spawn(move || {
                let _guard = StopOnPanic(shared);
                while let Some(index) = shared.claim(items.len(), window) {
                    let Some(item) = items.get(index) else { break };
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        // Results that arrived before an earlier one: slot i holds item
        // `done + i`.
        let mut waiting: VecDeque<Option<R>> = VecDeque::new();
        let mut done = 0;
        let mut outcome = Ok(());
        'receive: for (index, result) in receiver {
            let slot = index - done;
            if waiting.len() <= slot {
                waiting.resize_with(slot + 1, || None);
            }
            if let Some(place) = waiting.get_mut(slot) {
                *place = Some(result);
            }
            while let Some(Some(_)) = waiting.front() {
                if let Some(Some(result)) = waiting.pop_front() {
                    done += 1;
                    if let Err(e) = emit(result) {
                        outcome = Err(e);
                        shared.halt();
                        break 'receive;
                    }
                }
            }
            shared.advance(done);
        }
        outcome
    })
}

struct Shared {
    /// The next item to claim.
    next: AtomicUsize,
    /// How many results were handed on; workers wait on `progress` for it.
    emitted: Mutex<usize>,
    progress: Condvar,
    stop: AtomicBool,
}

impl Shared {
    /// The next item's index, once it is within the window; `None` when every
    /// item is claimed or the batch stopped.
    fn claim(&self, len: usize, window: usize) -> Option<usize> {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        if index >= len {
            return None;
        }
        let mut emitted = self.emitted.lock().unwrap_or_else(PoisonError::into_inner);
        while index >= *emitted + window && !self.stop.load(Ordering::Relaxed) {
            emitted = self
                .progress
                .wait(emitted)
                .unwrap_or_else(PoisonError::into_inner);
        }
        (!self.stop.load(Ordering::Relaxed)).then_some(index)
    }

    fn advance(&self, done: usize) {
        *self.emitted.lock().unwrap_or_else(PoisonError::into_inner) = done;
        self.progress.notify_all();
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::Relaxed);
        // Taking the lock orders the store before any waiter's next check.
        drop(self.emitted.lock().unwrap_or_else(PoisonError::into_inner));
        self.progress.notify_all();
    }
}

/// Stops the batch when a worker panics, so that the others do not wait for
/// a result that will never come; the scope then re-raises the panic.
struct StopOnPanic<'a>(&'a Shared);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.halt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_each_one_costs() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        let result: Result<(), ()> = for_each_in_order(
            &items,
            |&i| {
                // Uneven work, so that later items often finish first.
                if i % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                i * 2
            },
            |r| {
                seen.push(r);
                Ok(())
            },
        );
        assert_eq!(result, Ok(()));
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn an_error_from_emit_stops_the_batch_and_is_returned() {
        let items: Vec<u32> = (0..10_000).collect();
        let worked = AtomicUsize::new(0);
        let mut emitted = 0;
        let result = for_each_in_order(
            &items,
            |&i| {
                worked.fetch_add(1, Ordering::Relaxed);
                i
            },
            |i| {
                emitted += 1;
                if i == 5 { Err("stop") } else { Ok(()) }
            },
        );
        assert_eq!(result, Err("stop"));
        assert_eq!(emitted, 6);
        // The window keeps workers from running far past the failure.
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let bound = emitted + cores * (WINDOW_PER_WORKER + 1);
        assert!(worked.load(Ordering::Relaxed) <= bound, "{worked:?}");
    }

    #[test]
    fn an_empty_batch_emits_nothing() {
        let mut count = 0;
        let result: Result<(), ()> = for_each_in_order(
            &[] as &[u8],
            |_| (),
            |()| {
                count += 1;
                Ok(())
            },
        );
        assert_eq!((result, count), (Ok(()), 0));
    }

    #[test]
    fn a_panicking_worker_is_re_raised_not_a_hang() {
        let items: Vec<u32> = (0..1_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            let _: Result<(), ()> = for_each_in_order(
                &items,
                |&i| {
                    assert!(i != 3, "worker fails on item 3");
                    i
                },
                |_| Ok(()),
            );
        });
        assert!(outcome.is_err());
    }
}
