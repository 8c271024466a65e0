//! Bounded SPSC ring buffer. The capacity is rounded up to a power of two so that slot indices can
//! be computed with a mask; `head`/`tail` are free-running counters.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

struct Shared<T> {
    buf: Box<[UnsafeCell<MaybeUninit<T>>]>,
    mask: usize,
    head: AtomicUsize,
    tail: AtomicUsize,
}

unsafe impl<T: Send> Sync for Shared<T> {}
unsafe impl<T: Send> Send for Shared<T> {}

impl<T> Shared<T> {
    fn capacity(&self) -> usize {
        self.mask + 1
    }

    fn len(&self) -> usize {
        let head = self.head.load(Ordering::Acquire);
        let tail = self.tail.load(Ordering::Acquire);
        tail.wrapping_sub(head).min(self.capacity())
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        let mut head = *self.head.get_mut();
        let tail = *self.tail.get_mut();
        while head != tail {
            unsafe { (*self.buf[head & self.mask].get()).assume_init_drop() };
            head = head.wrapping_add(1);
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
    let size = capacity.next_power_of_two();
    let buf = (0..size).map(|_| UnsafeCell::new(MaybeUninit::uninit())).collect();
    let shared = Arc::new(Shared { buf, mask: size - 1, head: AtomicUsize::new(0), tail: AtomicUsize::new(0) });
    (Producer { shared: Arc::clone(&shared) }, Consumer { shared })
}

/// The writing half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Producer<T> {
    shared: Arc<Shared<T>>,
}

/// The reading half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Consumer<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Producer<T> {
    /// Appends `value` at the back. Returns `Err(value)` (the same value, untouched) if the buffer is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        let tail = self.shared.tail.load(Ordering::Relaxed);
        let head = self.shared.head.load(Ordering::Acquire);
        if tail.wrapping_sub(head) == self.shared.capacity() {
            return Err(value);
        }
        unsafe { (*self.shared.buf[tail & self.shared.mask].get()).write(value) };
        self.shared.tail.store(tail.wrapping_add(1), Ordering::Release);
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
        self.len() == self.shared.capacity()
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}

impl<T> Consumer<T> {
    /// Removes and returns the item at the front, or `None` if the buffer is empty.
    pub fn pop(&mut self) -> Option<T> {
        let head = self.shared.head.load(Ordering::Relaxed);
        let tail = self.shared.tail.load(Ordering::Acquire);
        if head == tail {
            return None;
        }
        let value = unsafe { (*self.shared.buf[head & self.shared.mask].get()).assume_init_read() };
        self.shared.head.store(head.wrapping_add(1), Ordering::Release);
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
        self.len() == self.shared.capacity()
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.shared.capacity()
    }
}
