package lower

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/goawait/goawait/internal/cell"
)

// nestedDefines runs in a function of its own (func() { stmt }()) each
// statement of the cell's top level that declares, in a nested block, two
// names from one value (n, err := strconv.Atoi(s) in a loop, v, ok :=
// m[k] in an if): yaegi gives the names of such blocks slots of its
// global frame and loses them there ("undefined: n"), while in a function
// they are local as Go makes them. A statement that returns, defers or
// uses goto, or a labeled one in a cell that uses goto, is left alone: a
// function would change what those do.
func nestedDefines(f *ast.File) {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, cell.StmtsFunc) {
			continue
		}
		for i, st := range fd.Body.List {
			inner := st
			if l, ok := st.(*ast.LabeledStmt); ok {
				if hasGoto(fd.Body) {
					continue // a goto may jump to it
				}
				inner = l.Stmt
			}
			switch inner.(type) {
			case *ast.AssignStmt, *ast.DeclStmt, *ast.ExprStmt, *ast.GoStmt:
				continue // top-level declarations are the cell's globals
			}
			if needsOwnFunc(st) {
				fd.Body.List[i] = callInPlace(&ast.BlockStmt{Lbrace: st.Pos(), List: []ast.Stmt{st}, Rbrace: st.End()})
			}
		}
	}
}

// needsOwnFunc tells whether st declares two names from one value in a
// nested block, outside function literals, and neither returns, defers
// nor goes to a label.
func needsOwnFunc(st ast.Stmt) bool {
	multi, blocked := false, false
	ast.Inspect(st, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) > 1 && len(x.Rhs) == 1 {
				multi = true
			}
		case *ast.ValueSpec:
			if len(x.Names) > 1 && len(x.Values) == 1 {
				multi = true
			}
		case *ast.ReturnStmt, *ast.DeferStmt:
			blocked = true
		case *ast.BranchStmt:
			blocked = blocked || x.Tok == token.GOTO
		}
		return true
	})
	return multi && !blocked
}

// hasGoto tells whether b has a goto statement outside function literals.
func hasGoto(b *ast.BlockStmt) bool {
	found := false
	ast.Inspect(b, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			found = found || x.Tok == token.GOTO
		}
		return !found
	})
	return found
}
