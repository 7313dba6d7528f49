package interp

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/internal/goid"
	"github.com/goawait/goawait/interp/internal/stdlib"
)

// interruptSignal is the panic value that unwinds an interrupted cell.
type interruptSignal struct{}

func (interruptSignal) Error() string { return "interrupted" }

// gracePeriod is how long an interrupted cell may take to stop before it
// is abandoned.
const gracePeriod = time.Second

// runState tracks the running cell for interrupts.
type runState struct {
	interrupted atomic.Bool
	stoppedTask atomic.Bool    // the interrupt stopped a task holding the loop
	self        atomic.Uintptr // goid.Self token of the goroutine running the cell's code (0: none)
	published   atomic.Uint64
	compiling   atomic.Bool // the cell's goroutine compiles a statement chunk (see compileStarts)

	mu    sync.Mutex
	intr  chan struct{} // closed when the running cell is interrupted
	stuck chan struct{} // closed when, interrupted, the cell did not stop at once (see markStuck)
	stop  chan struct{} // closed at shutdown
	exit  chan int      // receives the status of os.Exit called by the cell
}

// stuckAfter is how long an interrupted cell may take before the task
// holding the event loop, if it is not the cell's, is interrupted too.
const stuckAfter = 100 * time.Millisecond

func newRunState() *runState {
	return &runState{intr: make(chan struct{}), stuck: make(chan struct{}), stop: make(chan struct{}), exit: make(chan int, 1)}
}

// begin prepares for a new cell.
func (r *runState) begin() {
	r.mu.Lock()
	r.interrupted.Store(false)
	r.stoppedTask.Store(false)
	r.intr = make(chan struct{})
	r.stuck = make(chan struct{})
	r.exit = make(chan int, 1)
	r.mu.Unlock()
}

// end forgets the cell.
func (r *runState) end() {
	r.self.Store(0)
	r.interrupted.Store(false)
}

// interrupt marks the running cell interrupted; it reports whether it did
// (false if already interrupted). Once an interrupted cell has ended, its
// channel stays closed until the next begin: an interrupt arriving in
// between (the second of two in a row) changes nothing.
func (r *runState) interrupt() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.intr:
		return false
	default:
	}
	r.interrupted.Store(true)
	close(r.intr)
	return true
}

// markStuck says the interrupted cell did not stop within stuckAfter: the
// event loop may be held by a background task that never awaits (a CPU
// loop, a time.Sleep), which then must stop as well — as in a notebook
// where KeyboardInterrupt hits whatever code runs — or the cell's
// cancellation never gets its turn and the task burns a core forever.
func (r *runState) markStuck() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.stuck:
	default:
		close(r.stuck)
	}
}

func (r *runState) stuckChan() chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stuck
}

// onStuckTask tells whether the caller runs a task's code while the
// interrupted cell is stuck: a task that runs then is the one holding the
// event loop (or one the loop gave up on).
func (r *runState) onStuckTask() bool {
	select {
	case <-r.stuckChan():
		if asyncio.OnTaskGoroutine() {
			r.stoppedTask.Store(true)
			return true
		}
	default:
	}
	return false
}

func (r *runState) interruptChan() chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.intr
}

func (r *runState) exitChan() chan int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.exit
}

// exit replaces os.Exit. Called by the cell's own code, it ends the cell
// as Go ends a program: no deferred call runs, since the goroutine stays
// parked for good (the session abandons it, as a stuck cell's) and the
// cell fails with "os.Exit(n) called". Called elsewhere (a goroutine the
// cell started), it panics with the status, which is reported.
func (r *runState) exitCell(code int) {
	if !r.onCellGoroutine() {
		panic(stdlib.ExitCode(code))
	}
	r.exitChan() <- code
	select {}
}

func (r *runState) shutdown() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
}

// publish is called by the cell's goroutine at the start of the code of
// each statement chunk, once yaegi compiled the chunk and prepared its
// frame (see published). It releases what that goroutine wrote so far, the
// interpreter's state included, for acquire.
//
// It is also where an interrupt that arrived while the chunk compiled
// stops the cell, before any of the chunk's statements runs.
func (r *runState) publish() {
	r.compiling.Store(false)
	r.published.Add(1)
	if r.interrupted.Load() {
		panic(interruptSignal{})
	}
}

// compileStarts is called by the cell's goroutine before yaegi compiles a
// statement chunk: until the chunk's publish (or the end of its Eval) the
// goroutine only compiles, which always ends and then stops at publish if
// the cell was interrupted. The session waits for that rather than
// abandoning the cell: an abandoned compile would go on changing the
// interpreter while later cells use it.
func (r *runState) compileStarts() { r.compiling.Store(true) }

// compileEnds is called by the cell's goroutine when a chunk's Eval
// returned.
func (r *runState) compileEnds() { r.compiling.Store(false) }

// acquire makes what the cell's goroutine wrote before its last publish
// happen before what the caller does next. The session calls it before
// abandoning a stuck cell: the goroutine stays parked, without ever
// handing the interpreter back, and the later cells (and the event loop,
// which synchronizes with AbandonCell's caller) must not race with the
// compilation it did before it got stuck.
func (r *runState) acquire() { r.published.Load() }

// onCellGoroutine tells whether the caller runs the cell's own code.
func (r *runState) onCellGoroutine() bool {
	g := r.self.Load()
	return g != 0 && g == goid.Self()
}

// checkpoint is called by instrumented loops: it unwinds the cell's
// goroutine while an interrupt is pending, and the task holding the event
// loop once the interrupted cell is stuck (see markStuck). The flag stays
// set until the cell ends, so a user recover() cannot swallow it for good.
func (r *runState) checkpoint() {
	if r.interrupted.Load() && (r.onCellGoroutine() || r.onStuckTask()) {
		panic(interruptSignal{})
	}
}

// sleep replaces time.Sleep: the cell's goroutine wakes up when
// interrupted, a task's when the interrupted cell is stuck (see
// markStuck); other goroutines sleep the full time.
func (r *runState) sleep(d time.Duration) {
	if d <= 0 {
		runtime.Gosched()
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	if !r.onCellGoroutine() {
		select {
		case <-t.C:
			return
		case <-r.stuckChan():
		}
		if asyncio.OnTaskGoroutine() {
			r.stoppedTask.Store(true)
			panic(interruptSignal{})
		}
		<-t.C
		return
	}
	select {
	case <-t.C:
	case <-r.interruptChan():
		panic(interruptSignal{})
	}
}
