package lower

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/reserved"
)

func TestGuardStacksChecksFunctionsThatCall(t *testing.T) {
	c, err := cell.Parse("cell[1]", "func leaf(x int) int { return len(make([]int, x)) }\nfunc rec(n int) int { return rec(n) }\nvar f = func() { leaf(1) }\nrec(1)")
	if err != nil {
		t.Fatal(err)
	}
	guardStacks(c.File)
	checked := map[string]bool{}
	ast.Inspect(c.File, func(n ast.Node) bool {
		var name string
		var body *ast.BlockStmt
		switch fn := n.(type) {
		case *ast.FuncDecl:
			name, body = fn.Name.Name, fn.Body
		case *ast.FuncLit:
			name, body = "literal", fn.Body
		}
		if body != nil && len(body.List) > 0 {
			if text := PlainText(c.Fset, body.List[0]); strings.HasPrefix(text, reserved.Runtime+"."+reserved.StackCheck+"()") {
				checked[name] = true
			}
		}
		return true
	})
	if checked["leaf"] || !checked["rec"] || !checked["literal"] || len(checked) != 2 {
		t.Errorf("checked: %v, want rec and the literal, not leaf nor the cell's statements", checked)
	}
}
