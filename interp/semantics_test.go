package interp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// printsGo runs cells in order in one session and fails the test unless
// each succeeds and the last one's standard output is want, what go run
// prints for the same program.
func printsGo(t *testing.T, want string, cells ...string) {
	t.Helper()
	r := newRunner(t)
	var p *fakePub
	for _, c := range cells {
		p = r.ok(c)
	}
	if got := p.out("stdout"); got != want {
		t.Fatalf("cell %d:\n%s\nprints %q, want %q", r.n, cells[len(cells)-1], got, want)
	}
}

// TestNewOfValue: Go 1.26's new(v) points at a new variable holding v.
func TestNewOfValue(t *testing.T) {
	printsGo(t, "42 *int x -1.5 3 *int32 0 8 0\n", `type pt struct{ X int }`, `import "fmt"
func g[T any]() *T { return new(T) }
func h(x int) *int { return new(x * 2) }
p := new(42)
s := new("x")
f := new(-1.5)
q := new(pt{3})
r := new(int)
z := new(pt)
fmt.Println(*p, fmt.Sprintf("%T", p), *s, *f, q.X, fmt.Sprintf("%T", new('a')), *r, *h(4), z.X + *g[int]())`)
}

// TestRecoverGivesThePanicValue: recover() returns what panic was called
// with (yaegi hands back its reflect.Value), and *runtime.PanicNilError
// for panic(nil).
func TestRecoverGivesThePanicValue(t *testing.T) {
	printsGo(t, "true boom\ntrue wrapped: x\nstring str\nint 42\ntrue panic called with nil argument\ntrue panic called with nil argument\n", `import ("errors"; "fmt"; "runtime")
func try(f func()) {
	defer func() {
		r := recover()
		if e, ok := r.(error); ok {
			fmt.Println(ok, e)
		}
		if s, ok := r.(string); ok {
			fmt.Println("string", s)
		}
		if n, ok := r.(int); ok {
			fmt.Println("int", n)
		}
		if _, ok := r.(*runtime.PanicNilError); ok {
			fmt.Println(ok, r)
		}
	}()
	f()
}
try(func() { panic(errors.New("boom")) })
try(func() { panic(fmt.Errorf("wrapped: %w", errors.New("x"))) })
try(func() { panic("str") })
try(func() { panic(42) })
try(func() { panic(nil) })`)
}

// TestCellsOwnCommandLine: cells assign os.Args (at top level and in a
// function), and flag parses it with their own flag.CommandLine, not the
// kernel's command line.
func TestCellsOwnCommandLine(t *testing.T) {
	printsGo(t, "5 [rest] [prog -n 5 rest] 1\n[prog -n 5 rest z]\n", `import ("flag"; "fmt"; "os")
os.Args = []string{"prog", "-n", "5", "rest"}
n := flag.Int("n", 1, "num")
flag.Parse()
fmt.Println(*n, flag.Args(), os.Args, flag.NArg())
func main() { os.Args = append(os.Args, "z"); fmt.Println(os.Args) }
main()`)
	r := newRunner(t)
	p, err := r.fails(`import ("flag"; "os")
os.Args = []string{"prog", "-bad"}
flag.Parse()`)
	if err.Value != "os.Exit(2) called" || !strings.Contains(p.out("stderr"), "flag provided but not defined: -bad") {
		t.Fatalf("a bad flag gives %s: %s, stderr %q; want os.Exit(2) after flag's message", err.Name, err.Value, p.out("stderr"))
	}
}

// TestOsExitRunsNoDeferredCall: os.Exit ends the cell at once, as it ends
// a Go program: deferred calls do not run, and the next cell runs.
func TestOsExitRunsNoDeferredCall(t *testing.T) {
	r := newRunner(t)
	p, err := r.fails(`import ("fmt"; "os")
func main() {
	defer fmt.Println("deferred")
	fmt.Println("body")
	os.Exit(3)
}
main()`)
	if err.Value != "os.Exit(3) called" || p.out("stdout") != "body\n" {
		t.Fatalf("got %s: %s, stdout %q; want os.Exit(3) called after body only", err.Name, err.Value, p.out("stdout"))
	}
	if got := r.ok(`fmt.Println("next")`).out("stdout"); got != "next\n" {
		t.Fatalf("the next cell prints %q", got)
	}
}

// TestTwoValueDefineInNestedBlock: n, err := f() (and v, ok := m[k],
// x.(T), a var with two names) inside a block of a cell's top level.
func TestTwoValueDefineInNestedBlock(t *testing.T) {
	printsGo(t, "1\nbad x\n3\n7\n8\n1 true\n3 true\n5 <nil>\n", `import ("fmt"; "strconv")
for _, s := range []string{"1", "x", "3"} {
	n, err := strconv.Atoi(s)
	if err != nil {
		fmt.Println("bad", s)
		continue
	}
	fmt.Println(n)
}
for i := 0; i < 2; i++ {
	if n, err := strconv.Atoi("7"); err == nil {
		fmt.Println(n + i)
	}
}
m := map[string]int{"a": 1}
var x any = 3
if true {
	v, ok := m["a"]
	fmt.Println(v, ok)
	q, ok := x.(int)
	fmt.Println(q, ok)
}
{
	var n, err = strconv.Atoi("5")
	fmt.Println(n, err)
}`)
}

// TestSlicesMapsEqual: the slices and maps functions yaegi's copies of
// those packages cannot instantiate (undefined type for E) or lack.
func TestSlicesMapsEqual(t *testing.T) {
	printsGo(t, "true false true -1 [1 1] 1 true\ntrue\n", `import ("fmt"; "maps"; "slices")
fmt.Println(slices.Equal([]int{1, 2}, []int{1, 2}), slices.Equal([]string{"a"}, []string{"b"}),
	maps.Equal(map[string]int{"a": 1}, map[string]int{"a": 1}), slices.Compare([]int{1}, []int{2}),
	slices.Repeat([]int{1}, 2), slices.MinFunc([]int{2, 1}, func(a, b int) int { return a - b }),
	maps.EqualFunc(map[int]int{1: 2}, map[int]int{1: 2}, func(a, b int) bool { return a == b }))
func f() bool { return slices.Equal([]byte("ab"), []byte("ab")) }
fmt.Println(f())`)
}

// TestGoEmbed: //go:embed gives a string or []byte the file's content,
// relative to the working directory (the notebook's); what cannot be
// embedded fails to compile instead of leaving the variable empty.
func TestGoEmbed(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello file"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	printsGo(t, "hello file 10\n", `import ("fmt"; _ "embed")
//go:embed hello.txt
var s string
//go:embed hello.txt
var b []byte
fmt.Println(s, len(b))`)
	r := newRunner(t)
	_, err := r.fails(`import "embed"
//go:embed *.txt
var fs embed.FS`)
	if !strings.Contains(err.Value, "embed.FS is not supported") {
		t.Fatalf("an embed.FS gives %s: %s", err.Name, err.Value)
	}
}

// TestErrorsAsType: Go 1.26's generic errors.AsType.
func TestErrorsAsType(t *testing.T) {
	printsGo(t, "true /nonexistent false\n", `import ("errors"; "fmt"; "io/fs"; "os")
func check() {
	_, err := os.Open("/nonexistent")
	pe, ok := errors.AsType[*fs.PathError](err)
	_, link := errors.AsType[*os.LinkError](err)
	fmt.Println(ok, pe.Path, link)
}
check()`)
}

// TestSyscall: the syscall package is there; what would end or replace
// the kernel's process (Exit, Exec) ends the cell or is an error.
func TestSyscall(t *testing.T) {
	printsGo(t, "true invalid argument\n", `import ("fmt"; "syscall")
fmt.Println(syscall.Getpid() > 0, syscall.EINVAL)`)
	r := newRunner(t)
	p := r.ok(`import ("fmt"; "syscall")
fmt.Println(syscall.Exec("/bin/true", []string{"true"}, nil))`)
	if !strings.Contains(p.out("stdout"), "not available in a notebook") {
		t.Fatalf("syscall.Exec prints %q", p.out("stdout"))
	}
	if _, err := r.fails(`syscall.Exit(4)`); err.Value != "os.Exit(4) called" {
		t.Fatalf("syscall.Exit gives %s: %s", err.Name, err.Value)
	}
}

// TestIterPackage: import "iter" and its types Seq and Seq2.
func TestIterPackage(t *testing.T) {
	printsGo(t, "0\n1\na 1\n[0 1 2]\n", `import ("fmt"; "iter"; "slices")
func count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			if !yield(i) {
				return
			}
		}
	}
}
func pairs() iter.Seq2[string, int] { return func(yield func(string, int) bool) { yield("a", 1) } }
count(2)(func(i int) bool { fmt.Println(i); return true })
pairs()(func(k string, v int) bool { fmt.Println(k, v); return true })
func collect() { fmt.Println(slices.Collect(count(3))) }
collect()`)
}

// TestIndexOutOfRange: an index or slice out of range is Go's run-time
// error (a runtime.Error), not reflect's panic; the traceback has no
// frame for the cell's first line.
func TestIndexOutOfRange(t *testing.T) {
	printsGo(t, "true runtime error: index out of range\ntrue runtime error: slice bounds out of range\n", `import ("fmt"; "runtime")
func try(f func()) {
	defer func() {
		e, ok := recover().(runtime.Error)
		fmt.Println(ok, e)
	}()
	f()
}
try(func() { a := []int{1, 2, 3}; i := 5; _ = a[i] })
try(func() { a := []int{1, 2, 3}; i := 5; _ = a[1:i] })`)
	r := newRunner(t)
	_, err := r.fails(`a := []int{1, 2, 3}
i := 5
fmt.Println(a[i])`)
	tb := strings.Join(err.Traceback, "\n")
	if err.Value != "runtime error: index out of range" || strings.Contains(tb, "line 1,") || !strings.Contains(tb, "cell[1], line 3, in cell") {
		t.Fatalf("got %s: %s\n%s", err.Name, err.Value, tb)
	}
}
