package lower

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

func TestSplitNilAssign(t *testing.T) {
	x, y := ast.NewIdent("x"), ast.NewIdent("y")
	p := &ast.SelectorExpr{X: ast.NewIdent("p"), Sel: ast.NewIdent("f")}
	nilID := func() ast.Expr { return ast.NewIdent("nil") }
	text := func(list []ast.Stmt) string {
		var parts []string
		for _, st := range list {
			parts = append(parts, PlainText(token.NewFileSet(), st))
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
