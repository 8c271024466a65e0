package ring

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// ErrInvalidCapacity is returned (possibly wrapped) by New for a capacity below 1.
var ErrInvalidCapacity = errors.New("invalid capacity")

// Ring is a bounded single-producer, single-consumer FIFO of uint64 without locks. head and tail
// count every pop and push ever made; only the consumer stores head and only the producer stores
// tail, and each publishes with an atomic store after touching the slot, so the other side's atomic
// load sees the slot's contents too.
type Ring struct {
	buf  []uint64
	head uint64 // next slot to pop; written by the consumer only
	tail uint64 // next slot to push; written by the producer only
}

// New returns an empty ring holding up to capacity values.
func New(capacity int) (*Ring, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("%w: %d", ErrInvalidCapacity, capacity)
	}
	return &Ring{buf: make([]uint64, capacity)}, nil
}

// TryPush appends v; it returns false, changing nothing, when the ring is full. Producer only.
func (r *Ring) TryPush(v uint64) bool {
	t := atomic.LoadUint64(&r.tail)
	if t-atomic.LoadUint64(&r.head) == uint64(len(r.buf)) {
		return false
	}
	r.buf[t%uint64(len(r.buf))] = v
	atomic.StoreUint64(&r.tail, t+1)
	return true
}

// TryPop removes and returns the oldest value; ok is false when the ring is empty. Consumer only.
func (r *Ring) TryPop() (v uint64, ok bool) {
	h := atomic.LoadUint64(&r.head)
	if h == atomic.LoadUint64(&r.tail) {
		return 0, false
	}
	v = r.buf[h%uint64(len(r.buf))]
	atomic.StoreUint64(&r.head, h+1)
	return v, true
}

// Len is the number of values in the ring, from any goroutine: a snapshot, between 0 and Cap.
func (r *Ring) Len() int {
	h := atomic.LoadUint64(&r.head) // head first: tail never falls behind a head read earlier
	t := atomic.LoadUint64(&r.tail)
	if n := t - h; n < uint64(len(r.buf)) {
		return int(n)
	}
	return len(r.buf) // the producer refilled while we read: the ring was full at some point
}

// Cap is the capacity given to New.
func (r *Ring) Cap() int { return len(r.buf) }
