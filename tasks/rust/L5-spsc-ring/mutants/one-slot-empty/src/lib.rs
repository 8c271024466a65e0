//! Bounded SPSC ring buffer: classic head/tail design where one slot is kept empty so that
//! `head == tail` means empty and `tail + 1 == head` means full.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

struct Ring<T> {
    buf: Box<[UnsafeCell<MaybeUninit<T>>]>,
    cap: usize,
    head: AtomicUsize,
    tail: AtomicUsize,
}

unsafe impl<T: Send> Sync for Ring<T> {}
unsafe impl<T: Send> Send for Ring<T> {}

impl<T> Ring<T> {
    fn len(&self) -> usize {
        let head = self.head.load(Ordering::Acquire);
        let tail = self.tail.load(Ordering::Acquire);
        (tail + self.cap - head) % self.cap
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        let mut head = *self.head.get_mut();
        let tail = *self.tail.get_mut();
        while head != tail {
            unsafe { (*self.buf[head].get()).assume_init_drop() };
            head = (head + 1) % self.cap;
        }
    }
}

/// Creates a ring buffer that holds exactly `capacity` items and returns its two halves.
///
/// # Panics
///
/// Panics if `capacity` is 0.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(capacity > 0, "capacity must be at least 1");
    let buf = (0..capacity).map(|_| UnsafeCell::new(MaybeUninit::uninit())).collect();
    let ring = Arc::new(Ring { buf, cap: capacity, head: AtomicUsize::new(0), tail: AtomicUsize::new(0) });
    (Producer { ring: ring.clone() }, Consumer { ring })
}

/// The writing half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Producer<T> {
    ring: Arc<Ring<T>>,
}

/// The reading half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Consumer<T> {
    ring: Arc<Ring<T>>,
}

impl<T> Producer<T> {
    /// Appends `value` at the back. Returns `Err(value)` (the same value, untouched) if the buffer is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        let tail = self.ring.tail.load(Ordering::Relaxed);
        let next = (tail + 1) % self.ring.cap;
        if next == self.ring.head.load(Ordering::Acquire) {
            return Err(value);
        }
        unsafe { (*self.ring.buf[tail].get()).write(value) };
        self.ring.tail.store(next, Ordering::Release);
        Ok(())
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.ring.cap - 1
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.ring.cap
    }
}

impl<T> Consumer<T> {
    /// Removes and returns the item at the front, or `None` if the buffer is empty.
    pub fn pop(&mut self) -> Option<T> {
        let head = self.ring.head.load(Ordering::Relaxed);
        if head == self.ring.tail.load(Ordering::Acquire) {
            return None;
        }
        let value = unsafe { (*self.ring.buf[head].get()).assume_init_read() };
        self.ring.head.store((head + 1) % self.ring.cap, Ordering::Release);
        Some(value)
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.ring.cap - 1
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.ring.cap
    }
}
