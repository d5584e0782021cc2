//! Batch work on every core, results in argument order.
//!
//! `score` and `check` take thousands of files. One worker per core (the
//! calling thread is one of them) takes the next file as soon as it is free,
//! so one slow file does not leave the other cores idle. A finished result
//! waits in a small reorder buffer until every earlier one is out; the worker
//! that completes the run in front hands it on, so no thread sleeps waiting
//! for results and none is woken for each one. Workers never run more than
//! `WINDOW_PER_WORKER` files per core ahead of the last result handed on, so
//! memory stays flat however many files there are.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// How many files each worker may be ahead of the output.
const WINDOW_PER_WORKER: usize = 32;

/// Runs `work` on every item on all cores and passes each result to `emit` in
/// the items' order, as soon as it and every item before it are done. `emit`
/// runs on whichever worker completes the run, one call at a time. The first
/// error `emit` returns stops the workers and is returned.
pub fn for_each_in_order<T, R, E, F>(
    items: &[T],
    work: impl Fn(&T) -> R + Sync,
    emit: F,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
    E: Send,
    F: FnMut(R) -> Result<(), E> + Send,
{
    // One file needs no second thread, nor the system asked how many cores
    // there are (it reads the cgroup's quota: several system calls).
    let workers = if items.len() <= 1 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(items.len())
    };
    if workers <= 1 {
        let mut emit = emit;
        return items.iter().try_for_each(|item| emit(work(item)));
    }
    let shared = Shared {
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        window: workers * WINDOW_PER_WORKER,
        out: Mutex::new(Out {
            waiting: VecDeque::new(),
            done: 0,
            sleepers: 0,
            emit,
            error: None,
        }),
        progress: Condvar::new(),
    };
    let worker = || {
        let _guard = StopOnPanic(&shared);
        while let Some(index) = shared.claim(items.len()) {
            let Some(item) = items.get(index) else { break };
            shared.finish(index, work(item));
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(worker);
        }
        worker();
    });
    let out = shared
        .out
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    out.error.map_or(Ok(()), Err)
}

struct Shared<R, E, F> {
    /// The next item to claim.
    next: AtomicUsize,
    stop: AtomicBool,
    window: usize,
    out: Mutex<Out<R, E, F>>,
    /// Signalled when results were handed on and a worker sleeps on the window.
    progress: Condvar,
}

/// The reorder buffer and what hands results on.
struct Out<R, E, F> {
    /// Slot `i` holds item `done + i` once it is finished.
    waiting: VecDeque<Option<R>>,
    /// How many results were handed on.
    done: usize,
    /// Workers waiting for the window to move.
    sleepers: usize,
    emit: F,
    error: Option<E>,
}

impl<R, E, F: FnMut(R) -> Result<(), E>> Shared<R, E, F> {
    fn lock(&self) -> MutexGuard<'_, Out<R, E, F>> {
        self.out.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next item's index, once it is within the window; `None` when every
    /// item is claimed or the batch stopped.
    fn claim(&self, len: usize) -> Option<usize> {
        let index = self.next.fetch_add(1, Ordering::Relaxed);
        if index >= len || self.stop.load(Ordering::Relaxed) {
            return None;
        }
        let mut out = self.lock();
        while index >= out.done + self.window && !self.stop.load(Ordering::Relaxed) {
            out.sleepers += 1;
            out = self
                .progress
                .wait(out)
                .unwrap_or_else(PoisonError::into_inner);
            out.sleepers -= 1;
        }
        (!self.stop.load(Ordering::Relaxed)).then_some(index)
    }

    /// Files a result, and hands on every result that is now in order.
    fn finish(&self, index: usize, result: R) {
        let mut out = self.lock();
        let slot = index - out.done;
        if out.waiting.len() <= slot {
            out.waiting.resize_with(slot + 1, || None);
        }
        if let Some(place) = out.waiting.get_mut(slot) {
            *place = Some(result);
        }
        let before = out.done;
        while let Some(Some(_)) = out.waiting.front() {
            let Some(Some(result)) = out.waiting.pop_front() else {
                break;
            };
            out.done += 1;
            if let Err(e) = (out.emit)(result) {
                out.error = Some(e);
                self.stop.store(true, Ordering::Relaxed);
                out.waiting.clear();
                self.progress.notify_all();
                return;
            }
        }
        if out.done > before && out.sleepers > 0 {
            self.progress.notify_all();
        }
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::Relaxed);
        // Taking the lock orders the store before any sleeper's next check.
        drop(self.lock());
        self.progress.notify_all();
    }
}

/// Stops the batch when a worker panics, so that the others do not wait for
/// a result that will never come; the scope then re-raises the panic.
struct StopOnPanic<'a, R, E, F: FnMut(R) -> Result<(), E>>(&'a Shared<R, E, F>);

impl<R, E, F: FnMut(R) -> Result<(), E>> Drop for StopOnPanic<'_, R, E, F> {
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
