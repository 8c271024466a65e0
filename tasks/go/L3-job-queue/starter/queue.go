package jobqueue

// Queue is a priority queue of job ids. See the ticket.
type Queue struct{}

// New returns an empty queue.
func New() *Queue { return &Queue{} }

// Push queues id with priority; it returns false (and changes nothing) if id is already queued.
func (q *Queue) Push(id string, priority int) bool { return false }

// Update changes the priority of a queued id; it returns false if id is not queued.
func (q *Queue) Update(id string, priority int) bool { return false }

// Remove takes id out of the queue; it returns false if id is not queued.
func (q *Queue) Remove(id string) bool { return false }

// Pop removes and returns the next job; ok is false when the queue is empty.
func (q *Queue) Pop() (id string, priority int, ok bool) { return "", 0, false }

// Peek returns the next job without removing it; ok is false when the queue is empty.
func (q *Queue) Peek() (id string, priority int, ok bool) { return "", 0, false }

// Len is the number of queued jobs.
func (q *Queue) Len() int { return 0 }
