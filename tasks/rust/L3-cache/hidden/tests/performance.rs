//! Large workload: O(1) operations finish in well under a second even in a debug build; an
//! implementation that scans a list per operation needs minutes. The wait is bounded, so a slow
//! implementation fails this test instead of hanging the run.

use lru_cache::LruCache;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const CAPACITY: u64 = 200_000;
const LIMIT: Duration = Duration::from_secs(10);

fn workload() -> Result<u64, String> {
    let mut cache: LruCache<u64, u64> = LruCache::new(CAPACITY as usize);
    // Fill past capacity: keys 0..CAPACITY/2 are evicted in insertion order.
    for k in 0..CAPACITY + CAPACITY / 2 {
        let evicted = cache.put(k, k * 3);
        let expected = if k >= CAPACITY { Some((k - CAPACITY, (k - CAPACITY) * 3)) } else { None };
        if evicted != expected {
            return Err(format!("put({k}) returned {evicted:?}, expected {expected:?}"));
        }
    }
    let live = CAPACITY / 2..CAPACITY + CAPACITY / 2;
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut checksum = 0u64;
    for i in 0..400_000u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let k = live.start + seed % (live.end - live.start);
        match i % 4 {
            0 | 1 => match cache.get(&k) {
                Some(v) => checksum = checksum.wrapping_add(*v),
                None => return Err(format!("get({k}) returned None for a live key")),
            },
            2 => match cache.peek(&k) {
                Some(v) => checksum = checksum.wrapping_add(*v),
                None => return Err(format!("peek({k}) returned None for a live key")),
            },
            _ => match cache.put(k, k * 3) {
                Some((rk, rv)) if rk == k && rv == k * 3 => {}
                other => return Err(format!("updating live key {k} returned {other:?}")),
            },
        }
    }
    for k in live.clone().step_by(100) {
        if cache.remove(&k) != Some(k * 3) {
            return Err(format!("remove({k}) did not return its value"));
        }
    }
    if cache.len() as u64 != CAPACITY - CAPACITY / 100 {
        return Err(format!("len() is {} after the removals", cache.len()));
    }
    Ok(checksum)
}

#[test]
fn hundreds_of_thousands_of_operations_run_in_constant_time() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(workload());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(Ok(checksum)) => assert_ne!(checksum, 0),
        Ok(Err(msg)) => panic!("wrong result in the large workload: {msg}"),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "about 1.1 million operations on a cache of {CAPACITY} entries did not finish within {LIMIT:?}: \
             get/peek/put/remove must be O(1), not a scan of the entries"
        ),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("the large workload panicked (see the output above)")
        }
    }
}
