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
    let _ = intervals;
    todo!("merge the intervals")
}
