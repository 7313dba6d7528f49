package autoawait

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/internal/cell"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// newSitesRewriter returns a Rewriter as the kernel makes it: with Sites.
func newSitesRewriter() *Rewriter {
	return NewRewriter(Options{Importer: sharedImporter(), Sites: true})
}

// sitesSession rewrites cells in order, named cell[1], cell[2]..., with one
// Sites Rewriter and returns the printed last cell, imports included. The
// emitted code of a session of one cell must type-check.
func sitesSession(t *testing.T, cells ...string) string {
	t.Helper()
	r := newSitesRewriter()
	var out string
	for i, src := range cells {
		var c *cell.Cell
		c, out = rewriteCell(t, r, "cell["+itoa(i+1)+"]", src)
		if len(cells) > 1 {
			continue
		}
		for _, err := range checkEmitted(t, c) {
			if !strings.Contains(err.Error(), "imported and not used") {
				t.Errorf("emitted code does not type-check: %v", err)
			}
		}
	}
	return out
}

func TestCallsThatMakeCoroutinesRecordTheirLine(t *testing.T) {
	tests := []struct {
		name    string
		cells   []string
		want    []string // in the printed last cell
		notWant []string
	}{
		{"the call, not the declaration",
			[]string{"import \"fmt\"\nasync func lonely() { fmt.Println(\"never\") }\n\nlonely()"},
			[]string{`asyncio.CreatedAt(lonely(), "cell[1]:4")`, `asyncio.NewCoroutine("lonely", "cell[1]:2"`},
			nil},
		{"awaited where made: left alone; passed on: recorded",
			[]string{"import \"fmt\"\nasync func one() int { return 1 }\nawait one()\nv := await (one())\nt := asyncio.CreateTask(one())\nfmt.Println(one(), v, t)"},
			[]string{
				`asyncio.AwaitAt(one(), "cell[1]:3")`,
				`asyncio.AwaitAt((one()), "cell[1]:4")`,
				`t := asyncio.CreateTask(asyncio.CreatedAt(one(), "cell[1]:5"))`,
				`fmt.Println(asyncio.CreatedAt(one(), "cell[1]:6"), v, t)`,
			},
			[]string{`CreatedAt(one(), "cell[1]:3")`, `CreatedAt(one(), "cell[1]:4")`, `CreatedAt(asyncio.AwaitAt`}},
		{"a later cell without async or await",
			[]string{"async func lonely() {}", "x := 1\n_ = x\nlonely()"},
			[]string{`import "asyncio"`, `asyncio.CreatedAt(lonely(), "cell[2]:3")`},
			nil},
		{"methods and func values of earlier cells",
			[]string{"type T struct{}\nasync func (t *T) Inc() int { return 1 }\nf := async func() {}", "var t T\nc := t.Inc()\nf()\n_ = c"},
			[]string{`c := asyncio.CreatedAt(t.Inc(), "cell[2]:2")`, `asyncio.CreatedAt(f(), "cell[2]:3")`},
			nil},
		{"inside async bodies and plain functions",
			[]string{"async func lonely() {}\nasync func outer() *asyncio.Coroutine {\n\treturn lonely()\n}\nfunc mk() *asyncio.Coroutine {\n\treturn lonely()\n}"},
			[]string{`__goawait_res0 = asyncio.CreatedAt(lonely(), "cell[1]:3")`, `return asyncio.CreatedAt(lonely(), "cell[1]:6")`},
			nil},
		{"a plain function returning a coroutine, and the library's",
			[]string{"async func lonely() {}", "func mk() *asyncio.Coroutine { return lonely() }", "c := mk()\nasyncio.Sleep(0)\n_ = c"},
			[]string{`c := asyncio.CreatedAt(mk(), "cell[3]:1")`, `asyncio.CreatedAt(asyncio.Sleep(0), "cell[3]:2")`},
			nil},
		{"a name that only looks like an async function",
			[]string{"async func lonely() {}", "func lonely() int { return 1 }\nlonely()"},
			[]string{"lonely()"},
			[]string{"CreatedAt", "asyncio"}},
		{"conversions and builtins make nothing",
			[]string{"async func lonely() {}", "var c any = lonely()\nd := c.(*asyncio.Coroutine)\ne := (*asyncio.Coroutine)(d)\nn := new(asyncio.Coroutine)\n_, _ = e, n"},
			[]string{`var c any = asyncio.CreatedAt(lonely(), "cell[2]:1")`, `e := (*asyncio.Coroutine)(d)`, `n := new(asyncio.Coroutine)`},
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sitesSession(t, tc.cells...)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %s:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("has %s:\n%s", w, got)
				}
			}
		})
	}
}

func TestWithoutSitesNothingIsWrapped(t *testing.T) {
	got := session(t, "async func lonely() {}\nlonely()", "lonely()")
	if strings.Contains(got, "CreatedAt") {
		t.Errorf("got:\n%s", got)
	}
}

func TestCellCallingNoAsyncFunctionStaysCheapWithSites(t *testing.T) {
	imp := &countingImporter{imp: sharedImporter()}
	r := NewRewriter(Options{Importer: imp, Sites: true})
	rewriteCell(t, r, "cell[1]", "import \"fmt\"\nasync func lonely() { fmt.Println(\"never\") }\ntype T struct{}\nasync func (T) M() {}")
	imp.n = 0
	src := "import \"fmt\"\nx := 1\nfunc f(n int) int { return n * 2 }\nfmt.Println(f(x), lonely)"
	c, err := cell.Parse("cell[2]", src)
	if err != nil {
		t.Fatal(err)
	}
	before := printCell(t, c)
	if err := r.Rewrite(c); err != nil {
		t.Fatal(err)
	}
	if after := printCell(t, c); after != before {
		t.Errorf("plain cell changed:\n%s\nwas:\n%s", after, before)
	}
	if imp.n != 0 {
		t.Errorf("plain cell imported %d packages for type checking", imp.n)
	}
	// Calling one does cost a check.
	rewriteCell(t, r, "cell[3]", "var t T\nt.M()")
	if imp.n == 0 {
		t.Error("a cell calling an async method was not checked")
	}
}

func TestCreatedAtKeepsTheUsersLinesAndColumns(t *testing.T) {
	src := "import \"fmt\"\nasync func wait(d int) { fmt.Println(d) }\n\nc := wait(\n\t1,\n)\nwait(2)\nundefinedName()\n_ = c"
	c, err := cell.Parse("cell[4]", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newSitesRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	out, err := c.Emit()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"cell[4]:4")`)) || !bytes.Contains(out, []byte(`asyncio.CreatedAt(wait(2), "cell[4]:7")`)) {
		t.Errorf("sites:\n%s", out)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "emitted.go", out, 0)
	if err != nil {
		t.Fatalf("emitted code does not parse: %v\n%s", err, out)
	}
	// Each statement and each user call keeps its line (and a call on its
	// own line its column).
	var lines []string
	ast.Inspect(f, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok {
			if id, ok := ce.Fun.(*ast.Ident); ok && (id.Name == "wait" || id.Name == "undefinedName") {
				p := cell.UserPosition(fset.Position(ce.Pos()))
				lines = append(lines, fmt.Sprintf("%s %s:%d", id.Name, p.Filename, p.Line))
			}
		}
		return true
	})
	want := "wait cell[4]:4 wait cell[4]:7 undefinedName cell[4]:8"
	if got := strings.Join(lines, " "); got != want {
		t.Errorf("calls at %s, want %s\n%s", got, want, out)
	}
	err = evalInYaegi(string(out))
	if err == nil || !strings.HasPrefix(cell.Positions(err.Error()), "cell[4]:8:") || !strings.Contains(err.Error(), "undefined: undefinedName") {
		t.Fatalf("error = %v, want cell[4]:8:C: undefined: undefinedName", err)
	}
}

// reports collects what a Runtime reports.
type reports struct {
	mu    sync.Mutex
	lines []string
}

func (r *reports) add(owner any, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf("%v: %s", owner, text))
}

func (r *reports) get() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

// runSession runs cells as the kernel does, in yaegi with the real runtime:
// each is rewritten with Sites, emitted, declared, and its statements run as
// a cell of the kernel loop owned by its name. It returns what the cells
// printed and what the runtime reported.
func runSession(t *testing.T, cells ...string) (string, []string) {
	t.Helper()
	var rep reports
	rt := asyncio.NewRuntime(asyncio.Options{Report: rep.add})
	t.Cleanup(func() {
		if err := rt.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	var out bytes.Buffer
	i := interp.New(interp.Options{Stdout: &out, Stderr: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(rt.Exports()); err != nil {
		t.Fatal(err)
	}
	r := newSitesRewriter()
	imported := map[string]bool{}
	for k, src := range cells {
		name := "cell[" + itoa(k+1) + "]"
		c, err := cell.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Rewrite(c); err != nil {
			t.Fatalf("rewrite %s: %v", name, err)
		}
		dropImported(c, imported)
		emitted, err := c.Emit()
		if err != nil {
			t.Fatal(err)
		}
		// The statement functions of each cell get names of their own.
		prefix := fmt.Sprintf("%sc%d_", cell.StmtsFunc, k)
		code := strings.ReplaceAll(string(emitted), cell.StmtsFunc, prefix)
		if _, err := i.Eval(code); err != nil {
			t.Fatalf("yaegi rejects %s: %v\n%s", name, err, code)
		}
		err = rt.RunCell(name, func() {
			for n := 0; strings.Contains(code, fmt.Sprintf("func %s%d()", prefix, n)); n++ {
				if _, err := i.Eval(fmt.Sprintf("%s%d()", prefix, n)); err != nil {
					t.Errorf("running %s: %v\n%s", name, err, code)
				}
			}
		})
		if err != nil {
			t.Fatalf("RunCell(%s): %v", name, err)
		}
	}
	return out.String(), rep.get()
}

// dropImported removes from c the imports of packages an earlier cell
// imported (imported holds their quoted paths), as the session does: the
// cells share their imports (their line directives name no file) and
// yaegi refuses a second one.
func dropImported(c *cell.Cell, imported map[string]bool) {
	var decls []ast.Decl
	for _, d := range c.File.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			var specs []ast.Spec
			for _, sp := range gd.Specs {
				if p := sp.(*ast.ImportSpec).Path.Value; !imported[p] {
					imported[p] = true
					specs = append(specs, sp)
				}
			}
			if len(specs) == 0 {
				continue
			}
			gd.Specs = specs
		}
		decls = append(decls, d)
	}
	c.File.Decls = decls
}

func TestNeverAwaitedCoroutineIsReportedWhereItWasMade(t *testing.T) {
	tests := []struct {
		name    string
		cells   []string
		out     string
		reports []string
	}{
		{"in the declaring cell",
			[]string{"import \"fmt\"\nasync func lonely() { fmt.Println(\"never\") }\n\nlonely()"},
			"",
			[]string{"cell[1]: coroutine 'lonely' was never awaited (created at cell[1]:4)"}},
		{"in a later cell",
			[]string{"import \"fmt\"\nasync func lonely() { fmt.Println(\"never\") }", "x := 1\n_ = x\nlonely()"},
			"",
			[]string{"cell[2]: coroutine 'lonely' was never awaited (created at cell[2]:3)"}},
		{"printed, then dropped",
			[]string{"import \"fmt\"\nasync func hello() { // defining a coroutine function\n\tfmt.Println(\"hello world\")\n}\n\nfmt.Println(hello())"},
			"<coroutine object hello at cell[1]:2>\n",
			[]string{"cell[1]: coroutine 'hello' was never awaited (created at cell[1]:6)"}},
		{"made in a helper, kept in a variable",
			[]string{"async func lonely() {}\nfunc mk() *asyncio.Coroutine {\n\treturn lonely()\n}", "c := mk()\n_ = c\nasyncio.Sleep(0)"},
			"",
			[]string{
				"cell[2]: coroutine 'lonely' was never awaited (created at cell[1]:3)",
				"cell[2]: coroutine 'Sleep' was never awaited (created at cell[2]:3)",
			}},
		{"awaited or scheduled: nothing to report",
			[]string{"import \"fmt\"\nasync func say(s string) { fmt.Println(s) }", "await say(\"awaited\")\nasyncio.CreateTask(say(\"scheduled\"))\nc := say(\"later\")\nawait c"},
			"awaited\nlater\nscheduled\n",
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, reps := runSession(t, tc.cells...)
			if out != tc.out {
				t.Errorf("printed %q, want %q", out, tc.out)
			}
			if strings.Join(reps, "\n") != strings.Join(tc.reports, "\n") {
				t.Errorf("reported:\n%s\nwant:\n%s", strings.Join(reps, "\n"), strings.Join(tc.reports, "\n"))
			}
		})
	}
}

func TestAsyncWithoutABodyIsAnErrorAtTheUsersLine(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"async func A000()", "cell[1]:1:7: async func A000 has no body"},
		{"x := 1\nf := async func()\n_ = f", "cell[1]:2:12: async must come before a func declaration or a func literal with a body"},
	} {
		c, err := cell.Parse("cell[1]", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		err = NewRewriter(Options{}).Rewrite(c)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error = %v, want %q", tc.src, err, tc.want)
		}
	}
}
