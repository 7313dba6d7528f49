package autoawait

import (
	"go/ast"
	"go/types"

	"github.com/goawait/goawait/internal/cell"
)

// isRunCall reports whether e is asyncio.Run(c) or x.RunUntilComplete(a),
// whose result the runtime gives as any.
func isRunCall(e ast.Expr) (*ast.CallExpr, bool) {
	ce, ok := e.(*ast.CallExpr)
	if !ok || len(ce.Args) != 1 {
		return nil, false
	}
	sel, ok := ce.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	switch sel.Sel.Name {
	case libRunUntilComplete:
		return ce, true
	case libRun:
		id, ok := sel.X.(*ast.Ident)
		return ce, ok && id.Name == StubPath
	}
	return nil, false
}

// hasRunValue reports whether file uses the value of a Run or
// RunUntilComplete call.
func hasRunValue(file *ast.File) bool {
	found := false
	stmt := map[ast.Expr]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.ExprStmt:
			stmt[n.X] = true
		case *ast.CallExpr:
			if _, ok := isRunCall(n); ok && !stmt[n] {
				found = true
			}
		}
		return true
	})
	return found
}

// resultOf returns the result type of awaiting a value of type t, when t is
// a coroutine, task or future of the model.
func resultOf(t types.Type) (types.Type, bool) {
	p, ok := t.(*types.Pointer)
	if !ok {
		return nil, false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != StubPath || n.TypeArgs().Len() != 1 {
		return nil, false
	}
	switch n.Obj().Name() {
	case modelCoroutine, modelTask, modelFuture:
		return n.TypeArgs().At(0), true
	}
	return nil, false
}

// lowerRuns gives the results of Run and RunUntilComplete their static
// types: asyncio.Run(c).(T).
func (l *lowerer) lowerRuns(runs []*ast.CallExpr) {
	if len(runs) == 0 {
		return
	}
	want := map[*ast.CallExpr]bool{}
	for _, r := range runs {
		want[r] = true
	}
	cell.ReplaceExprs(l.c.File, func(e ast.Expr) ast.Expr {
		ce, ok := e.(*ast.CallExpr)
		if !ok || !want[ce] {
			return e
		}
		var t types.Type
		if tv, ok := l.chk.info.Types[ce.Args[0]]; ok && tv.Type != nil {
			t, _ = resultOf(tv.Type)
		}
		switch {
		case t == nil || !validType(t) || isModel(t, modelVoid):
			return e
		case isTuple(t):
			pos := ce.Pos()
			return &ast.TypeAssertExpr{X: ce, Lparen: pos, Type: anySlice(pos), Rparen: pos}
		}
		return l.convert(ce, t, ce.Pos())
	})
}
