package pool

import (
	"context"
	"errors"
)

// ErrInvalidLimit is returned (possibly wrapped) for a limit below 1.
var ErrInvalidLimit = errors.New("invalid limit")

// ForEach calls fn(ctx, i) for every i in [0, n), at most limit calls at once. See the ticket.
func ForEach(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	return errors.New("not implemented")
}
