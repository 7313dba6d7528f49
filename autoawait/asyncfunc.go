package autoawait

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"

	"github.com/goawait/goawait/internal/cell"
)

// tmpResult names the results of a multi-result coroutine body.
const tmpResult = "__goawait_res"

// lowerFunc turns an async function into a plain one that returns a
// coroutine running the original body. When the results are unnamed, the
// body becomes the coroutine's own function, each return storing its
// values in typed variables first:
//
//	func f(params) *asyncio.Coroutine {
//		return asyncio.NewCoroutine("f", "cell[N]:L", func() []any {
//			var __goawait_res0 T0 // one per result
//			...
//			{ __goawait_res0 = x; return []any{__goawait_res0} } // was: return x
//		})
//	}
//
// so values keep the result types (an untyped 1 returned as float64 is a
// float64) while the task's goroutine runs one interpreted frame less: a
// parked task's stack fits in 8 KiB instead of 16. Named results keep the
// original function, invoked in place, so that deferred functions that
// change them behave as in Go:
//
//	return asyncio.NewCoroutine("f", "cell[N]:L", func() []any {
//		return []any{func() (r int) { body }()}
//	})
//
// A function whose last statement awaits a pointer (a coroutine, task or
// future) and that defers nothing becomes a tail coroutine: its body
// returns what that statement awaits, and a task running it waits for that
// without holding a goroutine. Without results:
//
//	return asyncio.NewTailCoroutine("f", "cell[N]:L", "cell[N]:M", func() any {
//		...          // the statements before, each return a "return nil"
//		return x     // was: await x
//	})
//
// With one result, when the last statement is "return await x" and x's
// value has the result's type exactly, NewTailReturnCoroutine: earlier
// returns give their value as []any{v}, and the coroutine's result is x's.
func (l *lowerer) lowerFunc(f *asyncFunc) {
	c := l.c
	ft := f.funcType()
	body := *f.body()
	pos := ft.Func
	if !pos.IsValid() {
		pos = ft.Pos()
	}
	results := ft.Results
	resultType := l.resultType(results)
	ft.Results = fieldList(pos, &ast.StarExpr{Star: pos, X: asyncioSel(libCoroutine, pos)})
	end := body.Rbrace
	site := strLit(sitePos(c.Fset, pos), pos)

	var newCoro *ast.CallExpr
	if x, at, ctor, ok := l.tailAwait(results, resultType, body); ok {
		early := countIn[*ast.ReturnStmt](body) > 1
		stmts := inlineBody(results, body, pos, end)
		if countFields(results) == 0 {
			stmts[len(stmts)-2] = ret(x.Pos(), x) // the await, before the final "return nil"
			stmts = stmts[:len(stmts)-1]
		} else {
			stmts[len(stmts)-1] = ret(x.Pos(), x) // the rewritten "return await x"
			if !early {
				stmts = stmts[1:] // no other return uses the result variable
			}
		}
		coro := &ast.FuncLit{
			Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: fieldList(pos, ident("any", pos))},
			Body: &ast.BlockStmt{Lbrace: pos, List: stmts, Rbrace: end},
		}
		newCoro = call(asyncioSel(ctor, pos), pos, strLit(f.name, pos), site, strLit(at, pos), coro)
	} else {
		var stmts []ast.Stmt
		if hasNamedResults(results) {
			stmts = invokeBody(results, body, pos, end)
		} else {
			stmts = inlineBody(results, body, pos, end)
		}
		coro := &ast.FuncLit{
			Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: fieldList(pos, anySlice(pos))},
			Body: &ast.BlockStmt{Lbrace: pos, List: stmts, Rbrace: end},
		}
		newCoro = call(asyncioSel("NewCoroutine", pos), pos, strLit(f.name, pos), site, coro)
	}
	newCoro.Rparen = end
	*f.body() = &ast.BlockStmt{Lbrace: body.Lbrace, List: []ast.Stmt{ret(body.Lbrace, newCoro)}, Rbrace: end}
}

// resultType returns the type of a single unnamed result, nil otherwise.
func (l *lowerer) resultType(results *ast.FieldList) types.Type {
	if countFields(results) != 1 || hasNamedResults(results) {
		return nil
	}
	if tv, ok := l.chk.info.Types[results.List[0].Type]; ok && tv.IsType() && validType(tv.Type) {
		return tv.Type
	}
	return nil
}

// tailAwait returns what the last statement of body awaits, the await's
// site and the constructor to use, when the function can be a tail
// coroutine: it defers nothing, and either it has no results and ends
// with an await statement in l.tails, or its one result has type
// resultType and it ends with "return await x" of that very type.
func (l *lowerer) tailAwait(results *ast.FieldList, resultType types.Type, body *ast.BlockStmt) (ast.Expr, string, string, bool) {
	if len(body.List) == 0 || countIn[*ast.DeferStmt](body) > 0 {
		return nil, "", "", false
	}
	switch last := body.List[len(body.List)-1].(type) {
	case *ast.ExprStmt:
		aw, ok := last.X.(*ast.CallExpr)
		if !ok || countFields(results) != 0 {
			break
		}
		if at, ok := l.tails[aw]; ok {
			return aw.Args[0], at, "NewTailCoroutine", true
		}
	case *ast.ReturnStmt:
		if resultType == nil || len(last.Results) != 1 {
			break
		}
		if vt, ok := l.valueTails[last.Results[0]]; ok && types.Identical(vt.t, resultType) {
			return vt.x, vt.at, "NewTailReturnCoroutine", true
		}
	}
	return nil, "", "", false
}

// countIn counts the nodes of type T in body outside the function
// literals in it (their returns and defers are their own).
func countIn[T ast.Node](body *ast.BlockStmt) int {
	n := 0
	ast.Inspect(body, func(node ast.Node) bool {
		switch node.(type) {
		case T:
			n++
		case *ast.FuncLit:
			return false
		}
		return true
	})
	return n
}

// hasNamedResults reports whether results names its fields.
func hasNamedResults(results *ast.FieldList) bool {
	return results != nil && len(results.List) > 0 && len(results.List[0].Names) > 0
}

// inlineBody is the coroutine body for unnamed results: the original
// statements, with each return rewritten to return []any.
func inlineBody(results *ast.FieldList, body *ast.BlockStmt, pos, end token.Pos) []ast.Stmt {
	n := countFields(results)
	var stmts []ast.Stmt
	for i := range n {
		name := tmpResult + strconv.Itoa(i)
		stmts = append(stmts, &ast.DeclStmt{Decl: &ast.GenDecl{TokPos: pos, Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{ident(name, pos)}, Type: results.List[i].Type},
		}}})
	}
	rewriteReturns(body.List, func(r *ast.ReturnStmt) ast.Stmt {
		if n == 0 {
			r.Results = []ast.Expr{ident("nil", r.Return)}
			return r
		}
		if len(r.Results) != n && len(r.Results) != 1 {
			return r // wrong count: left for the compiler to report
		}
		at := r.Return
		tmp := func(i int) ast.Expr { return ident(tmpResult+strconv.Itoa(i), at) }
		var block []ast.Stmt
		if len(r.Results) == n {
			// One assignment each, nil skipped (the variable is still
			// zero): yaegi fails on an interface assigned a literal nil in
			// a tuple assignment ("reflect: New(nil)").
			for i, x := range r.Results {
				if id, ok := x.(*ast.Ident); ok && id.Name == "nil" {
					continue
				}
				block = append(block, &ast.AssignStmt{Lhs: []ast.Expr{tmp(i)}, TokPos: at, Tok: token.ASSIGN, Rhs: []ast.Expr{x}})
			}
		} else { // return f(), f returning n values
			lhs := make([]ast.Expr, n)
			for i := range n {
				lhs[i] = tmp(i)
			}
			block = append(block, &ast.AssignStmt{Lhs: lhs, TokPos: at, Tok: token.ASSIGN, Rhs: r.Results})
		}
		elts := make([]ast.Expr, n)
		for i := range n {
			elts[i] = tmp(i)
		}
		block = append(block, ret(at, &ast.CompositeLit{Type: anySlice(at), Lbrace: at, Elts: elts, Rbrace: at}))
		return &ast.BlockStmt{Lbrace: at, Rbrace: at, List: block}
	})
	stmts = append(stmts, body.List...)
	if n == 0 {
		stmts = append(stmts, ret(end, ident("nil", end)))
	}
	return stmts
}

// invokeBody is the coroutine body for named results: the original
// function literal, called, its results returned as []any.
func invokeBody(results *ast.FieldList, body *ast.BlockStmt, pos, end token.Pos) []ast.Stmt {
	inner := &ast.FuncLit{Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: results}, Body: body}
	invoke := call(inner, end)
	n := countFields(results)
	if n == 1 {
		return []ast.Stmt{ret(pos, &ast.CompositeLit{Type: anySlice(pos), Lbrace: pos, Elts: []ast.Expr{invoke}, Rbrace: end})}
	}
	var lhs, elts []ast.Expr
	for i := range n {
		name := tmpResult + strconv.Itoa(i)
		lhs = append(lhs, ident(name, pos))
		elts = append(elts, ident(name, end))
	}
	return []ast.Stmt{
		define(pos, lhs, invoke),
		ret(end, &ast.CompositeLit{Type: anySlice(end), Lbrace: end, Elts: elts, Rbrace: end}),
	}
}

// rewriteReturns replaces, in stmts and the statements nested in them but
// not in function literals, each return statement by what replace makes
// of it.
func rewriteReturns(stmts []ast.Stmt, replace func(*ast.ReturnStmt) ast.Stmt) {
	for i, st := range stmts {
		stmts[i] = rewriteReturnsIn(st, replace)
	}
}

func rewriteReturnsIn(st ast.Stmt, replace func(*ast.ReturnStmt) ast.Stmt) ast.Stmt {
	switch s := st.(type) {
	case *ast.ReturnStmt:
		return replace(s)
	case *ast.BlockStmt:
		rewriteReturns(s.List, replace)
	case *ast.LabeledStmt:
		s.Stmt = rewriteReturnsIn(s.Stmt, replace)
	case *ast.IfStmt:
		rewriteReturns(s.Body.List, replace)
		if s.Else != nil {
			s.Else = rewriteReturnsIn(s.Else, replace)
		}
	case *ast.ForStmt:
		rewriteReturns(s.Body.List, replace)
	case *ast.RangeStmt:
		rewriteReturns(s.Body.List, replace)
	case *ast.SwitchStmt:
		rewriteReturns(s.Body.List, replace)
	case *ast.TypeSwitchStmt:
		rewriteReturns(s.Body.List, replace)
	case *ast.SelectStmt:
		rewriteReturns(s.Body.List, replace)
	case *ast.CaseClause:
		rewriteReturns(s.Body, replace)
	case *ast.CommClause:
		rewriteReturns(s.Body, replace)
	}
	return st
}

// importsAsyncio reports whether file imports the runtime.
func importsAsyncio(file *ast.File) bool {
	for _, spec := range file.Imports {
		if spec.Path != nil && spec.Path.Value == strconv.Quote(StubPath) {
			return true
		}
	}
	return false
}

// addAsyncioImport makes c import the runtime, as a first Imports item.
func addAsyncioImport(c *cell.Cell) {
	if importsAsyncio(c.File) {
		return
	}
	// At the package clause: before the cell's own comments and line
	// directives, so that it shifts none of the user's lines.
	pos := c.File.Package
	spec := &ast.ImportSpec{Path: strLit(StubPath, pos)}
	gd := &ast.GenDecl{TokPos: pos, Tok: token.IMPORT, Specs: []ast.Spec{spec}}
	c.File.Decls = append([]ast.Decl{gd}, c.File.Decls...)
	c.File.Imports = append([]*ast.ImportSpec{spec}, c.File.Imports...)
	item := cell.Item{Kind: cell.Imports, Decls: []ast.Decl{gd}, Text: "import " + strconv.Quote(StubPath), Line: 1, Col: 1}
	c.Items = append([]cell.Item{item}, c.Items...)
}

// usesAsyncio reports whether c refers to the name asyncio as a package
// (asyncio.X).
func usesAsyncio(c *cell.Cell) bool {
	found := false
	ast.Inspect(c.File, func(n ast.Node) bool {
		if found {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == StubPath {
				found = true
			}
		}
		return true
	})
	return found
}
