package lower

import (
	"go/ast"
	"go/token"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

func TestReassignRedeclaredLeavesOtherStatements(t *testing.T) {
	c, err := cell.Parse("cell[1]", "a, b := 1, 2\nc, d := f()\nif x, y := g(); x {\n}\na, b := 3, 4\n_, _ = a, b")
	if err != nil {
		t.Fatal(err)
	}
	var list []ast.Stmt
	for _, it := range c.Items {
		if it.Kind == cell.Stmts {
			list = it.Body.List
		}
	}
	out := ReassignRedeclared(list, map[string]bool{})
	if len(out) != len(list) {
		t.Fatalf("got %d statements from %d: nothing is redeclared with a new name", len(out), len(list))
	}
	for i := range out {
		if out[i] != list[i] {
			t.Fatalf("statement %d was rewritten", i)
		}
	}
	if as := out[3].(*ast.AssignStmt); as.Tok != token.DEFINE {
		t.Fatalf("statement 3 changed")
	}
}
