package asyncio

import (
	"fmt"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// WaitMode says when Wait returns.
type WaitMode int

// Wait modes, as asyncio's FIRST_COMPLETED, FIRST_EXCEPTION and
// ALL_COMPLETED.
const (
	FirstCompleted WaitMode = iota + 1
	FirstException
	AllCompleted
)

// String returns the mode's name.
func (m WaitMode) String() string {
	switch m {
	case FirstCompleted:
		return "FirstCompleted"
	case FirstException:
		return "FirstException"
	case AllCompleted:
		return "AllCompleted"
	}
	return fmt.Sprintf("WaitMode(%d)", int(m))
}

// Wait returns a coroutine that runs the awaitables of the slice xs
// (coroutines become tasks) and, awaited, returns two results: done and
// pending, each a []FutureLike in argument order. opts holds, in any
// order, a WaitMode (default AllCompleted) and a time.Duration timeout;
// when the timeout passes Wait returns what is done so far, failing and
// cancelling nothing.
func (rt *Runtime) Wait(xs any, opts ...any) *Coroutine {
	items := toSlice(xs)
	mode := AllCompleted
	timeout, hasTimeout := time.Duration(0), false
	for _, o := range opts {
		switch v := o.(type) {
		case WaitMode:
			mode = v
		case time.Duration:
			timeout, hasTimeout = v, true
		default:
			panic(&TypeError{Msg: fmt.Sprintf("Wait: option %v (%T) is neither a WaitMode nor a time.Duration", o, o)})
		}
	}
	return loop.NewLibCoroutine(rt.Runtime, "Wait", func() []any {
		if len(items) == 0 {
			panic(&ValueError{Msg: "Set of Tasks/Futures is empty."})
		}
		fs := rt.uniqueFutures(items)
		t := rt.CurrentTask()
		l := loop.LoopOf(t)
		waiter := l.CreateFuture()
		loop.SetWaitKind(waiter, timeline.OnWait)
		release := func() {
			if !waiter.Done() {
				loop.SetResults(waiter, nil)
			}
		}
		var th *Handle
		if hasTimeout {
			th = l.CallLater(timeout, release)
		}
		counter := len(fs)
		refs := make([]*Handle, len(fs))
		for i, f := range fs {
			refs[i] = loop.OnDone(f, func() {
				counter--
				if counter <= 0 || mode == FirstCompleted ||
					mode == FirstException && !f.Cancelled() && f.Exception() != nil {
					if th != nil {
						th.Cancel()
					}
					release()
				}
			})
		}
		defer func() {
			if th != nil {
				th.Cancel()
			}
			for _, r := range refs {
				r.Cancel()
			}
		}()
		loop.AwaitFuture(rt.Runtime, t, waiter)
		done, pending := []FutureLike{}, []FutureLike{}
		for _, f := range fs {
			if f.Done() {
				done = append(done, loop.Self(f))
			} else {
				pending = append(pending, loop.Self(f))
			}
		}
		return []any{done, pending}
	})
}

// WaitFor returns a coroutine that awaits x with a deadline d and returns
// x's results; when d passes first, the current await inside x is
// cancelled (a task x is cancelled), and WaitFor fails with *TimeoutError
// once x has finished cancelling.
func (rt *Runtime) WaitFor(x any, d time.Duration) *Coroutine {
	return loop.NewLibCoroutine(rt.Runtime, "WaitFor", func() []any {
		if d > 0 {
			return rt.underTimeout(d, x)
		}
		f := loop.Ensure(rt.Runtime, x)
		if f.Done() {
			return loop.Outcome(f, "")
		}
		rt.cancelAndWait(f)
		if f.Cancelled() {
			panic(&TimeoutError{})
		}
		return loop.Outcome(f, "")
	})
}

// cancelAndWait cancels f and waits until it is done.
func (rt *Runtime) cancelAndWait(f *Future) {
	t := rt.CurrentTask()
	waiter := loop.LoopOf(t).CreateFuture()
	loop.SetWaitKind(waiter, timeline.OnCancel)
	ref := loop.OnDone(f, func() {
		if !waiter.Done() {
			loop.SetResults(waiter, nil)
		}
	})
	defer func() { ref.Cancel() }()
	f.Cancel()
	loop.AwaitFuture(rt.Runtime, t, waiter)
}

// Timeout returns a coroutine that awaits x (inline when x is a
// coroutine, as "async with asyncio.timeout(d): await x") and returns its
// results; when d passes first, the current task is cancelled at its
// current await inside x and the cancellation comes out of Timeout as a
// *TimeoutError.
func (rt *Runtime) Timeout(d time.Duration, x any) *Coroutine {
	return loop.NewLibCoroutine(rt.Runtime, "Timeout", func() []any { return rt.underTimeout(d, x) })
}

func (rt *Runtime) underTimeout(d time.Duration, x any) (res []any) {
	t := rt.CurrentTask()
	l := loop.LoopOf(t)
	expired := false
	h := l.CallLater(d, func() {
		expired = true
		t.Cancel()
	})
	defer func() {
		h.Cancel()
		if p := recover(); p != nil {
			if _, ok := loop.IsCancel(loop.UnwrapPanic(p)); ok && expired {
				panic(&TimeoutError{})
			}
			panic(p)
		}
	}()
	return rt.Await(x)
}

// Shield returns a future that follows x (a coroutine becomes a task)
// but whose cancellation does not cancel x.
func (rt *Runtime) Shield(x any) *Future {
	inner := loop.Ensure(rt.Runtime, x)
	if inner.Done() {
		return inner
	}
	outer := loop.LoopOf(inner).CreateFuture()
	loop.SetWaitKind(outer, timeline.OnShield)
	ref := loop.OnDone(inner, func() {
		if outer.Cancelled() {
			return
		}
		loop.CopyFrom(outer, inner)
	})
	loop.OnDone(outer, func() {
		if !inner.Done() {
			ref.Cancel()
		}
	})
	return outer
}

// AsCompleted runs the awaitables of the slice xs (coroutines become
// tasks) and returns one coroutine per input: the i-th, awaited, returns
// the results of the i-th input to complete (or re-panics its failure).
func (rt *Runtime) AsCompleted(xs any) []*Coroutine {
	fs := rt.uniqueFutures(toSlice(xs))
	if len(fs) == 0 {
		return nil
	}
	l := loop.LoopOf(fs[0])
	waiters := make([]*Future, len(fs))
	for i := range waiters {
		waiters[i] = l.CreateFuture()
		loop.SetWaitKind(waiters[i], timeline.OnAsCompleted)
	}
	next := 0
	for _, f := range fs {
		loop.OnDone(f, func() {
			w := waiters[next]
			next++
			loop.CopyFrom(w, f)
		})
	}
	coros := make([]*Coroutine, len(fs))
	for i, w := range waiters {
		coros[i] = loop.NewQuietCoroutine(rt.Runtime, "AsCompleted", func() []any { return rt.Await(w) })
	}
	return coros
}
