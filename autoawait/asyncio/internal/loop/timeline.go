package asyncio

import (
	"time"

	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// Each cell is recorded: its own task and the tasks made on its behalf
// (by the cell, by those tasks, by callbacks of the cell, and on loops
// made by Run inside the cell). rt.tl is the recording of the cell
// running now, rt.lastTL the one of the last completed cell; a recorded
// task knows its recording and its row in it.

// startTimeline begins the recording of cell task t (admitted now); a
// recording still on (its cell never completed) is kept as the last one.
func (rt *Runtime) startTimeline(t *Task) {
	if r := rt.tl; r != nil && r.On() {
		rt.endTimeline(r)
	}
	r := timeline.Start(t)
	rt.tl, rt.tlCell = r, t
	t.tl, t.tlRow = r, 0
}

// endTimeline stops r for good and makes it the last recording.
func (rt *Runtime) endTimeline(r *timeline.Recording) {
	r.Stop()
	if rt.tl == r {
		rt.tl, rt.tlCell = nil, nil
	}
	rt.lastTL = r
}

// timelineCellDone ends the recording of cell task t, if it is the one
// being recorded.
func (rt *Runtime) timelineCellDone(t *Task) {
	if r := rt.tl; r != nil && rt.tlCell == t {
		rt.endTimeline(r)
	}
}

// timelineCreated records task t, just made, if it is made on behalf of
// the recorded cell: by a recorded task, or by a callback of the cell.
// Tasks of the library's own quiet coroutines (Run's shutdown step) are
// left out.
func (rt *Runtime) timelineCreated(t *Task) {
	r := rt.tl
	if r == nil || t.coro != nil && t.coro.quiet && t.coro.site == "" {
		return
	}
	if cur := rt.current; cur != nil {
		if cur.tl != r {
			return
		}
	} else if rt.owner != rt.tlCell.owner {
		return
	}
	coro := ""
	if t.coro != nil {
		coro = t.coro.name
	}
	if row, ok := r.Add(t, coro); ok {
		t.tl, t.tlRow = r, row
	}
}

// timelineRunning records that t got the baton.
func timelineRunning(t *Task) {
	if r := t.tl; r != nil {
		r.Running(t.tlRow)
	}
}

// timelineStopped records that t gave the baton back: it ended, or it
// waits on t.waiter (nil: it yields once).
func timelineStopped(t *Task) {
	r := t.tl
	if r == nil || !r.On() {
		return
	}
	switch f := t.waiter; {
	case t.state == stateCancelled:
		r.Ended(t.tlRow, timeline.Cancelled)
	case t.state == stateFinished && t.failed:
		r.Ended(t.tlRow, timeline.Failed)
	case t.state == stateFinished:
		r.Ended(t.tlRow, timeline.Done)
	case f == nil:
		r.Waiting(t.tlRow, timeline.OnYield)
	case f.task != nil:
		r.WaitingOnTask(t.tlRow, f.task, f.task.tl, f.task.tlRow)
	default:
		r.Waiting(t.tlRow, f.what)
	}
}

// timelineDriving records that t, holding the baton, drives another loop
// (Run or RunUntilComplete inside a task or cell), or stopped driving it.
func timelineDriving(t *Task, driving bool) {
	if t != nil && t.tl != nil {
		t.tl.Driving(t.tlRow, driving)
	}
}

// timelineSleep notes the duration of the Sleep the current task is in.
func (rt *Runtime) timelineSleep(d time.Duration) {
	if t := rt.current; t != nil && t.tl != nil {
		t.tl.NoteSleep(t.tlRow, d)
	}
}

// Timeline returns what the tasks of the last completed cell did over
// time: one row per task (the cell's own task first), with its running
// and waiting spans and how it ended. Shown as a cell's last value it is
// an SVG picture.
func (rt *Runtime) Timeline() *timeline.TaskTimeline {
	r := rt.lastTL
	if r == nil {
		return &timeline.TaskTimeline{Note: "no completed cell yet"}
	}
	return r.Timeline()
}
