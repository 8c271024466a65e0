package calendar

import (
	"errors"
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
	return nil, errors.New("not implemented")
}
