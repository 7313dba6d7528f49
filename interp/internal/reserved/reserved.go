// Package reserved names what goawait adds to the code a cell becomes:
// the identifiers it declares in the interpreter's main package, the
// package of host helpers that code imports, and those helpers. The
// packages that write such code (the lowerings, the session's planner,
// the magics, rich display) take the names from here, so that they agree;
// a cell that uses one of them may break.
package reserved

// Names in the interpreter's main package.
const (
	// Prefix starts every name goawait declares in the interpreter's main
	// package (the prelude's helpers, temporaries, counters).
	Prefix = "__goawait_"
	// Main is what a cell's function main is renamed to: yaegi would run
	// a function main after every later Eval.
	Main = "main_"
	// Fmt, Sort and Errors are the names the prelude imports fmt, sort
	// and errors under.
	Fmt    = "__gofmt"
	Sort   = "__gosort"
	Errors = "__goerrors"
)

// The package of host helpers, which the session provides and cells'
// code calls.
const (
	// Runtime is the name the helpers' package is imported under.
	Runtime = "__gort"
	// RuntimePath is its import path; RuntimeExports its key in yaegi's
	// symbol tables (import path, then package name).
	RuntimePath    = "goawait/internal/rt"
	RuntimeExports = RuntimePath + "/rt"
)

// The host helpers that lowered code calls (members of Runtime).
const (
	// Checkpoint is called by loops every few iterations: it unwinds an
	// interrupted cell.
	Checkpoint = "Checkpoint"
	// Clear implements the clear builtin.
	Clear = "Clear"
	// Strings and Bytes collect a sequence of strings or []byte into a
	// slice (a range over strings.Lines and friends).
	Strings = "Strings"
	Bytes   = "Bytes"
	// Print and Println are the print and println builtins.
	Print   = "Print"
	Println = "Println"
	// Declared(mark) records that a declaration of a name an earlier cell
	// declared ran; Seed(name, &v) gives the new variable the old value.
	Declared = "Declared"
	Seed     = "Seed"
	// EmbedFile(name) is the text of a file a //go:embed directive
	// names.
	EmbedFile = "EmbedFile"
	// Recovered(recover()) is the value the panic was called with.
	Recovered = "Recovered"
	// GoPanic reports the panic of a goroutine a cell started.
	GoPanic = "GoPanic"
	// Show and Show2 record a cell's last value (one value; a value and
	// an error).
	Show  = "Show"
	Show2 = "Show2"
	// Publish starts every statement chunk (see the session's runState).
	Publish = "Publish"
	// StackCheck starts every function of a cell: it panics when the
	// goroutine's stack has grown too far (runaway recursion).
	StackCheck = "StackCheck"
	// MakeLen(elem, n) returns n, or panics when n elements of the type
	// elem points to could never fit under the memory limit.
	MakeLen = "MakeLen"
)
