package asyncio

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goawait/goawait/autoawait/asyncio/timeline"
	"github.com/goawait/goawait/internal/goid"
)

// Options configures a Runtime.
type Options struct {
	// Switch is called, holding the baton, whenever code of a different
	// owner than the previous code is about to run (a cell's publisher, as
	// given to RunCell). Owners must be comparable values.
	Switch func(owner any)
	// Report receives warnings (never-awaited coroutines, task failures
	// nobody read, panics in callbacks) for the stderr of owner's cell.
	// Nil writes them to os.Stderr.
	Report func(owner any, text string)
	// TailFrame, when set, is called when a failure or a cancellation
	// ends a tail coroutine (NewTailCoroutine) whose body had already
	// returned what it awaited, so that the failure never passed through
	// the body: name is the coroutine's, at its last await's "cell[N]:L",
	// the frame a traceback would show.
	TailFrame func(name, at string)
	// FreeMemoryAfter is how many tasks (and their goroutines' stacks) a
	// session creates before RunCell gives the memory they left free back
	// to the operating system (debug.FreeOSMemory, a full garbage
	// collection), at the end of the cell that reaches it: after a gather
	// of 100,000 tasks the process would otherwise keep its peak size for
	// minutes. Zero means DefaultFreeMemoryAfter; negative, never.
	FreeMemoryAfter int
}

// DefaultFreeMemoryAfter is Options.FreeMemoryAfter's default. Giving
// memory back costs about 20 ms (2 cores): 40% of a cell gathering 10,000
// tasks, if every such cell paid it, but a few percent of the 0.5 s or
// more that making 50,000 tasks takes.
const DefaultFreeMemoryAfter = 50_000

// Runtime is the asyncio of one interpreter: its kernel loop, its task
// counter, the baton. It has no package-level state.
type Runtime struct {
	opts      Options
	epoch     time.Time
	taskSeq   uint64
	unfreed   int // tasks made since memory was last given back (see Options.FreeMemoryAfter)
	taskNames int
	cellSeq   int
	kernel    *EventLoop
	setLoop   *EventLoop

	// Owned by the baton holder.
	current     *Task               // task running now, nil in callbacks and drivers
	running     *EventLoop          // innermost running loop
	owner       any                 // owner of the code running now
	forceSwitch bool                // call Switch before the next code runs
	tl          *timeline.Recording // timeline of the cell running now, if any
	tlCell      *Task               // the cell tl records
	lastTL      *timeline.Recording // timeline of the last completed cell
	idle        []*worker           // workers waiting for a task (startTask)
	closing     bool                // the kernel loop shuts down: workers end

	mu       sync.Mutex // guards the fields below
	targets  []*Future  // what InterruptCell cancels, innermost last
	closed   bool
	driverUp bool

	// The goroutines of abandoned cells and tasks (goid.Self tokens),
	// replaced whole under mu and read without it; abandonedN counts them.
	abandonedGo atomic.Pointer[[]uintptr]
	abandonedN  atomic.Int32
}

// NewRuntime returns a runtime with its kernel loop (its scheduler
// goroutine starts with the first RunCell).
func NewRuntime(opts Options) *Runtime {
	rt := &Runtime{opts: opts, epoch: time.Now()}
	rt.kernel = newLoop(rt)
	rt.kernel.kernel = newKernelState()
	return rt
}

// switchTo records that code of owner o runs now and tells Options.Switch
// when o differs from the previous owner.
func (rt *Runtime) switchTo(o any) {
	if !rt.forceSwitch && o == rt.owner {
		return
	}
	rt.forceSwitch = false
	rt.owner = o
	if rt.opts.Switch != nil {
		rt.opts.Switch(o)
	}
}

func (rt *Runtime) report(owner any, text string) {
	if rt.opts.Report != nil {
		rt.opts.Report(owner, text)
		return
	}
	fmt.Fprintln(os.Stderr, text)
}

// Await is the rewritten form of "await x": x is a *Coroutine (run inline
// on the current task), a *Task or a *Future (park until done). It returns
// the results: len 0, 1 or n. Failures are re-panicked with the original
// value; cancellation arrives as a *CancelledError panic.
func (rt *Runtime) Await(x any) []any {
	rt.checkAbandoned()
	t := rt.current
	if t == nil {
		panic(&RuntimeError{Msg: "asyncio: await outside a running event loop (Await must be called from a task or a cell)"})
	}
	switch v := x.(type) {
	case *Coroutine:
		if v == nil {
			break
		}
		return v.run(t)
	case *Task:
		if v == nil {
			break
		}
		return rt.awaitFuture(t, &v.Future)
	case *Future:
		if v == nil {
			break
		}
		return rt.awaitFuture(t, v)
	}
	notAwaitable(x)
	return nil
}

//go:noinline
func notAwaitable(x any) {
	panic(&TypeError{Msg: fmt.Sprintf("object %T can't be used in 'await' expression", x)})
}

// AwaitAt is Await that also records site ("cell[N]:L") as where the
// awaiting coroutine is suspended, for Task.String.
func (rt *Runtime) AwaitAt(x any, site string) []any {
	t := rt.current
	switch {
	case t == nil:
	case t.top != nil:
		t.top.at = site
	case t.cell != nil:
		// Cleared only when the await returns: after a panic out of
		// it, CellAwaitSite says where the cell stopped.
		t.cell.at = site
		res := rt.Await(x)
		t.cell.at = ""
		return res
	}
	return rt.Await(x)
}

func (rt *Runtime) awaitFuture(t *Task, f *Future) []any {
	if f.state != statePending {
		return f.outcome("")
	}
	if f == &t.Future || f.loop != t.loop {
		badAwait(t, f)
	}
	t.park(f)
	if f.state == statePending {
		panic(&RuntimeError{Msg: "asyncio: task resumed before the awaited future was done"})
	}
	return f.outcome("")
}

// badAwait panics for a task awaiting itself or a future of another loop.
//
//go:noinline
func badAwait(t *Task, f *Future) {
	if f == &t.Future {
		panic(&RuntimeError{Msg: "Task cannot await on itself: " + t.String()})
	}
	panic(&RuntimeError{Msg: fmt.Sprintf("Task %s got Future %s attached to a different loop", t, f.self())})
}

// yield0 gives way once (Sleep(0)).
func (rt *Runtime) yield0() {
	rt.checkAbandoned()
	t := rt.current
	if t == nil {
		panic(&RuntimeError{Msg: "asyncio: await outside a running event loop (Await must be called from a task or a cell)"})
	}
	t.park(nil)
}

// runningLoop returns the loop running the caller or panics like
// asyncio.get_running_loop.
func (rt *Runtime) runningLoop() *EventLoop {
	if t := rt.current; t != nil {
		return t.loop
	}
	if rt.running != nil {
		return rt.running
	}
	panic(&RuntimeError{Msg: "no running event loop"})
}

func (rt *Runtime) pushTarget(f *Future) {
	rt.mu.Lock()
	rt.targets = append(rt.targets, f)
	rt.mu.Unlock()
}

func (rt *Runtime) removeTarget(f *Future) {
	rt.mu.Lock()
	for i := len(rt.targets) - 1; i >= 0; i-- {
		if rt.targets[i] == f {
			rt.targets = append(rt.targets[:i], rt.targets[i+1:]...)
			break
		}
	}
	rt.mu.Unlock()
}

// checkAbandoned parks forever a goroutine that AbandonCell gave up on and
// that came back into the runtime. It reads nothing the loop writes, so
// that such a goroutine parks before it can race with the loop, and costs
// an atomic load until a cell is abandoned, then a register read and a
// look at the (short) list of abandoned goroutines.
func (rt *Runtime) checkAbandoned() {
	if rt.abandonedN.Load() == 0 {
		return
	}
	me := goid.Self()
	for _, g := range *rt.abandonedGo.Load() {
		if g == me {
			// Parking goes through rt.mu, which every cell takes when
			// it starts: what this goroutine did since it woke up (a
			// cell's code may have read the loop's state making what it
			// awaits) happens before a cell that starts after it parked.
			rt.mu.Lock()
			//lint:ignore SA2001 the critical section is empty: only its ordering is wanted
			rt.mu.Unlock()
			select {}
		}
	}
}

// recordAbandoned adds goroutine g (a goid.Self token) to the abandoned
// ones (rt.mu held).
func (rt *Runtime) recordAbandoned(g uintptr) {
	var gs []uintptr
	if old := rt.abandonedGo.Load(); old != nil {
		gs = append(gs, *old...)
	}
	gs = append(gs, g)
	rt.abandonedGo.Store(&gs)
	rt.abandonedN.Add(1)
}
