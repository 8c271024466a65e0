package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrInvalidLimit is returned (possibly wrapped) for a limit below 1.
var ErrInvalidLimit = errors.New("invalid limit")

// ForEach calls fn(ctx, i) for every i in [0, n), at most limit calls at once. The first error
// cancels the context the calls get and stops new calls; ForEach returns only once every started
// call has returned.
func ForEach(parent context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	if limit < 1 {
		return fmt.Errorf("%w: %d", ErrInvalidLimit, limit)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	fail := func(err error) {
		once.Do(func() {
			first = err
			cancel()
		})
	}
	slots := make(chan struct{}, limit) // one token per running call
	stopped := false
	for i := 0; i < n && !stopped; i++ {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		// select picks at random when a slot and the cancellation are both ready: check again.
		if ctx.Err() != nil {
			stopped = true
			break
		}
		wg.Add(1)
		go func(i int) {
			// The slot is released after fail: a call waiting for it sees the cancellation first.
			defer func() {
				<-slots
				wg.Done()
			}()
			if err := fn(ctx, i); err != nil {
				fail(err)
			}
		}(i)
	}
	wg.Wait()
	if first != nil {
		return first
	}
	if stopped {
		return parent.Err()
	}
	return nil
}
