package interp

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Probe is a host value whose collection the tests watch.
type Probe struct {
	ID  int
	Pad [1 << 12]byte // some weight
}

// probes records which probes were collected.
type probes struct {
	mu      sync.Mutex
	freed   map[int]bool
	reports chan int // what cells gave probe.Report
}

// newProbeRunner returns a runner whose cells can import "goawait/probe":
// probe.New(id) makes a Probe and watches its collection, probe.Report(v)
// hands v to the test.
func newProbeRunner(t *testing.T) (*runner, *probes) {
	t.Helper()
	r := newRunner(t)
	ps := &probes{freed: map[int]bool{}, reports: make(chan int, 16)}
	newProbe := func(id int) *Probe {
		p := &Probe{ID: id}
		runtime.SetFinalizer(p, func(*Probe) {
			ps.mu.Lock()
			ps.freed[id] = true
			ps.mu.Unlock()
		})
		return p
	}
	if err := r.s.Use(map[string]map[string]reflect.Value{
		"goawait/probe/probe": {
			"New":    reflect.ValueOf(newProbe),
			"Probe":  reflect.ValueOf((*Probe)(nil)),
			"Report": reflect.ValueOf(func(v int) { ps.reports <- v }),
		},
	}); err != nil {
		t.Fatal(err)
	}
	r.ok(`import "goawait/probe"`)
	return r, ps
}

// collected tells whether the probe id is collected after a few GCs.
func (ps *probes) collected(id int) bool {
	for range 20 {
		runtime.GC()
		ps.mu.Lock()
		done := ps.freed[id]
		ps.mu.Unlock()
		if done {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

func TestRedeclaredVariableReleasesItsOldValue(t *testing.T) {
	r, ps := newProbeRunner(t)
	steps := []string{
		"data := probe.New(1)",
		"data := probe.New(2)",       // := again
		"var data = probe.New(3)",    // a var declaration
		"data, n := probe.New(4), 1", // with another name
		"var data *probe.Probe\ndata = probe.New(5)",
		"data := \"now a string\"", // another type
	}
	for i, code := range steps {
		r.ok(code)
		if i == 0 {
			continue
		}
		if !ps.collected(i) {
			t.Fatalf("after %q, the value of the previous declaration (probe %d) is still held", code, i)
		}
		if i < len(steps)-1 {
			if got := r.ok("data.ID").result(); got != (map[int]string{1: "2", 2: "3", 3: "4", 4: "5"})[i] {
				t.Fatalf("after %q: data.ID = %s", code, got)
			}
		}
	}
	r.expect("data", `"now a string"`)
	// Re-running a cell keeps one value.
	for i := 10; i < 14; i++ {
		r.ok("big := probe.New(" + strconv.Itoa(i) + ")")
		if i > 10 && !ps.collected(i-1) {
			t.Fatalf("re-running the cell kept probe %d", i-1)
		}
	}
}

// A call's result in top-level code lives in a slot of yaegi's global
// frame: the session clears it once the chunk ran.
func TestTemporariesOfTopLevelCodeAreReleased(t *testing.T) {
	r, ps := newProbeRunner(t)
	r.ok("id := probe.New(1).ID")
	r.ok("var id2 = probe.New(2).ID")
	r.ok("for i := 0; i < 3; i++ {\n\t_ = probe.New(3 + i).ID\n}")
	r.ok("probe.New(6).ID")
	for id := 1; id <= 6; id++ {
		if !ps.collected(id) {
			t.Fatalf("probe %d, used only by top-level code, is still held", id)
		}
	}
	r.expect("id + id2", "3")
}

// yaegi's temporaries may alias other memory (obj.ID reads through a
// Value of *obj): clearing them must not clear what they point into.
func TestClearingTemporariesKeepsTheDataTheyReadFrom(t *testing.T) {
	r, _ := newProbeRunner(t)
	r.ok("obj := probe.New(5)\ntype P struct {\n\tA int\n\tB []int\n}\npp := &P{A: 3, B: []int{1}}")
	r.ok("n := obj.ID\nm := pp.B\nk := pp.A")
	for expr, want := range map[string]string{"obj.ID": "5", "*pp": "{A:3 B:[1]}", "n + k": "8", "m": "[1]"} {
		if got := r.ok(expr).result(); got != want {
			t.Fatalf("%s = %s, want %s", expr, got, want)
		}
	}
}

// Variables of top-level blocks live in the global frame too, and
// goroutines may use them after the chunk: they are kept. (The test waits
// for the goroutines without running a cell: yaegi cannot run one while
// interpreted goroutines run, its issue #140.)
func TestGoroutinesKeepTheirTopLevelVariables(t *testing.T) {
	r, ps := newProbeRunner(t)
	r.ok("import \"time\"\nfunc send(v int) {\n\ttime.Sleep(50 * time.Millisecond)\n\tprobe.Report(v)\n}")
	r.ok("v := 21\n{\n\tw := v * 2\n\tgo func() {\n\t\ttime.Sleep(50 * time.Millisecond)\n\t\tprobe.Report(w)\n\t}()\n}\ngo send(v + 1)")
	sum := 0
	for range 2 {
		select {
		case v := <-ps.reports:
			sum += v
		case <-time.After(5 * time.Second):
			t.Fatal("a goroutine did not report")
		}
	}
	if sum != 64 {
		t.Fatalf("the goroutines reported %d in all, want 42 + 22", sum)
	}
}

func TestOldClosureSeesTheRedeclaredValue(t *testing.T) {
	r := newRunner(t)
	r.ok("x := 1")
	r.ok("get := func() int { return x }")
	r.ok("x := 2")
	r.expect("get()", "2")
	r.ok("var x = 3")
	r.expect("get()", "3")
	// Later assignments go to the new variable only: the closure keeps the
	// value of the last redeclaration.
	r.ok("x = 4")
	r.expect("get()", "3")
	// Another type: the closure's variable is set to its zero value.
	r.ok(`x := "s"`)
	r.expect("get()", "0")
}

func TestFunctionsUsingARedeclaredVariableAreRecompiled(t *testing.T) {
	r := newRunner(t)
	r.ok("x := 1")
	r.ok("func getX() int { return x }\nfunc twice() int { return getX() * 2 }")
	r.ok("x := 2")
	r.expect("getX()", "2")
	r.ok("x = 5")
	r.expect("twice()", "10")
	// A changed type: getX no longer compiles; the cell says so and
	// calling getX fails with what to do.
	p := r.ok(`x := "s"`)
	if got := p.out("stderr"); !strings.Contains(got, "note: getX (cell[2]) no longer compiles") || !strings.Contains(got, "cell[2]:1:") {
		t.Fatalf("stderr = %q", got)
	}
	r.expect("x", `"s"`)
	for _, call := range []string{"getX()", "twice()"} {
		_, err := r.fails(call)
		if !strings.Contains(err.Value, "getX (cell[2]) no longer compiles") || !strings.Contains(err.Value, "redefine it") {
			t.Fatalf("%s: error = %s: %s", call, err.Name, err.Value)
		}
	}
	// x an int again: getX is back.
	r.ok("x := 7")
	r.expect("twice()", "14")
	// Redefining getX itself works as before.
	r.ok("func getX() int { return x + 1 }")
	r.expect("twice()", "16")
}

func TestRedeclarationInAFailedCellChangesNothing(t *testing.T) {
	r := newRunner(t)
	r.ok("x := 1\nfunc getX() int { return x }")
	for _, code := range []string{
		"panic(\"before\")\nx := 2",           // fails before the declaration
		"x := 3\nundefinedThing()",            // does not compile
		"var x = 4\nvar y = undefinedThing()", // a declaration that does not compile
		"x, err := 5, undefinedThing()",
	} {
		r.fails(code)
		for expr, want := range map[string]string{"x": "1", "getX()": "1"} {
			if got := r.ok(expr).result(); got != want {
				t.Fatalf("after %q: %s = %s, want %s", code, expr, got, want)
			}
		}
	}
	// A declaration that ran before the cell failed took effect.
	r.fails("x := 6\npanic(\"after\")")
	for expr, want := range map[string]string{"x": "6", "getX()": "6"} {
		if got := r.ok(expr).result(); got != want {
			t.Fatalf("after a failure past the declaration: %s = %s, want %s", expr, got, want)
		}
	}
}

func TestConstantRedeclarationRecompilesItsUsers(t *testing.T) {
	r := newRunner(t)
	r.ok("const limit = 1\nfunc getLimit() int { return limit }")
	r.ok("const limit = 2")
	r.expect("getLimit()", "2")
}

// Callers are recompiled together: a caller compiled before its callee
// would keep calling the old callee.
func TestRedefinitionReachesCallersOfCallers(t *testing.T) {
	r := newRunner(t)
	r.ok("func f() int { return 1 }\nfunc z() int { return f() }\nfunc a() int { return z() }")
	r.ok("func f() int { return 2 }")
	r.expect("a()", "2")
}

// A cell that fails to compile after declaring a new global leaves yaegi's
// global frame shorter than its globals: later cells must not crash.
func TestCompileErrorDeclaringAGlobalKeepsTheSessionUsable(t *testing.T) {
	r := newRunner(t)
	r.ok("func f() int { return 1 }")
	r.fails("fresh := 1\nundefinedThing()")
	r.expect("f()", "1")
}

// heapAfterGC returns the live heap.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// The measured bug: each run of this cell kept its tasks (about 10 MB
// for 20,000).
func TestGatherCellRunAgainKeepsTheHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 80,000 tasks")
	}
	r := newRunner(t)
	r.ok("async func nap() int {\n\tawait asyncio.Sleep(0)\n\treturn 1\n}")
	code := "var naps []any\nfor i := 0; i < 20000; i++ {\n\tnaps = append(naps, nap())\n}\nres := await asyncio.Gather(naps...)\nlen(res)"
	var heaps []uint64
	for range 4 {
		r.expect(code, "20000")
		heaps = append(heaps, heapAfterGC())
	}
	t.Logf("heap after each run: %v", heaps)
	const bound = 4 << 20
	if grew := int64(heaps[3]) - int64(heaps[1]); grew > bound {
		t.Fatalf("heap after GC grew by %d kB from run 2 to run 4 (%v): a run keeps what earlier runs made", grew>>10, heaps)
	}
}

// A redeclared variable reads its old value until the redeclaration runs:
// in its own right-hand side and in the statements before it.
func TestRedeclarationReadsTheOldValueUntilItRuns(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nx := 1\ns := []int{1, 2}")
	r.expect("x := x + 1\nx", "2")
	r.expect("s := append(s, 3)\ns", "[1 2 3]")
	out := r.ok("fmt.Println(x)\nvar x = 10\nfmt.Println(x)")
	if got := out.out("stdout"); got != "2\n10\n" {
		t.Errorf("before and after var x = 10: %q, want \"2\\n10\\n\"", got)
	}
	r.expect("n, x := 5, x * 3\nx + n", "35")
}
