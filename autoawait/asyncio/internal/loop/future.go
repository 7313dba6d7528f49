package asyncio

import (
	"fmt"
	"strings"

	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// FutureLike is what *Future and *Task have in common: a result that will
// be set once. Wait returns its done and pending sets as []FutureLike.
type FutureLike interface {
	// Done reports whether the result, failure or cancellation is set.
	Done() bool
	// Result returns the one-value result (see the package doc), re-panics
	// the failure, panics *CancelledError if cancelled, or
	// *InvalidStateError if not done.
	Result() any
	// Exception returns the failure as an error (nil if it succeeded),
	// panics *CancelledError if cancelled or *InvalidStateError if not done.
	Exception() error
	// Cancel requests cancellation; it reports false if already done.
	Cancel(msg ...string) bool
	// Cancelled reports whether it ended cancelled.
	Cancelled() bool
	// AddDoneCallback schedules fn (with CallSoon) once it is done.
	AddDoneCallback(fn func(FutureLike))
	// String describes it in asyncio's shape.
	String() string

	base() *Future
}

type futState uint8

const (
	statePending futState = iota
	stateFinished
	stateCancelled
)

// Future is a result that will be set once, bound to an event loop.
// Awaiting it parks the current task until it is done.
type Future struct {
	loop      *EventLoop
	state     futState
	what      timeline.Wait // what a task waiting on it waits for (timeline)
	failed    bool
	retrieved bool
	results   []any
	failure   any
	cancelMsg string
	callbacks []handle
	task      *Task                 // the Task embedding this Future, if any
	canceller func(msg string) bool // replaces the plain cancel (tasks, gather)
	timer     *Handle               // a sleep's timer, removed when cancelled
}

func (f *Future) base() *Future { return f }

// self returns the object users know: the Task for a task's Future.
func (f *Future) self() FutureLike {
	if f.task != nil {
		return f.task
	}
	return f
}

// Done reports whether the future has a result, a failure or is cancelled.
func (f *Future) Done() bool { return f.state != statePending }

// Cancelled reports whether the future was cancelled.
func (f *Future) Cancelled() bool { return f.state == stateCancelled }

// Result returns the result as one value: nil for no results, the value
// for one, a []any for several. It re-panics the failure with the original
// value, panics *CancelledError if cancelled and *InvalidStateError if the
// future is not done.
func (f *Future) Result() any { return one(f.outcome("Result is not set.")) }

// outcome returns the raw results, or panics as Result does.
func (f *Future) outcome(pendingMsg string) []any {
	switch f.state {
	case statePending:
		panic(&InvalidStateError{Msg: pendingMsg})
	case stateCancelled:
		panic(&CancelledError{Msg: f.cancelMsg})
	}
	f.retrieved = true
	if f.failed {
		panic(f.failure)
	}
	return f.results
}

// Exception returns the failure as an error (a panic value that is not an
// error comes as *PanicError), nil when the future succeeded. It panics
// *CancelledError if cancelled and *InvalidStateError if not done.
func (f *Future) Exception() error {
	switch f.state {
	case statePending:
		panic(&InvalidStateError{Msg: "Exception is not set."})
	case stateCancelled:
		panic(&CancelledError{Msg: f.cancelMsg})
	}
	f.retrieved = true
	if f.failed {
		return asError(f.failure)
	}
	return nil
}

// Cancel cancels the future and schedules its callbacks. It reports false
// if the future is already done. For a task it requests cancellation of the
// task (see Task.Cancel).
func (f *Future) Cancel(msg ...string) bool {
	m := strings.Join(msg, " ")
	if f.task != nil {
		return f.task.cancel(m)
	}
	if f.canceller != nil {
		return f.canceller(m)
	}
	return f.cancel(m)
}

func (f *Future) cancel(msg string) bool {
	if f.state != statePending {
		return false
	}
	if f.timer != nil {
		f.timer.Cancel()
	}
	f.state = stateCancelled
	f.cancelMsg = msg
	f.scheduleCallbacks()
	return true
}

// SetResult marks the future done with the one result v and schedules its
// callbacks. It panics *InvalidStateError if the future is already done.
func (f *Future) SetResult(v any) {
	if f.state != statePending {
		panic(&InvalidStateError{Msg: "invalid state: " + f.String()})
	}
	f.setResults([]any{v})
}

// SetException marks the future failed with err (awaiting it panics with
// err) and schedules its callbacks. It panics *InvalidStateError if the
// future is already done.
func (f *Future) SetException(err error) {
	if f.state != statePending {
		panic(&InvalidStateError{Msg: "invalid state: " + f.String()})
	}
	f.setFailure(err)
}

func (f *Future) setResults(rs []any) {
	f.state = stateFinished
	f.results = rs
	f.scheduleCallbacks()
}

func (f *Future) setFailure(p any) {
	f.state = stateFinished
	f.failed = true
	f.failure = p
	f.scheduleCallbacks()
}

// copyFrom settles f with the outcome of src (which is done).
func (f *Future) copyFrom(src *Future) {
	switch {
	case src.state == stateCancelled:
		f.cancel(src.cancelMsg)
	case src.failed:
		src.retrieved = true
		f.setFailure(src.failure)
	default:
		f.setResults(src.results)
	}
}

// AddDoneCallback arranges for fn(f) to run (scheduled with CallSoon, in
// registration order) when the future is done; at once (scheduled) if it
// already is. Tasks pass themselves to fn.
func (f *Future) AddDoneCallback(fn func(FutureLike)) {
	me := f.self()
	f.addCallback(handle{fn: func() { fn(me) }, owner: f.loop.rt.owner})
}

// addCallback registers a scheduled callback or task wakeup.
func (f *Future) addCallback(h handle) {
	if f.state != statePending {
		f.loop.schedule(h)
		return
	}
	f.callbacks = append(f.callbacks, h)
}

// onDone registers an internal callback that can be removed with the
// returned Handle.
func (f *Future) onDone(fn func()) *Handle {
	ref := &Handle{}
	f.addCallback(handle{fn: fn, owner: f.loop.rt.owner, ref: ref})
	return ref
}

func (f *Future) scheduleCallbacks() {
	cbs := f.callbacks
	f.callbacks = nil
	for _, h := range cbs {
		f.loop.schedule(h)
	}
}

// String describes the future: "<Future pending>", "<Future cancelled>",
// "<Future finished result=V>" or "<Future finished exception=E>".
func (f *Future) String() string { return "<Future " + f.stateString() + ">" }

func (f *Future) stateString() string {
	switch {
	case f.state == statePending:
		return "pending"
	case f.state == stateCancelled:
		return "cancelled"
	case f.failed:
		return fmt.Sprintf("finished exception=%v", f.failure)
	default:
		return fmt.Sprintf("finished result=%v", one(f.results))
	}
}

// one turns raw results into the one-value convention.
func one(rs []any) any {
	switch len(rs) {
	case 0:
		return nil
	case 1:
		return rs[0]
	default:
		return rs
	}
}
