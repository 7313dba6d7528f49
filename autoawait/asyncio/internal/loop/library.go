package asyncio

import (
	"fmt"
	"time"

	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// newQuietCoroutine makes a library coroutine that is never reported as
// unawaited.
func (rt *Runtime) newQuietCoroutine(name string, body func() []any) *Coroutine {
	return &Coroutine{name: name, body: body, quiet: true}
}

// Sleep returns a coroutine that, awaited, suspends the current task for
// d (no results). Sleep(0) (or less) gives way to the other ready tasks
// exactly once.
func (rt *Runtime) Sleep(d time.Duration) *Coroutine {
	if d <= 0 {
		return rt.newLibCoroutine("Sleep", func() []any {
			rt.yield0()
			return nil
		})
	}
	// A tail coroutine: a task whose last await is a Sleep waits for the
	// timer without its goroutine.
	return rt.NewTailCoroutine("Sleep", "", "", func() any {
		rt.timelineSleep(d)
		return rt.current.loop.sleepFuture(d)
	})
}

// CreateTask wraps c in a task of the running loop, scheduled to start
// when the current code gives way; name, if given, replaces "Task-N".
func (rt *Runtime) CreateTask(c *Coroutine, name ...string) *Task {
	return rt.runningLoop().CreateTask(c, name...)
}

// EnsureFuture returns a task running x if x is a coroutine (on
// GetEventLoop), x itself if it is a *Task or *Future.
func (rt *Runtime) EnsureFuture(x any) FutureLike {
	switch v := x.(type) {
	case *Coroutine:
		return rt.GetEventLoop().CreateTask(v)
	case *Task:
		return v
	case *Future:
		return v
	}
	panic(&TypeError{Msg: fmt.Sprintf("an asyncio.Future, a coroutine or an awaitable is required, got %T", x)})
}

// ensure turns x into a future on the loop running the caller (or
// GetEventLoop): coroutines become tasks.
func (rt *Runtime) ensure(x any) *Future {
	return rt.EnsureFuture(x).base()
}

// CurrentTask returns the task running the caller, nil in callbacks and
// outside loops. A cell's code runs in a task named "Cell-N".
func (rt *Runtime) CurrentTask() *Task { return rt.current }

// AllTasks returns the unfinished tasks of the running loop in creation
// order.
func (rt *Runtime) AllTasks() []*Task { return rt.runningLoop().sortedLive() }

// NewEventLoop returns a new, not running, event loop.
func (rt *Runtime) NewEventLoop() *EventLoop { return newLoop(rt) }

// SetEventLoop sets the loop GetEventLoop returns when no loop runs.
func (rt *Runtime) SetEventLoop(l *EventLoop) { rt.setLoop = l }

// GetEventLoop returns the running loop (the kernel loop in a cell), else
// the loop set with SetEventLoop, else a new loop that it sets.
func (rt *Runtime) GetEventLoop() *EventLoop {
	if t := rt.current; t != nil {
		return t.loop
	}
	if rt.running != nil {
		return rt.running
	}
	if rt.setLoop == nil || rt.setLoop.closed {
		rt.setLoop = rt.NewEventLoop()
	}
	return rt.setLoop
}

// GetRunningLoop returns the running loop; it panics *RuntimeError "no
// running event loop" when none runs.
func (rt *Runtime) GetRunningLoop() *EventLoop { return rt.runningLoop() }

// sleepFuture returns a future that a timer sets after d (out of line to
// keep parked stacks small).
//
//go:noinline
func (l *EventLoop) sleepFuture(d time.Duration) *Future {
	f := l.CreateFuture()
	f.what = timeline.OnSleep
	f.timer = l.callAt(l.now()+d, handle{fn: func() {
		if f.state == statePending {
			f.setResults(nil)
		}
	}, owner: l.rt.owner})
	return f
}
