package ring

import (
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

func newRing(t *testing.T, capacity int) *Ring {
	t.Helper()
	r, err := New(capacity)
	if err != nil || r == nil {
		t.Fatalf("New(%d) = %v, %v; want a ring and no error", capacity, r, err)
	}
	return r
}

func TestFIFOWithWrapAround(t *testing.T) {
	r := newRing(t, 4)
	next, want := uint64(0), uint64(0)
	for round := 0; round < 50; round++ {
		for i := 0; i < 1+round%4; i++ {
			if !r.TryPush(next) {
				t.Fatalf("round %d: TryPush(%d) = false with %d of 4 slots used", round, next, r.Len())
			}
			next++
		}
		for i := 0; i < 1+round%4; i++ {
			v, ok := r.TryPop()
			if !ok || v != want {
				t.Fatalf("round %d: TryPop() = %d, %v; want %d, true", round, v, ok, want)
			}
			want++
		}
	}
}

func TestHoldsExactlyCapacity(t *testing.T) {
	r := newRing(t, 4)
	if r.Cap() != 4 || r.Len() != 0 {
		t.Fatalf("new ring: Cap() = %d, Len() = %d; want 4, 0", r.Cap(), r.Len())
	}
	for i := uint64(1); i <= 4; i++ {
		if !r.TryPush(i) {
			t.Fatalf("TryPush of value %d of 4 into a ring of capacity 4 returned false", i)
		}
	}
	if r.TryPush(99) {
		t.Fatalf("TryPush into a full ring returned true")
	}
	if r.Len() != 4 {
		t.Fatalf("Len() = %d on a full ring of capacity 4", r.Len())
	}
	if v, ok := r.TryPop(); !ok || v != 1 {
		t.Fatalf("TryPop() = %d, %v; want 1, true (the full ring's refused value must not be in it)", v, ok)
	}
	if !r.TryPush(5) || r.Len() != 4 {
		t.Fatalf("after one pop, TryPush returned false or Len() = %d; want true and 4", r.Len())
	}
	for want := uint64(2); want <= 5; want++ {
		if v, ok := r.TryPop(); !ok || v != want {
			t.Fatalf("TryPop() = %d, %v; want %d, true", v, ok, want)
		}
	}
}

func TestEmptyRing(t *testing.T) {
	r := newRing(t, 1)
	if v, ok := r.TryPop(); ok || v != 0 {
		t.Fatalf("TryPop() on an empty ring = %d, %v; want 0, false", v, ok)
	}
	r.TryPush(7)
	r.TryPop()
	if v, ok := r.TryPop(); ok || v != 0 || r.Len() != 0 {
		t.Fatalf("TryPop() on an emptied ring = %d, %v (Len %d); want 0, false, Len 0", v, ok, r.Len())
	}
}

func TestAnyCapacity(t *testing.T) {
	for _, capacity := range []int{1, 3, 5, 6, 7, 100} {
		r := newRing(t, capacity)
		next, want := uint64(0), uint64(0)
		for step := 0; step < 1000; step++ {
			if step%3 != 2 {
				if r.TryPush(next) {
					next++
				}
			} else {
				for r.Len() > capacity/2 {
					v, ok := r.TryPop()
					if !ok || v != want {
						t.Fatalf("capacity %d: TryPop() = %d, %v; want %d, true", capacity, v, ok, want)
					}
					want++
				}
			}
			if n := int(next - want); r.Len() != n {
				t.Fatalf("capacity %d, step %d: Len() = %d, want %d", capacity, step, r.Len(), n)
			}
		}
		if next < 300 {
			t.Fatalf("capacity %d: only %d pushes succeeded in 1000 steps", capacity, next)
		}
	}
}

func TestInvalidCapacity(t *testing.T) {
	for _, capacity := range []int{0, -3} {
		r, err := New(capacity)
		if !errors.Is(err, ErrInvalidCapacity) || r != nil {
			t.Fatalf("New(%d) = %v, %v; want nil and an error wrapping ErrInvalidCapacity", capacity, r, err)
		}
	}
}

// One producer and one consumer stream 200000 values through small rings while a third goroutine
// reads Len; the values must arrive complete and in order. The task's race check runs this under the
// race detector.
func TestStressProducerConsumer(t *testing.T) {
	for _, capacity := range []int{3, 8} {
		const n = 200_000
		r := newRing(t, capacity)
		var wg sync.WaitGroup
		stop := make(chan struct{})
		errs := make(chan string, 3)
		wg.Add(3)
		go func() { // producer
			defer wg.Done()
			for v := uint64(0); v < n; {
				if r.TryPush(v) {
					v++
					continue
				}
				select {
				case <-stop: // the consumer gave up
					return
				default:
					runtime.Gosched()
				}
			}
		}()
		go func() { // consumer
			defer wg.Done()
			defer close(stop)
			for want := uint64(0); want < n; {
				v, ok := r.TryPop()
				if !ok {
					runtime.Gosched()
					continue
				}
				if v != want {
					errs <- "popped a value out of order"
					return
				}
				want++
			}
		}()
		go func() { // observer
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if l := r.Len(); l < 0 || l > capacity {
					errs <- "Len() outside [0, Cap()] while values streamed"
					return
				}
				runtime.Gosched()
			}
		}()
		finished := make(chan struct{})
		go func() { wg.Wait(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(60 * time.Second):
			t.Fatalf("capacity %d: streaming %d values did not finish within 60 s", capacity, n)
		}
		select {
		case e := <-errs:
			t.Fatalf("capacity %d: %s", capacity, e)
		default:
		}
		if r.Len() != 0 {
			t.Fatalf("capacity %d: Len() = %d after every value was popped", capacity, r.Len())
		}
	}
}
