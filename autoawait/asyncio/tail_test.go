package asyncio

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
)

// tailCo makes a tail coroutine as the rewriter makes one for
//
//	async func name() { prefix(); await x }
//
// where prefix returns x (nil: the body returned early).
func tailCo(rt *Runtime, name string, prefix func() any) *Coroutine {
	return rt.NewTailCoroutine(name, "t:"+name, "t:"+name+":2", prefix)
}

func TestTailTaskWaitsWithoutItsGoroutine(t *testing.T) {
	rt, o := newRT(t)
	const n = 2000
	before := runtime.NumGoroutine()
	mainOf(rt, func() {
		var ts []any
		for i := range n {
			ts = append(ts, rt.CreateTask(tailCo(rt, "nap", func() any {
				if i == 0 {
					o.say("first prefix ran")
				}
				return rt.Sleep(unit)
			})))
		}
		rt.Await(rt.Sleep(0))
		rt.Await(rt.Sleep(0)) // every task ran its prefix and waits
		parked := runtime.NumGoroutine() - before
		o.say("pending: ", !ts[0].(*Task).Done(), " ", ts[0])
		if parked > n/10 {
			t.Errorf("%d goroutines while %d tail tasks wait; want none per task", parked, n)
		}
		res := rt.Await(rt.Gather(ts...))[0].([]any)
		o.say(len(res), " results, first ", res[0], ", done ", ts[0].(*Task))
	})
	want(t, o.got(),
		"first prefix ran",
		"pending: true <Task pending name='Task-2' coro=<nap() running at t:nap:2>>",
		"2000 results, first <nil>, done <Task finished name='Task-2' coro=<nap() done, defined at t:nap> result=<nil>>")
}

func TestTailTaskCancelledWhileWaiting(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		task := rt.CreateTask(tailCo(rt, "nap", func() any { return rt.Sleep(time.Hour) }))
		rt.Await(rt.Sleep(0))
		o.say("timers while waiting: ", loop.PendingTimers(rt.GetRunningLoop()))
		o.say("cancel: ", task.Cancel("enough"))
		p := panicOf(func() { rt.Await(task) })
		o.say(task.Cancelled(), " ", p, " ", task)
		o.say("timers after: ", loop.PendingTimers(rt.GetRunningLoop()))
	})
	want(t, o.got(),
		"timers while waiting: 1",
		"cancel: true",
		"true enough <Task cancelled name='Task-2' coro=<nap() done, defined at t:nap>>",
		"timers after: 0")
}

func TestTailTaskCancelledAfterItsFutureIsDone(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		f := rt.GetRunningLoop().CreateFuture()
		task := rt.CreateTask(tailCo(rt, "waiter", func() any { return f }))
		rt.Await(rt.Sleep(0))
		f.SetResult(1) // the task's wake-up is scheduled, not run yet
		o.say("cancel: ", task.Cancel("late"))
		p := panicOf(func() { rt.Await(task) })
		o.say(task.Cancelled(), " ", p)
	})
	want(t, o.got(), "cancel: true", "true late")
}

func TestTailTaskTakesTheFailureOfWhatItAwaits(t *testing.T) {
	rt, o := newRT(t)
	boom := errors.New("boom")
	mainOf(rt, func() {
		failing := rt.CreateTask(co(rt, "failing", func() []any {
			rt.Await(rt.Sleep(unit / 4))
			panic(boom)
		}))
		task := rt.CreateTask(tailCo(rt, "relay", func() any { return failing }))
		p := panicOf(func() { rt.Await(task) })
		o.say(p == boom, " ", task)
		o.say(failing.Exception())
	})
	want(t, o.got(), "true <Task finished name='Task-3' coro=<relay() done, defined at t:relay> exception=boom>", "boom")
	if r := o.gotReports(); len(r) > 0 {
		t.Errorf("reports: %q (the failure was retrieved through the relay)", r)
	}
}

func TestTailCoroutineEarlyReturnAndPanicInPrefix(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		early := rt.CreateTask(tailCo(rt, "early", func() any { o.say("early returns"); return nil }))
		rt.Await(early)
		o.say(early)
		bad := rt.CreateTask(tailCo(rt, "bad", func() any { panic("in prefix") }))
		o.say(panicOf(func() { rt.Await(bad) }), " ", bad.Done())
	})
	want(t, o.got(),
		"early returns",
		"<Task finished name='Task-2' coro=<early() done, defined at t:early> result=<nil>>",
		"in prefix true")
}

func TestTailCoroutineAwaitedInlineAndChained(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		inner := func() *Coroutine {
			return tailCo(rt, "inner", func() any { o.say("inner"); return rt.Sleep(unit / 4) })
		}
		outer := tailCo(rt, "outer", func() any { o.say("outer"); return inner() })
		start := rt.GetRunningLoop().Time()
		rt.Await(outer) // inline: on the main task's goroutine
		o.say("inline waited: ", rt.GetRunningLoop().Time()-start >= (unit/4).Seconds())
		p := panicOf(func() { rt.Await(outer) })
		o.say(p)

		chained := rt.CreateTask(tailCo(rt, "outer", func() any { o.say("outer"); return inner() }))
		start = rt.GetRunningLoop().Time()
		rt.Await(chained)
		o.say("task waited: ", rt.GetRunningLoop().Time()-start >= (unit/4).Seconds())
	})
	want(t, o.got(),
		"outer", "inner", "inline waited: true",
		"cannot reuse already awaited coroutine",
		"outer", "inner", "task waited: true")
}

func TestTailTaskPrefixAwaitsBeforeItsTail(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		task := rt.CreateTask(tailCo(rt, "two", func() any {
			rt.Await(rt.Sleep(unit / 8)) // parks the goroutine like any await
			o.say("between")
			return rt.Sleep(unit / 8)
		}))
		rt.Await(task)
		o.say(task.Done(), " ", task.Cancelled())
	})
	want(t, o.got(), "between", "true false")
}

func TestTailTaskOfAClosedLoopIsCancelled(t *testing.T) {
	rt, o := newRT(t)
	cell(t, rt, "c", func() {
		l := rt.NewEventLoop()
		task := l.CreateTask(tailCo(rt, "nap", func() any { return rt.Sleep(time.Hour) }))
		l.RunUntilComplete(l.CreateTask(co(rt, "tick", func() []any { rt.Await(rt.Sleep(0)); return nil })))
		o.say("before close: ", task)
		l.Close()
		o.say("after close: ", task.Cancelled())
	})
	want(t, o.got(),
		"before close: <Task pending name='Task-1' coro=<nap() running at t:nap:2>>",
		"after close: true")
}

func TestTailTaskAwaitingItselfFails(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		var task *Task
		task = rt.CreateTask(tailCo(rt, "self", func() any { return task }))
		p := panicOf(func() { rt.Await(task) })
		o.say(strings.HasPrefix(loop.AsError(p).Error(), "Task cannot await on itself"))
	})
	want(t, o.got(), "true")
}

func TestTailReturnCoroutineGivesTheAwaitedResult(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		ret := func(name string, prefix func() any) *Coroutine {
			return rt.NewTailReturnCoroutine(name, "t:"+name, "t:"+name+":2", prefix)
		}
		f := rt.GetRunningLoop().CreateFuture()
		waiting := rt.CreateTask(ret("waiting", func() any { return f }))
		early := rt.CreateTask(ret("early", func() any { return []any{7} }))
		rt.Await(rt.Sleep(0))
		f.SetResult(42)
		o.say(rt.Await(waiting), " ", rt.Await(early))

		inner := func() *Coroutine {
			return ret("inner", func() any { return rt.CreateTask(co(rt, "v", func() []any { return []any{"v"} })) })
		}
		o.say("inline: ", rt.Await(ret("outer", func() any { return inner() })))
		o.say("chained task: ", rt.Await(rt.CreateTask(ret("outer", func() any { return inner() }))))
		noResult := tailCo(rt, "noResult", func() any { return rt.CreateTask(co(rt, "v", func() []any { return []any{"v"} })) })
		o.say("through a tail without result: ", rt.Await(rt.CreateTask(ret("outer", func() any { return noResult }))))
		o.say("early inline: ", rt.Await(ret("early", func() any { return []any{8} })))
	})
	want(t, o.got(),
		"[42] [7]",
		"inline: [v]",
		"chained task: [v]",
		"through a tail without result: []",
		"early inline: [8]")
}
