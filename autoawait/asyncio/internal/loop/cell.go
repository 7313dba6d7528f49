package asyncio

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/goawait/goawait/internal/goid"
)

// maxDrainPasses bounds how long RunCell keeps the loop running after the
// cell's own code ended, for background tasks that never stop being ready.
const maxDrainPasses = 1000

// kernelState is what only the kernel loop has. The scheduler goroutine
// owns it, except the fields guarded by Runtime.mu (which AbandonCell
// reads from any goroutine) and cellsAlive.
type kernelState struct {
	finishing  []*Task // cell tasks that ended, waiting for the loop to idle
	passes     int
	cellsAlive atomic.Int32
	closeReq   bool
	done       chan struct{}

	// abandonWake tells kernelStep that AbandonCell recorded a request
	// (a token may be stale: the request is checked under Runtime.mu).
	abandonWake chan struct{}

	// Guarded by Runtime.mu.
	stepping   *Task  // the task holding the baton, nil between steps
	stepSeq    uint64 // number of the current (or last) step
	abandonReq uint64 // stepSeq that AbandonCell gave up on (0: none)
}

func newKernelState() *kernelState {
	return &kernelState{abandonWake: make(chan struct{}, 1), done: make(chan struct{})}
}

// cellRun is the extra state of a cell's task.
type cellRun struct {
	created []*Coroutine
	idle    chan struct{}
	self    uintptr // the goid.Self token of the cell's goroutine
	free    bool    // give free memory back when the cell is done (Options.FreeMemoryAfter)
	at      string  // the site of the await the cell's code is in (AwaitAt)
}

// CellAwaitSite returns the "cell[N]:L" of the await the running cell's
// own code is in, "" when it is in none: after a panic came out of an
// await, the line where the cell stopped (a traceback's cell frame). Call
// it from the cell's code.
func (rt *Runtime) CellAwaitSite() string {
	if t := rt.current; t != nil && t.cell != nil {
		return t.cell.at
	}
	return ""
}

// RunCell runs fn on the calling goroutine as a new task of the kernel
// loop, owned by owner: it waits for the baton, runs fn, then lets the loop
// run every ready task (not future timers) until none is ready, then
// returns. The error is fn's panic (as an error; *CancelledError after
// InterruptCell), nil if fn returned. Safe from any goroutine; cells run
// one at a time in call order.
func (rt *Runtime) RunCell(owner any, fn func()) error {
	return rt.RunCellOn(owner, goid.Self(), fn)
}

// RunCellOn is RunCell for a caller that knows its own goroutine's
// goid.Self token, self (Self costs microseconds where goid.Fast is
// false): a session that runs every cell on one goroutine reads it once.
func (rt *Runtime) RunCellOn(owner any, self uintptr, fn func()) error {
	l := rt.kernel
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return errors.New("asyncio: RunCell on a closed runtime")
	}
	if !rt.driverUp {
		rt.driverUp = true
		go l.drive()
	}
	rt.mu.Unlock()

	cr := &cellRun{idle: make(chan struct{}), self: self}
	t := &Task{owner: owner, cell: cr, resume: make(chan struct{}), started: true}
	t.loop = l
	t.task = t
	l.kernel.cellsAlive.Add(1)
	rt.pushTarget(&t.Future)
	defer rt.removeTarget(&t.Future)
	if !l.post(handle{task: t}) {
		l.kernel.cellsAlive.Add(-1)
		return errors.New("asyncio: RunCell on a closed runtime")
	}
	<-t.resume // the scheduler admitted the cell (admitCell): it holds the baton
	err := t.runCell(fn)
	<-cr.idle
	if cr.free {
		debug.FreeOSMemory()
	}
	return err
}

// admitCell numbers and registers a cell's task on the scheduler
// goroutine, just before the cell first gets the baton: the loop's
// bookkeeping is never written by a cell's goroutine before it holds the
// baton, and a cell stuck for good has written none of it.
func (l *EventLoop) admitCell(t *Task) {
	rt := l.rt
	rt.cellSeq++
	rt.taskSeq++
	t.id = rt.taskSeq
	t.name = fmt.Sprintf("Cell-%d", rt.cellSeq)
	l.live[t] = struct{}{}
	rt.startTimeline(t)
}

// runCell runs fn holding the baton and hands the baton back at the end.
func (t *Task) runCell(fn func()) (err error) {
	l := t.loop
	normal := false
	defer func() {
		var p any
		if !normal {
			p = unwrapPanic(recover())
		}
		if !t.handBack() {
			select {} // abandoned: never touch the loop again
		}
		delete(l.live, t)
		switch c, cancelled := isCancel(p); {
		case normal:
			t.setResults(nil)
		case p == nil:
			t.Future.cancel("")
			err = &CancelledError{}
		case cancelled:
			t.Future.cancel(c.Msg)
			err = c
		default:
			t.retrieved = true
			t.setFailure(p)
			err = asError(p)
		}
		l.kernel.finishing = append(l.kernel.finishing, t)
		l.kernel.cellsAlive.Add(-1)
		l.back <- struct{}{}
	}()
	if t.mustCancel {
		t.mustCancel = false
		panic(&CancelledError{Msg: t.cancelReq})
	}
	fn()
	normal = true
	return nil
}

// InterruptCell cancels what the running cell waits for: the cell's task
// (or the main task of a Run it is inside), at its current Await. It never
// blocks; a cell busy without awaiting is cancelled at its next Await.
func (rt *Runtime) InterruptCell() {
	rt.mu.Lock()
	var f *Future
	if n := len(rt.targets); n > 0 {
		f = rt.targets[n-1]
	}
	rt.mu.Unlock()
	if f != nil {
		f.loop.post(handle{fn: func() { f.Cancel() }})
	}
}

// AbandonCell gives up on the goroutine holding the kernel loop's baton
// (a cell stuck in a call that cannot be interrupted): its task is
// cancelled, the loop and later cells go on, and if that goroutine ever
// comes back into the runtime (an Await, a Sleep(0), a loop step, the end
// of its task or cell) it is parked forever, whether it ran a cell or a
// background task. It never blocks.
//
// If the goroutine hands the baton back before the scheduler acts on the
// request, the request is dropped. A request never outlives the step it
// was made in: it cannot hit a later step of the same task.
//
// It is meant for a goroutine stuck outside the runtime. The loop goes on
// after synchronizing with the caller of AbandonCell, not with the stuck
// goroutine: what that goroutine did before it got stuck happens before
// what the loop does next only if the caller synchronized with it first
// (the interp session has each cell publish its state before the cell's
// statements run). A goroutine abandoned while it still runs (not stuck)
// races with the loop if it calls the runtime before its next Await or
// the end of its task, where it parks.
func (rt *Runtime) AbandonCell() {
	ks := rt.kernel.kernel
	rt.mu.Lock()
	stuck := ks.stepping != nil
	if stuck {
		ks.abandonReq = ks.stepSeq
	}
	rt.mu.Unlock()
	if stuck {
		select {
		case ks.abandonWake <- struct{}{}:
		default: // a token is pending: kernelStep will see the request
		}
	}
}

// kernelStep resumes t on the kernel loop and waits for it to give the
// baton back, or for AbandonCell to give up on it.
func (l *EventLoop) kernelStep(t *Task) {
	rt, ks := l.rt, l.kernel
	if t.cell != nil && t.id == 0 {
		l.admitCell(t)
	}
	rt.mu.Lock()
	ks.stepping = t
	ks.stepSeq++
	seq := ks.stepSeq
	rt.mu.Unlock()
	l.resumeTask(t)
	for waiting := true; waiting; {
		select {
		case <-l.back:
			waiting = false
		case <-ks.abandonWake:
			rt.mu.Lock()
			asked := ks.abandonReq == seq
			rt.mu.Unlock()
			// The task's goroutine may be handing the baton back right
			// now: then it wins and the request is dropped.
			if asked && t.baton.CompareAndSwap(batonHeld, batonAbandoned) {
				l.abandonTask(t)
				waiting = false
			}
		}
	}
	rt.mu.Lock()
	ks.stepping = nil
	rt.mu.Unlock()
}

// abandonTask forgets t, whose goroutine will never hand the baton back
// (t.baton is batonAbandoned: that goroutine parks if it ever returns).
func (l *EventLoop) abandonTask(t *Task) {
	rt := l.rt
	rt.mu.Lock()
	switch g := t.self.Load(); {
	case t.cell != nil:
		rt.recordAbandoned(t.cell.self)
	case g != 0:
		rt.recordAbandoned(g)
	}
	rt.mu.Unlock()
	if t.cell != nil {
		rt.removeTarget(&t.Future)
		l.kernel.cellsAlive.Add(-1)
	}
	delete(l.live, t)
	t.Future.cancel("abandoned")
}

// drive is the kernel loop's scheduler goroutine.
func (l *EventLoop) drive() {
	rt := l.rt
	l.running = true
	rt.running = l
	for !l.kernel.closeReq {
		l.runOnce()
	}
	l.shutdown()
}

// kernelIdle runs when the kernel loop has nothing ready: cells that ended
// are completed (reports, then RunCell returns) and, when no cell runs,
// unread task failures are reported.
func (l *EventLoop) kernelIdle() {
	if len(l.kernel.finishing) > 0 {
		l.finishCells()
	}
	if l.kernel.cellsAlive.Load() == 0 {
		l.flushUnretrieved()
	}
}

func (l *EventLoop) kernelPassDone() {
	ks := l.kernel
	if len(ks.finishing) == 0 {
		return
	}
	ks.passes++
	if ks.passes >= maxDrainPasses {
		l.finishCells()
	}
}

// freeMemoryAfter is Options.FreeMemoryAfter with its default.
func (rt *Runtime) freeMemoryAfter() int {
	if rt.opts.FreeMemoryAfter == 0 {
		return DefaultFreeMemoryAfter
	}
	return rt.opts.FreeMemoryAfter
}

func (l *EventLoop) finishCells() {
	rt, ks := l.rt, l.kernel
	cells := ks.finishing
	ks.finishing, ks.passes = nil, 0
	for _, t := range cells {
		for _, c := range t.cell.created {
			if c.unawaited() {
				c.quiet = true
				rt.report(t.owner, c.neverAwaitedText())
			}
		}
		t.cell.created = nil
		rt.timelineCellDone(t)
	}
	if after := rt.freeMemoryAfter(); after > 0 && len(cells) > 0 && rt.unfreed >= after {
		rt.unfreed = 0
		cells[len(cells)-1].cell.free = true
	}
	l.flushUnretrieved()
	rt.forceSwitch = true
	for _, t := range cells {
		close(t.cell.idle)
	}
}

// Close cancels every task of the kernel loop, lets them finish (killing
// those that refuse after a grace period), stops the scheduler goroutine
// and waits for it (at most 5 s, then it returns an error).
func (rt *Runtime) Close() error {
	rt.mu.Lock()
	if rt.closed {
		rt.mu.Unlock()
		return nil
	}
	rt.closed = true
	up := rt.driverUp
	rt.mu.Unlock()
	l := rt.kernel
	if !up {
		l.mu.Lock()
		l.inboxClosed = true
		l.mu.Unlock()
		l.closed = true
		return nil
	}
	l.post(handle{fn: func() { l.kernel.closeReq = true }})
	select {
	case <-l.kernel.done:
		return nil
	case <-time.After(5 * time.Second):
		return errors.New("asyncio: the kernel loop did not stop within 5s (a task holds the baton)")
	}
}

// shutdown runs on the scheduler goroutine after a close request.
func (l *EventLoop) shutdown() {
	ks := l.kernel
	l.maxWait = 10 * time.Millisecond
	for _, t := range l.sortedLive() {
		t.Cancel()
	}
	deadline := time.Now().Add(250 * time.Millisecond)
	for pass := 0; len(l.live) > 0 && pass < 200 && time.Now().Before(deadline); pass++ {
		l.runOnce()
	}
	l.killAll()
	l.rt.stopWorkers()
	l.finishCells()
	l.flushUnretrieved()
	l.mu.Lock()
	l.inboxClosed = true
	l.inbox = nil
	l.mu.Unlock()
	l.closed = true
	l.running = false
	if l.clock != nil {
		l.clock.Stop()
	}
	close(ks.done)
}
