package jobqueue

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

type job struct {
	id       string
	priority int
}

func drain(q *Queue) []job {
	var out []job
	for {
		id, p, ok := q.Pop()
		if !ok {
			return out
		}
		out = append(out, job{id, p})
	}
}

func expectOrder(t *testing.T, what string, got, want []job) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: popped %v, want %v", what, got, want)
	}
}

func TestPopsHighestPriorityFirst(t *testing.T) {
	q := New()
	for _, j := range []job{{"a", 3}, {"b", 10}, {"c", -2}, {"d", 7}} {
		if !q.Push(j.id, j.priority) {
			t.Fatalf("Push(%q, %d) = false on a queue without it", j.id, j.priority)
		}
	}
	if q.Len() != 4 {
		t.Fatalf("Len() = %d after 4 pushes, want 4", q.Len())
	}
	expectOrder(t, "pushed a:3 b:10 c:-2 d:7", drain(q), []job{{"b", 10}, {"d", 7}, {"a", 3}, {"c", -2}})
	if q.Len() != 0 {
		t.Fatalf("Len() = %d after popping everything, want 0", q.Len())
	}
}

func TestEqualPrioritiesInPushOrder(t *testing.T) {
	q := New()
	ids := []string{"j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9"}
	for _, id := range ids {
		q.Push(id, 5)
	}
	q.Push("urgent", 9)
	want := []job{{"urgent", 9}}
	for _, id := range ids {
		want = append(want, job{id, 5})
	}
	expectOrder(t, "nine jobs of priority 5 then one of 9", drain(q), want)
}

func TestUpdateKeepsPushOrderAmongEquals(t *testing.T) {
	q := New()
	q.Push("a", 1)
	q.Push("b", 5)
	q.Push("c", 5)
	q.Update("a", 5) // a was pushed first: it goes before b and c now
	expectOrder(t, "a raised to the priority of b and c", drain(q), []job{{"a", 5}, {"b", 5}, {"c", 5}})
}

func TestUpdateRaisesAndLowers(t *testing.T) {
	q := New()
	for i := 0; i < 8; i++ {
		q.Push(fmt.Sprint("j", i), i*10)
	}
	if !q.Update("j0", 100) || !q.Update("j7", -1) {
		t.Fatalf("Update of a queued id returned false")
	}
	want := []job{{"j0", 100}, {"j6", 60}, {"j5", 50}, {"j4", 40}, {"j3", 30}, {"j2", 20}, {"j1", 10}, {"j7", -1}}
	expectOrder(t, "j0 raised to 100 and j7 lowered to -1", drain(q), want)
}

func TestRemove(t *testing.T) {
	q := New()
	for i := 0; i < 8; i++ {
		q.Push(fmt.Sprint("j", i), i)
	}
	if !q.Remove("j3") || !q.Remove("j7") || !q.Remove("j0") {
		t.Fatalf("Remove of a queued id returned false")
	}
	if q.Remove("j3") {
		t.Fatalf("Remove of an id removed before returned true")
	}
	if q.Len() != 5 {
		t.Fatalf("Len() = %d after removing 3 of 8, want 5", q.Len())
	}
	expectOrder(t, "j0..j7 without j0, j3, j7", drain(q), []job{{"j6", 6}, {"j5", 5}, {"j4", 4}, {"j2", 2}, {"j1", 1}})
}

func TestUnknownAndDuplicateIDs(t *testing.T) {
	q := New()
	q.Push("a", 1)
	if q.Push("a", 50) {
		t.Fatalf("Push of an id already queued returned true")
	}
	if q.Update("zzz", 3) || q.Remove("zzz") {
		t.Fatalf("Update or Remove of an id never queued returned true")
	}
	if q.Len() != 1 {
		t.Fatalf("Len() = %d, want 1: refused calls change nothing", q.Len())
	}
	expectOrder(t, "a pushed twice", drain(q), []job{{"a", 1}})
	// Once popped, the id is no longer queued: it can be pushed again, and is not updatable before.
	if q.Update("a", 2) || q.Remove("a") {
		t.Fatalf("Update or Remove of a popped id returned true")
	}
	if !q.Push("a", 2) {
		t.Fatalf("Push of an id popped before returned false")
	}
	if q.Len() != 1 {
		t.Fatalf("Len() = %d, want 1", q.Len())
	}
}

func TestPeekAndEmptyQueue(t *testing.T) {
	q := New()
	if id, p, ok := q.Pop(); ok || id != "" || p != 0 {
		t.Fatalf("Pop() on an empty queue = %q, %d, %v; want \"\", 0, false", id, p, ok)
	}
	if id, p, ok := q.Peek(); ok || id != "" || p != 0 {
		t.Fatalf("Peek() on an empty queue = %q, %d, %v; want \"\", 0, false", id, p, ok)
	}
	q.Push("low", 1)
	q.Push("high", 2)
	if id, p, ok := q.Peek(); !ok || id != "high" || p != 2 {
		t.Fatalf("Peek() = %q, %d, %v; want \"high\", 2, true", id, p, ok)
	}
	if q.Len() != 2 {
		t.Fatalf("Len() = %d after Peek, want 2: Peek removes nothing", q.Len())
	}
}

func TestZeroValueIsUsable(t *testing.T) {
	var q Queue
	if q.Len() != 0 || q.Remove("x") || q.Update("x", 1) {
		t.Fatalf("a zero Queue is not empty")
	}
	if !q.Push("x", 1) || !q.Push("y", 2) {
		t.Fatalf("Push on a zero Queue returned false")
	}
	expectOrder(t, "a zero Queue", drain(&q), []job{{"y", 2}, {"x", 1}})
}

// model is the obviously correct (and slow) queue the random operations are checked against.
type model struct {
	seq  int
	jobs map[string][2]int // id -> priority, push sequence
}

func (m *model) next() (string, int, bool) {
	best, bp, bs := "", 0, -1
	for id, v := range m.jobs {
		if bs < 0 || v[0] > bp || (v[0] == bp && v[1] < bs) {
			best, bp, bs = id, v[0], v[1]
		}
	}
	return best, bp, bs >= 0
}

func TestRandomOperationsMatchModel(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 30; round++ {
		q := New()
		m := &model{jobs: map[string][2]int{}}
		for step := 0; step < 400; step++ {
			id := fmt.Sprint("j", rng.Intn(40))
			p := rng.Intn(12)
			_, queued := m.jobs[id]
			var desc string
			switch op := rng.Intn(5); op {
			case 0, 1:
				desc = fmt.Sprintf("Push(%q, %d)", id, p)
				if got := q.Push(id, p); got != !queued {
					t.Fatalf("round %d step %d: %s = %v, want %v", round, step, desc, got, !queued)
				}
				if !queued {
					m.seq++
					m.jobs[id] = [2]int{p, m.seq}
				}
			case 2:
				desc = fmt.Sprintf("Update(%q, %d)", id, p)
				if got := q.Update(id, p); got != queued {
					t.Fatalf("round %d step %d: %s = %v, want %v", round, step, desc, got, queued)
				}
				if queued {
					m.jobs[id] = [2]int{p, m.jobs[id][1]}
				}
			case 3:
				desc = fmt.Sprintf("Remove(%q)", id)
				if got := q.Remove(id); got != queued {
					t.Fatalf("round %d step %d: %s = %v, want %v", round, step, desc, got, queued)
				}
				delete(m.jobs, id)
			case 4:
				desc = "Pop()"
				wid, wp, wok := m.next()
				gid, gp, gok := q.Pop()
				if gid != wid || gp != wp || gok != wok {
					t.Fatalf("round %d step %d: Pop() = %q, %d, %v; want %q, %d, %v", round, step, gid, gp, gok, wid, wp, wok)
				}
				delete(m.jobs, wid)
			}
			if q.Len() != len(m.jobs) {
				t.Fatalf("round %d step %d: Len() = %d after %s, want %d", round, step, q.Len(), desc, len(m.jobs))
			}
		}
	}
}

// A large workload: O(log n) operations finish in well under a second; an implementation that scans
// the queue per Update, Remove or Push needs minutes. The wait is bounded, so a slow implementation
// fails this test instead of hanging the run.
func TestLargeWorkloadInBoundedTime(t *testing.T) {
	const n = 200_000
	done := make(chan error, 1)
	go func() {
		q := New()
		for i := 0; i < n; i++ {
			q.Push(fmt.Sprint("job-", i), i%1000)
		}
		rng := rand.New(rand.NewSource(1))
		for i := 0; i < n; i++ {
			id := fmt.Sprint("job-", rng.Intn(n))
			if i%2 == 0 {
				q.Update(id, rng.Intn(1000))
			} else {
				q.Remove(id)
			}
		}
		last := 1 << 30
		for q.Len() > 0 {
			_, p, _ := q.Pop()
			if p > last {
				done <- fmt.Errorf("popped priority %d after %d", p, last)
				return
			}
			last = p
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("200000 pushes, 200000 updates/removes and the pops took over 10 s: an operation is not O(log n)")
	}
}
