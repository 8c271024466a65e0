package ring

import "errors"

// ErrInvalidCapacity is returned (possibly wrapped) by New for a capacity below 1.
var ErrInvalidCapacity = errors.New("invalid capacity")

// Ring is a bounded single-producer, single-consumer FIFO of uint64. See the ticket.
type Ring struct{}

// New returns an empty ring holding up to capacity values.
func New(capacity int) (*Ring, error) { return nil, errors.New("not implemented") }

// TryPush appends v; it returns false, changing nothing, when the ring is full. Producer only.
func (r *Ring) TryPush(v uint64) bool { return false }

// TryPop removes and returns the oldest value; ok is false when the ring is empty. Consumer only.
func (r *Ring) TryPop() (v uint64, ok bool) { return 0, false }

// Len is the number of values in the ring, from any goroutine.
func (r *Ring) Len() int { return 0 }

// Cap is the capacity given to New.
func (r *Ring) Cap() int { return 0 }
