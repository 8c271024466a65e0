//! Bounded SPSC ring buffer backed by a mutex-protected deque.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

struct Inner<T> {
    queue: Mutex<VecDeque<T>>,
    capacity: usize,
}

/// Creates a ring buffer that holds exactly `capacity` items and returns its two halves.
///
/// # Panics
///
/// Panics if `capacity` is 0.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(capacity > 0, "capacity must be at least 1");
    let inner = Arc::new(Inner { queue: Mutex::new(VecDeque::with_capacity(capacity)), capacity });
    (Producer { inner: Arc::clone(&inner) }, Consumer { inner })
}

/// The writing half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Producer<T> {
    inner: Arc<Inner<T>>,
}

/// The reading half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Consumer<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Producer<T> {
    /// Appends `value` at the back. Returns `Err(value)` (the same value, untouched) if the buffer is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        let mut queue = self.inner.queue.lock().unwrap();
        if queue.len() == self.inner.capacity {
            return Err(value);
        }
        queue.push_back(value);
        Ok(())
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.inner.queue.lock().unwrap().len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.inner.capacity
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.inner.capacity
    }
}

impl<T> Consumer<T> {
    /// Removes and returns the item at the front, or `None` if the buffer is empty.
    pub fn pop(&mut self) -> Option<T> {
        self.inner.queue.lock().unwrap().pop_front()
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        self.inner.queue.lock().unwrap().len()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        self.len() == self.inner.capacity
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        self.inner.capacity
    }
}
