package asyncio

import (
	"fmt"
	"strings"
	"time"
)

// The timeline: what the tasks of a cell did over time.
//
// While a cell runs, the runtime records an event log for the cell's own
// task and every task created on its behalf (by the cell, by those tasks,
// by callbacks of the cell, and on loops made by Run inside the cell):
// created, got the baton (running), gave it back waiting on something,
// ended. The log of the last completed cell is what Timeline shows.
//
// Cost: each event is one clock read and one 24-byte struct stored in a
// chunked log (chunks of 256, never copied), by the baton holder (no
// lock); a task costs one 24-byte row more. A recording keeps at most
// maxTimelineEvents events; then it stops (the picture shows the beginning
// and says so). A cell that creates more than maxTimelineTasks tasks drops
// its recording altogether.

const (
	// maxTimelineEvents bounds the events kept per cell.
	maxTimelineEvents = 10_000
	// maxTimelineTasks is the number of tasks above which a cell's
	// recording is dropped.
	maxTimelineTasks = 10_000
)

// waitKind says what a future stands for, so that a task waiting on it is
// labelled: the zero value is a plain future (CreateFuture).
type waitKind uint8

const (
	waitFuture waitKind = iota
	waitYield           // Sleep(0): no future
	waitSleep
	waitTask
	waitGather
	waitShield
	waitWait
	waitCancel // WaitFor cancelling on timeout
	waitAsCompleted
	waitLock
	waitEvent
	waitSemaphore
	waitQueueGet
	waitQueuePut
	waitTaskGroup
	waitThread
	waitRun // a cell or task driving a loop made by Run
)

var waitWords = [...]string{
	waitFuture:      "future",
	waitYield:       "yield",
	waitSleep:       "sleep",
	waitTask:        "task",
	waitGather:      "gather",
	waitShield:      "shield",
	waitWait:        "wait",
	waitCancel:      "cancel",
	waitAsCompleted: "as completed",
	waitLock:        "lock",
	waitEvent:       "event",
	waitSemaphore:   "semaphore",
	waitQueueGet:    "queue get",
	waitQueuePut:    "queue put",
	waitTaskGroup:   "task group",
	waitThread:      "thread",
	waitRun:         "Run",
}

// evKind is the kind of a timeline event.
type evKind uint8

const (
	evCreated evKind = iota
	evRunning
	evWaiting
	evDone
	evCancelled
	evFailed
)

// tlEvent is one recorded event of task row at time at (since the cell
// started). For evWaiting, what says on what, and arg holds the sleep's
// duration (waitSleep) or the awaited task: its row if it is recorded,
// else -1-i for labels[i].
type tlEvent struct {
	at   time.Duration
	row  int32
	kind evKind
	what waitKind
	arg  int64
}

// tlRow is a recorded task; sleep is the duration of the Sleep it is in,
// driving the depth of the Runs (loops) it drives.
type tlRow struct {
	task    *Task
	sleep   time.Duration
	driving int
}

// chunkLen is the length of the chunks of a recording's logs.
const chunkLen = 256

// chunks is a growing log in fixed-size chunks: appending never copies,
// and memory is what is used, rounded up to a chunk.
type chunks[T any] struct {
	list []*[chunkLen]T
	n    int
}

// add appends a zero element and returns it.
func (c *chunks[T]) add() *T {
	if c.n%chunkLen == 0 {
		c.list = append(c.list, new([chunkLen]T))
	}
	c.n++
	return c.at(c.n - 1)
}

// at returns element i (i < n).
func (c *chunks[T]) at(i int) *T { return &c.list[i/chunkLen][i%chunkLen] }

// recording is the event log of one cell. Only the baton holder touches
// it while on; after the cell completes it is read-only.
type recording struct {
	on      bool // events are being recorded
	start   time.Time
	owner   any
	cell    *Task
	tasks   int // tasks created on the cell's behalf, recorded or not
	rows    chunks[tlRow]
	events  chunks[tlEvent]
	labels  []string
	full    bool          // stopped at maxTimelineEvents
	dropped bool          // more than maxTimelineTasks tasks: nothing kept
	stopAt  time.Duration // when it stopped (full) or the cell completed
}

// startTimeline begins the recording of cell task t (admitted now); a
// recording still on (its cell never completed) is kept as the last one.
func (rt *Runtime) startTimeline(t *Task) {
	if r := rt.tl; r != nil && r.on {
		rt.endTimeline(r)
	}
	r := &recording{on: true, start: time.Now(), owner: t.owner, cell: t}
	rt.tl = r
	r.add(t)
}

// endTimeline stops r for good and makes it the last recording.
func (rt *Runtime) endTimeline(r *recording) {
	if r.on {
		r.on = false
		r.stopAt = time.Since(r.start)
	}
	if rt.tl == r {
		rt.tl = nil
	}
	rt.lastTL = r
}

// timelineCellDone ends the recording of cell task t, if it is the one
// being recorded.
func (rt *Runtime) timelineCellDone(t *Task) {
	if r := rt.tl; r != nil && r.cell == t {
		rt.endTimeline(r)
	}
}

// timelineCreated records task t, just made, if it is made on behalf of
// the recorded cell: by a recorded task, or by a callback of the cell.
// Tasks of the library's own quiet coroutines (Run's shutdown step) are
// left out.
func (rt *Runtime) timelineCreated(t *Task) {
	r := rt.tl
	if r == nil || r.dropped || t.coro != nil && t.coro.quiet && t.coro.site == "" {
		return
	}
	if cur := rt.current; cur != nil {
		if cur.tl != r {
			return
		}
	} else if rt.owner != r.owner {
		return
	}
	r.tasks++
	if r.tasks > maxTimelineTasks {
		r.on, r.dropped, r.full = false, true, false
		r.rows, r.events, r.labels = chunks[tlRow]{}, chunks[tlEvent]{}, nil
		return
	}
	if r.on {
		r.add(t)
	}
}

// add gives t a row and records its creation.
func (r *recording) add(t *Task) {
	t.tl, t.tlRow = r, int32(r.rows.n)
	*r.rows.add() = tlRow{task: t}
	r.event(t, evCreated, 0, 0)
}

// event appends one event of t, stopping the recording when full.
func (r *recording) event(t *Task, k evKind, what waitKind, arg int64) {
	at := time.Since(r.start)
	if r.events.n >= maxTimelineEvents {
		r.on, r.full, r.stopAt = false, true, at
		return
	}
	*r.events.add() = tlEvent{at: at, row: t.tlRow, kind: k, what: what, arg: arg}
}

// timelineRunning records that t got the baton.
func timelineRunning(t *Task) {
	if r := t.tl; r != nil && r.on {
		r.event(t, evRunning, 0, 0)
	}
}

// timelineStopped records that t gave the baton back: it ended, or it
// waits on t.waiter (nil: it yields once).
func timelineStopped(t *Task) {
	r := t.tl
	if r == nil || !r.on {
		return
	}
	switch {
	case t.state == stateCancelled:
		r.event(t, evCancelled, 0, 0)
	case t.state == stateFinished && t.failed:
		r.event(t, evFailed, 0, 0)
	case t.state == stateFinished:
		r.event(t, evDone, 0, 0)
	default:
		r.waiting(t, t.waiter)
	}
}

// waiting records that t waits on f.
func (r *recording) waiting(t *Task, f *Future) {
	switch {
	case f == nil:
		r.event(t, evWaiting, waitYield, 0)
	case f.task != nil:
		arg := int64(f.task.tlRow)
		if f.task.tl != r {
			r.labels = append(r.labels, f.task.Name())
			arg = -int64(len(r.labels))
		}
		r.event(t, evWaiting, waitTask, arg)
	case f.what == waitSleep:
		r.event(t, evWaiting, waitSleep, int64(r.rows.at(int(t.tlRow)).sleep))
	default:
		r.event(t, evWaiting, f.what, 0)
	}
}

// timelineDriving records that t, holding the baton, drives another loop
// (Run or RunUntilComplete inside a task or cell): it waits on that loop
// until the outermost of them returns.
func timelineDriving(t *Task, driving bool) {
	if t == nil || t.tl == nil || !t.tl.on {
		return
	}
	row := t.tl.rows.at(int(t.tlRow))
	if driving {
		if row.driving++; row.driving == 1 {
			t.tl.event(t, evWaiting, waitRun, 0)
		}
	} else if row.driving--; row.driving == 0 {
		t.tl.event(t, evRunning, 0, 0)
	}
}

// timelineSleep notes the duration of the Sleep the current task is in.
func (rt *Runtime) timelineSleep(d time.Duration) {
	if t := rt.current; t != nil && t.tl != nil && t.tl.on {
		t.tl.rows.at(int(t.tlRow)).sleep = d
	}
}

// TaskTimeline is what the tasks of one cell did over time, as
// Runtime.Timeline returns it. As a cell's last value it shows as an SVG
// picture (SVG), with String as its plain text; Table gives the text
// version of the picture.
type TaskTimeline struct {
	// Cell is the cell's task name ("Cell-5"); "" when no cell completed.
	Cell string
	// Tasks are the cell's task and the tasks made on its behalf, in
	// creation order.
	Tasks []TimelineTask
	// Length is how long the recording lasted (from the cell's start).
	Length time.Duration
	// Note says why the picture is partial or empty ("" if complete).
	Note string
}

// TimelineTask is one task of a TaskTimeline.
type TimelineTask struct {
	Name    string        // "Task-2", "Cell-5"
	Coro    string        // coroutine name, "" for a cell
	Created time.Duration // since the cell started
	Spans   []TimelineSpan
	// State is "done", "cancelled", "failed", or "pending" when the task
	// had not ended when the recording stopped.
	State string
	End   time.Duration // when it ended (Length if pending)
}

// TimelineSpan is a stretch of a task's life: running (holding the
// baton) or waiting on what Label says ("sleep 250ms", "Task-3",
// "gather", "lock", "queue get"...). A task that is created and not yet
// started waits with the label "ready".
type TimelineSpan struct {
	Start, End time.Duration
	Running    bool
	Label      string
}

// Timeline returns what the tasks of the last completed cell did over
// time: one row per task (the cell's own task first), with its running
// and waiting spans and how it ended. Shown as a cell's last value it is
// an SVG picture.
func (rt *Runtime) Timeline() *TaskTimeline {
	r := rt.lastTL
	if r == nil {
		return &TaskTimeline{Note: "no completed cell yet"}
	}
	return r.timeline()
}

// timeline builds the TaskTimeline of a stopped recording.
func (r *recording) timeline() *TaskTimeline {
	tl := &TaskTimeline{Cell: r.cell.Name(), Length: r.stopAt}
	switch {
	case r.dropped:
		tl.Note = fmt.Sprintf("not recorded: the cell created more than %d tasks", maxTimelineTasks)
		return tl
	case r.full:
		tl.Note = fmt.Sprintf("recording stopped after %d events", maxTimelineEvents)
	}
	tasks := make([]TimelineTask, r.rows.n)
	open := make([]TimelineSpan, r.rows.n) // the span in progress
	for i := range tasks {
		row := r.rows.at(i)
		tasks[i] = TimelineTask{Name: row.task.Name(), State: "pending"}
		if c := row.task.coro; c != nil {
			tasks[i].Coro = c.name
		}
	}
	for i := 0; i < r.events.n; i++ {
		e := *r.events.at(i)
		tk, sp := &tasks[e.row], &open[e.row]
		closeSpan := func() {
			sp.End = e.at
			if sp.End > sp.Start || sp.Running {
				tk.Spans = append(tk.Spans, *sp)
			}
		}
		switch e.kind {
		case evCreated:
			tk.Created = e.at
			*sp = TimelineSpan{Start: e.at, Label: "ready"}
			if e.row == 0 { // the cell runs as soon as it is admitted
				sp.Running = true
			}
		case evRunning:
			closeSpan()
			*sp = TimelineSpan{Start: e.at, Running: true}
		case evWaiting:
			closeSpan()
			*sp = TimelineSpan{Start: e.at, Label: r.label(e, tasks)}
		case evDone, evCancelled, evFailed:
			closeSpan()
			*sp = TimelineSpan{}
			tk.End = e.at
			tk.State = [...]string{evDone: "done", evCancelled: "cancelled", evFailed: "failed"}[e.kind]
		}
	}
	for i := range tasks {
		if tasks[i].State == "pending" {
			sp := open[i]
			sp.End = r.stopAt
			tasks[i].Spans = append(tasks[i].Spans, sp)
			tasks[i].End = r.stopAt
		}
	}
	tl.Tasks = tasks
	return tl
}

// label is the text of a waiting event.
func (r *recording) label(e tlEvent, tasks []TimelineTask) string {
	switch e.what {
	case waitSleep:
		return "sleep " + shortDuration(time.Duration(e.arg))
	case waitTask:
		if e.arg >= 0 {
			return tasks[e.arg].Name
		}
		return r.labels[-e.arg-1]
	}
	if int(e.what) < len(waitWords) {
		return waitWords[e.what]
	}
	return "?"
}

// shortDuration formats d compactly: "250ms", "1.5s", "80µs".
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return d.String()
	case d >= time.Second:
		return trimFloat(d.Seconds()) + "s"
	case d >= time.Millisecond:
		return trimFloat(float64(d)/float64(time.Millisecond)) + "ms"
	case d >= time.Microsecond:
		return trimFloat(float64(d)/float64(time.Microsecond)) + "µs"
	}
	return fmt.Sprintf("%dns", int64(d))
}

// trimFloat formats x with at most 3 significant decimals, no trailing
// zeros.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.3g", x)
	if strings.ContainsAny(s, "e") {
		s = fmt.Sprintf("%.0f", x)
	}
	return s
}

// String is the plain-text form, "Timeline: 3 tasks" (plus the note of a
// partial or empty timeline): what a cell's last value shows as
// text/plain, so that it does not change from run to run.
func (tl *TaskTimeline) String() string { return tl.summary("Timeline") }

// summary is "<head>: N tasks" with the note in parentheses.
func (tl *TaskTimeline) summary(head string) string {
	if tl.Cell == "" {
		return head + ": " + tl.Note
	}
	s := fmt.Sprintf("%s: %d task", head, len(tl.Tasks))
	if len(tl.Tasks) != 1 {
		s += "s"
	}
	if tl.Note != "" {
		s += " (" + tl.Note + ")"
	}
	return s
}

// title is the heading of the picture and the table: "Timeline of
// Cell-5: 3 tasks".
func (tl *TaskTimeline) title() string {
	if tl.Cell == "" {
		return tl.String()
	}
	return tl.summary("Timeline of " + tl.Cell)
}

// Table returns the timeline as a text table, one line per task: name,
// coroutine, created, ended, state, time running, and what it waited on.
func (tl *TaskTimeline) Table() string {
	var b strings.Builder
	b.WriteString(tl.title())
	b.WriteString("\n")
	if len(tl.Tasks) == 0 {
		return b.String()
	}
	rows := [][]string{{"task", "coroutine", "start", "end", "state", "running", "waited on"}}
	for _, tk := range tl.Tasks {
		var run time.Duration
		var waits []string
		seen := map[string]bool{}
		for _, sp := range tk.Spans {
			if sp.Running {
				run += sp.End - sp.Start
			} else if sp.Label != "ready" && !seen[sp.Label] {
				seen[sp.Label] = true
				waits = append(waits, sp.Label)
			}
		}
		coro := tk.Coro
		if coro != "" {
			coro += "()"
		}
		rows = append(rows, []string{tk.Name, coro, msText(tk.Created), msText(tk.End), tk.State, msText(run), strings.Join(waits, ", ")})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// msText formats d in milliseconds with one decimal: "250.3ms".
func msText(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}
