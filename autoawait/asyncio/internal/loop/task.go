package asyncio

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/goawait/goawait/autoawait/asyncio/timeline"
	"github.com/goawait/goawait/internal/goid"
)

// Task runs a coroutine on an event loop, on a goroutine of its own that
// runs only while it holds the loop's baton. Task embeds Future: its
// result is the coroutine's.
type Task struct {
	Future
	id         uint64
	coro       *Coroutine
	name       string // "" until named: then "Task-<number>"
	number     int
	owner      any
	resume     chan struct{}
	started    bool
	waiter     *Future
	mustCancel bool
	cancelReq  string
	killed     bool
	top        *Coroutine          // innermost coroutine running inline
	tailWait   *Future             // what the task waits on without a goroutine (see NewTailCoroutine)
	tailChain  []*Coroutine        // tail coroutines its own ended with (see runTail)
	tailPass   bool                // its result is tailWait's (see runTail)
	cell       *cellRun            // non-nil for a cell's task
	baton      atomic.Int32        // batonIdle, batonHeld, batonHanding or batonAbandoned
	self       atomic.Uintptr      // the goid.Self token of its worker's goroutine (0: not known)
	tlRow      int32               // its row in tl
	tl         *timeline.Recording // the timeline recording it belongs to, if any
}

// Baton states of a task's goroutine. The loop's driver stores batonHeld
// before resuming the task; the task's goroutine moves it to batonHanding
// (handBack) before it touches the loop to give the baton back, and
// AbandonCell's scheduler moves it to batonAbandoned. Both are
// compare-and-swaps from batonHeld, so exactly one of them wins.
const (
	batonIdle int32 = iota // never resumed yet
	batonHeld
	batonHanding
	batonAbandoned
)

// handBack commits the task's goroutine to give the baton back. It
// reports false if the task was abandoned first: the goroutine must then
// park forever without touching the loop.
func (t *Task) handBack() bool { return t.baton.CompareAndSwap(batonHeld, batonHanding) }

func (l *EventLoop) newTask(c *Coroutine, name []string) *Task {
	rt := l.rt
	rt.taskSeq++
	rt.unfreed++
	t := &Task{id: rt.taskSeq, coro: c, owner: rt.owner}
	t.loop = l
	t.task = t
	if len(name) > 0 && name[0] != "" {
		t.name = name[0]
	} else {
		rt.taskNames++
		t.number = rt.taskNames
	}
	if c != nil {
		c.scheduled = true
	}
	l.live[t] = struct{}{}
	rt.timelineCreated(t)
	return t
}

// Name returns the task's name ("Task-N" unless named).
func (t *Task) Name() string {
	if t.name == "" {
		return fmt.Sprintf("Task-%d", t.number)
	}
	return t.name
}

// SetName renames the task.
func (t *Task) SetName(name string) { t.name = name }

// Coro returns the task's coroutine (nil for a cell's task).
func (t *Task) Coro() *Coroutine { return t.coro }

// Cancel requests cancellation: the task gets a *CancelledError panic at
// the Await it is parked in (cancelling what it awaits), or at its next
// one if it is running or ready. It reports false if the task is done.
func (t *Task) Cancel(msg ...string) bool { return t.cancel(strings.Join(msg, " ")) }

func (t *Task) cancel(msg string) bool {
	if t.state != statePending {
		return false
	}
	if w := t.waiter; w != nil && w.Cancel(msg) {
		return true
	}
	t.mustCancel = true
	t.cancelReq = msg
	return true
}

// String describes the task in asyncio's shape, e.g.
// "<Task pending name='Task-3' coro=<fetchData() running at cell[4]:2>>".
func (t *Task) String() string {
	var b strings.Builder
	b.WriteString("<Task ")
	b.WriteString(t.stateWord())
	fmt.Fprintf(&b, " name='%s'", t.Name())
	if c := t.coro; c != nil {
		if t.state == statePending {
			at := c.at
			if at == "" {
				at = c.site
			}
			fmt.Fprintf(&b, " coro=<%s() running at %s>", c.name, at)
		} else {
			fmt.Fprintf(&b, " coro=<%s() done, defined at %s>", c.name, c.site)
		}
	}
	if t.state == stateFinished {
		if t.failed {
			fmt.Fprintf(&b, " exception=%v", t.failure)
		} else {
			fmt.Fprintf(&b, " result=%v", one(t.results))
		}
	}
	b.WriteString(">")
	return b.String()
}

func (t *Task) stateWord() string {
	switch t.state {
	case statePending:
		return "pending"
	case stateCancelled:
		return "cancelled"
	}
	return "finished"
}

// main runs the task on a worker's goroutine: it runs the coroutine and
// settles the task (or, for a tail coroutine, leaves it waiting on the
// loop). The worker then hands the baton back; main does it itself when
// the goroutine ends with runtime.Goexit (a killed task).
func (t *Task) main() {
	var res []any
	normal := false
	defer func() {
		var p any
		if !normal {
			p = recover()
		}
		if !t.handBack() {
			select {} // abandoned: never run alongside the loop again
		}
		if f := t.tailWait; f != nil && normal {
			t.arm(f)
		} else {
			t.settle(res, p, normal)
		}
		if !normal && p == nil { // runtime.Goexit: the goroutine ends here
			t.loop.back <- struct{}{}
		}
	}()
	if t.mustCancel {
		t.mustCancel = false
		panic(&CancelledError{Msg: t.cancelReq})
	}
	if c := t.coro; c.tail != nil {
		res = t.runTail(c)
	} else {
		res = c.run(t)
	}
	normal = true
}

// worker is a goroutine that runs tasks one after the other. A task's
// stack grows to hold the interpreter's frames (8 KiB and more) while a
// new goroutine starts with 2 KiB, so a fresh goroutine per task would
// copy its stack twice; a worker that ran a task before has the room.
type worker struct {
	next chan *Task // the next task to run; closed to end an idle worker
}

// maxIdleWorkers is how many finished workers wait for a next task.
const maxIdleWorkers = 16

// startTask runs t's first step on an idle worker or a new one.
func (l *EventLoop) startTask(t *Task) {
	rt := l.rt
	if n := len(rt.idle); n > 0 {
		w := rt.idle[n-1]
		rt.idle[n-1] = nil
		rt.idle = rt.idle[:n-1]
		w.next <- t
		return
	}
	w := &worker{next: make(chan *Task, 1)}
	go w.run(t)
}

// run runs t, then the tasks it is given while idle. It offers itself as
// idle before it hands the baton back, so that the loop can start the
// next task on it at once.
func (w *worker) run(t *Task) {
	self := goid.Self() // once per worker: where goid.Fast is false it reads the stack
	for t != nil {
		t.self.Store(self)
		t.main()
		l := t.loop
		rt := l.rt
		idle := len(rt.idle) < maxIdleWorkers && !rt.closing
		if idle {
			rt.idle = append(rt.idle, w)
		}
		l.back <- struct{}{}
		if !idle {
			return
		}
		t = <-w.next
	}
}

// stopWorkers ends the idle workers (baton holder only).
func (rt *Runtime) stopWorkers() {
	rt.closing = true
	for _, w := range rt.idle {
		close(w.next)
	}
	rt.idle = nil
}

// runTail runs a tail coroutine as the task's own: its prefix, then those
// of the tail coroutines it ends with, until what is left to wait on is a
// pending future of the loop, which t.tailWait is set to (the goroutine
// then ends and the loop finishes the task, see finishTail). Anything
// else is awaited here, as an inline await would.
func (t *Task) runTail(c *Coroutine) []any {
	c.begin()
	t.top = c
	defer func() {
		if t.tailWait == nil {
			c.end()
			t.top = nil
		}
	}()
	x := c.runPrefix(t)
	// pass: the task's result is that of what is awaited last (every
	// coroutine of the chain returns its tail await's result).
	pass := c.tailResult
	var chain []*Coroutine // the user's tail coroutines c ends with, outermost first
	for {
		next, ok := x.(*Coroutine)
		if !ok || next == nil || next.tail == nil || next.state != coroCreated {
			break
		}
		next.begin()
		x = next.tail()
		next.end()
		pass = pass && next.tailResult
		if next.tailAt != "" {
			chain = append(chain, next)
		}
	}
	if rs, ok := x.([]any); ok { // an earlier return's value
		if !pass {
			return nil
		}
		return rs
	}
	if f := t.waitable(x); f != nil {
		t.tailWait, t.tailChain, t.tailPass = f, chain, pass
		return nil
	}
	if x == nil {
		return nil
	}
	rs := t.awaitTail(x, c, chain)
	if !pass {
		return nil
	}
	return rs
}

// awaitTail awaits x, what tail coroutine c (and the chain it ended with)
// returned, on t's goroutine; a failure or cancellation that ends the
// await is reported as leaving their frames (Options.TailFrame).
func (t *Task) awaitTail(x any, c *Coroutine, chain []*Coroutine) []any {
	rt := t.loop.rt
	done := false
	defer func() {
		if !done {
			rt.tailFrames(c, chain)
		}
	}()
	rs := rt.Await(x)
	done = true
	return rs
}

// waitable returns the future behind x when t can wait on it without its
// goroutine: a pending future or task of t's loop other than t itself.
func (t *Task) waitable(x any) *Future {
	var f *Future
	switch v := x.(type) {
	case *Future:
		f = v
	case *Task:
		if v != nil {
			f = &v.Future
		}
	}
	if f == nil || f.state != statePending || f.loop != t.loop || f == &t.Future {
		return nil
	}
	return f
}

// finishTail ends, on the loop, a task that waited on t.tailWait without
// a goroutine: as the original body would have ended at its last await,
// with no results, the awaited failure, or a cancellation.
func (l *EventLoop) finishTail(t *Task) {
	rt := l.rt
	f, chain := t.tailWait, t.tailChain
	t.tailWait, t.tailChain, t.waiter = nil, nil, nil
	t.top = nil
	prev := rt.current
	rt.current = t
	timelineRunning(t)
	c := t.coro
	switch {
	case t.killed:
		t.settle(nil, nil, false)
	case t.mustCancel:
		t.mustCancel = false
		rt.tailFrames(c, chain)
		t.settle(nil, &CancelledError{Msg: t.cancelReq}, false)
	case f.state == stateCancelled:
		rt.tailFrames(c, chain)
		t.settle(nil, &CancelledError{Msg: f.cancelMsg}, false)
	case f.failed:
		f.retrieved = true
		rt.tailFrames(c, chain)
		t.settle(nil, f.failure, false)
	default:
		f.retrieved = true
		var res []any
		if t.tailPass {
			res = f.results
		}
		t.settle(res, nil, true)
	}
	c.end()
	timelineStopped(t)
	rt.current = prev
}

// tailFrames reports that a failure leaves the frames of tail coroutine
// c and of the ones it ended with (chain, outermost first), innermost
// first (Options.TailFrame).
func (rt *Runtime) tailFrames(c *Coroutine, chain []*Coroutine) {
	for i := len(chain) - 1; i >= 0; i-- {
		rt.tailFrame(chain[i])
	}
	rt.tailFrame(c)
}

// tailFrame reports that a failure leaves tail coroutine c's frame
// (Options.TailFrame).
func (rt *Runtime) tailFrame(c *Coroutine) {
	if f := rt.opts.TailFrame; f != nil && c.tailAt != "" {
		f(c.name, c.tailAt)
	}
}

// settle records how the task ended; p is the recovered panic (nil after
// runtime.Goexit, which counts as a cancellation).
func (t *Task) settle(res []any, p any, normal bool) {
	delete(t.loop.live, t)
	if normal {
		t.setResults(res)
		return
	}
	p = unwrapPanic(p)
	if p == nil {
		t.Future.cancel("")
		return
	}
	if c, ok := isCancel(p); ok {
		t.Future.cancel(c.Msg)
		return
	}
	t.setFailure(p)
	t.loop.unretrieved = append(t.loop.unretrieved, t)
}

// park hands the baton back until f is done (f nil: until the next pass)
// and delivers a pending cancellation as a panic.
func (t *Task) park(f *Future) {
	t.arm(f)
	t.yield()
	t.waiter = nil
	if t.killed {
		runtime.Goexit()
	}
	if t.mustCancel {
		t.mustCancel = false
		panic(&CancelledError{Msg: t.cancelReq})
	}
}

// arm registers the wake-up of t. It is kept out of line so that a
// parked task's stack stays small (goroutines start with 2 KB).
//
//go:noinline
func (t *Task) arm(f *Future) {
	if f != nil {
		t.waiter = f
		f.addCallback(handle{task: t})
		if t.mustCancel && f.Cancel(t.cancelReq) {
			t.mustCancel = false
		}
	} else {
		t.loop.schedule(handle{task: t})
	}
}

// yield gives the baton back to the loop's driver and waits to be resumed.
func (t *Task) yield() {
	if t.resume == nil {
		t.resume = make(chan struct{})
	}
	if !t.handBack() {
		select {} // abandoned: never run alongside the loop again
	}
	t.loop.back <- struct{}{}
	<-t.resume
}

// taskMain is the function at the bottom of every task's goroutine.
var taskMain = runtime.FuncForPC(reflect.ValueOf((*Task).main).Pointer()).Name()

// OnTaskGoroutine reports whether the caller runs on the goroutine of a
// task (a cell's or a background one). Only the task holding a loop's
// baton runs, so on the kernel loop a true answer from running code means
// "the task the loop is stepping" — or one the loop gave up on. It walks
// the caller's whole stack: it is meant for rare paths (an interrupt is
// pending), not hot ones.
func OnTaskGoroutine() bool {
	var buf, prev [64]uintptr
	skip, n := 1, 0
	for {
		n = runtime.Callers(skip, buf[:])
		if n < len(buf) {
			break
		}
		prev = buf
		skip += n
	}
	// The goroutine's bottom frames: the last batch, after the previous
	// one when the last is short.
	var pcs []uintptr
	if skip > 1 {
		pcs = append(pcs, prev[:]...)
	}
	pcs = append(pcs, buf[:n]...)
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function == taskMain {
			return true
		}
		if !more {
			return false
		}
	}
}
