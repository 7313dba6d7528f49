package asyncio

import (
	"testing"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/internal/goid"
)

func TestTasksReuseTheGoroutinesOfFinishedTasks(t *testing.T) {
	rt, o := newRT(t)
	mainOf(rt, func() {
		gs := map[uint64]bool{}
		for range 50 {
			rt.Await(rt.CreateTask(co(rt, "one", func() []any {
				gs[goid.Current()] = true
				return nil
			})))
		}
		o.say("goroutines for 50 tasks one after the other: ", len(gs))

		// A killed task's goroutine ends (runtime.Goexit): it must not
		// be offered to the next task.
		l := rt.NewEventLoop()
		l.CreateTask(co(rt, "killed", func() []any { rt.Await(rt.Sleep(time.Hour)); return nil }))
		l.RunUntilComplete(l.CreateTask(co(rt, "tick", func() []any { rt.Await(rt.Sleep(0)); return nil })))
		l.Close()
		for range 20 {
			rt.Await(rt.CreateTask(co(rt, "after", func() []any { return nil })))
		}
		idle, most := loop.IdleWorkers(rt.Runtime)
		o.say("tasks still start after a kill; idle workers: ", idle <= most)
	})
	want(t, o.got(),
		"goroutines for 50 tasks one after the other: 1",
		"tasks still start after a kill; idle workers: true")
}
