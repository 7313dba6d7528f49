package asyncio

import (
	"fmt"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
)

// Run runs c on a fresh event loop driven by the calling goroutine and
// returns its one-value result (re-panicking its failure), as asyncio.run:
// after c ends it cancels the tasks that are left, lets them finish
// cancelling, runs one more pass and closes the loop. From a cell it
// simply blocks the cell until done (the kernel loop waits meanwhile).
func (rt *Runtime) Run(c *Coroutine) any {
	if c == nil {
		panic(&TypeError{Msg: "Run: a coroutine was expected, got nil"})
	}
	l := rt.NewEventLoop()
	main := l.CreateTask(c)
	loop.Driving(rt.CurrentTask(), true)
	defer loop.Driving(rt.CurrentTask(), false)
	defer rt.finishRun(l)
	return l.RunUntilComplete(main)
}

// finishRun cancels what is left on l, waits for it, and closes l.
func (rt *Runtime) finishRun(l *EventLoop) {
	left := loop.Live(l)
	if len(left) > 0 {
		xs := make([]any, len(left))
		for i, t := range left {
			t.Cancel()
			xs[i] = t
		}
		l.RunUntilComplete(gatherOn(l, xs, true))
		for _, t := range left {
			if loop.Failed(t) && !loop.Retrieved(t) {
				loop.MarkRetrieved(t)
				loop.Report(rt.Runtime, loop.OwnerOf(t), fmt.Sprintf("unhandled exception during asyncio.Run() shutdown: %s: %v", t, loop.AsError(loop.Failure(t))))
			}
		}
	}
	l.RunUntilComplete(loop.NewQuietCoroutine(rt.Runtime, "shutdown", func() []any { return nil }))
	l.Close()
}
