package calendar

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

var day = time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)

// at is hh:mm on the test day.
func at(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }

func iv(h1, m1, h2, m2 int) Interval { return Interval{at(h1, m1), at(h2, m2)} }

func show(slots []Interval) string {
	s := "["
	for i, x := range slots {
		if i > 0 {
			s += " "
		}
		s += x.Start.UTC().Format("15:04") + "-" + x.End.UTC().Format("15:04")
	}
	return s + "]"
}

func expectSlots(t *testing.T, window Interval, busy []Interval, minLen time.Duration, want []Interval) {
	t.Helper()
	got, err := FreeSlots(window, busy, minLen)
	if err != nil {
		t.Fatalf("FreeSlots(%s, %s, %v) returned error %v", show([]Interval{window}), show(busy), minLen, err)
	}
	same := len(got) == len(want)
	for i := 0; same && i < len(got); i++ {
		same = got[i].Start.Equal(want[i].Start) && got[i].End.Equal(want[i].End)
	}
	if !same {
		t.Fatalf("FreeSlots(%s, busy %s, minLen %v) = %s, want %s", show([]Interval{window}), show(busy), minLen, show(got), show(want))
	}
}

func TestNoBusyWholeWindowIsFree(t *testing.T) {
	expectSlots(t, iv(9, 0, 17, 0), nil, 0, []Interval{iv(9, 0, 17, 0)})
	expectSlots(t, iv(9, 0, 17, 0), []Interval{}, 30*time.Minute, []Interval{iv(9, 0, 17, 0)})
}

func TestUnsortedOverlappingBusy(t *testing.T) {
	busy := []Interval{iv(14, 0, 15, 0), iv(9, 30, 10, 30), iv(10, 0, 11, 0), iv(13, 0, 16, 0), iv(13, 30, 14, 0)}
	expectSlots(t, iv(9, 0, 17, 0), busy, 0, []Interval{iv(9, 0, 9, 30), iv(11, 0, 13, 0), iv(16, 0, 17, 0)})
}

func TestNestedBusyInterval(t *testing.T) {
	busy := []Interval{iv(10, 0, 15, 0), iv(11, 0, 12, 0)}
	expectSlots(t, iv(9, 0, 17, 0), busy, 0, []Interval{iv(9, 0, 10, 0), iv(15, 0, 17, 0)})
}

func TestTouchingBusyLeaveNoGap(t *testing.T) {
	busy := []Interval{iv(10, 0, 11, 0), iv(11, 0, 12, 0), iv(9, 0, 10, 0)}
	expectSlots(t, iv(9, 0, 13, 0), busy, 0, []Interval{iv(12, 0, 13, 0)})
	// A busy interval touching the window's edges leaves nothing at the edge.
	expectSlots(t, iv(9, 0, 13, 0), []Interval{iv(8, 0, 9, 0), iv(13, 0, 14, 0)}, 0, []Interval{iv(9, 0, 13, 0)})
}

func TestBusyOverlappingWindowEdges(t *testing.T) {
	busy := []Interval{iv(8, 0, 9, 30), iv(16, 30, 18, 0)}
	expectSlots(t, iv(9, 0, 17, 0), busy, 0, []Interval{iv(9, 30, 16, 30)})
}

func TestBusyOutsideWindowIgnored(t *testing.T) {
	busy := []Interval{iv(6, 0, 7, 0), iv(18, 0, 19, 0), iv(12, 0, 13, 0)}
	expectSlots(t, iv(9, 0, 17, 0), busy, 0, []Interval{iv(9, 0, 12, 0), iv(13, 0, 17, 0)})
}

func TestSlotExactlyMinLenIsKept(t *testing.T) {
	busy := []Interval{iv(9, 30, 10, 0), iv(10, 30, 12, 0)}
	expectSlots(t, iv(9, 0, 12, 30), busy, 30*time.Minute, []Interval{iv(9, 0, 9, 30), iv(10, 0, 10, 30), iv(12, 0, 12, 30)})
}

func TestShorterThanMinLenDropped(t *testing.T) {
	busy := []Interval{iv(9, 20, 10, 0), iv(10, 45, 12, 0)}
	expectSlots(t, iv(9, 0, 13, 0), busy, 30*time.Minute, []Interval{iv(10, 0, 10, 45), iv(12, 0, 13, 0)})
	// minLen of zero or less keeps every non-empty slot.
	expectSlots(t, iv(9, 0, 10, 0), []Interval{iv(9, 1, 9, 59)}, -time.Hour, []Interval{iv(9, 0, 9, 1), iv(9, 59, 10, 0)})
}

func TestEmptyBusyIntervalBlocksNothing(t *testing.T) {
	expectSlots(t, iv(9, 0, 11, 0), []Interval{iv(10, 0, 10, 0)}, 0, []Interval{iv(9, 0, 11, 0)})
}

func TestInvalidIntervalsAreErrors(t *testing.T) {
	cases := []struct {
		window Interval
		busy   []Interval
	}{
		{iv(17, 0, 9, 0), nil},
		{iv(9, 0, 17, 0), []Interval{iv(10, 0, 11, 0), iv(12, 0, 11, 59)}},
		{iv(9, 0, 17, 0), []Interval{iv(20, 0, 19, 0)}},
	}
	for _, c := range cases {
		got, err := FreeSlots(c.window, c.busy, 0)
		if !errors.Is(err, ErrInvalidInterval) {
			t.Fatalf("FreeSlots(%s, %s): error %v, want one matching ErrInvalidInterval", show([]Interval{c.window}), show(c.busy), err)
		}
		if got != nil {
			t.Fatalf("FreeSlots(%s, %s) returned %s with the error, want nil", show([]Interval{c.window}), show(c.busy), show(got))
		}
	}
}

func TestDoesNotModifyInput(t *testing.T) {
	busy := []Interval{iv(15, 0, 18, 0), iv(8, 0, 10, 0), iv(12, 0, 13, 0)}
	before := fmt.Sprint(busy)
	if _, err := FreeSlots(iv(9, 0, 17, 0), busy, 0); err != nil {
		t.Fatal(err)
	}
	if after := fmt.Sprint(busy); after != before {
		t.Fatalf("the busy slice was modified:\nbefore %s\nafter  %s", before, after)
	}
}

func TestEmptyAndCoveredWindowHaveNoSlots(t *testing.T) {
	for _, c := range []struct {
		window Interval
		busy   []Interval
	}{
		{iv(9, 0, 9, 0), nil},
		{iv(9, 0, 9, 0), []Interval{iv(8, 0, 10, 0)}},
		{iv(9, 0, 17, 0), []Interval{iv(8, 0, 12, 0), iv(11, 0, 17, 0)}},
	} {
		got, err := FreeSlots(c.window, c.busy, 0)
		if err != nil || len(got) != 0 {
			t.Fatalf("FreeSlots(%s, %s) = %s, %v; want no slots and no error", show([]Interval{c.window}), show(c.busy), show(got), err)
		}
	}
}
