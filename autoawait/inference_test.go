package autoawait

import (
	"go/ast"
	"go/types"
	"strings"
	"testing"
	"time"

	"github.com/goawait/goawait/internal/cell"
)

// session rewrites cells in order with one Rewriter and returns the body
// of the last one.
func session(t *testing.T, cells ...string) string {
	t.Helper()
	r := newTestRewriter()
	var out string
	for i, src := range cells {
		_, out = rewriteCell(t, r, "cell["+itoa(i+1)+"]", src)
	}
	return body(out)
}

func TestTypesFlowFromEarlierCells(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		want  []string // lines the last cell must contain
	}{
		{"single result declared earlier",
			[]string{"async func fetchData() map[string]int { return nil }", "v := await fetchData()"},
			[]string{"v := asyncio.Await(fetchData())[0].(map[string]int)"}},
		{"task variable of an earlier cell",
			[]string{"async func fetchData() map[string]int { return nil }", "t := asyncio.CreateTask(fetchData())", "v := await t"},
			[]string{"v := asyncio.Await(t)[0].(map[string]int)"}},
		{"variable typed by an await of an earlier cell",
			[]string{"async func f() []string { return nil }", "xs := await f()", "async func g(s []string) int { return len(s) }\nn := await g(xs)"},
			[]string{"n := asyncio.Await(g(xs))[0].(int)"}},
		{"several results",
			[]string{"import \"time\"\nasync func fetch(u string) (time.Duration, error) { return 0, nil }", "d, err := await fetch(\"u\")"},
			[]string{"func() (time.Duration, error) {", "return __goawait_r[0].(time.Duration), __goawait_v1"}},
		{"methods and user types",
			[]string{"type Point struct{ X, Y int }\ntype Repo struct{}", "async func (r *Repo) Get(id int) (*Point, bool) { return nil, false }\nrepo := &Repo{}", "p, ok := await repo.Get(1)\nq := await asyncio.CreateTask(repo.Get(2))"},
			[]string{"func() (*Point, bool) {", "return __goawait_r[0].(*Point), __goawait_r[1].(bool)", "q := asyncio.Await(asyncio.CreateTask(repo.Get(2)))"}},
		{"redefined function takes the new type",
			[]string{"async func f() int { return 1 }", "async func f() string { return \"\" }", "x := await f()"},
			[]string{"x := asyncio.Await(f())[0].(string)"}},
		{"library awaitables",
			[]string{"async func one() int { return 1 }", "t1 := asyncio.CreateTask(one())\nl := asyncio.NewLock()", "all := await asyncio.Gather(t1)\ngot := await l.Acquire()\ndone, pending := await asyncio.Wait([]any{t1}, asyncio.FirstCompleted)\nw := await asyncio.WaitFor(one(), 1)"},
			[]string{"all := asyncio.Await(asyncio.Gather(t1))[0].([]any)", "got := asyncio.Await(l.Acquire())[0].(bool)",
				"return __goawait_r[0].([]asyncio.FutureLike), __goawait_r[1].([]asyncio.FutureLike)", "w := asyncio.Await(asyncio.WaitFor(one(), 1))[0].(int)"}},
		{"unknown types fall back to any",
			[]string{"var c any", "x := await c\ny := await undefinedThing()\nq := asyncio.NewQueue(0)\nz := await q.Get()"},
			[]string{"x := asyncio.Await(c)[0]", "y := asyncio.Await(undefinedThing())[0]", "z := asyncio.Await(q.Get())[0]"}},
		{"types named by the import name of the cell",
			[]string{"import \"strings\"\nasync func b() *strings.Builder { return nil }", "import s2 \"strings\"\nx := await b()"},
			[]string{"x := asyncio.Await(b())[0].(*s2.Builder)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := session(t, tc.cells...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("last cell lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestInterfaceResultsReadNilWithoutPanicking(t *testing.T) {
	got := runInYaegi(t, `import "fmt"
async func find() (fmt.Stringer, error) { return nil, nil }
async func fail() error { return nil }
s, err := await find()
e := await fail()
fmt.Println(s == nil, err == nil, e == nil)`)
	if got != "true true true\n" {
		t.Fatalf("printed %q", got)
	}
}

// countingImporter counts imports.
type countingImporter struct {
	n   int
	imp types.Importer
}

func (c *countingImporter) Import(path string) (*types.Package, error) {
	c.n++
	return c.imp.Import(path)
}

func TestCellWithoutDialectIsLeftAloneAndCheap(t *testing.T) {
	imp := &countingImporter{imp: sharedImporter()}
	r := NewRewriter(Options{Importer: imp})
	src := "import \"fmt\"\nx := 1\nfunc f(n int) int { return n * 2 }\nfmt.Println(f(x))"
	c, err := cell.Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	before := printCell(t, c)
	start := time.Now()
	if err := r.Rewrite(c); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Millisecond {
		t.Errorf("plain cell took %v", d)
	}
	if after := printCell(t, c); after != before {
		t.Errorf("plain cell changed:\n%s\nwas:\n%s", after, before)
	}
	if imp.n != 0 {
		t.Errorf("plain cell imported %d packages for type checking", imp.n)
	}
}

func TestCellNamingAsyncioGetsTheImport(t *testing.T) {
	c, err := cell.Parse("cell[2]", "asyncio.Run(main())")
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	if c.Items[0].Kind != cell.Imports || len(c.Items) != 2 {
		t.Fatalf("items = %v", c.Items)
	}
	if !strings.HasPrefix(printCell(t, c), "import \"asyncio\"") {
		t.Errorf("no asyncio import:\n%s", printCell(t, c))
	}
	c, _ = cell.Parse("cell[3]", "import \"asyncio\"\nasync func f() {}\nawait f()")
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(printCell(t, c), "\"asyncio\""); n != 1 {
		t.Errorf("asyncio imported %d times", n)
	}
}

func TestRewriteKeepsTheUsersPositions(t *testing.T) {
	src := "import \"fmt\"\nasync func f() (int, error) { return 1, nil }\n\nn, err := await f()\nfmt.Println(n, err, await f())\nundefined()"
	c, err := cell.Parse("cell[7]", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	var stmts *ast.BlockStmt
	for _, it := range c.Items {
		if it.Kind == cell.Stmts {
			stmts = it.Body
		}
	}
	pos := func(n ast.Node) string {
		p := c.Fset.Position(n.Pos())
		return p.Filename + ":" + itoa(p.Line) + ":" + itoa(p.Column)
	}
	// n, err := func() (int, error) {...}(): the closure sits where the await was.
	as := stmts.List[0].(*ast.AssignStmt)
	if got := pos(as.Rhs[0]); got != "cell[7]:4:11" {
		t.Errorf("multi-value await at %s, want cell[7]:4:11", got)
	}
	// fmt.Println(n, err, asyncio.Await(f())[0]...)
	arg := stmts.List[1].(*ast.ExprStmt).X.(*ast.CallExpr).Args[2]
	if got := pos(arg); got != "cell[7]:5:21" {
		t.Errorf("await in call at %s, want cell[7]:5:21", got)
	}
	if got := pos(stmts.List[2]); got != "cell[7]:6:1" {
		t.Errorf("next statement at %s, want cell[7]:6:1", got)
	}
	// The async function keeps its name's position and gets its site.
	fd := c.Items[2].Decls[0].(*ast.FuncDecl)
	if got := pos(fd.Name); got != "cell[7]:2:12" {
		t.Errorf("f at %s, want cell[7]:2:12", got)
	}
	if !strings.Contains(printCell(t, c), `asyncio.NewCoroutine("f", "cell[7]:2"`) {
		t.Errorf("coroutine site missing:\n%s", printCell(t, c))
	}
}

func TestRunResultsGetTheirStaticType(t *testing.T) {
	got := session(t,
		"async func returnHello() string { return \"hello_world\" }\nasync func pair() (int, error) { return 1, nil }\nasync func e() error { return nil }",
		"task := asyncio.EnsureFuture(returnHello())",
		"hello := asyncio.GetEventLoop().RunUntilComplete(task)\nh2 := asyncio.Run(returnHello())\np := asyncio.Run(pair())\nerr := asyncio.Run(e())\nasyncio.Run(returnHello())\nfmt.Println(strings.ToUpper(hello), hello == \"hello_world\")")
	for _, w := range []string{
		`hello := asyncio.GetEventLoop().RunUntilComplete(task).(string)`,
		`h2 := asyncio.Run(returnHello()).(string)`,
		`p := asyncio.Run(pair()).([]any)`,
		`if __goawait_r := asyncio.Run(e()); __goawait_r != nil {`,
		"\n\tasyncio.Run(returnHello())\n",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}

func TestRunResultTypesAreRemembered(t *testing.T) {
	got := session(t,
		"async func word() string { return \"w\" }\nasync func count(s string) int { return len(s) }",
		"w := asyncio.Run(word())",
		"n := await count(w)")
	if !strings.Contains(got, "n := asyncio.Await(count(w))[0].(int)") {
		t.Errorf("got:\n%s", got)
	}
	r := newTestRewriter()
	rewriteCell(t, r, "cell[1]", "async func word() string { return \"w\" }")
	rewriteCell(t, r, "cell[2]", "w := asyncio.Run(word())")
	if p := r.mem.prelude(nil); !strings.Contains(p, "var w string") {
		t.Errorf("prelude:\n%s", p)
	}
}

func TestVariablesCrossStatementRunsOfOneCell(t *testing.T) {
	got := session(t, "async func f() []int { return nil }\nxs := await f()\nasync func g(v []int) string { return \"\" }\ns := await g(xs)")
	if !strings.Contains(got, "s := asyncio.Await(g(xs))[0].(string)") {
		t.Errorf("got:\n%s", got)
	}
}

func BenchmarkRewritePlainCell(b *testing.B) {
	r := newTestRewriter()
	src := "import \"fmt\"\nx := 1\nfunc f(n int) int { return n * 2 }\nfmt.Println(f(x))"
	for b.Loop() {
		c, err := cell.Parse("cell[1]", src)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Rewrite(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRewriteAsyncCell(b *testing.B) {
	r := newTestRewriter()
	src := "import \"fmt\"\nasync func f(n int) (int, error) { return n * 2, nil }\nv, err := await f(1)\nfmt.Println(v, err)"
	for b.Loop() {
		c, err := cell.Parse("cell[1]", src)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Rewrite(c); err != nil {
			b.Fatal(err)
		}
	}
}
