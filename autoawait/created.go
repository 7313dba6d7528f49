package autoawait

import (
	"go/ast"
	"go/types"

	"github.com/goawait/goawait/internal/cell"
)

// creations returns the calls of the cell that make a coroutine and are not
// the operand of an await: the calls whose type is the model's
// *CoroutineOf[T] (async functions and methods, func values of async
// literals, functions returning *asyncio.Coroutine, the library's
// coroutines), except conversions and the stand-ins of the awaits. A
// coroutine that is awaited where it is made can never go unawaited, so
// those calls are left alone.
func (l *lowerer) creations(s *scanResult) map[*ast.CallExpr]bool {
	skip := map[ast.Expr]bool{}
	for _, site := range s.awaits {
		if site.call != nil {
			skip[site.call] = true
			skip[ast.Unparen(site.call.Args[0])] = true
		}
	}
	made := map[*ast.CallExpr]bool{}
	ast.Inspect(l.c.File, func(n ast.Node) bool {
		if ce, ok := n.(*ast.CallExpr); ok && !skip[ce] && l.makesCoroutine(ce) {
			made[ce] = true
		}
		return true
	})
	return made
}

// makesCoroutine reports whether go/types found that ce is a call (not a
// conversion, not a builtin) whose value is a model coroutine.
func (l *lowerer) makesCoroutine(ce *ast.CallExpr) bool {
	tv, ok := l.chk.info.Types[ce]
	if !ok || tv.Type == nil || !tv.IsValue() {
		return false
	}
	if fun, ok := l.chk.info.Types[ast.Unparen(ce.Fun)]; ok && (fun.IsType() || fun.IsBuiltin()) {
		return false
	}
	p, ok := tv.Type.(*types.Pointer)
	if !ok {
		return false
	}
	return isModel(p.Elem(), modelCoroutine)
}

// markCreated wraps each call of made in asyncio.CreatedAt(call,
// "cell[N]:L"), which records the line of the call as where the coroutine
// was made, for the report of a coroutine never awaited. The wrapper sits
// on the call's own positions, so the call keeps its line and column.
func (l *lowerer) markCreated(made map[*ast.CallExpr]bool) {
	if len(made) == 0 {
		return
	}
	cell.ReplaceExprs(l.c.File, func(e ast.Expr) ast.Expr {
		ce, ok := e.(*ast.CallExpr)
		if !ok || !made[ce] {
			return e
		}
		pos := ce.Pos()
		w := call(asyncioSel("CreatedAt", pos), pos, ce, strLit(sitePos(l.c.Fset, ce.Lparen), ce.Rparen))
		w.Rparen = ce.Rparen
		return w
	})
}
