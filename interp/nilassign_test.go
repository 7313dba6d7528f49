package interp

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

func TestParallelAssignmentOfNil(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nvar naps, res []any\nnaps, res = []any{1}, []any{2}")
	for code, want := range map[string]string{
		"naps, res = nil, nil\nfmt.Println(naps == nil, res == nil)":                                                   "true true\n",
		"func() { var e, f error = fmt.Errorf(\"x\"), nil; e, f = nil, nil; fmt.Println(e, f) }()":                     "<nil> <nil>\n",
		"func() { a, b := []int{1}, []int{2}; a, b = b, nil; fmt.Println(a, b == nil) }()":                             "[2] true\n",
		"func() { var p *int; var m map[string]int; q := 1; p, m, q = nil, nil, 2; fmt.Println(p, m, q) }()":           "<nil> map[] 2\n",
		"func() {\n\tswitch {\n\tdefault:\n\t\tvar a, b []int\n\t\ta, b = nil, (nil)\n\t\tfmt.Println(a, b)\n\t}\n}()": "[] []\n",
	} {
		if got := r.ok(code).out("stdout"); got != want {
			t.Errorf("%q: stdout %q, want %q", code, got, want)
		}
	}
}

func TestSplitNilAssign(t *testing.T) {
	x, y := ast.NewIdent("x"), ast.NewIdent("y")
	p := &ast.SelectorExpr{X: ast.NewIdent("p"), Sel: ast.NewIdent("f")}
	nilID := func() ast.Expr { return ast.NewIdent("nil") }
	text := func(list []ast.Stmt) string {
		var parts []string
		for _, st := range list {
			parts = append(parts, plainText(token.NewFileSet(), st))
		}
		return strings.Join(parts, "; ")
	}
	for _, tc := range []struct {
		as   *ast.AssignStmt
		want string
	}{
		{&ast.AssignStmt{Lhs: []ast.Expr{x, y}, Tok: token.ASSIGN, Rhs: []ast.Expr{nilID(), nilID()}}, "x = nil; y = nil"},
		{&ast.AssignStmt{Lhs: []ast.Expr{x, y}, Tok: token.ASSIGN, Rhs: []ast.Expr{y, nilID()}}, "x = y; y = nil"},
		// A field is assigned with the others: its operand must be
		// evaluated before any assignment.
		{&ast.AssignStmt{Lhs: []ast.Expr{p, x}, Tok: token.ASSIGN, Rhs: []ast.Expr{nilID(), nilID()}}, "p.f = nil; x = nil"},
		// A variable named twice keeps Go's left-to-right order.
		{&ast.AssignStmt{Lhs: []ast.Expr{x, x}, Tok: token.ASSIGN, Rhs: []ast.Expr{nilID(), y}}, "x, x = nil, y"},
		{&ast.AssignStmt{Lhs: []ast.Expr{x, y}, Tok: token.ASSIGN, Rhs: []ast.Expr{y, x}}, "x, y = y, x"},
	} {
		if got := text(splitNilAssign(tc.as)); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}
