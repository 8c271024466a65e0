//! LRU cache: HashMap of keys to heap nodes of a raw-pointer doubly linked list.
//! Nodes are allocated with Box::into_raw and freed on eviction/removal — but there is no
//! `impl Drop`, so the nodes (and values) still in the cache are leaked when it is dropped.

use std::collections::HashMap;
use std::hash::Hash;
use std::ptr;

struct Node<K, V> {
    key: K,
    value: V,
    prev: *mut Node<K, V>,
    next: *mut Node<K, V>,
}

pub struct LruCache<K, V> {
    capacity: usize,
    map: HashMap<K, *mut Node<K, V>>,
    head: *mut Node<K, V>,
    tail: *mut Node<K, V>,
}

impl<K: Hash + Eq + Clone, V> LruCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        LruCache { capacity, map: HashMap::new(), head: ptr::null_mut(), tail: ptr::null_mut() }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    unsafe fn unlink(&mut self, n: *mut Node<K, V>) {
        let (prev, next) = ((*n).prev, (*n).next);
        if prev.is_null() { self.head = next } else { (*prev).next = next }
        if next.is_null() { self.tail = prev } else { (*next).prev = prev }
        (*n).prev = ptr::null_mut();
        (*n).next = ptr::null_mut();
    }

    unsafe fn push_front(&mut self, n: *mut Node<K, V>) {
        (*n).prev = ptr::null_mut();
        (*n).next = self.head;
        if self.head.is_null() { self.tail = n } else { (*self.head).prev = n }
        self.head = n;
    }

    pub fn get(&mut self, key: &K) -> Option<&V> {
        let n = *self.map.get(key)?;
        unsafe {
            self.unlink(n);
            self.push_front(n);
            Some(&(*n).value)
        }
    }

    pub fn peek(&self, key: &K) -> Option<&V> {
        let n = *self.map.get(key)?;
        unsafe { Some(&(*n).value) }
    }

    pub fn put(&mut self, key: K, value: V) -> Option<(K, V)> {
        if let Some(&n) = self.map.get(&key) {
            unsafe {
                let old = std::mem::replace(&mut (*n).value, value);
                self.unlink(n);
                self.push_front(n);
                return Some((key, old));
            }
        }
        if self.capacity == 0 {
            return Some((key, value));
        }
        let evicted = if self.map.len() >= self.capacity {
            unsafe {
                let lru = self.tail;
                self.unlink(lru);
                let node = Box::from_raw(lru);
                self.map.remove(&node.key);
                Some((node.key, node.value))
            }
        } else {
            None
        };
        let n = Box::into_raw(Box::new(Node { key: key.clone(), value, prev: ptr::null_mut(), next: ptr::null_mut() }));
        unsafe { self.push_front(n) };
        self.map.insert(key, n);
        evicted
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let n = self.map.remove(key)?;
        unsafe {
            self.unlink(n);
            Some(Box::from_raw(n).value)
        }
    }
}
