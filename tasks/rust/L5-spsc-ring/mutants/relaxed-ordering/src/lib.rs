//! A bounded single-producer single-consumer (SPSC) lock-free ring buffer.
//!
//! The two halves share one heap block through an `Arc`. Positions are counters in `0..2 * capacity`
//! (two laps), so a full buffer (`tail - head == capacity`) and an empty one (`tail == head`) are
//! distinguishable without sacrificing a slot: capacity N holds exactly N items.
//!
//! Synchronisation: the producer writes a slot, then publishes it with a `Release` store of `tail`;
//! the consumer `Acquire`-loads `tail` before reading the slot. Symmetrically the consumer hands a
//! slot back with a `Release` store of `head` after moving the value out, and the producer
//! `Acquire`-loads `head` before overwriting the slot.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Keeps the two indices on separate cache lines so producer and consumer do not false-share.
#[repr(align(128))]
struct Padded(AtomicUsize);

struct Shared<T> {
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
    capacity: usize,
    /// Position of the next item to pop, in `0..2 * capacity`. Written only by the consumer.
    head: Padded,
    /// Position of the next free slot, in `0..2 * capacity`. Written only by the producer.
    tail: Padded,
}

// SAFETY: a slot is accessed by one side at a time, handed over with release/acquire on
// `head`/`tail`; values cross threads, hence `T: Send`. No `&T` is ever shared, so `T: Sync` is not
// needed.
unsafe impl<T: Send> Sync for Shared<T> {}
unsafe impl<T: Send> Send for Shared<T> {}

impl<T> Shared<T> {
    /// Items between `head` and `tail` (both in `0..2 * capacity`).
    fn distance(&self, head: usize, tail: usize) -> usize {
        if tail >= head {
            tail - head
        } else {
            tail + 2 * self.capacity - head
        }
    }

    fn advance(&self, pos: usize) -> usize {
        if pos + 1 == 2 * self.capacity {
            0
        } else {
            pos + 1
        }
    }

    fn slot(&self, pos: usize) -> *mut MaybeUninit<T> {
        let index = if pos >= self.capacity { pos - self.capacity } else { pos };
        self.slots[index].get()
    }

    fn len(&self) -> usize {
        // Each index is read atomically; the pair is a snapshot, clamped in case the other side
        // moved between the two loads.
        let head = self.head.0.load(Ordering::Relaxed);
        let tail = self.tail.0.load(Ordering::Relaxed);
        self.distance(head, tail).min(self.capacity)
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        // Both halves are gone (the Arc's last release/acquire pair orders us after them).
        let mut head = *self.head.0.get_mut();
        let tail = *self.tail.0.get_mut();
        while head != tail {
            // SAFETY: positions in head..tail hold initialised values that nobody popped.
            unsafe { (*self.slot(head)).assume_init_drop() };
            head = self.advance(head);
        }
    }
}

/// Creates a ring buffer that holds exactly `capacity` items and returns its two halves.
///
/// # Panics
///
/// Panics if `capacity` is 0.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(capacity > 0, "spsc ring buffer capacity must be at least 1");
    capacity
        .checked_mul(2)
        .expect("spsc ring buffer capacity overflow");
    let slots = (0..capacity)
        .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
        .collect::<Vec<_>>()
        .into_boxed_slice();
    let shared = Arc::new(Shared {
        slots,
        capacity,
        head: Padded(AtomicUsize::new(0)),
        tail: Padded(AtomicUsize::new(0)),
    });
    (
        Producer { shared: Arc::clone(&shared), tail: 0, cached_head: 0 },
        Consumer { shared, head: 0, cached_tail: 0 },
    )
}

/// The writing half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Producer<T> {
    shared: Arc<Shared<T>>,
    /// Our own copy of `shared.tail` (only we write it).
    tail: usize,
    /// Last `head` we observed: the consumer only moves it forward, so it is a safe lower bound.
    cached_head: usize,
}

/// The reading half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Consumer<T> {
    shared: Arc<Shared<T>>,
    /// Our own copy of `shared.head` (only we write it).
    head: usize,
    /// Last `tail` we observed: the producer only moves it forward, so it is a safe lower bound.
    cached_tail: usize,
}

impl<T> Producer<T> {
    /// Appends `value` at the back. Returns `Err(value)` (the same value, untouched) if the buffer is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        let shared = &*self.shared;
        if shared.distance(self.cached_head, self.tail) == shared.capacity {
            self.cached_head = shared.head.0.load(Ordering::Relaxed);
            if shared.distance(self.cached_head, self.tail) == shared.capacity {
                return Err(value);
            }
        }
        // SAFETY: the slot at `tail` is free: the consumer released it (acquire on `head` above, or
        // earlier) or it was never written.
        unsafe { (*shared.slot(self.tail)).write(value) };
        self.tail = shared.advance(self.tail);
        shared.tail.0.store(self.tail, Ordering::Relaxed);
        Ok(())
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.shared.len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.shared.capacity
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }
}

impl<T> Consumer<T> {
    /// Removes and returns the item at the front, or `None` if the buffer is empty.
    pub fn pop(&mut self) -> Option<T> {
        let shared = &*self.shared;
        if self.head == self.cached_tail {
            self.cached_tail = shared.tail.0.load(Ordering::Relaxed);
            if self.head == self.cached_tail {
                return None;
            }
        }
        // SAFETY: the producer published this slot (acquire on `tail` above, or earlier).
        let value = unsafe { (*shared.slot(self.head)).assume_init_read() };
        self.head = shared.advance(self.head);
        shared.head.0.store(self.head, Ordering::Relaxed);
        Some(value)
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.shared.len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.shared.capacity
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }
}
