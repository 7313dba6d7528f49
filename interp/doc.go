// Package interp is goawait's Go session: one persistent yaegi interpreter
// that implements language.Interpreter.
//
// A cell is parsed by internal/cell into imports, declarations and
// statements in any order. Each piece becomes one Eval chunk (declarations
// in file mode, statements wrapped by yaegi in a function whose top-level
// := are globals; the last statements and the cell's last value share one
// Eval, since yaegi cannot compile while a goroutine the statements started
// runs), printed with line directives so that errors name the
// user's cell, line and column. Directives carry no file name (yaegi only
// resolves earlier imports in such code): cell N line L is the virtual line
// N*100000+L, decoded back to "cell[N]:L:C" in every message.
//
// Before emitting, the session rewrites the cell's AST:
//   - main is renamed main_ everywhere (yaegi would run main after every Eval);
//   - min, max and clear call prelude generics and a host helper; slices.Sort,
//     Sorted, Collect, Values, maps.Keys, Values and friends call prelude
//     shims (yaegi's source copy of slices and maps stops at Go 1.22);
//   - `for k := range maps.Keys(m)` (and maps.Values/All, slices.All/Values,
//     strings/bytes Lines, SplitSeq, FieldsSeq...) become ranges over the
//     map, the slice or a collected slice: yaegi cannot range over funcs;
//   - every loop body counts iterations and calls a host checkpoint every
//     1024, which unwinds the cell when an interrupt is pending;
//   - `go f(a)` evaluates f and a, then runs them in a goroutine whose
//     deferred interpreted function recovers a panic and reports it on
//     stderr instead of ending the process.
//
// # Last value
//
// When the cell's last top-level statement is an expression, its value is
// the execute_result: strings are Go-quoted, functions show their type,
// everything else is fmt's %+v computed inside the interpreter (so String
// and Error methods of interpreted types apply), a nil value shows nothing.
// A call shows its value when it has exactly one result; when it has two,
// only a non-nil error in last place is shown (strconv.Atoi("x") shows the
// error, fmt.Println shows nothing); calls whose result count cannot be
// known from the session's declarations and symbol tables show nothing.
//
// # Redefinition
//
// Variables and constants can be redeclared (x := 1, then x := "s").
// yaegi gives each declaration a new variable and keeps the old one, which
// code compiled earlier still uses (rebind.go): once the declaration has
// run, the session sets the old variables to the new value when the type
// is the same (a closure stored earlier sees the value x has at the
// redeclaration, not later assignments), else to their zero value, so the
// old value is freed. It also clears, after each chunk, the slots yaegi
// gives the intermediate values of top-level code (a call's result, an
// index...) in its global frame, which would keep them too (temps.go).
// Redefining a function, or redeclaring a variable or constant,
// recompiles (in one Eval) the earlier functions that use it, directly or
// through other functions, so old callers see the new one (closures
// already stored in variables keep the old code; methods cannot be
// recompiled and keep reading the old variable, updated as above). The
// statements of the cell that redeclares x still call the old functions
// (`x := 2` then `getX()` in one cell gives the old x). A function that
// no longer compiles (x changed type, a callee changed signature) is
// replaced by one that panics with the compile error, and a note says so;
// redeclaring x with a type that fits brings it back. A cell that fails
// before its declaration of x ran leaves x as it was (for another type,
// yaegi has already bound x to the new type's zero value). yaegi cannot
// redefine types and methods: re-running the same declaration is
// accepted and ignored, a changed one fails with
// "type T is already defined in cell[2]; yaegi cannot redefine types:
// restart the kernel to change it".
//
// # Output, input, errors
//
// The interpreter's stdout and stderr are os.Pipe write ends, so whatever
// writes them (fmt, log, println, os.Stdout.Write, goroutines, child
// processes given os.Stdout) reaches the publisher current when the bytes
// are read; Execute flushes with markers before it returns. yaegi's panic
// trace lines are taken out of stderr and become the error's traceback.
// os.Stdin is an io.Reader in cells (not an *os.File): reading it or
// fmt.Scan* asks the publisher for a line; without allow_stdin the read
// fails at once. os.Exit(n) fails the cell with "os.Exit(n) called";
// log.Fatal panics; time.AfterFunc callbacks that panic are reported.
//
// # Interrupt
//
// Interrupt unwinds loops at their next checkpoint and wakes time.Sleep
// (both only on the goroutine running the cell). A cell blocked elsewhere
// (channel, lock, I/O) is abandoned after one second: Execute returns the
// "Interrupted" error and the goroutine stays parked; if it ever wakes it
// runs concurrently with later cells (yaegi is not safe for that). Each
// statement chunk first calls a host Publish, which the session acquires
// before it abandons the goroutine: what the parked goroutine wrote
// compiling and preparing the chunk happens before later cells. A read of
// a cell variable by the blocked statement itself (`<-ch`) cannot be
// ordered: a later cell that declares a variable replaces yaegi's global
// frame, which that read used without a lock (the race detector reports
// it, though the goroutine stays parked).
// Goroutines started by earlier cells are not interrupted. A task of an
// earlier cell that holds the event loop without awaiting is: if the
// interrupted cell has not stopped within 100 ms, checkpoints and
// time.Sleep also unwind code on a task's goroutine (the only one that
// runs is the task holding the loop), and the cell fails saying a
// background task was stopped.
//
// # The async dialect
//
// By default (unless Options.NoAsync) the session is goawait's full
// language: autoawait rewrites async/await into plain Go before the cell is
// emitted, and every cell runs as a task of one asyncio runtime that lives
// as long as the session (async.go). The runtime switches the session's
// output to the cell that created a task whenever that task runs, so
// background output lands in its own cell; interrupt cancels the cell's
// task at its await, and an abandoned cell gives the loop back.
//
// Options.Rewrite, Run, OnInterrupt and OnAbandon replace those parts (a
// test can run a bare session); Session.SetOutput(owner) flushes and routes
// output to another publisher; Session.Use adds host symbols (call it
// before the first cell).
//
// # Comforts
//
// A standard package used without an import is imported, once, with a note
// on stderr (autoimport.go). Lines starting with % or ! at column 1 are
// magics (%time, %timeit, %who, %whos, %env, %cd, %pwd, %reset, %help,
// %lsmagic, !cmd, and cell magics such as %%html and %%bash; magics.go). A
// last line `name?` or `?name` (`??` for more) opens the name's doc in the
// pager (help.go). A last value whose type has HTML, Markdown, SVG, PNG,
// JPEG, LaTeX or MIMEBundle methods, or that is an image.Image, is shown
// richly with a text/plain fallback (rich.go); cells display anything with
// the goawait/display package.
package interp
