package lower

import (
	"go/ast"
	"go/token"
)

// splitNilAssigns rewrites, in every statement list of f, the parallel
// assignments that assign nil to a variable, such as `a, b = nil, nil`:
// yaegi types the temporary of each value of a parallel assignment with
// the value's own type (run.go:739-746, in assign), which an untyped nil
// may still have, and reflect.New(nil) then panics (run.go:778). A nil
// assigned to a plain variable (named once on the left) becomes a single
// assignment after the others: `a, b = nil, nil` runs as `a = nil; b =
// nil`, `x, p = y, nil` as `x = y; p = nil`. That keeps Go's order: the
// other assignment evaluates its operands first, and assigning nil to a
// variable evaluates nothing.
func splitNilAssigns(f *ast.File) {
	split := func(list []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for i, st := range list {
			as, ok := st.(*ast.AssignStmt)
			if !ok || as.Tok != token.ASSIGN || len(as.Lhs) < 2 || len(as.Lhs) != len(as.Rhs) {
				if out != nil {
					out = append(out, st)
				}
				continue
			}
			parts := splitNilAssign(as)
			if len(parts) == 1 && out == nil {
				continue
			}
			if out == nil {
				out = append(out, list[:i]...)
			}
			out = append(out, parts...)
		}
		if out == nil {
			return list
		}
		return out
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BlockStmt:
			x.List = split(x.List)
		case *ast.CaseClause:
			x.Body = split(x.Body)
		case *ast.CommClause:
			x.Body = split(x.Body)
		}
		return true
	})
}

// splitNilAssign returns the statements that replace the parallel
// assignment as (see splitNilAssigns): as itself when it assigns nil to no
// plain variable.
func splitNilAssign(as *ast.AssignStmt) []ast.Stmt {
	count := map[string]int{}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			count[id.Name]++
		}
	}
	rest := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.ASSIGN}
	var nils []ast.Stmt
	for i, l := range as.Lhs {
		id, ok := l.(*ast.Ident)
		if ok && id.Name != "_" && count[id.Name] == 1 && isNil(as.Rhs[i]) {
			nils = append(nils, &ast.AssignStmt{Lhs: []ast.Expr{id}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{as.Rhs[i]}})
			continue
		}
		rest.Lhs = append(rest.Lhs, l)
		rest.Rhs = append(rest.Rhs, as.Rhs[i])
	}
	if len(nils) == 0 {
		return []ast.Stmt{as}
	}
	if len(rest.Lhs) == 0 {
		return nils
	}
	return append([]ast.Stmt{rest}, nils...)
}

// isNil tells whether e is the identifier nil, maybe in parentheses.
func isNil(e ast.Expr) bool {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}
