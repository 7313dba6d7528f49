package asyncio

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestBackgroundTaskOutlivesCellWithItsOwner(t *testing.T) {
	rt, o := newRT(t)
	finished := make(chan struct{})
	var bg *Task
	cell(t, rt, "c1", func() {
		bg = rt.CreateTask(rt.NewCoroutine("bg", "cell[1]:1", func() []any {
			o.sayOwned("start")
			rt.Await(rt.Sleep(unit))
			o.sayOwned("later")
			close(finished)
			return []any{42}
		}))
	})
	want(t, o.got(), "c1: start")
	cell(t, rt, "c2", func() { o.sayOwned("cell two") })
	<-finished
	want(t, o.got(), "c1: start", "c2: cell two", "c1: later")
	cell(t, rt, "c3", func() {
		o.sayOwned(rt.Await(bg)[0], " ", bg.Result())
	})
	want(t, o.got()[3:], "c3: 42 42")
}

func TestTasksInheritOwnerAcrossGenerations(t *testing.T) {
	rt, o := newRT(t)
	done := make(chan struct{})
	cell(t, rt, "c1", func() {
		rt.CreateTask(rt.NewCoroutine("parent", "cell[1]:1", func() []any {
			rt.Await(rt.Sleep(unit / 4))
			rt.CreateTask(rt.NewCoroutine("child", "cell[1]:2", func() []any {
				o.sayOwned("child")
				close(done)
				return nil
			}))
			return nil
		}))
	})
	cell(t, rt, "c2", func() { o.sayOwned("two") })
	<-done
	want(t, o.got(), "c2: two", "c1: child")
}

func TestNeverAwaitedCoroutineReportedAtCellEnd(t *testing.T) {
	rt, o := newRT(t)
	cell(t, rt, "c1", func() {
		fetchData := func() *Coroutine { return rt.NewCoroutine("fetchData", "cell[4]:1", func() []any { return nil }) }
		rt.CreatedAt(fetchData(), "cell[4]:3")
		// A coroutine passed on keeps the site of the call that made it.
		rt.CreatedAt(rt.CreatedAt(fetchData(), "cell[4]:4"), "cell[4]:9")
		fetchData()
		rt.Sleep(time.Second)
		rt.CreatedAt(rt.Sleep(time.Second), "cell[4]:5")
		if rt.CreatedAt(nil, "cell[4]:6") != nil {
			t.Error("CreatedAt(nil) is not nil")
		}
		awaited := rt.CreatedAt(rt.NewCoroutine("ok", "cell[4]:7", func() []any { return nil }), "cell[4]:8")
		rt.Await(awaited)
		rt.CreateTask(rt.CreatedAt(rt.NewCoroutine("scheduled", "cell[4]:9", func() []any { return nil }), "cell[4]:10"))
	})
	want(t, o.gotReports(),
		"c1: coroutine 'fetchData' was never awaited (created at cell[4]:3)",
		"c1: coroutine 'fetchData' was never awaited (created at cell[4]:4)",
		"c1: coroutine 'fetchData' was never awaited (defined at cell[4]:1)",
		"c1: coroutine 'Sleep' was never awaited",
		"c1: coroutine 'Sleep' was never awaited (created at cell[4]:5)")
}

func failing(rt *Runtime, site string, d time.Duration) *Coroutine {
	return rt.NewCoroutine("failing", site, func() []any {
		if d > 0 {
			rt.Await(rt.Sleep(d))
		}
		panic(errors.New("boom"))
	})
}

func TestUnretrievedTaskFailureReported(t *testing.T) {
	rt, o := newRT(t)
	cell(t, rt, "c1", func() {
		rt.CreateTask(failing(rt, "cell[1]:1", 0))
		read := rt.CreateTask(failing(rt, "cell[1]:2", 0))
		rt.Await(rt.Sleep(0))
		rt.Await(rt.Sleep(0))
		if err := read.Exception(); err == nil || err.Error() != "boom" {
			t.Errorf("Exception() = %v", err)
		}
	})
	want(t, o.gotReports(),
		"c1: Task exception was never retrieved: <Task finished name='Task-1' coro=<failing() done, defined at cell[1]:1> exception=boom>: boom")

	// A failure after the cell ended is reported when the loop idles.
	cell(t, rt, "c2", func() { rt.CreateTask(failing(rt, "cell[2]:1", unit/4)) })
	waitFor(t, "the late report", func() bool { return len(o.gotReports()) == 2 })
	if r := o.gotReports()[1]; !strings.HasPrefix(r, "c2: Task exception was never retrieved: <Task finished name='Task-3'") {
		t.Fatalf("late report = %q", r)
	}
}

func TestRunCellReturnsPanicAsError(t *testing.T) {
	rt, _ := newRT(t)
	err := rt.RunCell("c1", func() { panic("kaput") })
	var pe *PanicError
	if !errors.As(err, &pe) || err.Error() != "kaput" {
		t.Fatalf("err = %#v", err)
	}
	cell(t, rt, "c2", func() {}) // the loop still works
}

func TestInterruptCellCancelsAwait(t *testing.T) {
	rt, o := newRT(t)
	entered := make(chan struct{})
	errc := make(chan error)
	go func() {
		errc <- rt.RunCell("c1", func() {
			close(entered)
			rt.Await(rt.Sleep(time.Hour))
			o.say("not reached")
		})
	}()
	<-entered
	rt.InterruptCell()
	err := <-errc
	var ce *CancelledError
	if !errors.As(err, &ce) || err.Error() != "CancelledError" {
		t.Fatalf("err = %#v", err)
	}
	want(t, o.got())
}

func TestInterruptIsRecoverableAndSparesBackgroundTasks(t *testing.T) {
	rt, o := newRT(t)
	bgDone := make(chan struct{})
	cell(t, rt, "c0", func() {
		rt.CreateTask(rt.NewCoroutine("bg", "cell[1]:1", func() []any {
			rt.Await(rt.Sleep(unit))
			o.say("bg done")
			close(bgDone)
			return nil
		}))
	})
	entered := make(chan struct{})
	errc := make(chan error)
	go func() {
		errc <- rt.RunCell("c1", func() {
			func() {
				defer func() { o.say("caught ", recover()) }()
				close(entered)
				rt.Await(rt.Sleep(time.Hour))
			}()
			rt.Await(rt.Sleep(0))
			o.say("continues")
		})
	}()
	<-entered
	rt.InterruptCell()
	if err := <-errc; err != nil {
		t.Fatalf("err = %v", err)
	}
	<-bgDone
	want(t, o.got(), "caught CancelledError", "continues", "bg done")
}

func TestInterruptCellInsideNestedRun(t *testing.T) {
	rt, _ := newRT(t)
	entered := make(chan struct{})
	errc := make(chan error)
	go func() {
		errc <- rt.RunCell("c1", func() {
			rt.Run(rt.NewCoroutine("main", "cell[1]:1", func() []any {
				close(entered)
				rt.Await(rt.Sleep(time.Hour))
				return nil
			}))
		})
	}()
	<-entered
	rt.InterruptCell()
	var ce *CancelledError
	if err := <-errc; !errors.As(err, &ce) {
		t.Fatalf("err = %#v", err)
	}
}

func TestAbandonCellReleasesTheLoop(t *testing.T) {
	rt, o := newRT(t)
	entered, block, back := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		rt.RunCell("c1", func() {
			close(entered)
			<-block // stuck where InterruptCell cannot reach
			close(back)
			rt.Await(rt.Sleep(0))
			o.say("abandoned cell ran again")
		})
		o.say("RunCell of the abandoned cell returned")
	}()
	<-entered
	rt.AbandonCell()
	cell(t, rt, "c2", func() {
		rt.Await(rt.Sleep(unit / 8))
		o.say("c2 runs")
	})
	close(block)
	<-back
	time.Sleep(unit)
	cell(t, rt, "c3", func() { o.say("c3 runs") })
	want(t, o.got(), "c2 runs", "c3 runs")
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	o := &out{}
	rt := NewRuntime(Options{Report: func(any, string) {}})
	cell(t, rt, "c1", func() {
		ev := rt.NewEvent()
		rt.CreateTask(rt.NewCoroutine("sleeper", "x:1", func() []any {
			rt.Await(rt.Sleep(time.Hour))
			return nil
		}))
		rt.CreateTask(rt.NewCoroutine("waiter", "x:2", func() []any {
			rt.Await(ev.Wait())
			return nil
		}))
		rt.CreateTask(rt.NewCoroutine("stubborn", "x:3", func() []any {
			defer o.say("stubborn unwound")
			for {
				func() {
					defer func() { recover() }()
					rt.Await(rt.Sleep(time.Hour))
				}()
			}
		}))
	})
	if err := rt.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
	want(t, o.got(), "stubborn unwound")
	if err := rt.RunCell("c2", func() {}); err == nil {
		t.Fatal("RunCell after Close succeeded")
	}
}

func TestRunCellReturnsDespiteABusyBackgroundTask(t *testing.T) {
	rt, o := newRT(t)
	var spinner *Task
	cell(t, rt, "c1", func() {
		spinner = rt.CreateTask(rt.NewCoroutine("spinner", "cell[1]:1", func() []any {
			for {
				rt.Await(rt.Sleep(0))
			}
		}))
	})
	cell(t, rt, "c2", func() {
		spinner.Cancel()
		panicOf(func() { rt.Await(spinner) })
		o.say("spinner cancelled ", spinner.Cancelled())
	})
	want(t, o.got(), "spinner cancelled true")
}

func TestSwitchCalledOnOwnerChanges(t *testing.T) {
	var switches []any
	rt := NewRuntime(Options{Switch: func(owner any) { switches = append(switches, owner) }})
	defer rt.Close()
	done := make(chan struct{})
	cell(t, rt, "c1", func() {
		rt.CreateTask(rt.NewCoroutine("bg", "cell[1]:1", func() []any {
			rt.Await(rt.Sleep(unit / 4))
			close(done)
			return nil
		}))
	})
	cell(t, rt, "c2", func() { rt.Await(rt.Sleep(unit / 2)) })
	<-done
	cell(t, rt, "c3", func() {})
	// bg starts in c1's drain, or, on a busy machine, once c2 awaits
	// (the drain's passes are bounded): either way each change of owner is
	// one call, and bg's turns during c2 are c1's.
	got := fmt.Sprint(switches)
	if got != "[c1 c2 c1 c2 c3]" && got != "[c1 c2 c1 c2 c1 c2 c3]" {
		t.Fatalf("switches = %s", got)
	}
}
