package jobqueue

import "container/heap"

// Queue is a priority queue of job ids: a binary heap of entries plus an index from id to the entry,
// which keeps its heap position current, so Update and Remove find their entry in O(1).
// The zero Queue is empty and ready to use.
type Queue struct {
	h     entries
	index map[string]*entry
	seq   uint64 // push counter: equal priorities leave in push order
}

type entry struct {
	id       string
	priority int
	seq      uint64
	pos      int
}

type entries []*entry

func (h entries) Len() int { return len(h) }
func (h entries) Less(i, j int) bool {
	if h[i].priority != h[j].priority {
		return h[i].priority > h[j].priority
	}
	return h[i].seq < h[j].seq
}
func (h entries) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].pos = i
	h[j].pos = j
}
func (h *entries) Push(x any) {
	e := x.(*entry)
	e.pos = len(*h)
	*h = append(*h, e)
}
func (h *entries) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil // let the entry be collected
	*h = old[:len(old)-1]
	return e
}

// New returns an empty queue.
func New() *Queue { return &Queue{} }

// Push queues id with priority; it returns false (and changes nothing) if id is already queued.
func (q *Queue) Push(id string, priority int) bool {
	if _, queued := q.index[id]; queued {
		return false
	}
	if q.index == nil {
		q.index = make(map[string]*entry)
	}
	q.seq++
	e := &entry{id: id, priority: priority, seq: q.seq}
	q.index[id] = e
	heap.Push(&q.h, e)
	return true
}

// Update changes the priority of a queued id; it returns false if id is not queued.
func (q *Queue) Update(id string, priority int) bool {
	e, queued := q.index[id]
	if !queued {
		return false
	}
	e.priority = priority
	heap.Fix(&q.h, e.pos)
	return true
}

// Remove takes id out of the queue; it returns false if id is not queued.
func (q *Queue) Remove(id string) bool {
	e, queued := q.index[id]
	if !queued {
		return false
	}
	heap.Remove(&q.h, e.pos)
	delete(q.index, id)
	return true
}

// Pop removes and returns the next job; ok is false when the queue is empty.
func (q *Queue) Pop() (id string, priority int, ok bool) {
	if len(q.h) == 0 {
		return "", 0, false
	}
	e := heap.Pop(&q.h).(*entry)
	delete(q.index, e.id)
	return e.id, e.priority, true
}

// Peek returns the next job without removing it; ok is false when the queue is empty.
func (q *Queue) Peek() (id string, priority int, ok bool) {
	if len(q.h) == 0 {
		return "", 0, false
	}
	return q.h[0].id, q.h[0].priority, true
}

// Len is the number of queued jobs.
func (q *Queue) Len() int { return len(q.h) }
