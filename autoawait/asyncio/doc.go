// Package asyncio is the asyncio library that notebook cells import as
// "asyncio": coroutines, tasks and futures, sleeping, gathering, waiting
// and timeouts, locks, events, semaphores, queues, task groups, work on
// other goroutines, and a timeline of what a cell's tasks did.
//
// The event loop itself (tasks, futures, scheduling, the notebook
// protocol) is the internal package loop; this package adds the library
// on top of it and names the loop's types as cells see them.
//
// Signature changes since the first published version: none.
//
// One Runtime exists per interpreter; nothing is global. Every task is a
// goroutine, but only one of them runs at a time: a task gives way only
// inside Await (or when it ends), as in Python, so output order is
// deterministic. Functions of this package must be called from code running
// on a loop (a task, a cell, a callback); Runtime.RunCell,
// Runtime.InterruptCell, Runtime.AbandonCell, Runtime.Close and
// (*EventLoop).CallSoonThreadsafe are safe from any goroutine.
//
// # Cell-visible names (what "asyncio.X" means inside a cell)
//
// Runtime.Exports binds each function a cell calls as asyncio.X to the
// runtime: it is the method X of *Runtime, with the same signature. The
// types and constants are this package's. The whole list, as cells see it,
// is autoawait/testdata/asyncio_plain.go.txt, generated from Exports (go
// generate ./autoawait). Wait takes its options in any order: a WaitMode
// (FirstCompleted, FirstException, AllCompleted; default AllCompleted) and
// a time.Duration timeout (expiry neither fails nor cancels anything).
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
// How the loop schedules, what it reports, how the timeline records, its
// known limits and its measured costs: docs/decisions-asyncio.md.
package asyncio
