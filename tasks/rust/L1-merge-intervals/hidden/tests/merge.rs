use merge_intervals::{merge, InvalidInterval};

fn ok(input: &[(i64, i64)]) -> Vec<(i64, i64)> {
    match merge(input) {
        Ok(v) => v,
        Err(e) => panic!("merge({input:?}) returned Err({e:?}) although every interval is valid"),
    }
}

#[test]
fn empty_input_gives_empty_output() {
    assert_eq!(ok(&[]), vec![], "an empty input merges to an empty Vec");
}

#[test]
fn single_interval_is_returned_unchanged() {
    assert_eq!(ok(&[(2, 7)]), vec![(2, 7)], "a single interval is returned as is");
    assert_eq!(ok(&[(4, 4)]), vec![(4, 4)], "a one-point interval (start == end) is valid");
}

#[test]
fn overlapping_intervals_merge() {
    assert_eq!(ok(&[(1, 3), (2, 6)]), vec![(1, 6)], "[1,3] and [2,6] overlap");
    assert_eq!(
        ok(&[(1, 3), (2, 6), (8, 10), (9, 18)]),
        vec![(1, 6), (8, 18)],
        "two separate groups of overlapping intervals"
    );
}

#[test]
fn touching_intervals_merge() {
    assert_eq!(ok(&[(1, 3), (3, 5)]), vec![(1, 5)], "[1,3] and [3,5] share the point 3 and merge");
    assert_eq!(ok(&[(3, 5), (1, 3)]), vec![(1, 5)], "touching intervals merge whatever their input order");
}

#[test]
fn adjacent_intervals_merge() {
    assert_eq!(
        ok(&[(1, 3), (4, 5)]),
        vec![(1, 5)],
        "[1,3] and [4,5] are adjacent (no integer lies between them) and merge"
    );
    assert_eq!(
        ok(&[(-3, -1), (0, 0), (1, 2)]),
        vec![(-3, 2)],
        "a chain of adjacent intervals merges into one"
    );
}

#[test]
fn intervals_with_a_gap_stay_separate() {
    assert_eq!(
        ok(&[(1, 3), (5, 6)]),
        vec![(1, 3), (5, 6)],
        "[1,3] and [5,6] do not merge: 4 is in neither"
    );
    assert_eq!(
        ok(&[(10, 10), (12, 12), (14, 20)]),
        vec![(10, 10), (12, 12), (14, 20)],
        "intervals separated by a gap of one integer stay separate"
    );
}

#[test]
fn unsorted_input_is_sorted_and_merged() {
    assert_eq!(
        ok(&[(8, 10), (1, 3), (15, 18), (2, 6)]),
        vec![(1, 6), (8, 10), (15, 18)],
        "the output is sorted by start whatever the input order"
    );
    assert_eq!(
        ok(&[(20, 25), (1, 2), (10, 12)]),
        vec![(1, 2), (10, 12), (20, 25)],
        "disjoint unsorted intervals come back sorted by start"
    );
    assert_eq!(
        ok(&[(5, 9), (0, 1), (2, 4)]),
        vec![(0, 9)],
        "intervals that only connect once sorted still merge"
    );
}

#[test]
fn nested_intervals_are_absorbed() {
    assert_eq!(ok(&[(1, 10), (2, 3)]), vec![(1, 10)], "[2,3] lies inside [1,10]");
    assert_eq!(
        ok(&[(1, 10), (2, 3), (7, 8)]),
        vec![(1, 10)],
        "several intervals nested in [1,10] leave [1,10]"
    );
    assert_eq!(
        ok(&[(2, 3), (1, 10), (4, 5), (11, 11), (20, 30), (21, 22)]),
        vec![(1, 11), (20, 30)],
        "a merged interval keeps the largest end seen so far"
    );
}

#[test]
fn duplicates_collapse() {
    assert_eq!(ok(&[(1, 4), (1, 4), (1, 4)]), vec![(1, 4)], "identical intervals merge into one");
    assert_eq!(
        ok(&[(7, 7), (1, 2), (7, 7), (1, 2)]),
        vec![(1, 2), (7, 7)],
        "duplicates of disjoint intervals collapse"
    );
    assert_eq!(ok(&[(1, 5), (1, 2)]), vec![(1, 5)], "same start, different ends");
}

#[test]
fn merging_is_transitive() {
    assert_eq!(
        ok(&[(1, 2), (6, 8), (3, 4), (9, 12), (5, 5)]),
        vec![(1, 12)],
        "a chain of touching/adjacent/overlapping intervals becomes a single interval"
    );
    assert_eq!(
        ok(&[(1, 5), (10, 15), (4, 11)]),
        vec![(1, 15)],
        "a bridging interval joins two otherwise separate intervals"
    );
}

#[test]
fn negative_values() {
    assert_eq!(
        ok(&[(-10, -5), (-6, -2), (-20, -15), (0, 3)]),
        vec![(-20, -15), (-10, -2), (0, 3)],
        "negative bounds are ordered and merged like any other"
    );
    assert_eq!(ok(&[(-5, 5), (-1, 1)]), vec![(-5, 5)], "an interval spanning zero absorbs a nested one");
}

#[test]
fn one_point_intervals() {
    assert_eq!(
        ok(&[(6, 6), (5, 5), (8, 8)]),
        vec![(5, 6), (8, 8)],
        "one-point intervals 5 and 6 are adjacent; 8 stays alone"
    );
    assert_eq!(ok(&[(3, 3), (3, 3)]), vec![(3, 3)], "identical one-point intervals collapse");
}

#[test]
fn extreme_values_do_not_overflow() {
    const MIN: i64 = i64::MIN;
    const MAX: i64 = i64::MAX;
    assert_eq!(ok(&[(MIN, MAX)]), vec![(MIN, MAX)], "the full i64 range is a valid interval");
    assert_eq!(ok(&[(MAX, MAX), (MAX - 1, MAX)]), vec![(MAX - 1, MAX)], "intervals ending at i64::MAX");
    assert_eq!(ok(&[(5, MAX), (10, 20)]), vec![(5, MAX)], "an interval nested in one ending at i64::MAX");
    assert_eq!(ok(&[(MIN, MIN), (MIN, 0)]), vec![(MIN, 0)], "intervals starting at i64::MIN");
    assert_eq!(
        ok(&[(MIN, MIN), (MAX, MAX)]),
        vec![(MIN, MIN), (MAX, MAX)],
        "i64::MIN and i64::MAX as one-point intervals stay separate"
    );
    assert_eq!(
        ok(&[(0, MAX), (MIN, -1)]),
        vec![(MIN, MAX)],
        "[i64::MIN,-1] and [0,i64::MAX] are adjacent and merge"
    );
    assert_eq!(
        ok(&[(0, MAX), (MIN, -2)]),
        vec![(MIN, -2), (0, MAX)],
        "[i64::MIN,-2] and [0,i64::MAX] have a gap at -1"
    );
    assert_eq!(
        ok(&[(MAX - 2, MAX - 1), (MAX, MAX)]),
        vec![(MAX - 2, MAX)],
        "adjacency right below i64::MAX"
    );
}

#[test]
fn invalid_interval_is_rejected() {
    assert_eq!(
        merge(&[(1, 2), (5, 3), (7, 9)]),
        Err(InvalidInterval { index: 1, start: 5, end: 3 }),
        "an interval with start > end is reported with its index"
    );
    assert_eq!(
        merge(&[(i64::MAX, i64::MIN)]),
        Err(InvalidInterval { index: 0, start: i64::MAX, end: i64::MIN }),
        "an invalid interval at index 0"
    );
}

#[test]
fn first_invalid_interval_in_input_order_is_reported() {
    assert_eq!(
        merge(&[(50, 60), (9, 1), (0, 0), (-1, -2)]),
        Err(InvalidInterval { index: 1, start: 9, end: 1 }),
        "with several invalid intervals the one with the smallest index is reported, not the smallest start"
    );
    assert_eq!(
        merge(&[(1, 10), (2, 3), (4, 4), (7, 6)]),
        Err(InvalidInterval { index: 3, start: 7, end: 6 }),
        "an invalid interval is reported even when it would lie inside a valid one"
    );
}

/// Deterministic xorshift generator, so the test is reproducible.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
}

/// The expected answer computed the slow, obvious way: mark every covered integer, read off the runs.
fn covered_runs(input: &[(i64, i64)], lo: i64, hi: i64) -> Vec<(i64, i64)> {
    let mut covered = vec![false; (hi - lo + 1) as usize];
    for &(s, e) in input {
        for x in s..=e {
            covered[(x - lo) as usize] = true;
        }
    }
    let mut runs = Vec::new();
    let mut x = lo;
    while x <= hi {
        if covered[(x - lo) as usize] {
            let start = x;
            while x <= hi && covered[(x - lo) as usize] {
                x += 1;
            }
            runs.push((start, x - 1));
        } else {
            x += 1;
        }
    }
    runs
}

#[test]
fn random_inputs_match_the_covered_integers() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..2000 {
        let n = rng.range(0, 12) as usize;
        let input: Vec<(i64, i64)> = (0..n)
            .map(|_| {
                let s = rng.range(-30, 30);
                (s, s + rng.range(0, 8))
            })
            .collect();
        let expected = covered_runs(&input, -30, 40);
        assert_eq!(
            ok(&input),
            expected,
            "round {round}: the output must be exactly the maximal runs of integers covered by the input, sorted by start"
        );
    }
}
