package autoawait

import (
	"go/ast"
	"go/token"
	"strconv"
)

// Small constructors of AST nodes placed at pos.

func ident(name string, pos token.Pos) *ast.Ident { return &ast.Ident{Name: name, NamePos: pos} }

// asyncioSel is asyncio.name.
func asyncioSel(name string, pos token.Pos) *ast.SelectorExpr {
	return &ast.SelectorExpr{X: ident(StubPath, pos), Sel: ident(name, pos)}
}

func call(fun ast.Expr, pos token.Pos, args ...ast.Expr) *ast.CallExpr {
	return &ast.CallExpr{Fun: fun, Lparen: pos, Args: args, Rparen: pos}
}

func strLit(s string, pos token.Pos) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(s), ValuePos: pos}
}

func intLit(n int, pos token.Pos) *ast.BasicLit {
	return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n), ValuePos: pos}
}

// index is x[i].
func index(x ast.Expr, i int, pos token.Pos) *ast.IndexExpr {
	return &ast.IndexExpr{X: x, Lbrack: pos, Index: intLit(i, pos), Rbrack: pos}
}

// anySlice is []any.
func anySlice(pos token.Pos) *ast.ArrayType {
	return &ast.ArrayType{Lbrack: pos, Elt: ident("any", pos)}
}

// fieldList is a list of unnamed fields of the given types.
func fieldList(pos token.Pos, types ...ast.Expr) *ast.FieldList {
	fl := &ast.FieldList{Opening: pos, Closing: pos}
	for _, t := range types {
		fl.List = append(fl.List, &ast.Field{Type: t})
	}
	return fl
}

// funcLit is func() results { stmts }.
func funcLit(pos token.Pos, results *ast.FieldList, stmts ...ast.Stmt) *ast.FuncLit {
	return &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{Opening: pos, Closing: pos}, Results: results},
		Body: &ast.BlockStmt{Lbrace: pos, List: stmts, Rbrace: pos},
	}
}

// define is lhs := rhs.
func define(pos token.Pos, lhs []ast.Expr, rhs ...ast.Expr) *ast.AssignStmt {
	return &ast.AssignStmt{Lhs: lhs, TokPos: pos, Tok: token.DEFINE, Rhs: rhs}
}

func ret(pos token.Pos, results ...ast.Expr) *ast.ReturnStmt {
	return &ast.ReturnStmt{Return: pos, Results: results}
}
