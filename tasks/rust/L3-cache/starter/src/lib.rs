//! A fixed-capacity least-recently-used (LRU) cache. See the ticket for the full contract.

use std::hash::Hash;
use std::marker::PhantomData;

/// A map with a fixed capacity that evicts its least recently used entry when full.
pub struct LruCache<K, V> {
    // Replace with your own fields.
    _todo: PhantomData<(K, V)>,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// Creates an empty cache that holds at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        let _ = capacity;
        todo!()
    }

    /// The maximum number of entries, as given to `new`.
    pub fn capacity(&self) -> usize {
        todo!()
    }

    /// The number of entries currently stored.
    pub fn len(&self) -> usize {
        todo!()
    }

    /// `true` when no entry is stored.
    pub fn is_empty(&self) -> bool {
        todo!()
    }

    /// Returns the value for `key` and marks the entry as the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let _ = key;
        todo!()
    }

    /// Returns the value for `key` without changing its recency.
    pub fn peek(&self, key: &K) -> Option<&V> {
        let _ = key;
        todo!()
    }

    /// Inserts or updates an entry; see the ticket for what is returned.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        let _ = (key, value);
        todo!()
    }

    /// Removes the entry for `key` and returns its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let _ = key;
        todo!()
    }
}
