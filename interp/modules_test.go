package interp

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goawait/goawait/internal/modload"
	"github.com/goawait/goawait/internal/modload/modloadtest"
	"github.com/goawait/goawait/language"
)

// These tests import real modules through the module proxy (GOPROXY), as
// a kernel does; their plugins are built with the test binary's flags.
// Plugins stay loaded in the test process: tests that load the same
// module pick the same version, or the later one fails with a conflict.

// testBuildInfo is the test binary's build information with its modules
// (go list -deps -test, run once).
var testBuildInfo = sync.OnceValues(modloadtest.BuildInfo)

// moduleRunner returns a runner whose session imports modules, with a
// module cache of its own and, when gomod is set, that notebook go.mod.
func moduleRunner(t *testing.T, gomod string) *runner {
	t.Helper()
	bi, err := testBuildInfo()
	if err != nil {
		t.Fatal(err)
	}
	opt := &modload.Options{CacheDir: t.TempDir(), BuildInfo: bi}
	if gomod != "" {
		abs, err := filepath.Abs(gomod)
		if err != nil {
			t.Fatal(err)
		}
		opt.GoMod = abs
	}
	s, err := New(Options{Modules: opt})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return &runner{t: t, s: s}
}

// failsAt runs code, which must fail with a compile error at pos
// ("cell[N]:L:C") whose message holds every one of wants.
func (r *runner) failsAt(code, pos string, wants ...string) {
	r.t.Helper()
	_, e := r.fails(code)
	msg := strings.Join(e.Traceback, "\n")
	if e.Name != "CompileError" || !strings.HasPrefix(e.Value, pos+": ") {
		r.t.Errorf("cell %d: error %s %q, want a CompileError at %s", r.n, e.Name, e.Value, pos)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			r.t.Errorf("cell %d: the error does not say %q:\n%s", r.n, w, msg)
		}
	}
	r.t.Logf("cell %d: %s", r.n, msg)
}

func TestImportModule(t *testing.T) {
	r := moduleRunner(t, "")
	r.ok(`x := 41`)
	r.expect("import \"github.com/google/uuid\"\nid := uuid.New()\nlen(id.String())", "36")
	r.expect(`x + 1`, "42")
	r.expect("v := uuid.MustParse(\"f47ac10b-58cc-4372-8567-0e02b2c3d479\").Version()\nv", "VERSION_4")
	if got := r.s.Complete("uuid.NewS", 9).Matches; !slices.Contains(got, "uuid.NewString") && !slices.Contains(got, "NewString") {
		t.Errorf("completion of uuid.NewS: %q", got)
	}
	out := r.ok(`%go list`).out("stdout")
	if !strings.Contains(out, "github.com/google/uuid\tgithub.com/google/uuid v") {
		t.Errorf("%%go list does not list uuid:\n%s", out)
	}
}

func TestImportGenericModule(t *testing.T) {
	r := moduleRunner(t, "")
	if out := r.ok(`%go get github.com/google/btree@v1.1.2`).out("stdout"); !strings.Contains(out, "github.com/google/btree v1.1.2") {
		t.Errorf("%%go get printed %q", out)
	}
	r.ok(`n := 3`)
	r.ok("import \"github.com/google/btree\"\ntr := btree.NewOrderedG[int](2)\nfor _, v := range []int{5, 1, 4} { tr.ReplaceOrInsert(v) }")
	r.expect(`tr.Len()`, "3")
	r.expect("m, _ := tr.Min()\nm", "1")
	r.expect(`n`, "3")
	// A generic type with type arguments, and a second instance.
	r.expect("var t2 *btree.BTreeG[string] = btree.NewOrderedG[string](4)\nt2.ReplaceOrInsert(\"b\")\nn2 := t2.Len()\nn2", "1")
	// Type arguments inferred as Go infers them: from a variable of an
	// earlier cell, from a function literal, with a standard type.
	r.ok(`less := func(a, b int) bool { return a > b }`)
	r.expect("t3 := btree.NewG(2, less)\nt3.ReplaceOrInsert(7)\nt3.ReplaceOrInsert(9)\nmax3, _ := t3.Min()\nmax3", "9")
	r.expect("t4 := btree.NewG(2, func(a, b time.Duration) bool { return a < b })\nt4.ReplaceOrInsert(time.Second)\nd, _ := t4.Max()\nd", "1s")
	// From a variable the same cell declares: an error, not a guess.
	r.failsAt("more := func(a, b int) bool { return a < b }\nt5 := btree.NewG(2, more)", "cell[11]:2:7", "btree.NewG is generic", "more is declared in this cell", "write them: btree.NewG[...]")
	r.failsAt(`f := btree.NewOrderedG`, "cell[12]:1:6", "btree.NewOrderedG is generic: write its type arguments")
	r.ok(`type myInt int`)
	r.failsAt(`t6 := btree.NewOrderedG[myInt](2)`, "cell[14]:1:25", "myInt is not a type of a compiled package")
	r.expect(`tr.Len()`, "3")
	// A type argument outside the constraint: the compiler's message.
	r.failsAt(`btree.NewOrderedG[[]int](2)`, "cell[16]:1:1", "does not satisfy")
	out := r.ok(`%go list`).out("stdout")
	for _, want := range []string{"github.com/google/btree\tgithub.com/google/btree v1.1.2", "NewOrderedG[int]", "NewOrderedG[string]", "NewG[int]", "NewG[time.Duration]"} {
		if !strings.Contains(out, want) {
			t.Errorf("%%go list does not say %q:\n%s", want, out)
		}
	}
}

func TestImportFailures(t *testing.T) {
	r := moduleRunner(t, "testdata/notebook/go.mod")
	r.ok(`x := 1`)
	p := "github.com/goawait-test-no-such-owner/no-such-module"
	r.failsAt("y := 2\nimport \""+p+"\"", "cell[2]:2:8", `import "`+p+`"`, p)
	r.failsAt(`import "golang.org/x/sys/windows"`, "cell[3]:1:8", "build constraints exclude all Go files")
	r.failsAt("import (\n\t\"fmt\"\n\t\"example.com/nb/broken\"\n)", "cell[4]:3:2", "broken.go:5", `"two"`)
	// Nothing of the failed cells ran; the session goes on.
	r.fails(`y`)
	r.expect(`x`, "1")
	out := r.ok(`%go list`).out("stdout")
	if !strings.Contains(out, "no module packages loaded yet") {
		t.Errorf("%%go list after failed imports:\n%s", out)
	}
	_, e := r.fails(`%go get github.com/google/btree@v1.99.0`)
	if !strings.Contains(e.Value, "v1.99.0") {
		t.Errorf("%%go get of a version that does not exist: %q", e.Value)
	}
}

func TestCompiledOutputAndPanic(t *testing.T) {
	r := moduleRunner(t, "testdata/notebook/go.mod")
	p := r.ok("import \"example.com/nb/say\"\nsay.Hello(\"cell\")")
	if got := p.out("stdout"); got != "hello from compiled code, cell\n" {
		t.Errorf("stdout of compiled code: %q", got)
	}
	if got := p.out("stderr"); !strings.Contains(got, "compiled stderr\n") {
		t.Errorf("stderr of compiled code: %q", got)
	}
	// Output of a goroutine of compiled code goes to the cell that is
	// current when it writes.
	p = r.ok("done := make(chan struct{})\nsay.Later(\"later\", done)\n<-done")
	if got := p.out("stdout"); got != "later\n" {
		t.Errorf("stdout of a compiled goroutine: %q", got)
	}
	r.ok(`import "example.com/nb/boom"`)
	_, e := r.fails(`boom.Now("bang")`)
	if e.Name != "panic" || !strings.Contains(e.Value, "bang") {
		t.Errorf("a compiled panic: %s %q", e.Name, e.Value)
	}
	r.expect(`1 + 1`, "2")
}

func TestInterruptCompiledLoop(t *testing.T) {
	r := moduleRunner(t, "testdata/notebook/go.mod")
	r.ok(`import "example.com/nb/spin"`)
	syms := r.s.bin["example.com/nb/spin"]
	started := syms["Started"].Interface().(func() bool)
	stop := syms["Stop"].Interface().(func())
	defer stop()
	done := make(chan language.ExecuteResult)
	go func() {
		_, res := r.run(`spin.Until()`)
		done <- res
	}()
	for !started() {
		time.Sleep(time.Millisecond)
	}
	r.s.Interrupt()
	res := <-done
	if res.Err == nil || res.Err.Name != "Interrupted" || !strings.Contains(strings.Join(res.Err.Traceback, "\n"), "compiled code") {
		t.Fatalf("interrupting a compiled loop: %+v", res.Err)
	}
	stop()
	r.expect(`2 + 3`, "5")
}

// TestModuleAliasesAndTypes imports under other names, infers a type
// argument that is a module's type, and calls a module from async code.
func TestModuleAliasesAndTypes(t *testing.T) {
	r := moduleRunner(t, "")
	if out := r.ok(`%go list`).out("stdout"); !strings.Contains(out, "no module packages loaded yet") {
		t.Errorf("%%go list before any import:\n%s", out)
	}
	// The version TestImportGenericModule loads: a process runs one.
	r.ok(`%go get github.com/google/btree@v1.1.2`)
	r.expect("import u \"github.com/google/uuid\"\nlen(u.NewString())", "36")
	r.expect("import bt \"github.com/google/btree\"\nx := bt.NewOrderedG[int](3)\nx.ReplaceOrInsert(1)\nn := x.Len()\nn", "1")
	r.expect("import \"github.com/google/uuid\"\nvar ids []uuid.UUID\nids = append(ids, uuid.New())\nlen(ids)", "1")
	r.expect("g := bt.NewG(2, func(a, b uuid.UUID) bool { return a.String() < b.String() })\ng.ReplaceOrInsert(ids[0])\nm := g.Len()\nm", "1")
	if out := r.ok(`%go list`).out("stdout"); !strings.Contains(out, "github.com/google/btree.NewG[uuid.UUID]") {
		t.Errorf("%%go list does not list NewG[uuid.UUID]:\n%s", out)
	}
	r.expect("async func f() int { return len(uuid.NewString()) }\nawait f()", "36")
}
