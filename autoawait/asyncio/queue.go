package asyncio

import (
	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// Queue is asyncio.Queue: a FIFO for tasks, bounded when maxsize > 0.
type Queue struct {
	rt         *Runtime
	maxsize    int
	items      []any
	getters    []*Future
	putters    []*Future
	unfinished int
	finished   *Event
}

// NewQueue returns an empty queue holding at most maxsize items
// (unbounded when maxsize <= 0).
func (rt *Runtime) NewQueue(maxsize int) *Queue {
	q := &Queue{rt: rt, maxsize: maxsize, finished: rt.NewEvent()}
	q.finished.Set()
	return q
}

// Maxsize returns the bound given to NewQueue.
func (q *Queue) Maxsize() int { return q.maxsize }

// Qsize returns the number of items in the queue.
func (q *Queue) Qsize() int { return len(q.items) }

// Empty reports whether the queue has no items.
func (q *Queue) Empty() bool { return len(q.items) == 0 }

// Full reports whether a bounded queue holds maxsize items.
func (q *Queue) Full() bool { return q.maxsize > 0 && len(q.items) >= q.maxsize }

// Put returns a coroutine that, awaited, waits for room and adds v (no
// results).
func (q *Queue) Put(v any) *Coroutine {
	rt := q.rt
	return loop.NewLibCoroutine(rt.Runtime, "Put", func() []any {
		for q.Full() {
			q.waitIn(&q.putters, func() bool { return !q.Full() })
		}
		q.PutNowait(v)
		return nil
	})
}

// Get returns a coroutine that, awaited, waits for an item and removes
// and returns it (one result).
func (q *Queue) Get() *Coroutine {
	rt := q.rt
	return loop.NewLibCoroutine(rt.Runtime, "Get", func() []any {
		for q.Empty() {
			q.waitIn(&q.getters, func() bool { return !q.Empty() })
		}
		return []any{q.GetNowait()}
	})
}

// waitIn parks the current task on a new future queued in *ws; on
// cancellation it passes the wake-up on when ready() holds.
func (q *Queue) waitIn(ws *[]*Future, ready func() bool) {
	rt := q.rt
	t := rt.CurrentTask()
	fut := loop.LoopOf(t).CreateFuture()
	loop.SetWaitKind(fut, timeline.OnQueueGet)
	if ws == &q.putters {
		loop.SetWaitKind(fut, timeline.OnQueuePut)
	}
	*ws = append(*ws, fut)
	defer func() {
		if p := recover(); p != nil {
			fut.Cancel()
			*ws = removeFuture(*ws, fut)
			if ready() && !fut.Cancelled() {
				wakeupNext(ws)
			}
			panic(p)
		}
	}()
	loop.AwaitFuture(rt.Runtime, t, fut)
}

// PutNowait adds v at once; it panics *QueueFull if the queue is full.
func (q *Queue) PutNowait(v any) {
	if q.Full() {
		panic(&QueueFull{})
	}
	q.items = append(q.items, v)
	q.unfinished++
	q.finished.Clear()
	wakeupNext(&q.getters)
}

// GetNowait removes and returns the first item at once; it panics
// *QueueEmpty if the queue is empty.
func (q *Queue) GetNowait() any {
	if q.Empty() {
		panic(&QueueEmpty{})
	}
	v := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	wakeupNext(&q.putters)
	return v
}

// TaskDone tells the queue that an item taken with Get is processed; it
// panics *ValueError if called more times than items were put.
func (q *Queue) TaskDone() {
	if q.unfinished <= 0 {
		panic(&ValueError{Msg: "task_done() called too many times"})
	}
	q.unfinished--
	if q.unfinished == 0 {
		q.finished.Set()
	}
}

// Join returns a coroutine that, awaited, waits until every item put has
// been marked with TaskDone (no results).
func (q *Queue) Join() *Coroutine {
	rt := q.rt
	return loop.NewLibCoroutine(rt.Runtime, "Join", func() []any {
		if q.unfinished > 0 {
			rt.Await(q.finished.Wait())
		}
		return nil
	})
}

// wakeupNext wakes the first waiter of *ws that is still pending.
func wakeupNext(ws *[]*Future) {
	for len(*ws) > 0 {
		w := (*ws)[0]
		*ws = (*ws)[1:]
		if !w.Done() {
			loop.SetResults(w, nil)
			return
		}
	}
}
