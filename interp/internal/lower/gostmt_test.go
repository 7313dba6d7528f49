package lower

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// lowerStmts lowers the cell statements src and returns the statements
// function's body, formatted.
func lowerStmts(t *testing.T, src string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell", "package main\n\nfunc "+cell.StmtsFunc+"1() {\n"+src+"\n}\n", parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	Transform(f, names{})
	var body *ast.BlockStmt
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			body = fd.Body
		}
	}
	out, err := format.Source([]byte(PlainText(fset, body)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// A goroutine started in a loop of the cell's top level must not make
// yaegi copy its global frame, which grows with the session: every
// function literal evaluated at the top level copies that frame, and the
// goroutine keeps the copy (issue 13: 17 KB a parked goroutine in a fresh
// session, 112 KB after 2,000 cells). The loop therefore runs in a function
// literal of its own, called in place (one copy for the whole loop), and
// the goroutine's function literal is evaluated in that function's frame.
func TestGoInTopLevelLoopRunsInAFunctionOfItsOwn(t *testing.T) {
	got := lowerStmts(t, "for i := 0; i < n; i++ {\n\tgo func() { work(i) }()\n}\nx := 1")
	lines := strings.Split(got, "\n")
	if !strings.HasPrefix(lines[1], "\tfunc() {") {
		t.Fatalf("the loop is not in a function literal called in place:\n%s", got)
	}
	// The go statement calls its own literal (never a func value handed
	// to a helper: yaegi's wrapper for those races on the loop's frame),
	// which first defers the panic report.
	if !strings.Contains(got, "go func() {") || !strings.Contains(got, goRecover+"(recover())") || !strings.Contains(got, "work(i)") {
		t.Errorf("the goroutine does not run its own literal under the panic report:\n%s", got)
	}
	if !strings.Contains(lines[len(lines)-2], "x := 1") {
		t.Errorf("the declaration after the loop is not left at the top level:\n%s", got)
	}
	// The go statement's own binding of its function and arguments stays
	// inside the loop's function too, with one literal per goroutine.
	got = lowerStmts(t, "for _, v := range vs {\n\tgo send(v, 1)\n}")
	if !strings.HasPrefix(strings.Split(got, "\n")[1], "\tfunc() {") || strings.Count(got, "func()") != 3 {
		t.Errorf("go send(v, 1) in a loop:\n%s", got)
	}
}

// Statements that cannot run in a function of their own (they return,
// jump or defer at the top level) and statements without a go statement
// stay where they are; go statements inside them are still wrapped.
func TestTopLevelStatementsThatStayInPlace(t *testing.T) {
	for _, src := range []string{
		"for i := 0; i < n; i++ {\n\tgo work(i)\n\tif i > 3 {\n\t\treturn\n\t}\n}",
		"for i := 0; i < n; i++ {\n\tdefer done()\n\tgo work(i)\n}",
		"for i := 0; i < n; i++ {\n\tgo work(i)\n\tgoto end\n}\nend:\nx := 1",
		"for i := 0; i < n; i++ {\n\twork(i)\n}",
	} {
		got := lowerStmts(t, src)
		if strings.HasPrefix(strings.Split(got, "\n")[1], "\tfunc() {") {
			t.Errorf("%q was put in a function literal:\n%s", src, got)
		}
		if strings.Contains(src, "go work") && !strings.Contains(got, goRecover) {
			t.Errorf("%q: its go statement is not wrapped:\n%s", src, got)
		}
	}
}
