//! Behaviour of LruCache: recency, eviction, updates, removal, capacity edge cases.

use lru_cache::LruCache;

#[test]
fn new_cache_is_empty_and_reports_capacity() {
    let cache: LruCache<u32, u32> = LruCache::new(3);
    assert_eq!(cache.capacity(), 3, "capacity() returns the capacity given to new()");
    assert_eq!(cache.len(), 0, "a new cache has len() == 0");
    assert!(cache.is_empty(), "a new cache is_empty()");
}

#[test]
fn get_returns_stored_values_and_none_for_missing_keys() {
    let mut cache = LruCache::new(3);
    assert_eq!(cache.put("a", 1), None, "put of a new key into a cache with room returns None");
    assert_eq!(cache.put("b", 2), None, "put of a new key into a cache with room returns None");
    assert_eq!(cache.len(), 2, "len() counts the stored entries");
    assert!(!cache.is_empty(), "a cache with entries is not empty");
    assert_eq!(cache.get(&"a"), Some(&1), "get returns the stored value");
    assert_eq!(cache.get(&"b"), Some(&2), "get returns the stored value");
    assert_eq!(cache.get(&"zzz"), None, "get of a missing key returns None");
    assert_eq!(cache.peek(&"a"), Some(&1), "peek returns the stored value");
    assert_eq!(cache.peek(&"zzz"), None, "peek of a missing key returns None");
    assert_eq!(cache.len(), 2, "get and peek do not change len()");
}

#[test]
fn full_cache_evicts_least_recently_used_entry_and_returns_it() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assert_eq!(
        cache.put("c", 3),
        Some(("a", 1)),
        "putting a new key into a full cache returns the evicted least recently used entry"
    );
    assert_eq!(cache.len(), 2, "len() stays at capacity after an eviction");
    assert_eq!(cache.peek(&"a"), None, "the evicted key is no longer in the cache");
    assert_eq!(cache.peek(&"b"), Some(&2), "entries that were not evicted stay");
    assert_eq!(cache.peek(&"c"), Some(&3), "the new entry is stored");
    assert_eq!(cache.put("d", 4), Some(("b", 2)), "the next eviction takes the next least recently used entry");
}

#[test]
fn get_marks_entry_as_most_recently_used() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assert_eq!(cache.get(&"a"), Some(&1));
    assert_eq!(
        cache.put("c", 3),
        Some(("b", 2)),
        "after get(a), b is the least recently used entry and must be the one evicted"
    );
    assert_eq!(cache.peek(&"a"), Some(&1), "the entry read by get survives the eviction");
}

#[test]
fn peek_does_not_change_recency() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assert_eq!(cache.peek(&"a"), Some(&1));
    assert_eq!(
        cache.put("c", 3),
        Some(("a", 1)),
        "peek must not refresh an entry: a is still the least recently used and is evicted"
    );
}

#[test]
fn updating_existing_key_returns_old_value_without_evicting() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assert_eq!(
        cache.put("a", 10),
        Some(("a", 1)),
        "put of an existing key returns Some((key, old_value))"
    );
    assert_eq!(cache.len(), 2, "updating an existing key does not change len()");
    assert_eq!(cache.peek(&"a"), Some(&10), "the value is replaced by the update");
    assert_eq!(cache.peek(&"b"), Some(&2), "updating a key in a full cache evicts nothing");
}

#[test]
fn updating_existing_key_makes_it_most_recently_used() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.put("a", 10);
    assert_eq!(
        cache.put("c", 3),
        Some(("b", 2)),
        "after updating a, b is the least recently used entry and must be the one evicted"
    );
    assert_eq!(cache.peek(&"a"), Some(&10), "the updated entry survives the eviction");
}

#[test]
fn capacity_zero_never_stores() {
    let mut cache = LruCache::new(0);
    assert_eq!(cache.capacity(), 0);
    assert_eq!(
        cache.put(1u8, "one"),
        Some((1u8, "one")),
        "a capacity-0 cache hands the given entry straight back"
    );
    assert_eq!(cache.len(), 0, "a capacity-0 cache stays empty");
    assert!(cache.is_empty(), "a capacity-0 cache stays empty");
    assert_eq!(cache.get(&1), None, "a capacity-0 cache stores nothing");
    assert_eq!(cache.put(2u8, "two"), Some((2u8, "two")), "every put is handed back");
    assert_eq!(cache.remove(&2), None, "nothing to remove from a capacity-0 cache");
}

#[test]
fn capacity_one_keeps_only_the_latest_entry() {
    let mut cache = LruCache::new(1);
    assert_eq!(cache.put(1, 'a'), None);
    assert_eq!(cache.put(1, 'b'), Some((1, 'a')), "updating the only entry returns the old value");
    assert_eq!(cache.len(), 1);
    assert_eq!(cache.put(2, 'c'), Some((1, 'b')), "a new key evicts the only entry");
    assert_eq!(cache.get(&1), None);
    assert_eq!(cache.get(&2), Some(&'c'));
    assert_eq!(cache.len(), 1, "len() never exceeds capacity()");
}

#[test]
fn remove_returns_value_and_frees_room() {
    let mut cache = LruCache::new(2);
    cache.put("a", 1);
    cache.put("b", 2);
    assert_eq!(cache.remove(&"a"), Some(1), "remove returns the removed value");
    assert_eq!(cache.remove(&"a"), None, "removing an absent key returns None");
    assert_eq!(cache.len(), 1, "remove decrements len()");
    assert_eq!(cache.get(&"a"), None, "a removed key is gone");
    assert_eq!(cache.put("c", 3), None, "after a remove there is room: nothing is evicted");
    assert_eq!(cache.len(), 2);
    assert_eq!(cache.remove(&"b"), Some(2));
    assert_eq!(cache.remove(&"c"), Some(3));
    assert!(cache.is_empty(), "removing every entry empties the cache");
    assert_eq!(cache.put("d", 4), None, "an emptied cache accepts new entries");
    assert_eq!(cache.get(&"d"), Some(&4));
}

#[test]
fn remove_keeps_order_of_remaining_entries() {
    let mut cache = LruCache::new(4);
    for (k, v) in [("a", 1), ("b", 2), ("c", 3), ("d", 4)] {
        cache.put(k, v);
    }
    assert_eq!(cache.remove(&"b"), Some(2));
    assert_eq!(cache.remove(&"d"), Some(4));
    cache.put("e", 5);
    cache.put("f", 6);
    assert_eq!(cache.len(), 4);
    assert_eq!(cache.put("g", 7), Some(("a", 1)), "eviction order after removals: a first");
    assert_eq!(cache.put("h", 8), Some(("c", 3)), "eviction order after removals: then c");
    assert_eq!(cache.put("i", 9), Some(("e", 5)), "eviction order after removals: then e");
}

#[test]
fn eviction_sequence_follows_recency_of_use() {
    let mut cache = LruCache::new(4);
    for k in 1..=4u32 {
        cache.put(k, k * 100);
    }
    // use order (oldest first) becomes: 2, 4, 1, 3 — with peeks that must not count.
    cache.get(&1);
    cache.peek(&2);
    cache.put(3, 301);
    cache.peek(&4);
    let evicted: Vec<Option<(u32, u32)>> = (5..=8u32).map(|k| cache.put(k, k * 100)).collect();
    assert_eq!(
        evicted,
        vec![Some((2, 200)), Some((4, 400)), Some((1, 100)), Some((3, 301))],
        "entries are evicted from least to most recently used (get and put count as use, peek does not)"
    );
    for k in 5..=8u32 {
        assert_eq!(cache.peek(&k), Some(&(k * 100)));
    }
}

#[test]
fn works_with_owned_string_keys() {
    let mut cache: LruCache<String, usize> = LruCache::new(2);
    cache.put("alpha".to_string(), 1);
    cache.put("beta".to_string(), 2);
    assert_eq!(cache.get(&"alpha".to_string()), Some(&1));
    assert_eq!(
        cache.put("gamma".to_string(), 3),
        Some(("beta".to_string(), 2)),
        "String keys: the least recently used entry is evicted and returned"
    );
    assert_eq!(cache.remove(&"alpha".to_string()), Some(1));
    assert_eq!(cache.len(), 1);
}

/// A trivially correct (slow) model: entries ordered from least to most recently used.
struct Model {
    cap: usize,
    entries: Vec<(u32, u32)>,
}

impl Model {
    fn get(&mut self, k: u32) -> Option<u32> {
        let i = self.entries.iter().position(|e| e.0 == k)?;
        let e = self.entries.remove(i);
        self.entries.push(e);
        Some(e.1)
    }
    fn peek(&self, k: u32) -> Option<u32> {
        self.entries.iter().find(|e| e.0 == k).map(|e| e.1)
    }
    fn put(&mut self, k: u32, v: u32) -> Option<(u32, u32)> {
        if let Some(i) = self.entries.iter().position(|e| e.0 == k) {
            let old = self.entries.remove(i);
            self.entries.push((k, v));
            return Some((k, old.1));
        }
        if self.cap == 0 {
            return Some((k, v));
        }
        let evicted = if self.entries.len() == self.cap { Some(self.entries.remove(0)) } else { None };
        self.entries.push((k, v));
        evicted
    }
    fn remove(&mut self, k: u32) -> Option<u32> {
        let i = self.entries.iter().position(|e| e.0 == k)?;
        Some(self.entries.remove(i).1)
    }
}

#[test]
fn random_operations_match_a_simple_model() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for cap in [1usize, 2, 3, 5, 8] {
        let mut cache = LruCache::new(cap);
        let mut model = Model { cap, entries: Vec::new() };
        let keys = (cap as u64) * 2 + 2;
        for step in 0..4000u32 {
            let k = next(keys) as u32;
            let what = match next(10) {
                0..=3 => {
                    let (got, want) = (cache.put(k, step), model.put(k, step));
                    assert_eq!(got, want, "capacity {cap}, operation #{step}: put({k}, {step}) returned the wrong entry");
                    "put"
                }
                4..=6 => {
                    let (got, want) = (cache.get(&k).copied(), model.get(k));
                    assert_eq!(got, want, "capacity {cap}, operation #{step}: get({k}) returned the wrong value");
                    "get"
                }
                7..=8 => {
                    let (got, want) = (cache.peek(&k).copied(), model.peek(k));
                    assert_eq!(got, want, "capacity {cap}, operation #{step}: peek({k}) returned the wrong value");
                    "peek"
                }
                _ => {
                    let (got, want) = (cache.remove(&k), model.remove(k));
                    assert_eq!(got, want, "capacity {cap}, operation #{step}: remove({k}) returned the wrong value");
                    "remove"
                }
            };
            assert_eq!(
                cache.len(),
                model.entries.len(),
                "capacity {cap}, operation #{step}: len() is wrong after {what}({k})"
            );
            assert!(cache.len() <= cap, "len() must never exceed capacity()");
        }
    }
}
