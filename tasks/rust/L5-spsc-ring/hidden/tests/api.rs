//! Single-threaded behaviour of the ring buffer: capacity, full/empty, order, wrap-around, traits.

use spsc_ring::{channel, Consumer, Producer};
use std::collections::VecDeque;
use std::marker::PhantomData;
use std::rc::Rc;

#[test]
fn capacity_is_reported_exactly() {
    for cap in [1usize, 2, 3, 5, 10, 100, 1000] {
        let (tx, rx) = channel::<u32>(cap);
        assert_eq!(tx.capacity(), cap, "Producer::capacity() must return the capacity passed to channel()");
        assert_eq!(rx.capacity(), cap, "Consumer::capacity() must return the capacity passed to channel()");
    }
}

#[test]
fn holds_exactly_capacity_items() {
    for cap in [1usize, 2, 3, 5, 7, 8, 13, 64, 100] {
        let (mut tx, rx) = channel::<usize>(cap);
        for i in 0..cap {
            assert!(
                tx.push(i).is_ok(),
                "channel({cap}): push #{} failed; a ring of capacity {cap} must accept exactly {cap} items",
                i + 1
            );
        }
        assert_eq!(
            tx.push(cap),
            Err(cap),
            "channel({cap}): push on a ring holding {cap} items must fail and hand the value back"
        );
        assert_eq!(tx.len(), cap, "channel({cap}): len() of a full ring");
        assert_eq!(rx.len(), cap, "channel({cap}): len() of a full ring (consumer side)");
        drop(rx);
    }
}

#[test]
fn push_on_full_returns_the_same_value() {
    let (mut tx, mut rx) = channel::<String>(2);
    assert_eq!(tx.push("a".to_string()), Ok(()));
    assert_eq!(tx.push("b".to_string()), Ok(()));
    assert_eq!(
        tx.push("rejected".to_string()),
        Err("rejected".to_string()),
        "push on a full ring must return Err carrying the rejected value"
    );
    assert_eq!(rx.pop().as_deref(), Some("a"), "a rejected push must not change the contents");
    assert_eq!(tx.push("c".to_string()), Ok(()), "after one pop there is room for exactly one push");
    assert_eq!(tx.push("d".to_string()), Err("d".to_string()), "the ring is full again");
    assert_eq!(rx.pop().as_deref(), Some("b"));
    assert_eq!(rx.pop().as_deref(), Some("c"));
    assert_eq!(rx.pop(), None);
}

#[test]
fn pop_on_empty_returns_none() {
    let (mut tx, mut rx) = channel::<u8>(4);
    assert_eq!(rx.pop(), None, "pop on a new ring must return None");
    assert_eq!(rx.pop(), None, "pop on an empty ring must keep returning None");
    tx.push(7).unwrap();
    assert_eq!(rx.pop(), Some(7));
    assert_eq!(rx.pop(), None, "pop after the only item was taken must return None");
    assert_eq!(rx.pop(), None);
}

#[test]
fn items_come_out_in_fifo_order() {
    let (mut tx, mut rx) = channel::<u64>(10);
    for i in 0..10 {
        tx.push(i * 3).unwrap();
    }
    for i in 0..10 {
        assert_eq!(rx.pop(), Some(i * 3), "items must be popped in the order they were pushed");
    }
    assert_eq!(rx.pop(), None);
}

#[test]
fn len_is_empty_is_full_on_both_halves() {
    let (mut tx, mut rx) = channel::<i32>(3);
    let check = |tx: &Producer<i32>, rx: &Consumer<i32>, n: usize, when: &str| {
        assert_eq!(tx.len(), n, "Producer::len() {when}");
        assert_eq!(rx.len(), n, "Consumer::len() {when}");
        assert_eq!(tx.is_empty(), n == 0, "Producer::is_empty() {when}");
        assert_eq!(rx.is_empty(), n == 0, "Consumer::is_empty() {when}");
        assert_eq!(tx.is_full(), n == 3, "Producer::is_full() {when}");
        assert_eq!(rx.is_full(), n == 3, "Consumer::is_full() {when}");
    };
    check(&tx, &rx, 0, "on a new ring of capacity 3");
    tx.push(1).unwrap();
    check(&tx, &rx, 1, "after 1 push");
    tx.push(2).unwrap();
    tx.push(3).unwrap();
    check(&tx, &rx, 3, "after 3 pushes into capacity 3");
    assert!(tx.push(4).is_err());
    check(&tx, &rx, 3, "after a rejected push");
    rx.pop().unwrap();
    check(&tx, &rx, 2, "after 3 pushes and 1 pop");
    tx.push(4).unwrap();
    check(&tx, &rx, 3, "after wrapping around to full again");
    while rx.pop().is_some() {}
    check(&tx, &rx, 0, "after draining");
}

/// Small deterministic generator so the operation sequence is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn wrap_around_matches_a_fifo_queue() {
    for cap in [1usize, 2, 3, 4, 5, 7, 16, 31] {
        let (mut tx, mut rx) = channel::<String>(cap);
        let mut model: VecDeque<String> = VecDeque::new();
        let mut rng = Lcg(cap as u64 * 7919);
        let mut next = 0u64;
        for step in 0..20_000 {
            // Phases biased towards pushing, then towards popping, so the ring fills and drains
            // repeatedly at every offset.
            let push_bias = if (step / 97) % 2 == 0 { 3 } else { 1 };
            if rng.next() % 4 < push_bias {
                let value = format!("item-{next}");
                next += 1;
                let result = tx.push(value.clone());
                if model.len() < cap {
                    assert_eq!(result, Ok(()), "capacity {cap}, step {step}: push with {} of {cap} slots used must succeed", model.len());
                    model.push_back(value);
                } else {
                    assert_eq!(result, Err(value), "capacity {cap}, step {step}: push on a full ring must return the value");
                }
            } else {
                let expected = model.pop_front();
                assert_eq!(rx.pop(), expected, "capacity {cap}, step {step}: pop returned the wrong item (FIFO order across wrap-around)");
            }
            assert_eq!(tx.len(), model.len(), "capacity {cap}, step {step}: Producer::len()");
            assert_eq!(rx.len(), model.len(), "capacity {cap}, step {step}: Consumer::len()");
            assert_eq!(rx.is_empty(), model.is_empty(), "capacity {cap}, step {step}: is_empty()");
            assert_eq!(tx.is_full(), model.len() == cap, "capacity {cap}, step {step}: is_full()");
        }
    }
}

#[test]
#[should_panic]
fn zero_capacity_panics() {
    let _ = channel::<u8>(0);
}

#[test]
fn zero_sized_items_respect_capacity() {
    let (mut tx, mut rx) = channel::<()>(3);
    for i in 0..3 {
        assert_eq!(tx.push(()), Ok(()), "channel::<()>(3): push #{} must succeed", i + 1);
    }
    assert_eq!(tx.push(()), Err(()), "channel::<()>(3): the 4th push must fail: capacity applies to zero-sized types too");
    assert_eq!(rx.len(), 3);
    for _ in 0..3 {
        assert_eq!(rx.pop(), Some(()));
    }
    assert_eq!(rx.pop(), None, "channel::<()>(3): pop after draining must return None");
}

#[test]
fn large_items_survive_the_round_trip() {
    let (mut tx, mut rx) = channel::<[u64; 32]>(5);
    for round in 0..50u64 {
        for k in 0..3u64 {
            let mut item = [0u64; 32];
            for (i, x) in item.iter_mut().enumerate() {
                *x = round * 1000 + k * 100 + i as u64;
            }
            tx.push(item).unwrap();
        }
        for k in 0..3u64 {
            let item = rx.pop().expect("an item that was pushed must be popped");
            for (i, x) in item.iter().enumerate() {
                assert_eq!(*x, round * 1000 + k * 100 + i as u64, "item contents changed inside the ring");
            }
        }
    }
}

#[test]
fn consumer_drains_after_producer_is_dropped() {
    let (mut tx, mut rx) = channel::<u16>(4);
    tx.push(1).unwrap();
    tx.push(2).unwrap();
    tx.push(3).unwrap();
    drop(tx);
    assert_eq!(rx.len(), 3, "dropping the producer must not discard queued items");
    assert_eq!(rx.pop(), Some(1));
    assert_eq!(rx.pop(), Some(2));
    assert_eq!(rx.pop(), Some(3));
    assert_eq!(rx.pop(), None);
}

#[test]
fn producer_keeps_working_after_consumer_is_dropped() {
    let (mut tx, rx) = channel::<u16>(2);
    tx.push(1).unwrap();
    drop(rx);
    assert_eq!(tx.push(2), Ok(()), "push must still succeed while there is room after the consumer is dropped");
    assert_eq!(tx.push(3), Err(3), "push must still report a full ring after the consumer is dropped");
    assert_eq!(tx.len(), 2);
}

fn assert_send<T: Send>() {}

#[test]
fn halves_are_send() {
    assert_send::<Producer<u64>>();
    assert_send::<Consumer<u64>>();
    assert_send::<Producer<String>>();
    assert_send::<Consumer<Box<Vec<u8>>>>();
    let (mut tx, mut rx) = channel::<String>(2);
    let handle = std::thread::spawn(move || {
        tx.push("sent".to_string()).unwrap();
        tx
    });
    let tx = handle.join().unwrap();
    let handle = std::thread::spawn(move || rx.pop());
    assert_eq!(handle.join().unwrap().as_deref(), Some("sent"));
    drop(tx);
}

// Autoref-based trait detection: `(&Probe::<X>(..)).method()` resolves to the `Probe<X>` impl when
// its bound holds, and falls back to the `&Probe<X>` impl otherwise. Evaluated on concrete types.
struct Probe<X>(PhantomData<X>);
fn probe<X>() -> Probe<X> {
    Probe(PhantomData)
}

trait IsSendYes {
    fn is_send(&self) -> bool {
        true
    }
}
impl<X: Send> IsSendYes for Probe<X> {}
trait IsSendNo {
    fn is_send(&self) -> bool {
        false
    }
}
impl<X> IsSendNo for &Probe<X> {}

trait IsCloneYes {
    fn is_clone(&self) -> bool {
        true
    }
}
impl<X: Clone> IsCloneYes for Probe<X> {}
trait IsCloneNo {
    fn is_clone(&self) -> bool {
        false
    }
}
impl<X> IsCloneNo for &Probe<X> {}

#[test]
fn halves_are_not_send_for_non_send_items() {
    // Sanity check of the detector itself.
    assert!((&probe::<u8>()).is_send());
    assert!(!(&probe::<Rc<u8>>()).is_send());
    assert!(
        !(&probe::<Producer<Rc<u8>>>()).is_send(),
        "Producer<T> must be Send only when T: Send (Producer<Rc<u8>> must not be Send)"
    );
    assert!(
        !(&probe::<Consumer<Rc<u8>>>()).is_send(),
        "Consumer<T> must be Send only when T: Send (Consumer<Rc<u8>> must not be Send)"
    );
    assert!((&probe::<Producer<u8>>()).is_send(), "Producer<u8> must be Send");
    assert!((&probe::<Consumer<u8>>()).is_send(), "Consumer<u8> must be Send");
}

#[test]
fn halves_are_not_clone() {
    // Sanity check of the detector itself.
    assert!((&probe::<String>()).is_clone());
    assert!(!(&probe::<std::sync::atomic::AtomicU8>()).is_clone());
    assert!(
        !(&probe::<Producer<u8>>()).is_clone(),
        "Producer must not implement Clone: there is exactly one producer"
    );
    assert!(
        !(&probe::<Consumer<u8>>()).is_clone(),
        "Consumer must not implement Clone: there is exactly one consumer"
    );
}
