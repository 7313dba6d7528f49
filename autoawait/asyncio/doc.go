// Package asyncio is goawait's event loop and the asyncio library that
// notebook cells import as "asyncio".
//
// Signature changes since the first published version: none.
//
// # Model
//
// One Runtime exists per interpreter; nothing is global. The runtime owns a
// persistent kernel loop (driven by one scheduler goroutine, started by the
// first RunCell) and any number of fresh loops made by Run, NewEventLoop or
// RunUntilComplete. Every task is a host goroutine, but a single baton per
// runtime guarantees that only one of them runs at a time: a task gives the
// baton back only inside Await (or when it ends), so output order is
// deterministic. Scheduling follows CPython's asyncio: ready callbacks run in
// FIFO batches, a finished future schedules its callbacks with CallSoon, a
// task woken by a future resumes in the next batch, timers fire in deadline
// order (ties in scheduling order).
//
// Every entry into interpreted code (task bodies, done callbacks, CallSoon and
// CallLater callbacks, the cell itself) happens while holding the baton. The
// only exceptions are ToThread, which runs its function on another goroutine
// by design (the caller must make sure that function does not race with the
// loop: in yaegi, prefer host functions), and plain go statements.
//
// Functions of this package must be called from code running on a loop (a
// task, a cell, a callback) or, when nothing runs, from the one goroutine
// that drives a loop. They are not safe from arbitrary goroutines (as in
// Python, asyncio is not thread-safe). Safe from any goroutine:
// Runtime.RunCell, Runtime.InterruptCell, Runtime.AbandonCell, Runtime.Close
// and (*EventLoop).CallSoonThreadsafe.
//
// # Cell-visible names (what "asyncio.X" means inside a cell)
//
// Runtime.Exports binds each of these to the Runtime (method values), so the
// Go spelling in a cell is exactly the method signature of *Runtime:
//
//	func NewCoroutine(name, site string, body func() []any) *Coroutine
//	func NewTailCoroutine(name, site, at string, body func() any) *Coroutine // body returns what its last statement awaits
//	func NewTailReturnCoroutine(name, site, at string, body func() any) *Coroutine // the same for "return await x"
//	func Await(x any) []any
//	func AwaitAt(x any, site string) []any // Await recording the suspension site "cell[N]:L"
//	func CreatedAt(c *Coroutine, site string) *Coroutine // c, recording where it was made "cell[N]:L"
//	func Run(c *Coroutine) any
//	func Sleep(d time.Duration) *Coroutine // 0 results; Sleep(0) yields once
//	func CreateTask(c *Coroutine, name ...string) *Task
//	func EnsureFuture(x any) FutureLike   // *Coroutine -> new *Task; *Task/*Future -> itself
//	func Gather(xs ...any) *Future          // result: []any in argument order
//	func GatherReturnExceptions(xs ...any) *Future // failures as error values in place
//	func Wait(xs any, opts ...any) *Coroutine // 2 results: done, pending []FutureLike
//	func WaitFor(x any, d time.Duration) *Coroutine // results of x, or panics *TimeoutError
//	func Timeout(d time.Duration, x any) *Coroutine // await x under a deadline (async with timeout)
//	func Shield(x any) *Future
//	func AsCompleted(xs any) []*Coroutine   // each awaits the next input to complete
//	func NewTaskGroup() *TaskGroup
//	func NewQueue(maxsize int) *Queue       // maxsize <= 0: unbounded
//	func NewLock() *Lock
//	func NewEvent() *Event
//	func NewSemaphore(value int) *Semaphore
//	func NewBoundedSemaphore(value int) *BoundedSemaphore
//	func ToThread(fn any, args ...any) *Coroutine // results of fn
//	func CurrentTask() *Task               // nil outside a task
//	func AllTasks() []*Task                // unfinished tasks of the running loop
//	func NewEventLoop() *EventLoop
//	func SetEventLoop(l *EventLoop)
//	func GetEventLoop() *EventLoop         // running loop, else the set one (made on demand)
//	func GetRunningLoop() *EventLoop       // panics *RuntimeError when none runs
//	func Timeline() *TaskTimeline          // what the tasks of the last completed cell did
//
// Wait options (any order, each optional): a WaitMode (FirstCompleted,
// FirstException, AllCompleted; default AllCompleted) and a time.Duration
// timeout (expiry neither fails nor cancels anything).
//
// Constants: FirstCompleted, FirstException, AllCompleted (type WaitMode).
//
// Types and methods:
//
//	*Coroutine: String() "<coroutine object NAME at cell[N]:L>", Name(), Site()
//	*Future:    Done() bool, Result() any, Exception() error, Cancel(msg ...string) bool,
//	            Cancelled() bool, AddDoneCallback(fn func(FutureLike)),
//	            SetResult(v any), SetException(err error), String()
//	*Task:      every *Future method (Task embeds Future) plus Name(), SetName(string),
//	            Coro() *Coroutine, String()
//	FutureLike: interface implemented by *Future and *Task (the methods above)
//	*EventLoop: RunUntilComplete(x any) any, RunForever(), Stop(), Close(),
//	            IsRunning() bool, IsClosed() bool, CreateTask(c *Coroutine, name ...string) *Task,
//	            CreateFuture() *Future, CallSoon(fn func()) *Handle,
//	            CallLater(d time.Duration, fn func()) *Handle,
//	            CallSoonThreadsafe(fn func()) *Handle, Time() float64
//	*Handle:    Cancel(), Cancelled() bool
//	*TaskGroup: CreateTask(c *Coroutine, name ...string) *Task, Wait() *Coroutine (0 results)
//	*Queue:     Put(v any) *Coroutine (0), Get() *Coroutine (1), PutNowait(v any), GetNowait() any,
//	            TaskDone(), Join() *Coroutine (0), Qsize() int, Empty() bool, Full() bool, Maxsize() int
//	*Lock:      Acquire() *Coroutine (1: true), Release(), Locked() bool
//	*Event:     Set(), Clear(), IsSet() bool, Wait() *Coroutine (1: true)
//	*Semaphore, *BoundedSemaphore: Acquire() *Coroutine (1: true), Release(), Locked() bool
//	*TaskTimeline: SVG() string (the picture), String() "Timeline: 3 tasks", Table() string;
//	            fields Cell, Tasks []TimelineTask, Length, Note
//	TimelineTask: Name, Coro, Created, Spans []TimelineSpan, State ("done", "cancelled",
//	            "failed", "pending"), End; TimelineSpan: Start, End, Running, Label
//
// Errors (all implement error, panicked as pointers): *CancelledError
// ("CancelledError" or the Cancel message), *TimeoutError ("TimeoutError"),
// *InvalidStateError, *RuntimeError (e.g. "cannot reuse already awaited
// coroutine"), *TypeError (awaiting a non-awaitable), *QueueEmpty, *QueueFull,
// *ValueError, *ExceptionGroup (TaskGroup
// failures; Unwrap() []error), *PanicError (a non-error panic value seen
// through Exception or GatherReturnExceptions).
//
// # Result conventions
//
// Await returns the awaited results as a slice: len 0 for a coroutine with
// no results, 1 for one, n for several. Awaiting a *Coroutine runs its body
// inline on the current task's goroutine; awaiting it again panics with
// *RuntimeError "cannot reuse already awaited coroutine". Awaiting a finished
// task or future returns its results at once (or re-panics its failure, the
// original panic value). Awaiting outside a loop panics with *RuntimeError.
//
// Results of tasks and futures read as ONE value (Result, Gather elements,
// RunUntilComplete, Run): nil for no results, the value for one, a []any for
// several. A future set with SetResult(v) has exactly one result v.
//
// Failure is a panic: a panic inside a coroutine travels to whoever awaits
// it, re-panicked with the original value. Cancellation arrives at the
// current Await of a task as a panic with a *CancelledError; code may recover
// it and continue (as in Python). A task whose body ends with a
// *CancelledError panic is cancelled.
//
// # Notebook protocol (used by the interp session)
//
//	rt := asyncio.NewRuntime(asyncio.Options{Switch: ..., Report: ...})
//	interp.Use(rt.Exports())          // key "asyncio/asyncio"
//	err := rt.RunCell(owner, func() { ... Eval the rewritten cell ... })
//	rt.InterruptCell()                // from any goroutine, never blocks
//	rt.AbandonCell()                  // from any goroutine, never blocks
//	rt.Close()                        // at shutdown
//
// RunCell runs fn on the calling goroutine as a new task ("Cell-N") of the
// kernel loop: it waits for the baton, runs fn, then keeps the loop running
// until no task is ready (future timers are not awaited; at most 1000 loop
// passes), then returns. Tasks created while a cell's code runs inherit the
// cell's owner; so do the tasks they create. Background tasks keep running
// between cells on the scheduler goroutine. Switch(owner) is called, holding
// the baton, before code of a different owner than the previous one runs (and
// always before the first code after a RunCell returned); it may be called
// from the scheduler goroutine at any time between cells.
//
// Reports (Options.Report, default: os.Stderr):
//   - "coroutine 'NAME' was never awaited (created at cell[N]:L)": for a
//     coroutine that the cell's own task created and that is neither awaited
//     nor scheduled when the cell ends. The site is the call that made it,
//     as given to CreatedAt; without one, the report says "(defined at
//     cell[N]:L)" with NewCoroutine's site, or names no site for a coroutine
//     of the library.
//   - "Task exception was never retrieved: <task>: <error>": for a task that
//     failed and whose failure nobody read (Await, Result, Exception,
//     Gather...), when its cell ends, or, for later failures, the next time
//     the kernel loop goes idle while no cell runs; for a fresh loop, when
//     Run ends or the loop closes.
//
// # Timeline
//
// Each cell is recorded for Timeline (package timeline): its own task and
// the tasks made on its behalf (also on loops of a Run inside it), each
// with its creation, its running spans (holding the baton), its waiting
// spans with what it waited on, and how it ended, in time since the cell
// started. Recording stops at the cell's end (when RunCell returns). One
// event costs a clock read and a 24-byte append by the baton holder; a
// cell keeps at most 10,000 events, and a cell that creates more than
// 10,000 tasks keeps none. Code outside cells is not recorded.
//
// # Limits (known, by design)
//
//   - Owners given to RunCell must be comparable (pointers are ideal).
//   - RunCell is not re-entrant: calling it from inside a cell deadlocks.
//     Once RunCell has been used, call Run/RunUntilComplete only from cells
//     (a nested Run blocks the cell and therefore the kernel loop, as in
//     Python; a Run from another goroutine would race with the kernel loop).
//   - Wait and AsCompleted take their inputs in argument order (Python's
//     sets make its order arbitrary); done and pending keep argument order.
//   - TaskGroup has no "async with": a failure cancels the other tasks but
//     not the task that will call Wait.
//   - InterruptCell reaches only an Await; CPU loops and blocking calls are
//     the session's business (its checkpoints), then AbandonCell.
//   - AbandonCell recognizes a stuck cell goroutine wherever it comes back;
//     a stuck background task is parked when it awaits or ends.
//   - Close stops tasks that ignore cancellation with runtime.Goexit after
//     250 ms; a cell goroutine is never killed. Tasks of loops made with
//     NewEventLoop that were never run again keep their goroutines until
//     that loop is closed.
//   - Costs (host Go, 2 cores): Await on a finished future ~12 ns, a task
//     switch ~1.1-1.5 µs, a parked task ~2 KB of stack + ~1.6 KB of heap;
//     10,000 tasks sleeping 10 ms gathered ~0.1 s, 100,000 ~0.8-1.3 s and
//     ~380 MB (interpreted bodies have deeper stacks).
package asyncio
