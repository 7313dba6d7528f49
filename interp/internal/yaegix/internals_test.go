package yaegix

import (
	"bytes"
	"go/token"
	"reflect"
	"testing"
)

func newTestInterp(t *testing.T) *Interp {
	t.Helper()
	var out bytes.Buffer
	return New(Options{Stdout: &out, Stderr: &out, Env: []string{}})
}

func mustEval(t *testing.T, x *Interp, src string) {
	t.Helper()
	if err := x.Eval(src); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
}

// TestProbe: the fields internals.go reaches have the names and types it
// expects, and reading and writing them does what Release, MarkTemps and
// ClearTemps rely on. If this fails, yaegi's insides changed (go.mod moved
// to another yaegi): internals.go must be brought up to date; until then
// sessions run, but keep every cell's code and temporaries.
func TestProbe(t *testing.T) {
	x := newTestInterp(t)
	if _, err := probe(x.in); err != nil {
		t.Fatal(err)
	}
	if x.ins == nil {
		t.Fatal("New did not keep the probed fields")
	}

	mustEval(t, x, "func f() int { return 1 }")
	mark := x.MarkTemps()
	if !mark.ok {
		t.Fatal("no mark of the global frame after an Eval")
	}
	mustEval(t, x, "n := len(make([]int, 3)) + f()\nfor i := 0; i < 1; i++ {\n\tk := n\n\t_ = k\n}")
	roots, scopes, ok := x.Unreleased()
	if !ok || roots == 0 || scopes == 0 {
		t.Fatalf("before Release: %d roots, %d child scopes (ok %v); want some", roots, scopes, ok)
	}

	// The chunk's temporaries are cleared; its variables, the package's
	// (n) and its block's (k), are not.
	data := *x.ins.data
	if len(data) <= mark.slots {
		t.Fatalf("the chunk added no slot to the frame (%d, mark %d)", len(data), mark.slots)
	}
	main, _ := x.ins.mainScope()
	vars := variableSlots(x.ins, main, mark)
	if len(vars) < 2 {
		t.Fatalf("variables of the chunk found: %v, want n and k", vars)
	}
	x.ClearTemps(mark)
	for i := mark.slots; i < len(*x.ins.data); i++ {
		if v := (*x.ins.data)[i]; !vars[i] && v.IsValid() && !v.IsZero() {
			t.Errorf("slot %d, a temporary, holds %v after ClearTemps", i, v)
		}
	}
	if n := x.Globals()["n"]; !n.IsValid() || n.Int() != 4 {
		t.Errorf("n = %v after ClearTemps, want 4", n)
	}

	files := 0
	x.FileSet().Iterate(func(*token.File) bool { files++; return true })
	x.Release()
	if roots, scopes, _ := x.Unreleased(); roots != 0 || scopes != 0 {
		t.Errorf("after Release: %d roots, %d child scopes", roots, scopes)
	}
	left := 0
	x.FileSet().Iterate(func(*token.File) bool { left++; return true })
	if left >= files {
		t.Errorf("Release left %d of %d files in the FileSet (the first-token and build-tag passes' files go at once)", left, files)
	}
	mustEval(t, x, "m := f() + n")
	if m := x.Globals()["m"]; !m.IsValid() || m.Int() != 5 {
		t.Errorf("code released by Release no longer runs: m = %v", m)
	}
}

// TestSettleKeepsOldCodeInStep: code compiled against a variable's
// earlier slot sees the value it was declared again with; another type
// zeroes the old slot; a declaration that did not run keeps the old value.
func TestSettleKeepsOldCodeInStep(t *testing.T) {
	x := newTestInterp(t)
	mustEval(t, x, "x := 1\nget := func() int { return x }")
	redeclare := func(src string, ran bool) []string {
		t.Helper()
		before := x.Slots([]string{"x"})
		mustEval(t, x, src)
		return x.Settle(Redeclaration{Names: []string{"x"}, Before: before, Ran: func(string) bool { return ran }})
	}
	if changed := redeclare("x := 2", true); !reflect.DeepEqual(changed, []string{"x"}) {
		t.Fatalf("changed %v, want [x]", changed)
	}
	mustEval(t, x, "got := get()")
	if got := x.Globals()["got"]; got.Int() != 2 {
		t.Fatalf("the old closure sees %v, want 2", got)
	}
	if changed := redeclare("x = 3", true); len(changed) != 0 {
		t.Fatalf("an assignment counts as a redeclaration: %v", changed)
	}
	redeclare("x := 7", false)
	if got := x.Globals()["x"]; got.Int() != 3 {
		t.Fatalf("a declaration that did not run changed x to %v", got)
	}
	redeclare(`x := "s"`, true)
	mustEval(t, x, "got2 := get()")
	if got := x.Globals()["got2"]; got.Int() != 0 {
		t.Fatalf("the old closure sees %v after x changed type, want 0", got)
	}
}
