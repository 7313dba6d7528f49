package asyncio

import (
	"fmt"
	"reflect"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// Gather runs the awaitables xs concurrently (coroutines become tasks)
// and returns a future whose one result is a []any of their one-value
// results in argument order. The first failure (or cancellation) of a
// child fails the gather at once (the others keep running); cancelling the
// gather cancels the children.
func (rt *Runtime) Gather(xs ...any) *Future { return rt.gather(xs, false) }

// GatherReturnExceptions is Gather that puts failures in place as error
// values (*CancelledError for a cancelled child, *PanicError for a
// non-error panic) instead of failing.
func (rt *Runtime) GatherReturnExceptions(xs ...any) *Future { return rt.gather(xs, true) }

func (rt *Runtime) gather(xs []any, retExc bool) *Future {
	if len(xs) == 0 {
		f := rt.GetEventLoop().CreateFuture()
		loop.SetResults(f, []any{[]any{}})
		return f
	}
	children := make([]*Future, len(xs))
	for i, x := range xs {
		children[i] = loop.Ensure(rt.Runtime, x)
	}
	return gatherFutures(loop.LoopOf(children[0]), children, retExc)
}

// gatherOn is Gather on futures and tasks of l.
func gatherOn(l *EventLoop, xs []any, retExc bool) *Future {
	children := make([]*Future, len(xs))
	for i, x := range xs {
		children[i] = loop.EnsureOn(l, x)
	}
	return gatherFutures(l, children, retExc)
}

func gatherFutures(l *EventLoop, children []*Future, retExc bool) *Future {
	outer := l.CreateFuture()
	loop.SetWaitKind(outer, timeline.OnGather)
	cancelRequested := false
	var unique, done []*Future
	seen := make(map[*Future]bool, len(children))
	for _, f := range children {
		if !seen[f] {
			seen[f] = true
			unique = append(unique, f)
		}
	}
	nfinished := 0
	onChild := func(f *Future) {
		nfinished++
		if outer.Done() {
			if !f.Cancelled() {
				loop.MarkRetrieved(f)
			}
			return
		}
		if !retExc {
			if f.Cancelled() {
				loop.SetFailure(outer, &CancelledError{Msg: loop.CancelMsg(f)})
				return
			}
			if loop.Failed(f) {
				loop.MarkRetrieved(f)
				loop.SetFailure(outer, loop.Failure(f))
				return
			}
		}
		if nfinished < len(unique) {
			return
		}
		res := make([]any, len(children))
		for i, c := range children {
			switch {
			case c.Cancelled():
				res[i] = &CancelledError{Msg: loop.CancelMsg(c)}
			case loop.Failed(c):
				loop.MarkRetrieved(c)
				res[i] = loop.AsError(loop.Failure(c))
			default:
				res[i] = loop.One(loop.Results(c))
			}
		}
		if cancelRequested {
			loop.SetFailure(outer, &CancelledError{})
			return
		}
		loop.SetResults(outer, []any{res})
	}
	for _, f := range unique {
		if loop.LoopOf(f) != l {
			panic(&RuntimeError{Msg: "Gather: awaitables belong to different event loops"})
		}
		if f.Done() {
			done = append(done, f)
			continue
		}
		loop.OnDone(f, func() { onChild(f) })
	}
	loop.SetCanceller(outer, func(msg string) bool {
		if outer.Done() {
			return false
		}
		ret := false
		for _, c := range unique {
			if c.Cancel(msg) {
				ret = true
			}
		}
		if ret {
			cancelRequested = true
		}
		return ret
	})
	for _, f := range done {
		onChild(f)
	}
	return outer
}

// toSlice accepts any slice or array of awaitables.
func toSlice(xs any) []any {
	if s, ok := xs.([]any); ok {
		return s
	}
	v := reflect.ValueOf(xs)
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		panic(&TypeError{Msg: fmt.Sprintf("expected a slice of awaitables, got %T", xs)})
	}
	out := make([]any, v.Len())
	for i := range out {
		out[i] = v.Index(i).Interface()
	}
	return out
}

// uniqueFutures ensures every x and drops repeats, keeping first order.
func (rt *Runtime) uniqueFutures(items []any) []*Future {
	seen := make(map[*Future]bool, len(items))
	fs := make([]*Future, 0, len(items))
	for _, x := range items {
		f := loop.Ensure(rt.Runtime, x)
		if !seen[f] {
			seen[f] = true
			fs = append(fs, f)
		}
	}
	return fs
}
