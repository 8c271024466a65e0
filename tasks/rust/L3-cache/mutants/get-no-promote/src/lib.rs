//! A fixed-capacity least-recently-used (LRU) cache.
//!
//! Entries live in a slab (`Vec<Option<Node>>`) linked into a doubly linked recency list by
//! index; a `HashMap` maps each key to its slot. Every operation is O(1) on average.

use std::collections::HashMap;
use std::hash::Hash;

const NIL: usize = usize::MAX;

struct Node<K, V> {
    key: K,
    value: V,
    prev: usize,
    next: usize,
}

/// A map with a fixed capacity that evicts its least recently used entry when full.
pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, usize>,
    slots: Vec<Option<Node<K, V>>>,
    free: Vec<usize>,
    /// Most recently used.
    head: usize,
    /// Least recently used.
    tail: usize,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    /// Creates an empty cache that holds at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        LruCache {
            capacity,
            map: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
        }
    }

    /// The maximum number of entries, as given to `new`.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of entries currently stored.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// `true` when no entry is stored.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Returns the value for `key` and marks the entry as the most recently used.
    pub fn get(&mut self, key: &K) -> Option<&V> {
        let idx = *self.map.get(key)?;
        Some(&self.node(idx).value)
    }

    /// Returns the value for `key` without changing its recency.
    pub fn peek(&self, key: &K) -> Option<&V> {
        let idx = *self.map.get(key)?;
        Some(&self.node(idx).value)
    }

    /// Inserts or updates an entry.
    ///
    /// - existing key: the value is replaced, the entry becomes the most recently used and
    ///   `Some((key, old_value))` is returned; nothing is evicted;
    /// - new key, cache full: the least recently used entry is evicted and returned;
    /// - capacity 0: nothing is stored and `Some((key, value))` is returned;
    /// - otherwise `None`.
    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&idx) = self.map.get(&key) {
            let old = std::mem::replace(&mut self.node_mut(idx).value, value);
            self.unlink(idx);
            self.push_front(idx);
            return Some((key, old));
        }
        if self.capacity == 0 {
            return Some((key, value));
        }
        let evicted = if self.map.len() >= self.capacity {
            let lru = self.tail;
            self.unlink(lru);
            let node = self.slots[lru].take().expect("linked slot is occupied");
            self.map.remove(&node.key);
            self.free.push(lru);
            Some((node.key, node.value))
        } else {
            None
        };
        let node = Node { key: key.clone(), value, prev: NIL, next: NIL };
        let idx = match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(node);
                i
            }
            None => {
                self.slots.push(Some(node));
                self.slots.len() - 1
            }
        };
        self.map.insert(key, idx);
        self.push_front(idx);
        evicted
    }

    /// Removes the entry for `key` and returns its value.
    pub fn remove(&mut self, key: &K) -> Option<V> {
        let idx = self.map.remove(key)?;
        self.unlink(idx);
        let node = self.slots[idx].take().expect("mapped slot is occupied");
        self.free.push(idx);
        Some(node.value)
    }

    fn node(&self, idx: usize) -> &Node<K, V> {
        self.slots[idx].as_ref().expect("slot is occupied")
    }

    fn node_mut(&mut self, idx: usize) -> &mut Node<K, V> {
        self.slots[idx].as_mut().expect("slot is occupied")
    }

    fn unlink(&mut self, idx: usize) {
        let (prev, next) = {
            let n = self.node(idx);
            (n.prev, n.next)
        };
        if prev == NIL {
            self.head = next;
        } else {
            self.node_mut(prev).next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.node_mut(next).prev = prev;
        }
        let n = self.node_mut(idx);
        n.prev = NIL;
        n.next = NIL;
    }

    fn push_front(&mut self, idx: usize) {
        let old_head = self.head;
        {
            let n = self.node_mut(idx);
            n.prev = NIL;
            n.next = old_head;
        }
        if old_head == NIL {
            self.tail = idx;
        } else {
            self.node_mut(old_head).prev = idx;
        }
        self.head = idx;
    }
}
