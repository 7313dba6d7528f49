package interp

import (
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goawait/goawait/language"
)

// Issue 13: what a big cell, a hostile cell or a long session must not break.

func TestMultiByteOutputIsNeverSplitInsideARune(t *testing.T) {
	r := newRunner(t)
	p := r.ok("import (\"fmt\"; \"os\"; \"strings\")\nfmt.Print(strings.Repeat(\"日本語\", 100000))\nfmt.Fprint(os.Stderr, strings.Repeat(\"a€\", 50000))")
	if got, want := p.out("stdout"), strings.Repeat("日本語", 100000); got != want {
		t.Errorf("stdout: %d bytes, %d U+FFFD, want %d bytes", len(got), strings.Count(got, "\uFFFD"), len(want))
	}
	if got, want := p.out("stderr"), strings.Repeat("a€", 50000); got != want {
		t.Errorf("stderr: %d bytes, %d U+FFFD, want %d bytes", len(got), strings.Count(got, "\uFFFD"), len(want))
	}
}

// chunkPub records every Stream call separately.
type chunkPub struct {
	*fakePub
	chunks []string
}

func (p *chunkPub) Stream(name, text string) {
	p.fakePub.Stream(name, text)
	p.mu.Lock()
	p.chunks = append(p.chunks, text)
	p.mu.Unlock()
}

func TestEveryStreamChunkIsValidUTF8WhenTheOutputIs(t *testing.T) {
	s := newSession(t)
	p := &chunkPub{fakePub: newPub()}
	res := s.Execute(language.Cell{Code: "import (\"fmt\"; \"os\"; \"strings\")\nfmt.Print(strings.Repeat(\"日本語\", 100000))\nfmt.Fprint(os.Stderr, strings.Repeat(\"a€\", 50000))", ExecutionCount: 1}, p)
	if res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	for i, c := range p.chunks {
		if !utf8.ValidString(c) {
			t.Fatalf("chunk %d of %d is not valid UTF-8", i, len(p.chunks))
		}
	}
}

func TestInvalidUTF8OutputStillArrives(t *testing.T) {
	r := newRunner(t)
	p := r.ok("import \"os\"\nos.Stdout.Write([]byte{'a', 0xff, 'b', 0xe6, 0x97})")
	if got := p.out("stdout"); got != "a\xffb\xe6\x97" {
		t.Errorf("stdout = %q", got)
	}
}

func TestOutputThatLooksLikeAFlushMarkerIsOrdinaryOutput(t *testing.T) {
	r := newRunner(t)
	p := r.ok("import \"fmt\"\nfmt.Print(\"a\\x00goawait-flush:\")\nfmt.Print(\"b\")")
	if got := p.out("stdout"); got != "a\x00goawait-flush:b" {
		t.Errorf("stdout = %q", got)
	}
	p = r.ok("fmt.Print(\"c\\x00goawait-flush:1\\x00d\\x00goawait-flush:99\\x00e\")")
	if got := p.out("stdout"); got != "c\x00goawait-flush:1\x00d\x00goawait-flush:99\x00e" {
		t.Errorf("stdout = %q", got)
	}
	r.expect("1 + 1", "2")
}

func TestAFailedImportLeavesTheOtherPackagesUsable(t *testing.T) {
	r := newRunner(t)
	r.fails("import (\"fmt\"; \"nosuch/pkg\")")
	p := r.ok("import \"fmt\"\nfmt.Println(\"hi\")")
	if got := p.out("stdout"); got != "hi\n" {
		t.Errorf("stdout = %q", got)
	}
	r.fails("import (\"nosuch/pkg\"; \"strings\")")
	r.expect("import \"strings\"\nstrings.ToUpper(\"x\")", `"X"`)
	r.fails("import (s2 \"strings\"; \"nosuch/other\")\ns2.ToUpper(\"y\")")
	r.expect("import s2 \"strings\"\ns2.ToUpper(\"y\")", `"Y"`)
}

func TestALongSessionKeepsCompilingAndNamesItsCells(t *testing.T) {
	s := newSession(t)
	for _, n := range []int{1, 10737, 10738, 20001, 1 << 40} {
		p := newPub()
		res := s.Execute(language.Cell{Code: "x := 1\nx + 1", ExecutionCount: n}, p)
		if res.Err != nil {
			t.Fatalf("cell %d: %s", n, res.Err.Value)
		}
		if p.result() != "2" {
			t.Fatalf("cell %d shows %q", n, p.result())
		}
		res = s.Execute(language.Cell{Code: "\nundefinedName", ExecutionCount: n + 1}, newPub())
		if res.Err == nil || !strings.Contains(res.Err.Value, "cell["+strconv.Itoa(n+1)+"]:2:1") {
			t.Fatalf("cell %d: error %+v, want it at cell[%d]:2:1", n+1, res.Err, n+1)
		}
	}
}

func TestUserExpressionsEvaluateOnlyExpressions(t *testing.T) {
	r := newRunner(t)
	r.ok("x := 1")
	p := newPub()
	res := r.s.Execute(language.Cell{Code: "", ExecutionCount: 2, UserExpressions: map[string]string{
		"assign": "x = 99", "define": "y := 2", "decl": "var z = 3", "two": "x; x", "value": "x + 1",
	}}, p)
	if res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	for _, key := range []string{"assign", "define", "decl", "two"} {
		if st := res.UserExpressions[key].(map[string]any)["status"]; st != "error" {
			t.Errorf("%s: status %v, want error", key, st)
		}
	}
	v := res.UserExpressions["value"].(map[string]any)
	if v["status"] != "ok" || v["data"].(map[string]any)["text/plain"] != "2" {
		t.Errorf("value: %v", v)
	}
	r.n = 2
	r.expect("x", "1")
}

func TestRunawayRecursionFailsTheCellAndTheSessionLives(t *testing.T) {
	r := newRunner(t)
	r.ok("kept := 11")
	_, err := r.fails("func r(n int) int { return r(n+1) + 1 }\nr(0)")
	if !strings.Contains(err.Value, "stack overflow") {
		t.Fatalf("error %s: %s", err.Name, err.Value)
	}
	if len(err.Traceback) > 200 {
		t.Errorf("the traceback has %d lines", len(err.Traceback))
	}
	_, err = r.fails("f := func() {}\nvar g func(int)\ng = func(n int) { f(); g(n + 1) }\ng(0)")
	if !strings.Contains(err.Value, "stack overflow") {
		t.Fatalf("error %s: %s", err.Name, err.Value)
	}
	r.expect("kept", "11")
}

func TestAMakeThatCouldNeverFitFailsTheCell(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
	r := newRunner(t)
	r.ok("kept := 11")
	for _, code := range []string{
		"b := make([]byte, 1<<40)",
		"type big struct{ a [1 << 10]byte }\nbs := make([]big, 0, 1<<21)",
		"var n int64 = 1 << 28\nxs := make([]int64, n)",
		"ch := make(chan [64]byte, 1<<30)",
		"func alloc(n int) []byte { return make([]byte, n) }\nalloc(1 << 40)",
	} {
		_, err := r.fails(code)
		if !strings.Contains(err.Value, "memory limit") {
			t.Errorf("%s\nfails with %s: %s", code, err.Name, err.Value)
		}
	}
	r.expect("len(make([]byte, 1000)) + cap(make([]int, 0, 24))", "1024")
	r.expect("kept", "11")
}

// TestAWokenAbandonedCellDoesNotGiveItsValueToTheRunningCell: a cell
// abandoned after an interrupt may wake up later (its channel gets a
// value, the compiled loop it ran ends) and reach its last value while
// another cell runs; that value must not become the running cell's. The
// probe plays the woken cell: it records a last value from a goroutine
// that is not the running cell's, while the cell waits for it.
func TestAWokenAbandonedCellDoesNotGiveItsValueToTheRunningCell(t *testing.T) {
	r := newRunner(t)
	if err := r.s.Use(map[string]map[string]reflect.Value{
		"goawait/woken/woken": {
			"ShowFromAnotherGoroutine": reflect.ValueOf(func() {
				done := make(chan struct{})
				go func() {
					defer close(done)
					r.s.show(94838214, "94838214")
				}()
				<-done
			}),
		},
	}); err != nil {
		t.Fatal(err)
	}
	r.ok(`import "goawait/woken"`)
	if got := r.ok(`woken.ShowFromAnotherGoroutine()`).result(); got != "" {
		t.Fatalf("a cell without a value shows %q, recorded by another goroutine", got)
	}
	r.expect("woken.ShowFromAnotherGoroutine()\n2 + 3", "5")
}
