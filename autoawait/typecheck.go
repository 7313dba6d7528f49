package autoawait

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"

	"github.com/goawait/goawait/internal/cell"
)

// checked is what go/types found out about a cell.
type checked struct {
	info *types.Info
	pkg  *types.Package
	// names maps an import path to the name the cell's code can use for
	// it ("" for the package's own name).
	names map[string]string
}

// standIns replaces every await of the cell by a call of the model's
// Await (or AwaitN where the context wants N values), which go/types can
// type. The final lowering later replaces these calls again.
func standIns(c *cell.Cell, s *scanResult) {
	if len(s.awaits) == 0 {
		return
	}
	cell.ReplaceExprs(c.File, func(e ast.Expr) ast.Expr {
		u, ok := e.(*ast.UnaryExpr)
		if !ok {
			return e
		}
		site := s.byExpr[u]
		if site == nil {
			return e
		}
		name := libAwait
		if site.arity > 1 {
			name += strconv.Itoa(site.arity)
		}
		site.call = call(asyncioSel(name, u.OpPos), u.OpPos, u.X)
		site.call.Rparen = u.End() - 1
		return site.call
	})
}

// modelSwap is an async function temporarily given its model form,
//
//	func f(params) *asyncio.Coroutine[R] { _ = func() (results) { body }; return nil }
//
// so that go/types types its callers and its body.
type modelSwap struct {
	f       *asyncFunc
	results *ast.FieldList
	body    *ast.BlockStmt
}

func swapToModel(f *asyncFunc) *modelSwap {
	ft := f.funcType()
	sw := &modelSwap{f: f, results: ft.Results, body: *f.body()}
	pos := ft.Func
	coro := &ast.IndexExpr{X: asyncioSel(modelCoroutine, pos), Lbrack: pos, Index: modelResult(ft.Results, pos), Rbrack: pos}
	ft.Results = fieldList(pos, &ast.StarExpr{Star: pos, X: coro})
	inner := &ast.FuncLit{Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}, Results: sw.results}, Body: sw.body}
	*f.body() = &ast.BlockStmt{Lbrace: sw.body.Lbrace, Rbrace: sw.body.Rbrace, List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{ident("_", pos)}, TokPos: pos, Tok: token.ASSIGN, Rhs: []ast.Expr{inner}},
		ret(pos, ident("nil", pos)),
	}}
	return sw
}

func (sw *modelSwap) restore() {
	sw.f.funcType().Results = sw.results
	*sw.f.body() = sw.body
}

// modelResult is the type argument of the model Coroutine for a function
// with the given results: Void, the result type, or TupleN[...].
func modelResult(results *ast.FieldList, pos token.Pos) ast.Expr {
	var ts []ast.Expr
	if results != nil {
		for _, f := range results.List {
			n := max(len(f.Names), 1)
			for range n {
				ts = append(ts, f.Type)
			}
		}
	}
	switch {
	case len(ts) == 0:
		return asyncioSel(modelVoid, pos)
	case len(ts) == 1:
		return ts[0]
	case len(ts) <= modelMaxTuple:
		return &ast.IndexListExpr{X: asyncioSel(modelTuple+strconv.Itoa(len(ts)), pos), Lbrack: pos, Indices: ts, Rbrack: pos}
	}
	return ident("any", pos)
}

// check type-checks c (whose awaits are stand-ins and whose async
// functions are in model form) against the session's memory, and learns
// its declarations. Type errors are ignored: they become unknown types.
func (r *Rewriter) check(c *cell.Cell) *checked {
	chk := &checked{
		info:  &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}},
		names: map[string]string{},
	}
	for path, name := range r.mem.imports {
		chk.names[path] = name
	}
	own := map[string]bool{}
	for _, spec := range c.File.Imports {
		if path, err := strconv.Unquote(spec.Path.Value); err == nil {
			own[path] = true
			chk.names[path] = ""
			if spec.Name != nil {
				chk.names[path] = spec.Name.Name
			}
		}
	}
	if _, ok := chk.names[StubPath]; !ok {
		chk.names[StubPath] = ""
	}

	files := []*ast.File{}
	if src := r.mem.prelude(declaredNames(c.File)); src != "" {
		if pf, _ := parser.ParseFile(c.Fset, "goawait-session", src, parser.SkipObjectResolution); pf != nil {
			files = append(files, pf)
		}
	}
	var imports []ast.Decl
	for path, name := range chk.names {
		if own[path] {
			continue
		}
		spec := &ast.ImportSpec{Path: strLit(path, token.NoPos)}
		if name != "" {
			spec.Name = ident(name, token.NoPos)
		}
		imports = append(imports, &ast.GenDecl{Tok: token.IMPORT, Specs: []ast.Spec{spec}})
	}
	cf := *c.File
	cf.Decls = append(imports, joinStmts(c.File.Decls)...)
	files = append(files, &cf)

	conf := types.Config{Importer: r.imp, Error: func(error) {}}
	chk.pkg, _ = conf.Check("main", c.Fset, files, chk.info)
	return chk
}

// joinStmts returns decls with the cell's statement runs joined into the
// first one (sharing their nodes), so that a variable of one run is seen by
// the next, as the session sees it.
func joinStmts(decls []ast.Decl) []ast.Decl {
	var out []ast.Decl
	var joined *ast.FuncDecl
	for _, d := range decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || !isStmtsFunc(fd) || fd.Body == nil {
			out = append(out, d)
			continue
		}
		if joined == nil {
			joined = &ast.FuncDecl{Name: fd.Name, Type: fd.Type, Body: &ast.BlockStmt{Lbrace: fd.Body.Lbrace}}
			out = append(out, joined)
		}
		joined.Body.List = append(joined.Body.List, fd.Body.List...)
		joined.Body.Rbrace = fd.Body.Rbrace
	}
	return out
}
