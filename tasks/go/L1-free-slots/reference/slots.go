package calendar

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Interval is the half-open span [Start, End).
type Interval struct {
	Start, End time.Time
}

// ErrInvalidInterval is returned (possibly wrapped) for an interval that ends before it starts.
var ErrInvalidInterval = errors.New("invalid interval")

// FreeSlots returns the free slots of window that no busy interval covers. See the ticket.
func FreeSlots(window Interval, busy []Interval, minLen time.Duration) ([]Interval, error) {
	if window.End.Before(window.Start) {
		return nil, fmt.Errorf("window: %w", ErrInvalidInterval)
	}
	// Clip to the window into a copy: the caller's slice stays as it was.
	clipped := make([]Interval, 0, len(busy))
	for i, b := range busy {
		if b.End.Before(b.Start) {
			return nil, fmt.Errorf("busy[%d]: %w", i, ErrInvalidInterval)
		}
		start, end := b.Start, b.End
		if start.Before(window.Start) {
			start = window.Start
		}
		if end.After(window.End) {
			end = window.End
		}
		if start.Before(end) {
			clipped = append(clipped, Interval{start, end})
		}
	}
	sort.Slice(clipped, func(i, j int) bool { return clipped[i].Start.Before(clipped[j].Start) })

	free := []Interval{}
	cursor := window.Start
	keep := func(from, to time.Time) {
		if from.Before(to) && to.Sub(from) >= minLen {
			free = append(free, Interval{from, to})
		}
	}
	for _, b := range clipped {
		if b.Start.After(cursor) {
			keep(cursor, b.Start)
		}
		if b.End.After(cursor) {
			cursor = b.End
		}
	}
	keep(cursor, window.End)
	return free, nil
}
