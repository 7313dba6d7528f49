package asyncio

import (
	"container/heap"
	"fmt"
	"sort"
	"sync"
	"time"
)

// EventLoop runs tasks and callbacks one at a time. The kernel loop of a
// Runtime runs for the life of the runtime; other loops run while a
// goroutine drives them (Run, RunUntilComplete, RunForever).
type EventLoop struct {
	rt          *Runtime
	ready       fifo
	timers      timerHeap
	timerSeq    uint64
	back        chan struct{} // a resumed task hands the baton back here
	running     bool
	stopping    bool
	closed      bool
	live        map[*Task]struct{}
	unretrieved []*Task
	kernel      *kernelState  // non-nil for the runtime's kernel loop
	maxWait     time.Duration // > 0: never sleep longer (shutdown)

	mu          sync.Mutex // guards inbox and inboxClosed
	inbox       []handle
	inboxClosed bool
	wake        chan struct{}
	clock       *time.Timer
}

func newLoop(rt *Runtime) *EventLoop {
	return &EventLoop{
		rt:   rt,
		back: make(chan struct{}),
		live: make(map[*Task]struct{}),
		wake: make(chan struct{}, 1),
	}
}

// Time returns the loop's monotonic clock in seconds.
func (l *EventLoop) Time() float64 { return l.now().Seconds() }

func (l *EventLoop) now() time.Duration { return time.Since(l.rt.epoch) }

// IsRunning reports whether the loop is running.
func (l *EventLoop) IsRunning() bool { return l.running }

// IsClosed reports whether Close was called.
func (l *EventLoop) IsClosed() bool { return l.closed }

// CallSoon schedules fn to run on the loop after what is already ready.
func (l *EventLoop) CallSoon(fn func()) *Handle {
	ref := &Handle{loop: l}
	l.schedule(handle{fn: fn, owner: l.rt.owner, ref: ref})
	return ref
}

// CallLater schedules fn to run on the loop after d.
func (l *EventLoop) CallLater(d time.Duration, fn func()) *Handle {
	return l.callAt(l.now()+d, handle{fn: fn, owner: l.rt.owner})
}

func (l *EventLoop) callAt(when time.Duration, h handle) *Handle {
	ref := &Handle{loop: l}
	h.ref = ref
	l.timerSeq++
	tm := &timer{when: when, seq: l.timerSeq, h: h}
	ref.timer = tm
	heap.Push(&l.timers, tm)
	return ref
}

// CallSoonThreadsafe schedules fn from any goroutine and wakes the loop.
// Output of fn belongs to no cell (owner nil).
func (l *EventLoop) CallSoonThreadsafe(fn func()) *Handle {
	ref := &Handle{loop: l}
	l.post(handle{fn: fn, ref: ref})
	return ref
}

// post adds h to the inbox from any goroutine; false if the loop is gone.
func (l *EventLoop) post(h handle) bool {
	l.mu.Lock()
	if l.inboxClosed {
		l.mu.Unlock()
		return false
	}
	l.inbox = append(l.inbox, h)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return true
}

func (l *EventLoop) drainInbox() {
	l.mu.Lock()
	in := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	for _, h := range in {
		l.ready.push(h)
	}
}

// schedule appends h to the ready queue (baton holder only).
func (l *EventLoop) schedule(h handle) { l.ready.push(h) }

// Stop makes a running loop return after the current pass. On the
// kernel loop it does nothing.
func (l *EventLoop) Stop() {
	if l.kernel != nil {
		return
	}
	l.stopping = true
}

// CreateFuture returns a new pending future bound to the loop.
func (l *EventLoop) CreateFuture() *Future { return &Future{loop: l} }

// CreateTask wraps c in a task scheduled to start on the loop; name, if
// given, replaces the default "Task-N".
func (l *EventLoop) CreateTask(c *Coroutine, name ...string) *Task {
	if c == nil {
		panic(&TypeError{Msg: "a coroutine was expected, got nil"})
	}
	if l.closed {
		panic(&RuntimeError{Msg: "Event loop is closed"})
	}
	t := l.newTask(c, name)
	l.schedule(handle{task: t})
	return t
}

// RunForever runs the loop until Stop is called.
func (l *EventLoop) RunForever() {
	if cur := l.rt.current; cur != nil && cur.loop == l || l.running {
		panic(&RuntimeError{Msg: "This event loop is already running"})
	}
	l.run(nil)
}

// RunUntilComplete runs the loop until x (a coroutine, task or future) is
// done and returns its one-value result, re-panicking its failure. Called
// from code that runs on l itself (a cell on the kernel loop), it behaves
// like awaiting x.
func (l *EventLoop) RunUntilComplete(x any) any {
	rt := l.rt
	if cur := rt.current; cur != nil && cur.loop == l {
		return one(rt.Await(x))
	}
	if l.running {
		panic(&RuntimeError{Msg: "This event loop is already running"})
	}
	if l.closed {
		panic(&RuntimeError{Msg: "Event loop is closed"})
	}
	f := l.ensure(x)
	stop := f.onDone(func() { l.stopping = true })
	l.run(f)
	stop.Cancel()
	if !f.Done() {
		panic(&RuntimeError{Msg: "Event loop stopped before Future completed."})
	}
	return f.Result()
}

// ensure turns x into a future of l (a coroutine becomes a task).
func (l *EventLoop) ensure(x any) *Future {
	switch v := x.(type) {
	case *Coroutine:
		return &l.CreateTask(v).Future
	case *Task:
		l.checkSame(&v.Future)
		return &v.Future
	case *Future:
		l.checkSame(v)
		return v
	}
	panic(&TypeError{Msg: fmt.Sprintf("an asyncio.Future, a coroutine or an awaitable is required, got %T", x)})
}

func (l *EventLoop) checkSame(f *Future) {
	if f.loop != l {
		panic(&RuntimeError{Msg: "The future belongs to a different loop than the one specified"})
	}
}

// run drives the loop on the calling goroutine until stopped; target, if
// not nil, is what an interrupt of the running cell cancels.
func (l *EventLoop) run(target *Future) {
	rt := l.rt
	rt.checkAbandoned()
	l.running, l.stopping = true, false
	prevLoop, prevCur, prevOwner := rt.running, rt.current, rt.owner
	rt.running, rt.current = l, nil
	timelineDriving(prevCur, true)
	if target != nil {
		rt.pushTarget(target)
	}
	defer func() {
		if target != nil {
			rt.removeTarget(target)
		}
		l.running, l.stopping = false, false
		rt.running, rt.current = prevLoop, prevCur
		timelineDriving(prevCur, false)
		rt.switchTo(prevOwner)
	}()
	for {
		l.runOnce()
		if l.stopping {
			return
		}
	}
}

// runOnce is one pass: wait for work if nothing is ready, move due timers
// and posted callbacks to the ready queue, then run what was ready when
// the pass began (what those schedule runs in the next pass).
func (l *EventLoop) runOnce() {
	l.drainInbox()
	wait := time.Duration(-1)
	switch {
	case l.ready.len() > 0 || l.stopping:
		wait = 0
	case len(l.timers) > 0:
		wait = max(0, l.timers[0].when-l.now())
	}
	if wait != 0 && l.kernel != nil {
		l.kernelIdle()
		if l.stopping {
			wait = 0
		}
	}
	if l.maxWait > 0 && (wait < 0 || wait > l.maxWait) {
		wait = l.maxWait
	}
	if wait != 0 {
		l.sleep(wait)
		l.drainInbox()
	}
	now := l.now()
	for len(l.timers) > 0 && l.timers[0].when <= now {
		tm := heap.Pop(&l.timers).(*timer)
		l.ready.push(tm.h)
	}
	for n := l.ready.len(); n > 0; n-- {
		l.dispatch(l.ready.pop())
	}
	if l.kernel != nil {
		l.kernelPassDone()
	}
}

func (l *EventLoop) sleep(d time.Duration) {
	if d < 0 {
		<-l.wake
		return
	}
	if l.clock == nil {
		l.clock = time.NewTimer(d)
	} else {
		l.clock.Reset(d)
	}
	select {
	case <-l.wake:
		l.clock.Stop()
	case <-l.clock.C:
	}
}

func (l *EventLoop) dispatch(h handle) {
	if h.ref != nil && h.ref.cancelled {
		return
	}
	if h.task != nil {
		l.step(h.task)
		return
	}
	l.rt.switchTo(h.owner)
	l.callSafely(h)
}

// callSafely runs a callback; a panic is reported, as asyncio logs
// "Exception in callback", and the loop goes on.
func (l *EventLoop) callSafely(h handle) {
	defer func() {
		if p := recover(); p != nil {
			l.rt.report(h.owner, fmt.Sprintf("Exception in callback: %v", unwrapPanic(p)))
		}
	}()
	h.fn()
}

// step resumes t (starting its goroutine the first time) and waits until
// it parks or ends.
func (l *EventLoop) step(t *Task) {
	if t.state != statePending {
		return
	}
	if t.tailWait != nil {
		l.finishTail(t)
		return
	}
	rt := l.rt
	rt.switchTo(t.owner)
	prev := rt.current
	rt.current = t
	if l.kernel != nil {
		l.kernelStep(t)
	} else {
		l.resumeTask(t)
		<-l.back
		rt.checkAbandoned()
	}
	timelineStopped(t)
	rt.current = prev
}

// resumeTask gives the baton to t (starting its goroutine the first time).
func (l *EventLoop) resumeTask(t *Task) {
	timelineRunning(t)
	t.baton.Store(batonHeld)
	if !t.started {
		t.started = true
		l.startTask(t)
		return
	}
	t.resume <- struct{}{}
}

// Close closes a loop that is not running: pending callbacks are dropped
// and tasks that never finished are stopped (their deferred calls run).
// The kernel loop cannot be closed from a cell (use Runtime.Close).
func (l *EventLoop) Close() {
	if l.kernel != nil {
		panic(&RuntimeError{Msg: "the notebook's event loop cannot be closed (it belongs to the kernel)"})
	}
	if l.running {
		panic(&RuntimeError{Msg: "Cannot close a running event loop"})
	}
	if l.closed {
		return
	}
	l.closed = true
	l.killAll()
	l.flushUnretrieved()
	l.mu.Lock()
	l.inboxClosed = true
	l.inbox = nil
	l.mu.Unlock()
	l.ready = fifo{}
	l.timers = nil
	if l.clock != nil {
		l.clock.Stop()
	}
}

// killAll ends the goroutine of every started, unfinished task of l with
// runtime.Goexit (deferred calls run, recover cannot stop it).
func (l *EventLoop) killAll() {
	rt := l.rt
	for _, t := range l.sortedLive() {
		if !t.started || t.cell != nil || t.state != statePending {
			continue
		}
		t.killed = true
		if t.tailWait != nil {
			l.finishTail(t)
			continue
		}
		prev := rt.current
		rt.current = t
		l.resumeTask(t)
		<-l.back
		timelineStopped(t)
		rt.current = prev
	}
}

func (l *EventLoop) sortedLive() []*Task {
	ts := make([]*Task, 0, len(l.live))
	for t := range l.live {
		ts = append(ts, t)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].id < ts[j].id })
	return ts
}

// flushUnretrieved reports failed tasks whose failure nobody read.
func (l *EventLoop) flushUnretrieved() {
	ts := l.unretrieved
	l.unretrieved = nil
	for _, t := range ts {
		if !t.retrieved {
			t.retrieved = true
			l.rt.report(t.owner, fmt.Sprintf("Task exception was never retrieved: %s: %v", t, asError(t.failure)))
		}
	}
}
