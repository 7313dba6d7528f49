package asyncio

import (
	"container/heap"
	"time"
)

// handle is one entry of a loop's ready queue: a task to resume or a
// callback to call, with the owner its output belongs to.
type handle struct {
	fn    func()
	task  *Task
	owner any
	ref   *Handle // user-visible handle, for cancellation
}

// Handle is a scheduled callback (CallSoon, CallLater); Cancel prevents it
// from running.
type Handle struct {
	cancelled bool
	timer     *timer
	loop      *EventLoop
}

// Cancel prevents the callback from running if it has not run yet.
func (h *Handle) Cancel() {
	if h.cancelled {
		return
	}
	h.cancelled = true
	if h.timer != nil && h.timer.index >= 0 {
		heap.Remove(&h.loop.timers, h.timer.index)
	}
}

// Cancelled reports whether Cancel was called.
func (h *Handle) Cancelled() bool { return h.cancelled }

// fifo is a growable ring of handles.
type fifo struct {
	buf        []handle
	head, size int
}

func (q *fifo) len() int { return q.size }

func (q *fifo) push(h handle) {
	if q.size == len(q.buf) {
		n := 2 * len(q.buf)
		if n == 0 {
			n = 16
		}
		nb := make([]handle, n)
		for i := 0; i < q.size; i++ {
			nb[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = h
	q.size++
}

func (q *fifo) pop() handle {
	h := q.buf[q.head]
	q.buf[q.head] = handle{}
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return h
}

// timer is a CallLater entry; ties in deadline fire in scheduling order.
type timer struct {
	when  time.Duration
	seq   uint64
	h     handle
	index int
}

type timerHeap []*timer

func (t timerHeap) Len() int { return len(t) }
func (t timerHeap) Less(i, j int) bool {
	if t[i].when != t[j].when {
		return t[i].when < t[j].when
	}
	return t[i].seq < t[j].seq
}
func (t timerHeap) Swap(i, j int) {
	t[i], t[j] = t[j], t[i]
	t[i].index = i
	t[j].index = j
}
func (t *timerHeap) Push(x any) {
	tm := x.(*timer)
	tm.index = len(*t)
	*t = append(*t, tm)
}
func (t *timerHeap) Pop() any {
	old := *t
	n := len(old)
	tm := old[n-1]
	old[n-1] = nil
	tm.index = -1
	*t = old[:n-1]
	return tm
}
