package asyncio

import (
	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// Runtime is one interpreter's asyncio: its event loops, tasks and the
// library functions cells call as asyncio.X (see Exports). The loop's
// own functions (Await, Sleep, CreateTask, RunCell...) come from the
// embedded loop runtime.
type Runtime struct {
	*loop.Runtime
}

// Options configures a Runtime.
type Options = loop.Options

// NewRuntime returns a Runtime configured by opts.
func NewRuntime(opts Options) *Runtime { return &Runtime{loop.NewRuntime(opts)} }

// OnTaskGoroutine reports whether the caller runs on a task's goroutine
// (a cell's or a task's), where the task may give way inside Await.
func OnTaskGoroutine() bool { return loop.OnTaskGoroutine() }

// The loop's types, as cells name them.
type (
	// Coroutine is an async function call not yet run: awaiting it runs
	// its body inline; CreateTask runs it as a task.
	Coroutine = loop.Coroutine
	// Future is a result that is set once, later.
	Future = loop.Future
	// FutureLike is what a *Future and a *Task have in common.
	FutureLike = loop.FutureLike
	// Task runs a coroutine on an event loop.
	Task = loop.Task
	// EventLoop runs tasks and callbacks, one at a time.
	EventLoop = loop.EventLoop
	// Handle is a scheduled callback that can be cancelled.
	Handle = loop.Handle
	// CancelledError is the panic that cancels a task.
	CancelledError = loop.CancelledError
	// InvalidStateError reports an operation on a future in the wrong state.
	InvalidStateError = loop.InvalidStateError
	// RuntimeError reports misuse of the library.
	RuntimeError = loop.RuntimeError
	// TypeError reports a value of the wrong kind.
	TypeError = loop.TypeError
	// PanicError presents a panic value that is not an error as an error.
	PanicError = loop.PanicError
)

// What Timeline returns; package timeline records and draws it.
type (
	// TaskTimeline is what the tasks of one cell did over time. As a
	// cell's last value it shows as an SVG picture (SVG), with String as
	// its plain text; Table gives the text version of the picture.
	TaskTimeline = timeline.TaskTimeline
	// TimelineTask is one task of a TaskTimeline.
	TimelineTask = timeline.TimelineTask
	// TimelineSpan is a stretch of a task's life: running or waiting on
	// what Label says.
	TimelineSpan = timeline.TimelineSpan
)

// DefaultFreeMemoryAfter is Options.FreeMemoryAfter's default.
const DefaultFreeMemoryAfter = loop.DefaultFreeMemoryAfter
