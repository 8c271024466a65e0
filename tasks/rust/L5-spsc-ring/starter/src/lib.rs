//! A bounded single-producer single-consumer (SPSC) lock-free ring buffer.
//!
//! See the ticket for the full contract. Replace every `todo!()`.

/// Creates a ring buffer that holds exactly `capacity` items and returns its two halves.
///
/// # Panics
///
/// Panics if `capacity` is 0.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    let _ = capacity;
    todo!()
}

/// The writing half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Producer<T> {
    _todo: std::marker::PhantomData<T>,
}

/// The reading half. Only one exists per ring buffer; it is `Send` (when `T: Send`) but not `Clone`.
pub struct Consumer<T> {
    _todo: std::marker::PhantomData<T>,
}

impl<T> Producer<T> {
    /// Appends `value` at the back. Returns `Err(value)` (the same value, untouched) if the buffer is full.
    pub fn push(&mut self, value: T) -> Result<(), T> {
        let _ = value;
        todo!()
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        todo!()
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        todo!()
    }
}

impl<T> Consumer<T> {
    /// Removes and returns the item at the front, or `None` if the buffer is empty.
    pub fn pop(&mut self) -> Option<T> {
        todo!()
    }

    /// Number of items currently in the buffer.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// `true` if the buffer holds no items.
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// `true` if the buffer holds `capacity()` items.
    pub fn is_full(&self) -> bool {
        todo!()
    }

    /// The capacity passed to [`channel`].
    pub fn capacity(&self) -> usize {
        todo!()
    }
}
