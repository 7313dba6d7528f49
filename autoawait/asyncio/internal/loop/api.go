package asyncio

import "github.com/goawait/goawait/autoawait/asyncio/timeline"

// What the asyncio library (gather, wait, locks, queues, task groups,
// threads) needs from the loop beyond the cell-visible methods. These are
// functions, not methods: every exported method of a Future, Task or
// Coroutine is callable from cells.

// NewLibCoroutine makes a coroutine of the library, named name, whose
// body runs when it is awaited.
func NewLibCoroutine(rt *Runtime, name string, body func() []any) *Coroutine {
	return rt.newLibCoroutine(name, body)
}

// NewQuietCoroutine makes a library coroutine that is never reported as
// unawaited.
func NewQuietCoroutine(rt *Runtime, name string, body func() []any) *Coroutine {
	return rt.newQuietCoroutine(name, body)
}

// AwaitFuture parks task t (the current task) until f is done and returns
// f's results, re-panicking its failure.
func AwaitFuture(rt *Runtime, t *Task, f *Future) []any { return rt.awaitFuture(t, f) }

// Ensure turns x into a future on the loop running the caller (or
// GetEventLoop): coroutines become tasks.
func Ensure(rt *Runtime, x any) *Future { return rt.ensure(x) }

// EnsureOn turns x into a future of l: coroutines become tasks of l.
func EnsureOn(l *EventLoop, x any) *Future { return l.ensure(x) }

// Base returns the future underneath f (a task's own future).
func Base(f FutureLike) *Future { return f.base() }

// Self returns what f stands for to its users: its task, if f is a
// task's future, else f.
func Self(f *Future) FutureLike { return f.self() }

// LoopOf returns the loop f belongs to.
func LoopOf(f FutureLike) *EventLoop { return f.base().loop }

// SetWaitKind records what a task waiting on f waits for (timeline).
func SetWaitKind(f *Future, w timeline.Wait) { f.what = w }

// SetResults finishes the pending future f with results rs.
func SetResults(f *Future, rs []any) { f.setResults(rs) }

// SetFailure finishes the pending future f with the panic value p.
func SetFailure(f *Future, p any) { f.setFailure(p) }

// CopyFrom finishes f as src finished (results, failure or cancellation).
func CopyFrom(f, src *Future) { f.copyFrom(src) }

// SetCanceller makes cancel replace the plain cancellation of f.
func SetCanceller(f *Future, cancel func(msg string) bool) { f.canceller = cancel }

// OnDone calls fn on f's loop once f is done; the returned handle
// cancels the call.
func OnDone(f *Future, fn func()) *Handle { return f.onDone(fn) }

// Failed reports whether f finished with a failure (not a cancellation).
func Failed(f FutureLike) bool { return f.base().failed }

// Failure returns the panic value f failed with, without marking it read.
func Failure(f FutureLike) any { return f.base().failure }

// MarkRetrieved records that f's failure was read (it is not reported as
// never retrieved).
func MarkRetrieved(f FutureLike) { f.base().retrieved = true }

// Results returns the results f finished with.
func Results(f FutureLike) []any { return f.base().results }

// CancelMsg returns the message f was cancelled with.
func CancelMsg(f FutureLike) string { return f.base().cancelMsg }

// Live returns the unfinished tasks of l in creation order.
func Live(l *EventLoop) []*Task { return l.sortedLive() }

// Owner returns the owner of the code running now (whose output it is).
func Owner(rt *Runtime) any { return rt.owner }

// Post schedules fn on l from any goroutine, as owner's code; false when
// l is closed.
func Post(l *EventLoop, owner any, fn func()) bool {
	return l.post(handle{owner: owner, fn: fn})
}

// Report writes a warning for owner's cell (Options.Report).
func Report(rt *Runtime, owner any, text string) { rt.report(owner, text) }

// OwnerOf returns the owner of task t.
func OwnerOf(t *Task) any { return t.owner }

// Driving records on the timeline that t drives (or stops driving) a
// nested loop.
func Driving(t *Task, driving bool) { timelineDriving(t, driving) }

// UnwrapPanic turns a recovered value into the value the user panicked
// with.
func UnwrapPanic(p any) any { return unwrapPanic(p) }

// AsError presents a panic value as an error (*PanicError if it is not
// one).
func AsError(p any) error { return asError(p) }

// IsCancel reports whether p is a cancellation, and returns it.
func IsCancel(p any) (*CancelledError, bool) { return isCancel(p) }

// One returns results as one value: nil, the value, or the slice.
func One(rs []any) any { return one(rs) }

// Retrieved reports whether f's failure was read.
func Retrieved(f FutureLike) bool { return f.base().retrieved }

// Outcome returns the results of the done future f or re-panics its
// failure (a cancellation as *CancelledError), marking it read; a pending
// f panics *InvalidStateError with pendingMsg.
func Outcome(f *Future, pendingMsg string) []any { return f.outcome(pendingMsg) }
