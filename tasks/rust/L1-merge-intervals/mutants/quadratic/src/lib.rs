//! Merging closed integer intervals.

/// The error returned for an interval whose `start` is greater than its `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidInterval {
    /// Position of the offending interval in the input slice.
    pub index: usize,
    pub start: i64,
    pub end: i64,
}

/// Merges overlapping and adjacent closed intervals; see the ticket for the exact rules.
pub fn merge(intervals: &[(i64, i64)]) -> Result<Vec<(i64, i64)>, InvalidInterval> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (index, &(start, end)) in intervals.iter().enumerate() {
        if start > end {
            return Err(InvalidInterval { index, start, end });
        }
        // Absorb every already-merged interval that overlaps or is adjacent to this one.
        let (mut s, mut e) = (start, end);
        let mut i = 0;
        while i < out.len() {
            let (a, b) = out[i];
            let joins = a <= e.saturating_add(1) && s <= b.saturating_add(1);
            if joins {
                s = s.min(a);
                e = e.max(b);
                out.swap_remove(i);
            } else {
                i += 1;
            }
        }
        out.push((s, e));
    }
    out.sort_unstable();
    Ok(out)
}
