//! Ownership: every item is dropped exactly once, by whoever owns it at the time.

use spsc_ring::channel;
use std::cell::RefCell;
use std::rc::Rc;

/// Records its id in a shared log when dropped.
#[derive(Debug)]
struct Tracked {
    id: usize,
    log: Rc<RefCell<Vec<usize>>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
    }
}

fn tracker() -> (Rc<RefCell<Vec<usize>>>, impl Fn(usize) -> Tracked) {
    let log = Rc::new(RefCell::new(Vec::new()));
    let make = {
        let log = Rc::clone(&log);
        move |id| Tracked { id, log: Rc::clone(&log) }
    };
    (log, make)
}

fn sorted(log: &Rc<RefCell<Vec<usize>>>) -> Vec<usize> {
    let mut v = log.borrow().clone();
    v.sort_unstable();
    v
}

#[test]
fn popped_items_are_owned_by_the_caller() {
    let (log, make) = tracker();
    let (mut tx, mut rx) = channel(4);
    for id in 0..3 {
        tx.push(make(id)).unwrap();
    }
    assert!(log.borrow().is_empty(), "pushing must not drop anything");
    let first = rx.pop().unwrap();
    assert_eq!(first.id, 0);
    assert!(log.borrow().is_empty(), "pop must move the item out, not drop it");
    drop(first);
    assert_eq!(sorted(&log), vec![0], "the popped item is dropped when the caller drops it, once");
    drop(tx);
    drop(rx);
    assert_eq!(sorted(&log), vec![0, 1, 2], "each item must be dropped exactly once");
}

#[test]
fn items_left_in_the_ring_are_dropped_once_when_both_halves_are_dropped() {
    let (log, make) = tracker();
    let (mut tx, mut rx) = channel(8);
    for id in 0..5 {
        tx.push(make(id)).unwrap();
    }
    drop(rx.pop());
    drop(rx.pop());
    assert_eq!(sorted(&log), vec![0, 1]);
    drop(tx);
    assert_eq!(sorted(&log), vec![0, 1], "items still in the ring must not be dropped while the consumer is alive");
    drop(rx);
    assert_eq!(
        sorted(&log),
        vec![0, 1, 2, 3, 4],
        "items left in the ring must be dropped exactly once when both halves are gone"
    );
}

#[test]
fn items_left_are_dropped_once_when_the_consumer_goes_first() {
    let (log, make) = tracker();
    let (mut tx, rx) = channel(3);
    for id in 0..3 {
        tx.push(make(id)).unwrap();
    }
    drop(rx);
    assert!(log.borrow().is_empty(), "items in the ring must not be dropped while the producer is alive");
    drop(tx);
    assert_eq!(sorted(&log), vec![0, 1, 2], "items left in the ring must be dropped exactly once when both halves are gone");
}

#[test]
fn items_left_after_wrap_around_are_dropped_once() {
    for cap in [1usize, 2, 3, 4, 5, 8] {
        for popped in 0..=cap {
            for refill in 0..=popped {
                let (log, make) = tracker();
                let (mut tx, mut rx) = channel(cap);
                let mut id = 0;
                for _ in 0..cap {
                    tx.push(make(id)).unwrap();
                    id += 1;
                }
                for _ in 0..popped {
                    drop(rx.pop().unwrap());
                }
                for _ in 0..refill {
                    tx.push(make(id)).unwrap();
                    id += 1;
                }
                drop(tx);
                drop(rx);
                assert_eq!(
                    sorted(&log),
                    (0..id).collect::<Vec<_>>(),
                    "capacity {cap}: after filling, popping {popped} and pushing {refill} more (wrapping around), \
                     every item must be dropped exactly once when both halves are dropped"
                );
            }
        }
    }
}

#[test]
fn rejected_value_is_returned_not_dropped() {
    let (log, make) = tracker();
    let (mut tx, rx) = channel(1);
    tx.push(make(0)).unwrap();
    let back = tx.push(make(1)).expect_err("push on a full ring must fail");
    assert_eq!(back.id, 1, "the rejected value must be handed back");
    assert!(log.borrow().is_empty(), "a rejected push must not drop anything");
    drop(back);
    assert_eq!(sorted(&log), vec![1]);
    drop(tx);
    drop(rx);
    assert_eq!(sorted(&log), vec![0, 1]);
}

#[test]
fn items_pushed_after_the_consumer_is_dropped_are_dropped_once() {
    let (log, make) = tracker();
    let (mut tx, rx) = channel(4);
    tx.push(make(0)).unwrap();
    drop(rx);
    tx.push(make(1)).unwrap();
    tx.push(make(2)).unwrap();
    assert!(log.borrow().is_empty(), "items in the ring must not be dropped while the producer is alive");
    drop(tx);
    assert_eq!(sorted(&log), vec![0, 1, 2], "every item must be dropped exactly once when both halves are gone");
}

#[test]
fn empty_ring_drops_nothing() {
    let (log, make) = tracker();
    let (mut tx, mut rx) = channel(16);
    tx.push(make(0)).unwrap();
    drop(rx.pop());
    assert_eq!(sorted(&log), vec![0]);
    drop(rx);
    drop(tx);
    assert_eq!(sorted(&log), vec![0], "dropping an empty ring must not drop any (uninitialised) slot");
}
