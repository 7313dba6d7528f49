package asyncio

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
)

// mainOf runs body as the main coroutine of Run.
func mainOf(rt *Runtime, body func()) {
	rt.Run(rt.NewCoroutine("main", "t:1", func() []any { body(); return nil }))
}

// co makes a coroutine from body.
func co(rt *Runtime, name string, body func() []any) *Coroutine {
	return rt.NewCoroutine(name, "t:"+name, body)
}

func sleeper(rt *Runtime, o *out, name string, d time.Duration, result any) *Coroutine {
	return co(rt, name, func() []any {
		rt.Await(rt.Sleep(d))
		if o != nil {
			o.say(name)
		}
		return []any{result}
	})
}

func TestCancellationDeliveredAndRecoverable(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		task := rt.CreateTask(co(rt, "worker", func() []any {
			defer func() {
				r := recover()
				o.say("worker got ", r)
				rt.Await(rt.Sleep(0)) // a recovered cancellation lets it go on
				o.say("worker cleaned up")
			}()
			rt.Await(rt.Sleep(time.Hour))
			return nil
		}))
		rt.Await(rt.Sleep(0))
		o.say("cancel: ", task.Cancel("stop now"))
		rt.Await(rt.Sleep(0))
		rt.Await(rt.Sleep(0))
		rt.Await(rt.Sleep(0))
		o.say(task.Done(), " ", task.Cancelled(), " ", task.Cancel())

		uncaught := rt.CreateTask(sleeper(rt, nil, "plain", time.Hour, nil))
		rt.Await(rt.Sleep(0))
		uncaught.Cancel("bye")
		p := panicOf(func() { rt.Await(uncaught) })
		o.say(uncaught.Cancelled(), " ", p, " ", uncaught)

		never := rt.CreateTask(co(rt, "never", func() []any { o.say("never runs"); return nil }))
		never.Cancel()
		panicOf(func() { rt.Await(never) })
		o.say(never.Cancelled())
	})
	want(t, o.got(), "cancel: true", "worker got stop now", "worker cleaned up", "true false false",
		"true bye <Task cancelled name='Task-3' coro=<plain() done, defined at t:plain>>", "true")
}

func TestWaitForCancelsInnerOnExpiry(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		inner := rt.CreateTask(co(rt, "slow", func() []any {
			defer func() {
				r := recover()
				o.say("inner: ", r)
				panic(r)
			}()
			rt.Await(rt.Sleep(time.Hour))
			return nil
		}))
		p := panicOf(func() { rt.Await(rt.WaitFor(inner, unit/4)) })
		_, isTimeout := p.(*TimeoutError)
		o.say("timeout: ", isTimeout, " inner cancelled: ", inner.Cancelled())
		o.say(rt.Await(rt.WaitFor(sleeper(rt, nil, "quick", unit/8, 7), unit))[0])
		p = panicOf(func() { rt.Await(rt.WaitFor(sleeper(rt, nil, "zero", unit, 1), 0)) })
		o.say(p)
	})
	want(t, o.got(), "inner: CancelledError", "timeout: true inner cancelled: true", "7", "TimeoutError")
}

func TestTimeoutCancelsCurrentAwait(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		body := co(rt, "body", func() []any {
			defer func() {
				r := recover()
				o.say("body: ", r)
				panic(r)
			}()
			rt.Await(rt.Sleep(time.Hour))
			return nil
		})
		p := panicOf(func() { rt.Await(rt.Timeout(unit/4, body)) })
		o.say("got ", p)
		r := rt.Await(rt.Timeout(unit, sleeper(rt, nil, "fast", 0, "ok")))
		o.say(r[0])
		rt.Await(rt.Sleep(unit)) // the cancelled timer must not fire later
		o.say("still alive")
	})
	want(t, o.got(), "body: CancelledError", "got TimeoutError", "ok", "still alive")
}

func TestShieldProtectsInner(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		inner := rt.CreateTask(sleeper(rt, o, "inner", unit/4, "kept"))
		outer := rt.Shield(inner)
		waiter := rt.CreateTask(co(rt, "waiter", func() []any { return rt.Await(outer) }))
		rt.Await(rt.Sleep(0))
		waiter.Cancel()
		panicOf(func() { rt.Await(waiter) })
		o.say("waiter cancelled ", waiter.Cancelled(), ", outer cancelled ", outer.Cancelled(), ", inner done ", inner.Done())
		o.say(rt.Await(inner)[0])
		p := panicOf(func() { rt.Await(rt.WaitFor(rt.Shield(inner), unit)) })
		o.say("done shield: ", p)
	})
	want(t, o.got(), "waiter cancelled true, outer cancelled true, inner done false", "inner", "kept", "done shield: <nil>")
}

func TestTaskGroupFailureCancelsSiblings(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		g := rt.NewTaskGroup()
		slow := g.CreateTask(sleeper(rt, o, "slow", time.Hour, nil))
		g.CreateTask(failing(rt, "t:f1", unit/8))
		ok := g.CreateTask(sleeper(rt, o, "ok", 0, 1))
		p := panicOf(func() { rt.Await(g.Wait()) })
		eg, isGroup := p.(*ExceptionGroup)
		if !isGroup {
			t.Fatalf("Wait panicked with %#v", p)
		}
		o.say(eg.Error())
		o.say("slow cancelled ", slow.Cancelled(), ", ok ", ok.Result())
		var pe error = eg
		o.say("errors.Is boom: ", errors.Is(pe, eg.Errors[0]))

		g2 := rt.NewTaskGroup()
		a := g2.CreateTask(sleeper(rt, nil, "a", unit/8, "A"))
		b := g2.CreateTask(sleeper(rt, nil, "b", 0, "B"))
		rt.Await(g2.Wait())
		o.say(a.Result(), b.Result())
		o.say(panicOf(func() { g2.CreateTask(sleeper(rt, nil, "late", 0, nil)) }))
	})
	want(t, o.got(), "ok", "unhandled errors in a TaskGroup (1 sub-exception)\n  boom",
		"slow cancelled true, ok 1", "errors.Is boom: true", "AB", "TaskGroup is finished")
}

// TestQueueProducerConsumer: the Python twin (asyncio.Queue(2), the
// consumers awaiting asyncio.sleep(0) between items) prints the same
// first eleven lines. A real sleep there made the interleaving depend on
// how far apart the two consumers started (flaky under load).
func TestQueueProducerConsumer(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		q := rt.NewQueue(2)
		consumer := func(name string) *Coroutine {
			return co(rt, name, func() []any {
				for {
					v := rt.Await(q.Get())[0]
					o.say(name, " got ", v)
					rt.Await(rt.Sleep(0))
					q.TaskDone()
				}
			})
		}
		c1 := rt.CreateTask(consumer("c1"))
		c2 := rt.CreateTask(consumer("c2"))
		for i := 1; i <= 5; i++ {
			rt.Await(q.Put(i))
			o.say("put ", i, " qsize ", q.Qsize())
		}
		rt.Await(q.Join())
		o.say("joined, empty ", q.Empty())
		c1.Cancel()
		c2.Cancel()
		rt.Await(rt.GatherReturnExceptions(c1, c2))

		q2 := rt.NewQueue(1)
		q2.PutNowait("x")
		o.say(q2.Full(), " ", panicOf(func() { q2.PutNowait("y") }))
		o.say(q2.GetNowait(), " ", panicOf(func() { q2.GetNowait() }))
		o.say(panicOf(func() { q2.TaskDone(); q2.TaskDone() }))
	})
	want(t, o.got(),
		"put 1 qsize 1", "put 2 qsize 2", "c1 got 1", "c2 got 2", "put 3 qsize 1", "put 4 qsize 2",
		"c1 got 3", "c2 got 4", "put 5 qsize 1", "c1 got 5", "joined, empty true",
		"true QueueFull", "x QueueEmpty", "task_done() called too many times")
}

func TestLockIsFIFO(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		lock := rt.NewLock()
		var tasks []any
		for i := 1; i <= 3; i++ {
			name := fmt.Sprint("w", i)
			tasks = append(tasks, rt.CreateTask(co(rt, name, func() []any {
				rt.Await(lock.Acquire())
				defer lock.Release()
				o.say(name, " in")
				rt.Await(rt.Sleep(unit / 8))
				o.say(name, " out")
				return nil
			})))
		}
		rt.Await(rt.Gather(tasks...))
		o.say(lock.Locked(), " ", panicOf(lock.Release))
	})
	want(t, o.got(), "w1 in", "w1 out", "w2 in", "w2 out", "w3 in", "w3 out", "false Lock is not acquired.")
}

func TestEventWakesAllWaiters(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		ev := rt.NewEvent()
		var ws []any
		for i := 1; i <= 3; i++ {
			name := fmt.Sprint("w", i)
			ws = append(ws, rt.CreateTask(co(rt, name, func() []any {
				ok := rt.Await(ev.Wait())[0]
				o.say(name, " woke ", ok)
				return nil
			})))
		}
		rt.Await(rt.Sleep(0))
		o.say("set ", ev.IsSet())
		ev.Set()
		rt.Await(rt.Gather(ws...))
		ev.Clear()
		o.say("cleared ", ev.IsSet())
	})
	want(t, o.got(), "set false", "w1 woke true", "w2 woke true", "w3 woke true", "cleared false")
}

func TestSemaphoreLimitsConcurrency(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		sem := rt.NewSemaphore(2)
		inside, most := 0, 0
		var ws []any
		for i := 1; i <= 5; i++ {
			ws = append(ws, rt.CreateTask(co(rt, fmt.Sprint("w", i), func() []any {
				rt.Await(sem.Acquire())
				defer sem.Release()
				inside++
				most = max(most, inside)
				rt.Await(rt.Sleep(unit / 8))
				inside--
				return []any{i}
			})))
		}
		o.say(rt.Await(rt.Gather(ws...))[0], " most ", most, " locked ", sem.Locked())
		b := rt.NewBoundedSemaphore(1)
		rt.Await(b.Acquire())
		o.say("bounded locked ", b.Locked())
		b.Release()
		o.say(panicOf(b.Release))
	})
	want(t, o.got(), "[1 2 3 4 5] most 2 locked false", "bounded locked true", "BoundedSemaphore released too many times")
}

func TestWaitModesAndTimeout(t *testing.T) {
	rt, o := newRT(t)
	names := func(fs []FutureLike) string {
		var s []string
		for _, f := range fs {
			s = append(s, f.(*Task).Name())
		}
		return strings.Join(s, ",")
	}
	mainOf(rt, func() {
		fast := rt.CreateTask(sleeper(rt, nil, "fast", unit/8, 1), "fast")
		slow := rt.CreateTask(sleeper(rt, nil, "slow", unit, 2), "slow")
		r := rt.Await(rt.Wait([]*Task{slow, fast}, FirstCompleted))
		o.say("first: done=", names(r[0].([]FutureLike)), " pending=", names(r[1].([]FutureLike)))

		r = rt.Await(rt.Wait([]*Task{slow}, unit/8))
		o.say("timeout: done=", names(r[0].([]FutureLike)), " pending=", names(r[1].([]FutureLike)), " cancelled=", slow.Cancelled())

		bad := rt.CreateTask(failing(rt, "t:bad", unit/8), "bad")
		r = rt.Await(rt.Wait([]any{slow, bad}, FirstException))
		o.say("exception: done=", names(r[0].([]FutureLike)), " pending=", names(r[1].([]FutureLike)))

		r = rt.Await(rt.Wait([]FutureLike{slow, fast}, AllCompleted))
		o.say("all: done=", names(r[0].([]FutureLike)), " pending=", names(r[1].([]FutureLike)))
		o.say(panicOf(func() { rt.Await(rt.Wait([]any{})) }))
	})
	want(t, o.got(), "first: done=fast pending=slow", "timeout: done= pending=slow cancelled=false",
		"exception: done=bad pending=slow", "all: done=slow,fast pending=", "Set of Tasks/Futures is empty.")
}

func TestAsCompletedYieldsInCompletionOrder(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		xs := []*Coroutine{
			sleeper(rt, nil, "a", 3*unit/8, "a"),
			sleeper(rt, nil, "b", unit/8, "b"),
			sleeper(rt, nil, "c", 2*unit/8, "c"),
		}
		for _, c := range rt.AsCompleted(xs) {
			o.say(rt.Await(c)[0])
		}
	})
	want(t, o.got(), "b", "c", "a")
}

func TestGatherFailureCancelAndReturnExceptions(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		slow := rt.CreateTask(sleeper(rt, o, "slow", unit/4, "s"))
		p := panicOf(func() { rt.Await(rt.Gather(failing(rt, "t:g", 0), slow)) })
		o.say("gather failed: ", p, ", slow still running: ", !slow.Done())

		r := rt.Await(rt.GatherReturnExceptions(failing(rt, "t:g2", 0), slow, co(rt, "two", func() []any { return []any{1, 2} })))
		o.say(fmt.Sprintf("%v", r[0]))

		a := rt.CreateTask(sleeper(rt, o, "a", time.Hour, nil))
		b := rt.CreateTask(sleeper(rt, o, "b", time.Hour, nil))
		g := rt.Gather(a, b)
		rt.Await(rt.Sleep(0))
		o.say("cancel gather: ", g.Cancel())
		p = panicOf(func() { rt.Await(g) })
		o.say(p, " ", a.Cancelled(), " ", b.Cancelled())
		o.say(rt.Await(rt.Gather())[0])
	})
	want(t, o.got(), "gather failed: boom, slow still running: true", "slow", "[boom s [1 2]]",
		"cancel gather: true", "CancelledError true true", "[]")
}

func TestResultsConventions(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		none := co(rt, "none", func() []any { return nil })
		two := co(rt, "two", func() []any { return []any{1, "x"} })
		o.say(len(rt.Await(none)), " ", len(rt.Await(two)))
		tn := rt.CreateTask(co(rt, "tn", func() []any { return nil }))
		t2 := rt.CreateTask(co(rt, "t2", func() []any { return []any{1, "x"} }))
		o.say(len(rt.Await(tn)), " ", tn.Result(), " ", len(rt.Await(t2)), " ", t2.Result())
		f := rt.GetRunningLoop().CreateFuture()
		o.say(f, " ", panicOf(func() { f.Result() }))
		rt.GetRunningLoop().CallSoon(func() { f.SetResult(map[string]int{"data": 1}) })
		o.say(rt.Await(f)[0], " ", f)
		o.say(panicOf(func() { f.SetResult(2) }) != nil)
		fe := rt.GetRunningLoop().CreateFuture()
		fe.SetException(errors.New("bad"))
		o.say(fe, " ", fe.Exception())
		fc := rt.GetRunningLoop().CreateFuture()
		fc.Cancel()
		o.say(fc, " ", panicOf(func() { fc.Exception() }))
		o.say(rt.Await(rt.Sleep(0)) == nil)
	})
	want(t, o.got(), "0 2", "0 <nil> 2 [1 x]", "<Future pending> InvalidStateError: Result is not set.",
		"map[data:1] <Future finished result=map[data:1]>", "true", "<Future finished exception=bad> bad",
		"<Future cancelled> CancelledError", "true")
}

func TestMisuseErrors(t *testing.T) {
	rt, o := newRT(t)
	p := panicOf(func() { rt.Await(rt.Sleep(0)) })
	o.say(p)
	o.say(panicOf(func() { rt.CreateTask(co(rt, "x", func() []any { return nil })).Cancel() }))
	mainOf(rt, func() {
		o.say(panicOf(func() { rt.Await(42) }))
		o.say(panicOf(func() { rt.Await(rt.CurrentTask()) }) != nil)
		o.say(panicOf(func() { rt.GetRunningLoop().RunForever() }))
		o.say(panicOf(func() { rt.GetRunningLoop().Close() }))
	})
	want(t, o.got(),
		"asyncio: await outside a running event loop (Await must be called from a task or a cell)",
		"no running event loop", "object int can't be used in 'await' expression", "true",
		"This event loop is already running", "Cannot close a running event loop")
}

func TestStringFormats(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		c := rt.NewCoroutine("fetchData", "cell[4]:1", func() []any {
			rt.AwaitAt(rt.Sleep(unit/8), "cell[4]:2")
			return []any{map[string]int{"data": 1}}
		})
		task := rt.CreateTask(c)
		o.say(task)
		rt.Await(rt.Sleep(0))
		o.say(task)
		rt.Await(task)
		o.say(task)
		bad := rt.CreateTask(failing(rt, "cell[5]:1", 0), "named")
		panicOf(func() { rt.Await(bad) })
		o.say(bad)
		o.say(rt.CurrentTask().Name(), " ", len(rt.AllTasks()))
	})
	want(t, o.got(),
		"<Task pending name='Task-2' coro=<fetchData() running at cell[4]:1>>",
		"<Task pending name='Task-2' coro=<fetchData() running at cell[4]:2>>",
		"<Task finished name='Task-2' coro=<fetchData() done, defined at cell[4]:1> result=map[data:1]>",
		"<Task finished name='named' coro=<failing() done, defined at cell[5]:1> exception=boom>",
		"Task-1 1")
}

func TestCallbacksTimersAndRunForever(t *testing.T) {
	rt, o := newRT(t)
	l := rt.NewEventLoop()
	l.CallLater(2*unit/8, func() { o.say("t2") })
	l.CallLater(unit/8, func() { o.say("t1a") })
	l.CallLater(unit/8, func() { o.say("t1b") })
	h := l.CallLater(unit/8, func() { o.say("cancelled timer") })
	h.Cancel()
	l.CallSoon(func() { o.say("soon1") })
	l.CallSoon(func() { panic("callback panic") })
	l.CallSoon(func() { o.say("soon2") })
	l.CallLater(3*unit/8, l.Stop)
	t0 := l.Time()
	l.RunForever()
	if el := l.Time() - t0; el < (3 * unit / 8).Seconds() {
		t.Fatalf("RunForever returned after %.3fs", el)
	}
	o.say(l.IsRunning(), " ", l.IsClosed(), " ", h.Cancelled())
	l.Close()
	o.say(l.IsClosed())
	want(t, o.got(), "soon1", "soon2", "t1a", "t1b", "t2", "false false true", "true")
	want(t, o.gotReports(), "<nil>: Exception in callback: callback panic")
}

func TestDoneCallbacksRunInOrder(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		task := rt.CreateTask(sleeper(rt, nil, "x", 0, 5))
		task.AddDoneCallback(func(f FutureLike) { o.say("cb1 ", f.Result()) })
		task.AddDoneCallback(func(f FutureLike) { o.say("cb2 ", f.(*Task).Name()) })
		rt.Await(task)
		o.say("awaited")
		rt.Await(rt.Sleep(0))
		task.AddDoneCallback(func(FutureLike) { o.say("cb3 late") })
		rt.Await(rt.Sleep(0))
	})
	want(t, o.got(), "cb1 5", "cb2 Task-2", "awaited", "cb3 late")
}

func TestToThreadRunsOffTheLoop(t *testing.T) {
	rt, o := newRT(t)
	release := make(chan struct{})
	mainOf(rt, func() {
		ticker := rt.CreateTask(co(rt, "ticker", func() []any {
			rt.Await(rt.Sleep(unit / 8))
			o.say("loop still runs")
			close(release)
			return nil
		}))
		blocking := func(a int, b string) (string, error) {
			<-release
			return fmt.Sprint(b, a), nil
		}
		r := rt.Await(rt.ToThread(blocking, 7, "n"))
		o.say(r[0], " ", r[1])
		rt.Await(ticker)
		o.say(panicOf(func() { rt.Await(rt.ToThread(func() { panic("in thread") })) }))
		o.say(panicOf(func() { rt.ToThread(blocking, 1) }))
	})
	want(t, o.got(), "loop still runs", "n7 <nil>", "in thread", "ToThread: func(int, string) (string, error) takes 2 arguments, got 1")
}

func TestRunFromInsideRunAndRunUntilCompleteReturnsFailure(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		o.say(rt.Run(sleeper(rt, nil, "inner", 0, "nested ok")))
	})
	p := panicOf(func() { rt.NewEventLoop().RunUntilComplete(failing(rt, "t:f", 0)) })
	o.say(p)
	want(t, o.got(), "nested ok", "boom")
}

func TestExportsCoverTheLibrary(t *testing.T) {
	rt, _ := newRT(t)
	ex := rt.Exports()[ExportPath]
	for _, name := range []string{"NewCoroutine", "Await", "Run", "Sleep", "CreateTask", "EnsureFuture", "Gather",
		"GatherReturnExceptions", "Wait", "WaitFor", "Timeout", "Shield", "AsCompleted", "NewTaskGroup", "NewQueue",
		"NewLock", "NewEvent", "NewSemaphore", "NewBoundedSemaphore", "ToThread", "CurrentTask", "AllTasks",
		"NewEventLoop", "SetEventLoop", "GetEventLoop", "GetRunningLoop", "FirstCompleted", "Task", "Future",
		"Coroutine", "CancelledError", "TimeoutError"} {
		if !ex[name].IsValid() {
			t.Errorf("Exports lacks %s", name)
		}
	}
	// A bound function works through reflect, as yaegi calls it.
	sleep := ex["Sleep"].Call([]reflect.Value{reflect.ValueOf(time.Duration(0))})[0].Interface().(*Coroutine)
	if sleep.String() != "<coroutine object Sleep at asyncio>" {
		t.Errorf("Sleep coroutine = %v", sleep)
	}
	loop.SetQuiet(sleep)
}
