//! Values without Clone/Default, and drop accounting: every value dropped exactly once.

use lru_cache::LruCache;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A value that is neither Clone, Copy nor Default.
#[derive(Debug, PartialEq)]
struct Blob {
    bytes: Vec<u8>,
}

/// Records its id in a shared log when dropped.
#[derive(Debug)]
struct Tracked {
    id: u32,
    log: Rc<RefCell<Vec<u32>>>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
    }
}

fn tracked(id: u32, log: &Rc<RefCell<Vec<u32>>>) -> Tracked {
    Tracked { id, log: Rc::clone(log) }
}

fn drop_counts(log: &Rc<RefCell<Vec<u32>>>) -> BTreeMap<u32, usize> {
    let mut counts = BTreeMap::new();
    for id in log.borrow().iter() {
        *counts.entry(*id).or_insert(0) += 1;
    }
    counts
}

#[test]
fn works_with_values_that_are_not_clone_or_default() {
    let mut cache: LruCache<u32, Blob> = LruCache::new(2);
    assert!(cache.put(1, Blob { bytes: vec![1] }).is_none());
    assert!(cache.put(2, Blob { bytes: vec![2, 2] }).is_none());
    assert_eq!(cache.get(&1), Some(&Blob { bytes: vec![1] }));
    let evicted = cache.put(3, Blob { bytes: vec![3, 3, 3] });
    assert_eq!(evicted, Some((2, Blob { bytes: vec![2, 2] })), "the evicted non-Clone value is handed back");
    let replaced = cache.put(1, Blob { bytes: vec![9] });
    assert_eq!(replaced, Some((1, Blob { bytes: vec![1] })), "the replaced non-Clone value is handed back");
    assert_eq!(cache.peek(&1), Some(&Blob { bytes: vec![9] }));
    assert_eq!(cache.remove(&3), Some(Blob { bytes: vec![3, 3, 3] }));
}

#[test]
fn returned_values_belong_to_the_caller() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut cache = LruCache::new(1);
    cache.put("a", tracked(1, &log));
    let evicted = cache.put("b", tracked(2, &log)).expect("the evicted entry is returned");
    let replaced = cache.put("b", tracked(3, &log)).expect("the replaced entry is returned");
    let removed = cache.remove(&"b").expect("the removed value is returned");
    assert!(log.borrow().is_empty(), "the cache must not drop values it handed back: dropped {:?}", log.borrow());
    assert_eq!((evicted.0, evicted.1.id), ("a", 1));
    assert_eq!((replaced.0, replaced.1.id), ("b", 2));
    assert_eq!(removed.id, 3);
    drop((evicted, replaced, removed));
    assert_eq!(drop_counts(&log).into_iter().collect::<Vec<_>>(), vec![(1, 1), (2, 1), (3, 1)]);
}

#[test]
fn dropping_the_cache_drops_remaining_values_once() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut cache = LruCache::new(3);
    for id in 1..=3 {
        cache.put(id, tracked(id, &log));
    }
    cache.get(&1);
    assert!(log.borrow().is_empty(), "values still in the cache must not be dropped");
    drop(cache);
    assert_eq!(
        drop_counts(&log).into_iter().collect::<Vec<_>>(),
        vec![(1, 1), (2, 1), (3, 1)],
        "dropping the cache drops each remaining value exactly once (no leaks, no double drops)"
    );
}

#[test]
fn every_value_is_dropped_exactly_once_across_all_operations() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut next_id = 0u32;
    {
        let mut cache = LruCache::new(4);
        for round in 0..200u32 {
            let key = (round * 7) % 11;
            next_id += 1;
            let returned = match round % 5 {
                0 | 1 | 2 => cache.put(key, tracked(next_id, &log)).map(|(_, v)| v),
                3 => {
                    cache.get(&key);
                    cache.remove(&((key + 3) % 11))
                }
                _ => {
                    cache.peek(&key);
                    cache.put(key, tracked(next_id, &log)).map(|(_, v)| v)
                }
            };
            drop(returned);
        }
        assert!(cache.len() <= 4);
    }
    let created: Vec<u32> = (1..=next_id)
        .filter(|id| {
            let r = (id - 1) % 5;
            r != 3
        })
        .collect();
    let counts = drop_counts(&log);
    for id in &created {
        assert_eq!(
            counts.get(id).copied().unwrap_or(0),
            1,
            "value #{id} must be dropped exactly once (it was dropped {} times)",
            counts.get(id).copied().unwrap_or(0)
        );
    }
    assert_eq!(counts.len(), created.len(), "only values that were created are dropped");
}
