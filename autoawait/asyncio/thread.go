package asyncio

import (
	"fmt"
	"reflect"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// ToThread returns a coroutine that, awaited, calls fn(args...) on a new
// goroutine, off the loop, and returns fn's results (re-panicking its
// panic). The loop keeps running other tasks meanwhile; cancelling the
// awaiting task does not stop fn. fn may be any func value, interpreted
// ones included (called through reflect), but it runs without the baton:
// it must not touch the loop or share interpreted state with running
// tasks.
func (rt *Runtime) ToThread(fn any, args ...any) *Coroutine {
	fv := reflect.ValueOf(fn)
	if fv.Kind() != reflect.Func || fv.IsNil() {
		panic(&TypeError{Msg: fmt.Sprintf("ToThread: a func is required, got %T", fn)})
	}
	in := callArgs(fv.Type(), args)
	return loop.NewLibCoroutine(rt.Runtime, "ToThread", func() []any {
		t := rt.CurrentTask()
		l := loop.LoopOf(t)
		f := l.CreateFuture()
		loop.SetWaitKind(f, timeline.OnThread)
		owner := loop.Owner(rt.Runtime)
		go func() {
			res, p, failed := callFunc(fv, in)
			loop.Post(l, owner, func() {
				if f.Done() {
					return
				}
				if failed {
					loop.SetFailure(f, p)
				} else {
					loop.SetResults(f, res)
				}
			})
		}()
		return loop.AwaitFuture(rt.Runtime, t, f)
	})
}

// callArgs converts args to the parameter types of ft.
func callArgs(ft reflect.Type, args []any) []reflect.Value {
	n := ft.NumIn()
	if ft.IsVariadic() && len(args) < n-1 || !ft.IsVariadic() && len(args) != n {
		panic(&TypeError{Msg: fmt.Sprintf("ToThread: %s takes %d arguments, got %d", ft, n, len(args))})
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var pt reflect.Type
		if ft.IsVariadic() && i >= n-1 {
			pt = ft.In(n - 1).Elem()
		} else {
			pt = ft.In(i)
		}
		if a == nil {
			in[i] = reflect.Zero(pt)
			continue
		}
		v := reflect.ValueOf(a)
		switch {
		case v.Type().AssignableTo(pt):
		case v.Type().ConvertibleTo(pt):
			v = v.Convert(pt)
		default:
			panic(&TypeError{Msg: fmt.Sprintf("ToThread: argument %d is %s, want %s", i+1, v.Type(), pt)})
		}
		in[i] = v
	}
	return in
}

// callFunc calls fv, catching a panic.
func callFunc(fv reflect.Value, in []reflect.Value) (res []any, p any, failed bool) {
	defer func() {
		if r := recover(); r != nil {
			p, failed = loop.UnwrapPanic(r), true
		}
	}()
	outs := fv.Call(in)
	res = make([]any, len(outs))
	for i, o := range outs {
		res[i] = o.Interface()
	}
	return res, nil, false
}
