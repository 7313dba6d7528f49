package interp

import (
	"testing"
	"time"
)

// TestLastValueWaitsForAGoroutineOfTheSameCell: a cell whose statements
// start a goroutine and whose last expression waits for it is correct Go.
// The statements and the last value must be one Eval: compiled separately,
// the value's chunk would be compiled while the goroutine runs
// interpreted code (a data race inside yaegi, its issue #140).
func TestLastValueWaitsForAGoroutineOfTheSameCell(t *testing.T) {
	r := newRunner(t)
	r.ok("base := 21")
	for range 5 {
		p := r.ok("res := make(chan int)\ngo func() {\n\tres <- base * 2\n}()\n<-res")
		if got := p.result(); got != "42" {
			t.Fatalf("result = %q, want 42", got)
		}
	}
}

// TestStatementsRunOnceWhenTheValueFormFails: when showing the last value
// fails to compile (here the session guesses two results for a method
// that has none, from a user type's method of the same name), the cell is
// compiled again without it; its statements must still run exactly once.
func TestStatementsRunOnceWhenTheValueFormFails(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"strings\"\ntype T struct{}\nfunc (T) Reset() (int, error) { return 1, nil }\nn := 0")
	p := r.ok("sb := &strings.Builder{}\nn++\nsb.WriteString(\"x\")\nsb.Reset()")
	if got := p.result(); got != "" {
		t.Fatalf("result = %q, want none", got)
	}
	r.expect("n", "1")
}

// TestLaterCellsAreOrderedAfterAnAbandonedCell: a cell stuck in a channel
// receive is abandoned after an interrupt; its goroutine stays parked
// without ever handing the interpreter back. What that goroutine wrote
// before its statements ran (compiling the chunk, growing the global frame
// for the cell's new variable, the event loop's bookkeeping) must happen
// before the later cells compile and run; so must the cell's numbering.
//
// The stuck receive reads no cell variable: a stuck statement that does
// (`<-ch` with ch declared by a cell) reads yaegi's global frame without a
// lock right before it blocks, and a later cell declaring a variable
// replaces that frame (yaegi's issue #140); nothing can order that read.
func TestLaterCellsAreOrderedAfterAnAbandonedCell(t *testing.T) {
	r := newRunner(t)
	r.ok("kept := 7")
	timer := time.AfterFunc(100*time.Millisecond, r.s.Interrupt)
	_, err := r.fails("fresh := 1\n<-make(chan int)")
	timer.Stop()
	if err.Name != "Interrupted" {
		t.Fatalf("error %s: %s", err.Name, err.Value)
	}
	r.expect("more := kept + 1\nmore", "8")
}
