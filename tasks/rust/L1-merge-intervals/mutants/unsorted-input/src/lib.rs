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
    if let Some((index, &(start, end))) = intervals.iter().enumerate().find(|(_, iv)| iv.0 > iv.1) {
        return Err(InvalidInterval { index, start, end });
    }
    let mut sorted = intervals.to_vec();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match out.last_mut() {
            Some(last) if start <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    Ok(out)
}
