package autoawait

import (
	"fmt"
	"go/ast"
	"go/types"
)

// checkSpreads reports, as Go does, a call f(xs...) whose f takes ...any
// and whose xs is a slice of another type (asyncio.Gather(coros...) with
// a []*asyncio.Coroutine): Go cannot pass a []T as a []any. yaegi does not
// check it and failed at run time with "reflect: CallSlice using ... as
// type []interface {}", at the wrong line. Only calls whose types go/types
// knows are checked.
func (l *lowerer) checkSpreads() {
	ast.Inspect(l.c.File, func(nd ast.Node) bool {
		c, ok := nd.(*ast.CallExpr)
		if !ok || !c.Ellipsis.IsValid() || len(c.Args) == 0 {
			return true
		}
		fn, ok := l.chk.info.Types[c.Fun]
		if !ok || fn.Type == nil {
			return true
		}
		sig, ok := fn.Type.Underlying().(*types.Signature)
		if !ok || !sig.Variadic() {
			return true
		}
		want := sig.Params().At(sig.Params().Len() - 1).Type()
		if !isAnySlice(want) {
			return true
		}
		arg := c.Args[len(c.Args)-1]
		got, ok := l.chk.info.Types[arg]
		if !ok || got.Type == nil || !validType(got.Type) || types.AssignableTo(got.Type, want) {
			return true
		}
		if _, isSlice := got.Type.Underlying().(*types.Slice); !isSlice {
			return true
		}
		name := types.TypeString(got.Type, nil)
		if te, ok := l.namer(arg.Pos()).expr(got.Type); ok {
			name = l.source(te)
		}
		l.errs.Add(l.c.Fset.Position(arg.Pos()), fmt.Sprintf(
			"cannot use %s (value of type %s) as []any value in argument to %s: Go passes a slice to ...any only if it is a []any (build one: var xs []any; xs = append(xs, x))",
			l.source(arg), name, l.source(c.Fun)))
		return true
	})
}

// isAnySlice tells whether t is []any.
func isAnySlice(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	iface, ok := s.Elem().Underlying().(*types.Interface)
	return ok && iface.Empty()
}
