package asyncio

import (
	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// TaskGroup is asyncio.TaskGroup without the "async with": create tasks
// with CreateTask, then await Wait. The first task failure cancels the
// other tasks; Wait then fails with an *ExceptionGroup holding every
// failure. (The awaiting task itself is not cancelled while it is not yet
// in Wait.)
type TaskGroup struct {
	rt          *Runtime
	loop        *EventLoop
	tasks       []*Task
	errors      []error
	aborting    bool
	exited      bool
	onCompleted *Future
}

// NewTaskGroup returns an empty task group.
func (rt *Runtime) NewTaskGroup() *TaskGroup { return &TaskGroup{rt: rt} }

// CreateTask creates a task of the group on the running loop. It panics
// *RuntimeError once the group is shutting down or finished.
func (g *TaskGroup) CreateTask(c *Coroutine, name ...string) *Task {
	if g.exited {
		panic(&RuntimeError{Msg: "TaskGroup is finished"})
	}
	if g.aborting {
		panic(&RuntimeError{Msg: "TaskGroup is shutting down"})
	}
	if g.loop == nil {
		g.loop = g.rt.GetRunningLoop()
	}
	t := g.loop.CreateTask(c, name...)
	g.tasks = append(g.tasks, t)
	loop.OnDone(loop.Base(t), func() { g.taskDone(t) })
	return t
}

func (g *TaskGroup) taskDone(t *Task) {
	for i, x := range g.tasks {
		if x == t {
			g.tasks = append(g.tasks[:i], g.tasks[i+1:]...)
			break
		}
	}
	if g.onCompleted != nil && len(g.tasks) == 0 && !g.onCompleted.Done() {
		loop.SetResults(g.onCompleted, nil)
	}
	if t.Cancelled() || !loop.Failed(t) {
		return
	}
	loop.MarkRetrieved(t)
	g.errors = append(g.errors, loop.AsError(loop.Failure(t)))
	if !g.aborting {
		g.abort()
	}
}

func (g *TaskGroup) abort() {
	g.aborting = true
	for _, t := range g.tasks {
		if !t.Done() {
			t.Cancel()
		}
	}
}

// Wait returns a coroutine that, awaited, waits for every task of the
// group (no results). It fails with *ExceptionGroup if any task failed;
// if the awaiting task is cancelled meanwhile, the group's tasks are
// cancelled, awaited, and the cancellation goes on.
func (g *TaskGroup) Wait() *Coroutine {
	rt := g.rt
	return loop.NewLibCoroutine(rt.Runtime, "Wait", func() []any {
		var cancelled any
		for len(g.tasks) > 0 {
			g.onCompleted = loop.LoopOf(g.tasks[0]).CreateFuture()
			loop.SetWaitKind(g.onCompleted, timeline.OnTaskGroup)
			func() {
				defer func() {
					if p := recover(); p != nil {
						if _, ok := loop.IsCancel(loop.UnwrapPanic(p)); !ok {
							panic(p)
						}
						cancelled = p
						if !g.aborting {
							g.abort()
						}
					}
				}()
				rt.Await(g.onCompleted)
			}()
			g.onCompleted = nil
		}
		g.exited = true
		if len(g.errors) > 0 {
			panic(&ExceptionGroup{Msg: "unhandled errors in a TaskGroup", Errors: g.errors})
		}
		if cancelled != nil {
			panic(cancelled)
		}
		return nil
	})
}
