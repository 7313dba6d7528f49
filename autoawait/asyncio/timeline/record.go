// Package timeline records what the tasks of one notebook cell did over
// time (when each was created, ran, waited and on what, and how it ended)
// and shows it as a picture (SVG) or a table. Package asyncio records its
// cells with it; cells get the result as asyncio.TaskTimeline from
// asyncio.Timeline().
package timeline

import "time"

// Cost: each event is one clock read and one 24-byte struct stored in a
// chunked log (chunks of 256, never copied), by the baton holder (no
// lock); a task costs one 24-byte row more. A recording keeps at most
// MaxEvents events; then it stops (the picture shows the beginning and
// says so). A cell that creates more than MaxTasks tasks drops its
// recording altogether.
const (
	// MaxEvents bounds the events kept per cell.
	MaxEvents = 10_000
	// MaxTasks is the number of tasks above which a cell's recording is
	// dropped.
	MaxTasks = 10_000
)

// Wait says what a waiting task waits on, for its label.
type Wait uint8

// What a task can wait on. The zero value is a plain future
// (CreateFuture).
const (
	OnFuture Wait = iota
	OnYield       // Sleep(0): no future
	OnSleep
	OnTask
	OnGather
	OnShield
	OnWait
	OnCancel // WaitFor cancelling on timeout
	OnAsCompleted
	OnLock
	OnEvent
	OnSemaphore
	OnQueueGet
	OnQueuePut
	OnTaskGroup
	OnThread
	OnRun // a cell or task driving a loop made by Run
)

var waitWords = [...]string{
	OnFuture:      "future",
	OnYield:       "yield",
	OnSleep:       "sleep",
	OnTask:        "task",
	OnGather:      "gather",
	OnShield:      "shield",
	OnWait:        "wait",
	OnCancel:      "cancel",
	OnAsCompleted: "as completed",
	OnLock:        "lock",
	OnEvent:       "event",
	OnSemaphore:   "semaphore",
	OnQueueGet:    "queue get",
	OnQueuePut:    "queue put",
	OnTaskGroup:   "task group",
	OnThread:      "thread",
	OnRun:         "Run",
}

// End is how a task ended.
type End uint8

// The ends of a task.
const (
	Done End = iota
	Cancelled
	Failed
)

// Task is a recorded task: its name is read when the timeline is built
// (a task may be renamed until then).
type Task interface{ Name() string }

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

// event is one recorded event of task row at time at (since the cell
// started). For evWaiting, what says on what, and arg holds the sleep's
// duration (OnSleep) or the awaited task: its row if it is recorded,
// else -1-i for labels[i].
type event struct {
	at   time.Duration
	row  int32
	kind evKind
	what Wait
	arg  int64
}

// row is a recorded task; sleep is the duration of the Sleep it is in,
// driving the depth of the Runs (loops) it drives.
type row struct {
	task    Task
	coro    string
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

// Recording is the event log of one cell. Only the code holding the event
// loop's baton touches it while it is on; once stopped it is read-only.
// Tasks are known by the row Add gave them.
type Recording struct {
	on      bool // events are being recorded
	start   time.Time
	cell    Task // the cell's own task, row 0 (kept when dropped)
	tasks   int  // tasks created on the cell's behalf, recorded or not
	rows    chunks[row]
	events  chunks[event]
	labels  []string
	full    bool          // stopped at MaxEvents
	dropped bool          // more than MaxTasks tasks: nothing kept
	stopAt  time.Duration // when it stopped (full) or the cell completed
}

// Start begins the recording of a cell whose own task, cell, gets row 0
// and runs from now on.
func Start(cell Task) *Recording {
	r := &Recording{on: true, start: time.Now(), cell: cell}
	r.add(cell, "")
	return r
}

// On reports whether events are being recorded.
func (r *Recording) On() bool { return r.on }

// Stop ends the recording for good (the cell completed).
func (r *Recording) Stop() {
	if r.on {
		r.on = false
		r.stopAt = time.Since(r.start)
	}
}

// Add records task t, made on the cell's behalf, with the name of its
// coroutine, and returns its row; ok is false when it is not recorded
// (the recording stopped, or the cell made more than MaxTasks tasks,
// which drops the recording).
func (r *Recording) Add(t Task, coro string) (rowOf int32, ok bool) {
	if r.dropped {
		return 0, false
	}
	r.tasks++
	if r.tasks > MaxTasks {
		r.on, r.dropped, r.full = false, true, false
		r.rows, r.events, r.labels = chunks[row]{}, chunks[event]{}, nil
		return 0, false
	}
	if !r.on {
		return 0, false
	}
	return r.add(t, coro), true
}

// add gives t a row and records its creation.
func (r *Recording) add(t Task, coro string) int32 {
	n := int32(r.rows.n)
	*r.rows.add() = row{task: t, coro: coro}
	r.event(n, evCreated, 0, 0)
	return n
}

// event appends one event of row n, stopping the recording when full.
func (r *Recording) event(n int32, k evKind, what Wait, arg int64) {
	at := time.Since(r.start)
	if r.events.n >= MaxEvents {
		r.on, r.full, r.stopAt = false, true, at
		return
	}
	*r.events.add() = event{at: at, row: n, kind: k, what: what, arg: arg}
}

// Running records that task n got the baton.
func (r *Recording) Running(n int32) {
	if r.on {
		r.event(n, evRunning, 0, 0)
	}
}

// Ended records how task n ended.
func (r *Recording) Ended(n int32, how End) {
	if r.on {
		r.event(n, [...]evKind{Done: evDone, Cancelled: evCancelled, Failed: evFailed}[how], 0, 0)
	}
}

// Waiting records that task n gave the baton back waiting on what (for
// OnSleep, the Sleep that NoteSleep noted).
func (r *Recording) Waiting(n int32, what Wait) {
	if !r.on {
		return
	}
	var arg int64
	if what == OnSleep {
		arg = int64(r.rows.at(int(n)).sleep)
	}
	r.event(n, evWaiting, what, arg)
}

// WaitingOnTask records that task n waits on task t, whose row is row in
// recording in (nil if it has none).
func (r *Recording) WaitingOnTask(n int32, t Task, in *Recording, row int32) {
	if !r.on {
		return
	}
	arg := int64(row)
	if in != r {
		r.labels = append(r.labels, t.Name())
		arg = -int64(len(r.labels))
	}
	r.event(n, evWaiting, OnTask, arg)
}

// NoteSleep notes the duration of the Sleep task n is in.
func (r *Recording) NoteSleep(n int32, d time.Duration) {
	if r.on {
		r.rows.at(int(n)).sleep = d
	}
}

// Driving records that task n, holding the baton, drives another loop
// (Run or RunUntilComplete inside a task or cell), or stopped driving it:
// it waits on that loop until the outermost of them returns.
func (r *Recording) Driving(n int32, driving bool) {
	if !r.on {
		return
	}
	row := r.rows.at(int(n))
	if driving {
		if row.driving++; row.driving == 1 {
			r.event(n, evWaiting, OnRun, 0)
		}
	} else if row.driving--; row.driving == 0 {
		r.event(n, evRunning, 0, 0)
	}
}

// Len returns the number of events kept.
func (r *Recording) Len() int { return r.events.n }

// Event returns event i (i < Len): when it happened since the cell
// started, the row of its task, and its kind: "created", "running",
// "waiting", "done", "cancelled" or "failed".
func (r *Recording) Event(i int) (at time.Duration, row int32, kind string) {
	e := r.events.at(i)
	return e.at, e.row, [...]string{"created", "running", "waiting", "done", "cancelled", "failed"}[e.kind]
}
