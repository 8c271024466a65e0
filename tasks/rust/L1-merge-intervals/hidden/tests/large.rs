use merge_intervals::merge;

/// 2,000,000 intervals forming 500,000 groups. Group g covers [b, b+5], b = 10g - 1,000,000, through
/// four pieces (touching, nested, adjacent); the next group starts at b+10, so groups never merge.
/// An O(n log n) merge takes about a second in a debug build; an O(n^2) one takes hours.
#[test]
fn large_input_is_merged_in_n_log_n() {
    const GROUPS: i64 = 500_000;
    let mut input: Vec<(i64, i64)> = Vec::with_capacity(4 * GROUPS as usize);
    for g in 0..GROUPS {
        let b = 10 * g - 1_000_000; // negative and positive starts
        input.push((b, b + 2));
        input.push((b + 2, b + 3)); // touches the first piece
        input.push((b + 1, b + 1)); // nested
        input.push((b + 4, b + 5)); // adjacent
    }
    // Deterministic shuffle (xorshift + Fisher–Yates).
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in (1..input.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        input.swap(i, j);
    }
    let out = merge(&input).expect("every interval in the large input is valid");
    assert_eq!(out.len(), GROUPS as usize, "2,000,000 intervals in 500,000 separate groups give 500,000 merged intervals");
    for (g, &iv) in out.iter().enumerate() {
        let b = 10 * g as i64 - 1_000_000;
        assert_eq!(iv, (b, b + 5), "merged interval number {g} (sorted by start)");
    }
}
