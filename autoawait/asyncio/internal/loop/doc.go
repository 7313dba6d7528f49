// Package asyncio in directory loop is the event loop underneath
// goawait's asyncio library: coroutines, tasks and futures, the
// scheduling of tasks one at a time (the baton), the goroutines that run
// them, timers and callbacks, and the notebook protocol (RunCell,
// InterruptCell, AbandonCell) that runs a cell as a task of the kernel
// loop. Importers name it loop.
//
// The library package asyncio builds on it (gather, wait, timeouts,
// locks, queues, task groups, threads) and gives cells its types under
// their asyncio names; the semantics cells rely on are described there.
// What the library needs beyond the types' exported methods is a set of
// functions (api.go), never methods: every exported method of a Future,
// Task or Coroutine is callable from cells. The package is named asyncio,
// like the library, so that its types print as cells name them
// (*asyncio.Task with %T and in the interpreter's errors).
package asyncio
