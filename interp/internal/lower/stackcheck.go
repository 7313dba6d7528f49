package lower

import (
	"go/ast"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/reserved"
)

// guardStacks starts the body of every function and function literal
// that calls anything with `__gort.StackCheck()`, which panics when the
// goroutine's stack has grown too far: Go ends the process on a stack
// overflow, and runaway recursion in a cell must fail the cell instead.
// A function that calls nothing (builtins and the runtime helpers
// aside) cannot recurse and is left as it is: the check costs a host
// call.
func guardStacks(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch fn := n.(type) {
		case *ast.FuncDecl:
			if !strings.HasPrefix(fn.Name.Name, cell.StmtsFunc) { // a cell's statements, not a function
				body = fn.Body
			}
		case *ast.FuncLit:
			body = fn.Body
		}
		if body != nil && callsAnything(body) {
			pos := body.Lbrace
			check := &ast.ExprStmt{X: &ast.CallExpr{Fun: runtimeFunc(pos, reserved.StackCheck), Lparen: pos, Rparen: pos}}
			body.List = append([]ast.Stmt{check}, body.List...)
		}
		return true
	})
}

// callsAnything tells whether body calls something other than a builtin
// or a runtime helper (conversions count: they cannot be told from
// calls without types).
func callsAnything(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if found || !ok {
			return !found
		}
		switch fun := call.Fun.(type) {
		case *ast.Ident:
			if isBuiltin(fun.Name) {
				return true
			}
		case *ast.SelectorExpr:
			if x, ok := fun.X.(*ast.Ident); ok && x.Name == reserved.Runtime {
				return true
			}
		}
		found = true
		return false
	})
	return found
}
