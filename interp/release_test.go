package interp

import (
	"go/token"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// collectCells collects garbage until the cleanups of collected roots have
// taken their files out of the FileSet (they run on another goroutine).
func collectCells(s *Session) {
	for range 20 {
		runtime.GC()
		time.Sleep(2 * time.Millisecond)
		if fileCount(s) < 100 {
			return
		}
	}
}

// releasedHeap returns the live heap, in bytes.
func releasedHeap(s *Session) uint64 {
	collectCells(s)
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// fileCount counts the files of the interpreter's FileSet.
func fileCount(s *Session) int {
	n := 0
	s.in.FileSet().Iterate(func(*token.File) bool { n++; return true })
	return n
}

// TestSessionReleasesCells: after a cell, the interpreter holds no root
// node and no child scope of the main package's scope (yaegix's Release
// ran). If this fails, the session no longer releases compiled cells, or
// yaegi's insides changed (yaegix's TestProbe says which).
func TestSessionReleasesCells(t *testing.T) {
	r := newRunner(t)
	r.ok("x := 1\nfunc f() int { return x }\nf()")
	roots, scopes, ok := r.s.in.Unreleased()
	if !ok {
		t.Fatal("the session does not release compiled cells")
	}
	if roots != 0 {
		t.Errorf("%d roots left after a cell", roots)
	}
	if scopes != 0 {
		t.Errorf("the main scope keeps %d child scopes after a cell", scopes)
	}
}

// TestCellGrowthBounded: a session running trivial cells grows by little
// per cell. Before yaegix's Release, yaegi kept every cell's nodes, scopes, types
// and file (about 12 kB a cell with these cells; 39 kB for a cell with a
// go statement); what is left is a few slots of yaegi's global frame per
// cell (its temporaries; about 150 B), the cell's source kept for
// tracebacks and, under the race detector, some bookkeeping: about 0.3 kB
// a cell. 3 kB leaves room for the garbage collector's timing and the
// race detector, and fails if nodes of each cell are kept again.
func TestCellGrowthBounded(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nx := 0\ni := 0")
	cells := []string{"x = x + 1", "fmt.Println(i)", "x", "await asyncio.Sleep(0)", "go func() { _ = 1 }()"}
	for k := range 50 {
		r.ok(cells[k%len(cells)])
	}
	const n = 500
	before := releasedHeap(r.s)
	for k := range n {
		r.ok(cells[k%len(cells)])
	}
	after := releasedHeap(r.s)
	per := (int64(after) - int64(before)) / n
	t.Logf("heap growth per cell: %d B", per)
	if per > 3000 {
		t.Errorf("the heap grows by %d B per cell, want under 3000: compiled cells are kept again", per)
	}
	if f := fileCount(r.s); f > 100 {
		t.Errorf("the FileSet holds %d files after %d cells", f, n+51)
	}
}

// TestReleaseKeepsBackgroundTask: a task a cell started keeps running,
// and printing to that cell, while later cells run and their code is
// released.
func TestReleaseKeepsBackgroundTask(t *testing.T) {
	r := newRunner(t)
	bg := r.ok(`import "time"
ticks := 0
async func tick() {
	for k := 0; ; k++ {
		ticks++
		fmt.Println("tick", k)
		await asyncio.Sleep(time.Millisecond)
	}
}
ticker := asyncio.CreateTask(tick())`)
	for k := range 60 {
		r.ok("y" + strconv.Itoa(k%3) + " := " + strconv.Itoa(k) + "\nawait asyncio.Sleep(0)")
	}
	collectCells(r.s)
	seen := strings.Count(bg.out("stdout"), "tick")
	p := r.ok("await asyncio.Sleep(50 * time.Millisecond)\nticks")
	collectCells(r.s)
	p2 := r.ok("await asyncio.Sleep(50 * time.Millisecond)\nticks")
	a, _ := strconv.Atoi(p.result())
	b, _ := strconv.Atoi(p2.result())
	if a == 0 || b <= a {
		t.Errorf("the task stopped counting: ticks %d then %d", a, b)
	}
	if now := strings.Count(bg.out("stdout"), "tick"); now <= seen {
		t.Errorf("the task stopped printing to its cell: %d lines, then %d", seen, now)
	}
	r.ok("ticker.Cancel()")
}

// TestReleaseKeepsGoroutine: a goroutine a cell started keeps running the
// cell's code after later cells are released. The goroutine touches no
// session variable: reading yaegi's global frame while a later cell grows
// it is a data race inside yaegi (its issue #140), which -race reports.
func TestReleaseKeepsGoroutine(t *testing.T) {
	r := newRunner(t)
	r.ok(`import (
	"sync/atomic"
	"time"
)
func count(n *int64, stop chan bool) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		atomic.AddInt64(n, 1)
		time.Sleep(time.Millisecond)
	}
}
n := new(int64)
stop := make(chan bool)`)
	r.ok("go count(n, stop)")
	for k := range 60 {
		r.ok("z" + strconv.Itoa(k%3) + " := " + strconv.Itoa(k))
	}
	collectCells(r.s)
	a, _ := strconv.Atoi(r.ok("atomic.LoadInt64(n)").result())
	time.Sleep(50 * time.Millisecond)
	collectCells(r.s)
	b, _ := strconv.Atoi(r.ok("atomic.LoadInt64(n)").result())
	if a == 0 || b <= a {
		t.Errorf("the goroutine stopped: count %d then %d", a, b)
	}
	r.ok("close(stop)")
}

// TestReleaseKeepsClosuresAndFunctions: closures stored in variables
// (capturing a session variable, or a variable of a top-level block),
// functions and generic functions stay callable in later cells;
// redefining a function still reaches its earlier callers; a panic in old
// code still reports its cell and line (its file stays in the FileSet).
func TestReleaseKeepsClosuresAndFunctions(t *testing.T) {
	r := newRunner(t)
	r.ok("k := 40\nadd := func(a int) int { return a + k }")
	r.ok("var getter func() int\nfor i := 0; i < 1; i++ {\n\tv := 41\n\tgetter = func() int { return v + 1 }\n}")
	r.ok("func sq(n int) int { return n * n }\nfunc useSq() int { return sq(3) }")
	r.ok("func boom(n int) int {\n\treturn 10 / n\n}")
	r.ok("func first[T any](xs []T) T {\n\treturn xs[0]\n}\nfirst([]int{1})")
	for k := range 80 {
		r.ok("w" + strconv.Itoa(k%4) + " := " + strconv.Itoa(k) + "\nw" + strconv.Itoa(k%4))
	}
	collectCells(r.s)
	for code, want := range map[string]string{
		"add(2)":   "42",
		"getter()": "42",
		"sq(7)":    "49",
		"useSq()":  "9",
		// A new instance of a generic function of an old cell.
		`first([]string{"a"})`: `"a"`,
	} {
		if got := r.ok(code).result(); got != want {
			t.Errorf("%s = %s, want %s", code, got, want)
		}
	}
	r.ok("func sq(n int) int { return n * n * n }")
	collectCells(r.s)
	r.expect("useSq()", "27")
	r.expect("sq(2)", "8")
	for code, where := range map[string]string{"boom(0)": "cell[4], line 2", "first([]float64{})": "cell[5], line 2"} {
		_, err := r.fails(code)
		if tb := strings.Join(err.Traceback, "\n"); !strings.Contains(tb, where) {
			t.Errorf("the panic of %s does not show %s:\n%s", code, where, tb)
		}
	}
}
