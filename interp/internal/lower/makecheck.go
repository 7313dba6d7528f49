package lower

import (
	"go/ast"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// guardMakes passes the sizes of every make of a slice or channel
// through `__gort.MakeLen((*T)(nil), int(n))`, T the element type, which
// panics when the slice could never fit under the process's memory
// limit: Go's runtime ends the process when such an allocation fails.
// (A size that is not an int is converted: int(n) of a value out of
// int's range is negative, and make panics for it as it would have.)
func guardMakes(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "make" {
			return true
		}
		var elem ast.Expr
		switch t := call.Args[0].(type) {
		case *ast.ArrayType:
			if t.Len == nil {
				elem = t.Elt
			}
		case *ast.ChanType:
			elem = t.Value
		}
		if elem == nil {
			return true
		}
		pos := call.Lparen
		for i := 1; i < len(call.Args); i++ {
			nilPtr := &ast.CallExpr{Fun: &ast.ParenExpr{Lparen: pos, X: &ast.StarExpr{Star: pos, X: elem}, Rparen: pos}, Lparen: pos,
				Args: []ast.Expr{&ast.Ident{NamePos: pos, Name: "nil"}}, Rparen: pos}
			size := &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: "int"}, Lparen: pos, Args: []ast.Expr{call.Args[i]}, Rparen: pos}
			call.Args[i] = &ast.CallExpr{Fun: runtimeFunc(pos, reserved.MakeLen), Lparen: pos, Args: []ast.Expr{nilPtr, size}, Rparen: pos}
		}
		return true
	})
}
