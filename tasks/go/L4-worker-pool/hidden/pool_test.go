package pool

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// patience bounds every wait: a wrong pool fails the test instead of hanging the run.
const patience = 5 * time.Second

// processAsync runs ForEach in the background; the result arrives on the channel.
func processAsync(ctx context.Context, n, limit int, fn func(context.Context, int) error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- ForEach(ctx, n, limit, fn) }()
	return done
}

func await(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(patience):
		t.Fatalf("%s: ForEach did not return within %v", what, patience)
		return nil
	}
}

func TestCallsEveryIndexOnce(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]int{}
	err := await(t, processAsync(context.Background(), 50, 4, func(_ context.Context, i int) error {
		mu.Lock()
		seen[i]++
		mu.Unlock()
		return nil
	}), "50 calls")
	if err != nil {
		t.Fatalf("ForEach returned %v when every call succeeded, want nil", err)
	}
	for i := 0; i < 50; i++ {
		if seen[i] != 1 {
			t.Fatalf("fn(%d) was called %d times, want once (calls: %v)", i, seen[i], seen)
		}
	}
	if len(seen) != 50 {
		t.Fatalf("fn was called with %d distinct indices, want 50", len(seen))
	}
}

func TestNoItemsAndInvalidLimit(t *testing.T) {
	called := int32(0)
	fn := func(context.Context, int) error { atomic.AddInt32(&called, 1); return nil }
	if err := await(t, processAsync(context.Background(), 0, 3, fn), "n = 0"); err != nil {
		t.Fatalf("ForEach with n = 0 returned %v, want nil", err)
	}
	for _, limit := range []int{0, -2} {
		err := await(t, processAsync(context.Background(), 5, limit, fn), "invalid limit")
		if !errors.Is(err, ErrInvalidLimit) {
			t.Fatalf("ForEach with limit %d returned %v, want an error wrapping ErrInvalidLimit", limit, err)
		}
	}
	if called != 0 {
		t.Fatalf("fn was called %d times, want none", called)
	}
}

func TestNeverExceedsLimit(t *testing.T) {
	var running, peak int32
	err := await(t, processAsync(context.Background(), 40, 3, func(_ context.Context, i int) error {
		now := atomic.AddInt32(&running, 1)
		for {
			p := atomic.LoadInt32(&peak)
			if now <= p || atomic.CompareAndSwapInt32(&peak, p, now) {
				break
			}
		}
		time.Sleep(time.Duration(1+i%3) * time.Millisecond)
		atomic.AddInt32(&running, -1)
		return nil
	}), "40 calls, limit 3")
	if err != nil {
		t.Fatalf("ForEach returned %v, want nil", err)
	}
	if peak != 3 {
		t.Fatalf("at most %d calls ran at once, want exactly the limit 3", peak)
	}
}

// One slow call must not hold the other slots back: a new call starts as soon as any slot is free.
func TestLimitIsUsedWithUnequalLatencies(t *testing.T) {
	release := make(chan struct{})
	allFast := make(chan struct{})
	var fast int32
	done := processAsync(context.Background(), 8, 2, func(_ context.Context, i int) error {
		if i == 0 {
			<-release
			return nil
		}
		if atomic.AddInt32(&fast, 1) == 7 {
			close(allFast)
		}
		return nil
	})
	select {
	case <-allFast:
	case <-time.After(patience):
		close(release)
		await(t, done, "after the release")
		t.Fatalf("with limit 2 and call 0 still running, calls 1..7 did not all run in the other slot")
	}
	close(release)
	if err := await(t, done, "8 calls, limit 2"); err != nil {
		t.Fatalf("ForEach returned %v, want nil", err)
	}
}

func TestReturnsFirstError(t *testing.T) {
	errFirst := errors.New("disk full")
	done := processAsync(context.Background(), 10, 3, func(ctx context.Context, i int) error {
		if i == 1 {
			return errFirst
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("job %d interrupted: %w", i, ctx.Err())
		case <-time.After(patience):
			return nil
		}
	})
	if err := await(t, done, "one failing call"); err != errFirst {
		t.Fatalf("ForEach returned %v, want the first error %v itself", err, errFirst)
	}
}

func TestErrorCancelsRunningCalls(t *testing.T) {
	var started sync.WaitGroup
	started.Add(3)
	var notCancelled int32
	done := processAsync(context.Background(), 4, 4, func(ctx context.Context, i int) error {
		if i == 3 {
			started.Wait()
			return errors.New("boom")
		}
		started.Done()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(patience):
			atomic.AddInt32(&notCancelled, 1)
			return nil
		}
	})
	if err := await(t, done, "a failing call with three running"); err == nil || err.Error() != "boom" {
		t.Fatalf("ForEach returned %v, want the error boom", err)
	}
	if notCancelled != 0 {
		t.Fatalf("%d running calls never saw their context cancelled after another call failed", notCancelled)
	}
}

func TestNoCallStartsAfterError(t *testing.T) {
	var calls int32
	err := await(t, processAsync(context.Background(), 100, 1, func(context.Context, int) error {
		atomic.AddInt32(&calls, 1)
		return errors.New("bad input")
	}), "limit 1, every call failing")
	if err == nil {
		t.Fatalf("ForEach returned nil, want the error")
	}
	if calls != 1 {
		t.Fatalf("with limit 1, fn was called %d times after the first call failed; want only that call", calls)
	}
}

func TestWaitsForRunningCalls(t *testing.T) {
	var active int32
	var others sync.WaitGroup
	others.Add(2)
	done := processAsync(context.Background(), 3, 3, func(ctx context.Context, i int) error {
		atomic.AddInt32(&active, 1)
		defer atomic.AddInt32(&active, -1)
		if i == 0 {
			others.Wait()
			return errors.New("fail fast")
		}
		others.Done()
		<-ctx.Done()
		time.Sleep(50 * time.Millisecond) // cleanup after the cancellation
		return nil
	})
	await(t, done, "a failure with slow cleanups")
	if n := atomic.LoadInt32(&active); n != 0 {
		t.Fatalf("ForEach returned while %d calls were still running", n)
	}
}

func TestParentCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls, active int32
	done := processAsync(ctx, 100, 2, func(c context.Context, i int) error {
		atomic.AddInt32(&calls, 1)
		atomic.AddInt32(&active, 1)
		defer atomic.AddInt32(&active, -1)
		if i == 5 {
			cancel()
		}
		if i >= 5 {
			<-c.Done()
			time.Sleep(20 * time.Millisecond)
		}
		return nil
	})
	err := await(t, done, "parent cancelled at call 5")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ForEach returned %v after its context was cancelled, want context.Canceled", err)
	}
	if n := atomic.LoadInt32(&calls); n > 7 {
		t.Fatalf("fn was called %d times; after the cancellation at call 5 (limit 2) no new call may start", n)
	}
	if n := atomic.LoadInt32(&active); n != 0 {
		t.Fatalf("ForEach returned while %d calls were still running", n)
	}
	// A context cancelled before the start: no call at all.
	calls = 0
	err = await(t, processAsync(ctx, 10, 2, func(context.Context, int) error { atomic.AddInt32(&calls, 1); return nil }), "cancelled context")
	if !errors.Is(err, context.Canceled) || calls != 0 {
		t.Fatalf("with an already cancelled context: ForEach returned %v after %d calls, want context.Canceled and no call", err, calls)
	}
}

// Many runs with failures at random places, checked under the race detector by the task's check.
func TestStressErrorsAndCancellation(t *testing.T) {
	for run := 0; run < 200; run++ {
		limit := 1 + run%6
		failAt := run % 23
		var running, peak, calls int32
		err := await(t, processAsync(context.Background(), 30, limit, func(ctx context.Context, i int) error {
			now := atomic.AddInt32(&running, 1)
			defer atomic.AddInt32(&running, -1)
			atomic.AddInt32(&calls, 1)
			for {
				p := atomic.LoadInt32(&peak)
				if now <= p || atomic.CompareAndSwapInt32(&peak, p, now) {
					break
				}
			}
			if i >= failAt && i%2 == 0 {
				return fmt.Errorf("job %d failed", i)
			}
			return nil
		}), "stress")
		if err == nil && failAt < 30 {
			t.Fatalf("run %d: ForEach returned nil though calls failed", run)
		}
		if peak > int32(limit) {
			t.Fatalf("run %d: %d calls ran at once with limit %d", run, peak, limit)
		}
		if running != 0 {
			t.Fatalf("run %d: ForEach returned while %d calls were running", run, running)
		}
	}
}
