package autoawait

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/scanner"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
)

// Names of the temporaries of the emitted code; they live in closures of
// their own, so they never meet the user's names.
const (
	tmpResults = "__goawait_r"
	tmpValue   = "__goawait_v"
)

// lowerer turns the stand-in Await calls into the emitted code.
type lowerer struct {
	c     *cell.Cell
	chk   *checked
	sites bool
	errs  scanner.ErrorList
	// tails are the emitted await statements that can end a tail
	// coroutine (see tailAwait), with their sites.
	tails map[*ast.CallExpr]string
	// valueTails are the emitted single-value awaits that can end a tail
	// coroutine as "return await x".
	valueTails map[ast.Expr]valueTail
}

// valueTail is a single-value await that may be returned as a tail.
type valueTail struct {
	x  ast.Expr   // what it awaits (a pointer)
	at string     // its site
	t  types.Type // the type of its value
}

// lowerAwaits replaces each stand-in call by asyncio.Await(x) with its
// results converted to their static types.
func (l *lowerer) lowerAwaits(s *scanResult) {
	byCall := map[*ast.CallExpr]*awaitSite{}
	for _, site := range s.awaits {
		if site.call != nil {
			byCall[site.call] = site
		}
	}
	cell.ReplaceExprs(l.c.File, func(e ast.Expr) ast.Expr {
		ce, ok := e.(*ast.CallExpr)
		if !ok {
			return e
		}
		site := byCall[ce]
		if site == nil {
			return e
		}
		return l.lower(site)
	})
	l.errs.Sort()
}

// await is the plain asyncio.Await(x) (or AwaitAt) call for site.
func (l *lowerer) await(site *awaitSite) *ast.CallExpr {
	pos := site.unary.OpPos
	x := site.call.Args[0]
	if l.sites {
		c := call(asyncioSel("AwaitAt", pos), pos, x, strLit(sitePos(l.c.Fset, pos), pos))
		c.Rparen = site.call.Rparen
		return c
	}
	c := call(asyncioSel(libAwait, pos), pos, x)
	c.Rparen = site.call.Rparen
	return c
}

// noteTail remembers the await statement aw if it could end a tail
// coroutine: what it awaits has a pointer type, so that the body can hand
// it over as an any that is nil only when the body returned early.
func (l *lowerer) noteTail(site *awaitSite, aw *ast.CallExpr) {
	at, ok := l.tailSite(site)
	if !ok {
		return
	}
	if l.tails == nil {
		l.tails = map[*ast.CallExpr]string{}
	}
	l.tails[aw] = at
}

// noteValueTail remembers e, the emitted form of a single-value await of
// type t, if it could end a tail coroutine as "return await x".
func (l *lowerer) noteValueTail(site *awaitSite, e ast.Expr, t types.Type) {
	at, ok := l.tailSite(site)
	if !ok {
		return
	}
	if l.valueTails == nil {
		l.valueTails = map[ast.Expr]valueTail{}
	}
	l.valueTails[e] = valueTail{x: site.call.Args[0], at: at, t: t}
}

// tailSite returns the site of an await that may end a tail coroutine:
// one whose operand has a pointer type.
func (l *lowerer) tailSite(site *awaitSite) (string, bool) {
	tv, ok := l.chk.info.Types[site.call.Args[0]]
	if !ok || tv.Type == nil {
		return "", false
	}
	if _, ok := tv.Type.Underlying().(*types.Pointer); !ok {
		return "", false
	}
	if !l.sites {
		return "", true
	}
	return sitePos(l.c.Fset, site.unary.OpPos), true
}

func (l *lowerer) namer(pos token.Pos) *typeNamer {
	return &typeNamer{pos: pos, local: l.chk.pkg, names: l.chk.names}
}

// lower returns the emitted form of one await.
func (l *lowerer) lower(site *awaitSite) ast.Expr {
	aw := l.await(site)
	var t types.Type
	if tv, ok := l.chk.info.Types[site.call]; ok && tv.Type != nil {
		t = tv.Type
	}
	if site.stmt {
		// The cell's final await shows its one value, typed; otherwise
		// an await statement yields nothing.
		if site.last && t != nil && validType(t) && !isModel(t, modelVoid) && !isTuple(t) {
			return l.convert(index(aw, 0, site.unary.OpPos), t, site.unary.OpPos)
		}
		l.noteTail(site, aw)
		return aw
	}
	if site.arity > 1 {
		l.checkArity(site)
		return l.multi(site, aw, t)
	}
	pos := site.unary.OpPos
	switch {
	case t == nil || !validType(t):
		return index(aw, 0, pos)
	case isModel(t, modelVoid):
		l.errs.Add(l.c.Fset.Position(pos), "await "+l.source(site.call.Args[0])+" (no value) used as value")
		return aw
	case isTuple(t):
		return aw // several results read as one value: the []any
	}
	e := l.convert(index(aw, 0, pos), t, pos)
	l.noteValueTail(site, e, t)
	return e
}

// convert returns v (an any) as type t: v.(T), or a form that tolerates a
// nil interface, or v itself when T cannot be named.
func (l *lowerer) convert(v ast.Expr, t types.Type, pos token.Pos) ast.Expr {
	if types.IsInterface(t) {
		if iface, ok := types.Unalias(t).(*types.Interface); ok && iface.Empty() {
			return v
		}
	}
	te, ok := l.namer(pos).expr(t)
	if !ok {
		return v
	}
	if !types.IsInterface(t) {
		return &ast.TypeAssertExpr{X: v, Lparen: pos, Type: te, Rparen: pos}
	}
	// func() T { var v T; if x := V; x != nil { v = x.(T) }; return v }()
	// (yaegi fails on the comma-ok assertion of a nil to an interface.)
	x := ident(tmpResults, pos)
	body := []ast.Stmt{
		varDecl(tmpValue, te, pos),
		&ast.IfStmt{If: pos,
			Init: define(pos, []ast.Expr{x}, v),
			Cond: &ast.BinaryExpr{X: ident(tmpResults, pos), OpPos: pos, Op: token.NEQ, Y: ident("nil", pos)},
			Body: &ast.BlockStmt{Lbrace: pos, Rbrace: pos, List: []ast.Stmt{assertTo(tmpValue, ident(tmpResults, pos), l.mustName(t, pos), pos)}},
		},
		ret(pos, ident(tmpValue, pos)),
	}
	return call(funcLit(pos, fieldList(pos, l.mustName(t, pos)), body...), pos)
}

// mustName names a type known to be nameable.
func (l *lowerer) mustName(t types.Type, pos token.Pos) ast.Expr {
	te, _ := l.namer(pos).expr(t)
	return te
}

// varDecl is var name T.
func varDecl(name string, t ast.Expr, pos token.Pos) *ast.DeclStmt {
	return &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: pos, Tok: token.VAR, Specs: []ast.Spec{
		&ast.ValueSpec{Names: []*ast.Ident{ident(name, pos)}, Type: t},
	}}}
}

// assertTo is name = x.(T).
func assertTo(name string, x, t ast.Expr, pos token.Pos) *ast.AssignStmt {
	return &ast.AssignStmt{Lhs: []ast.Expr{ident(name, pos)}, TokPos: pos, Tok: token.ASSIGN,
		Rhs: []ast.Expr{&ast.TypeAssertExpr{X: x, Lparen: pos, Type: t, Rparen: pos}}}
}

// multi returns the form of an await whose N results go to N places:
//
//	func() (T1, T2) { r := asyncio.Await(x); return r[0].(T1), r[1].(T2) }()
func (l *lowerer) multi(site *awaitSite, aw *ast.CallExpr, t types.Type) ast.Expr {
	pos := site.unary.OpPos
	tuple, _ := t.(*types.Tuple)
	if tuple != nil && tuple.Len() != site.arity {
		tuple = nil
	}
	stmts := []ast.Stmt{define(pos, []ast.Expr{ident(tmpResults, pos)}, aw)}
	var resultTypes, values []ast.Expr
	for i := 0; i < site.arity; i++ {
		elem := ast.Expr(index(ident(tmpResults, pos), i, pos))
		var et types.Type
		if tuple != nil && validType(tuple.At(i).Type()) {
			et = tuple.At(i).Type()
		}
		te, named := ast.Expr(nil), false
		if et != nil {
			te, named = l.namer(pos).expr(et)
		}
		switch {
		case !named:
			resultTypes = append(resultTypes, ident("any", pos))
		case types.IsInterface(et):
			resultTypes = append(resultTypes, te)
			// var vI T; if r[I] != nil { vI = r[I].(T) }
			v := tmpValue + strconv.Itoa(i)
			stmts = append(stmts, varDecl(v, l.mustName(et, pos), pos), &ast.IfStmt{If: pos,
				Cond: &ast.BinaryExpr{X: elem, OpPos: pos, Op: token.NEQ, Y: ident("nil", pos)},
				Body: &ast.BlockStmt{Lbrace: pos, Rbrace: pos, List: []ast.Stmt{
					assertTo(v, index(ident(tmpResults, pos), i, pos), l.mustName(et, pos), pos)}},
			})
			elem = ident(v, pos)
		default:
			resultTypes = append(resultTypes, te)
			te2, _ := l.namer(pos).expr(et)
			elem = &ast.TypeAssertExpr{X: elem, Lparen: pos, Type: te2, Rparen: pos}
		}
		values = append(values, elem)
	}
	stmts = append(stmts, ret(pos, values...))
	return call(funcLit(pos, fieldList(pos, resultTypes...), stmts...), pos)
}

// source prints an expression as the user would read it.
func (l *lowerer) source(e ast.Expr) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, l.c.Fset, e); err != nil {
		return "x"
	}
	return b.String()
}

// checkArity reports, as Go would, an await whose awaited value gives
// another number of values than its context wants (n, err := await f()
// with f returning one value), when the awaited type is known. Unchecked,
// it failed at run time with "reflect: slice index out of range".
func (l *lowerer) checkArity(site *awaitSite) {
	n, ok := l.awaitArity(site.call.Args[0])
	if !ok || n == site.arity {
		return
	}
	pos := l.c.Fset.Position(site.unary.OpPos)
	x := "await " + l.source(site.call.Args[0])
	switch {
	case n == 0:
		l.errs.Add(pos, x+" (no value) used as value")
	case site.inReturn && n < site.arity:
		l.errs.Add(pos, fmt.Sprintf("not enough return values: %s returns %s, want %d", x, values(n), site.arity))
	case site.inReturn:
		l.errs.Add(pos, fmt.Sprintf("too many return values: %s returns %s, want %d", x, values(n), site.arity))
	default:
		l.errs.Add(pos, fmt.Sprintf("assignment mismatch: %d variables but %s returns %s", site.arity, x, values(n)))
	}
}

// values is "1 value" or "n values".
func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

// awaitArity returns how many values awaiting x gives, when x's type is
// known: 0 for the model's Void, N for its TupleN, else 1.
func (l *lowerer) awaitArity(x ast.Expr) (int, bool) {
	tv, ok := l.chk.info.Types[x]
	if !ok || tv.Type == nil || !validType(tv.Type) {
		return 0, false
	}
	var pkg *types.Package
	if p, ok := tv.Type.Underlying().(*types.Pointer); ok {
		if n, ok := types.Unalias(p.Elem()).(*types.Named); ok {
			pkg = n.Obj().Pkg()
		}
	}
	if pkg == nil || pkg.Path() != StubPath {
		return 0, false
	}
	obj, _, _ := types.LookupFieldOrMethod(tv.Type, true, pkg, modelAwaitResult)
	fn, ok := obj.(*types.Func)
	if !ok {
		return 0, false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Results().Len() != 1 {
		return 0, false
	}
	r := sig.Results().At(0).Type()
	switch {
	case !validType(r) || isModel(r, modelUnknown):
		return 0, false
	case isModel(r, modelVoid):
		return 0, true
	case isTuple(r):
		name := types.Unalias(r).(*types.Named).Obj().Name()
		return int(name[len(modelTuple)] - '0'), true
	}
	return 1, true
}

// isModel reports whether t is the named type name of the asyncio model.
func isModel(t types.Type, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == StubPath && n.Obj().Name() == name
}

// isTuple reports whether t is one of the model's TupleN.
func isTuple(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != StubPath {
		return false
	}
	name := n.Obj().Name()
	return len(name) == len(modelTuple)+1 && strings.HasPrefix(name, modelTuple)
}
