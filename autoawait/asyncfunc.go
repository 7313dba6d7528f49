package autoawait

import (
	"go/ast"
	"go/token"
	"strconv"

	"github.com/goawait/goawait/internal/cell"
)

// tmpResult names the results of a multi-result coroutine body.
const tmpResult = "__goawait_res"

// lowerFunc turns an async function into a plain one that returns a
// coroutine running the original body:
//
//	func f(params) *asyncio.Coroutine {
//		return asyncio.NewCoroutine("f", "cell[N]:L", func() []any {
//			return []any{func() (results) { body }()}
//		})
//	}
//
// The original body keeps its own signature, so its returns, named results
// and deferred functions behave as in Go.
func lowerFunc(c *cell.Cell, f *asyncFunc) {
	ft := f.funcType()
	body := *f.body()
	pos := ft.Func
	if !pos.IsValid() {
		pos = ft.Pos()
	}
	results := ft.Results
	ft.Results = fieldList(pos, &ast.StarExpr{Star: pos, X: asyncioSel("Coroutine", pos)})
	end := body.Rbrace

	inner := &ast.FuncLit{Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: results}, Body: body}
	invoke := call(inner, end)
	var stmts []ast.Stmt
	switch n := countFields(results); n {
	case 0:
		stmts = []ast.Stmt{&ast.ExprStmt{X: invoke}, ret(end, ident("nil", end))}
	case 1:
		stmts = []ast.Stmt{ret(pos, &ast.CompositeLit{Type: anySlice(pos), Lbrace: pos, Elts: []ast.Expr{invoke}, Rbrace: end})}
	default:
		var lhs, elts []ast.Expr
		for i := range n {
			name := tmpResult + strconv.Itoa(i)
			lhs = append(lhs, ident(name, pos))
			elts = append(elts, ident(name, end))
		}
		stmts = []ast.Stmt{
			define(pos, lhs, invoke),
			ret(end, &ast.CompositeLit{Type: anySlice(end), Lbrace: end, Elts: elts, Rbrace: end}),
		}
	}
	coro := &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: fieldList(pos, anySlice(pos))},
		Body: &ast.BlockStmt{Lbrace: pos, List: stmts, Rbrace: end},
	}
	newCoro := call(asyncioSel("NewCoroutine", pos), pos, strLit(f.name, pos), strLit(sitePos(c.Fset, pos), pos), coro)
	newCoro.Rparen = end
	*f.body() = &ast.BlockStmt{Lbrace: body.Lbrace, List: []ast.Stmt{ret(body.Lbrace, newCoro)}, Rbrace: end}
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
	item := cell.Item{Kind: cell.Imports, Decls: []ast.Decl{gd}, Text: `import "asyncio"`, Line: 1, Col: 1}
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
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "asyncio" {
				found = true
			}
		}
		return true
	})
	return found
}
