//! One producer thread and one consumer thread moving millions of items through the ring.
//! Every wait is bounded: a ring that stops making progress fails the test instead of hanging.

use spsc_ring::channel;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// A side that has waited this long without being able to push (or pop) fails the test.
const STALL_LIMIT: Duration = Duration::from_secs(10);

/// Tells the other thread to give up when this thread panics (e.g. on a failed assertion).
struct AbortOnPanic(Arc<AtomicBool>);
impl Drop for AbortOnPanic {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

/// Retries `attempt` until it yields a value, spinning briefly then yielding the CPU.
/// Returns None if the other side aborted the test.
fn wait_for<R>(what: &str, abort: &AtomicBool, mut attempt: impl FnMut() -> Option<R>) -> Option<R> {
    let mut spins = 0u32;
    let mut started: Option<Instant> = None;
    loop {
        if let Some(r) = attempt() {
            return Some(r);
        }
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
            continue;
        }
        thread::yield_now();
        if spins % 1024 == 0 {
            if abort.load(Ordering::Relaxed) {
                return None;
            }
            let since = *started.get_or_insert_with(Instant::now);
            if since.elapsed() > STALL_LIMIT {
                panic!("{what}: no progress for {STALL_LIMIT:?} although the other side is running");
            }
        }
    }
}

/// Moves `0..n` through a ring of capacity `cap`; the consumer checks the order.
fn ordered_transfer(cap: usize, n: u64) {
    let (mut tx, mut rx) = channel::<u64>(cap);
    let abort = Arc::new(AtomicBool::new(false));
    let producer = {
        let abort = Arc::clone(&abort);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for i in 0..n {
                let mut item = Some(i);
                let pushed = wait_for("push", &abort, || match tx.push(item.take().unwrap()) {
                    Ok(()) => Some(()),
                    Err(back) => {
                        item = Some(back);
                        None
                    }
                });
                if pushed.is_none() {
                    return;
                }
            }
        })
    };
    let consumer = {
        let abort = Arc::clone(&abort);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for expected in 0..n {
                let Some(got) = wait_for("pop", &abort, || rx.pop()) else { return };
                if got != expected {
                    panic!("capacity {cap}: popped {got} where {expected} was expected: items must arrive in push order, none lost or duplicated");
                }
            }
            assert_eq!(rx.pop(), None, "capacity {cap}: pop after every pushed item was taken must return None");
        })
    };
    let p = producer.join();
    let c = consumer.join();
    if let Err(e) = c {
        std::panic::resume_unwind(e);
    }
    if let Err(e) = p {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn ordered_transfer_of_millions_of_items() {
    ordered_transfer(64, 5_000_000);
}

#[test]
fn ordered_transfer_with_capacity_one() {
    ordered_transfer(1, 200_000);
}

#[test]
fn ordered_transfer_with_odd_capacity() {
    ordered_transfer(7, 1_000_000);
}

struct Payload {
    value: Box<u64>,
    drops: Arc<AtomicUsize>,
}

impl Drop for Payload {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn heap_items_cross_threads_and_are_dropped_once() {
    const CAP: usize = 5;
    const N: u64 = 300_000;
    const LEFT: u64 = 3; // left in the ring when the consumer stops
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut tx, mut rx) = channel::<Payload>(CAP);
    let abort = Arc::new(AtomicBool::new(false));
    let producer = {
        let abort = Arc::clone(&abort);
        let drops = Arc::clone(&drops);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for i in 0..N {
                let mut item = Some(Payload { value: Box::new(i), drops: Arc::clone(&drops) });
                let pushed = wait_for("push", &abort, || match tx.push(item.take().unwrap()) {
                    Ok(()) => Some(()),
                    Err(back) => {
                        item = Some(back);
                        None
                    }
                });
                if pushed.is_none() {
                    return;
                }
            }
            // The producer is dropped here, on its own thread.
        })
    };
    let consumer = {
        let abort = Arc::clone(&abort);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for expected in 0..N - LEFT {
                let Some(got) = wait_for("pop", &abort, || rx.pop()) else { return };
                if *got.value != expected {
                    panic!("popped payload {} where {expected} was expected", *got.value);
                }
            }
            // The consumer (with items still queued) is dropped here, on its own thread.
        })
    };
    let p = producer.join();
    let c = consumer.join();
    if let Err(e) = c {
        std::panic::resume_unwind(e);
    }
    if let Err(e) = p {
        std::panic::resume_unwind(e);
    }
    assert_eq!(
        drops.load(Ordering::SeqCst),
        N as usize,
        "every item must be dropped exactly once: popped ones by the consumer, the {LEFT} left in the ring when both halves are dropped"
    );
}

#[test]
fn len_stays_within_capacity_while_the_other_side_runs() {
    const CAP: usize = 16;
    const N: u64 = 500_000;
    let (mut tx, mut rx) = channel::<u64>(CAP);
    let abort = Arc::new(AtomicBool::new(false));
    let producer = {
        let abort = Arc::clone(&abort);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for i in 0..N {
                let len = tx.len();
                assert!(len <= CAP, "Producer::len() returned {len} for a ring of capacity {CAP}");
                let mut item = Some(i);
                let pushed = wait_for("push", &abort, || match tx.push(item.take().unwrap()) {
                    Ok(()) => Some(()),
                    Err(back) => {
                        item = Some(back);
                        None
                    }
                });
                if pushed.is_none() {
                    return;
                }
            }
        })
    };
    let consumer = {
        let abort = Arc::clone(&abort);
        thread::spawn(move || {
            let _guard = AbortOnPanic(Arc::clone(&abort));
            for expected in 0..N {
                let len = rx.len();
                assert!(len <= CAP, "Consumer::len() returned {len} for a ring of capacity {CAP}");
                let Some(got) = wait_for("pop", &abort, || rx.pop()) else { return };
                assert_eq!(got, expected, "items must arrive in push order");
            }
        })
    };
    let p = producer.join();
    let c = consumer.join();
    if let Err(e) = c {
        std::panic::resume_unwind(e);
    }
    if let Err(e) = p {
        std::panic::resume_unwind(e);
    }
}
