// Package autoawait rewrites goawait's async dialect into plain Go that yaegi
// runs.
//
// A cell parsed by internal/cell may declare `async func` functions, methods
// and literals, and use `await x` in async bodies and at the top level of the
// cell. Rewriter.Rewrite turns these, in place on the cell's AST, into calls
// of the runtime package "asyncio" (autoawait/asyncio):
//
//	async func fetch(u string) (int, error) { ... }
//
// becomes a plain function returning *asyncio.Coroutine whose body runs the
// original body inside asyncio.NewCoroutine, and `await x` becomes
// asyncio.Await(x), whose []any results are converted back to their static
// types. An async func without results whose last statement is an await
// of a pointer, and that defers nothing, uses asyncio.NewTailCoroutine
// instead (asyncio.NewTailReturnCoroutine for "return await x" of the
// function's own result type): its body returns what it would await, so
// that a task running it waits without a goroutine (docs/decisions.md).
// The static types come from go/types, which checks the cell against a
// generic, check-only model of the asyncio package (asyncio_stub.go.txt,
// generated from the library by autoawait/internal/asyncmodel) and
// the declarations of the session's earlier cells; when a type cannot be
// known the value is left as any.
//
// With Options.Sites the emitted code also records the user's lines for the
// runtime: an await becomes asyncio.AwaitAt(x, "cell[N]:L"), and a call that
// makes a coroutine (its type is the model's coroutine) without being the
// operand of an await becomes asyncio.CreatedAt(call, "cell[N]:L"), so that
// a coroutine never awaited is reported at the line that made it. A cell
// without async or await is then type-checked too when it calls, by name, a
// function, method or variable of an earlier cell that makes coroutines.
//
// Nodes that are kept keep their positions and new nodes take the position
// of the node they replace, so that errors and tracebacks name the user's
// cell, line and column.
package autoawait
