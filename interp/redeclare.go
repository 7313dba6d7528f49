package interp

import (
	"go/ast"
	"go/token"
	"strconv"
)

// tempName is the prefix of the variables reassignRedeclared introduces.
const tempName = prefix + "redecl"

// reassignRedeclared rewrites the top-level statements of one statement
// chunk so that each variable is declared by at most one of them: a `:=`
// naming a variable that an earlier statement of the chunk declared, or
// that declared holds, assigns that variable instead (its other, new
// names are still declared), as Go does for a redeclaration in the same
// scope. declared holds the variables the cell declared before the chunk
// (the chunk's own are added to it): they are the same scope for the
// user, though yaegi would declare a new variable.
//
// This works around yaegi binding names in global code. The statements of
// one Eval are global code: its global analysis declares the variables of
// every top-level `x, y := f()` (gta.go:111, compDefineX, which the CFG pass
// then skips at global scope, cfg.go:912) before any use of a name is
// bound, and compDefineX gives a name a new slot, replacing the name's
// symbol, unless another name of the statement is new and the name is
// already in the same scope (cfg.go:2412-2419). Uses are bound afterwards,
// each to the symbol the name has then (cfg.go:1639): the last declaration's
// slot. A name already declared by an earlier Eval gets a new slot at each
// of its declarations, so in
//
//	_, err := http.Get(a)
//	fmt.Println(err != nil)
//	resp, err := http.Get(b)
//
// run a second time, the first call stores its error in a slot that no use
// reads, and the Println sees the (still nil) err of the third line.
//
// A redeclared variable whose value comes from a call, a receive or an
// expression that names a variable of the statement goes through a
// temporary, so that the right-hand side is evaluated before any
// assignment, as in Go; other values (constants, typically) are assigned
// directly, which keeps untyped constants assignable.
func reassignRedeclared(list []ast.Stmt, declared map[string]bool) []ast.Stmt {
	n := 0
	out := make([]ast.Stmt, 0, len(list))
	for _, st := range list {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				out = append(out, redeclare(x, declared, &n)...)
				continue
			}
		case *ast.DeclStmt:
			if gd, ok := x.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				names, _ := declaredNames(gd)
				for _, id := range names {
					if id.Name != "_" {
						declared[id.Name] = true
					}
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// redeclare returns the statements that replace the top-level `:=` as:
// as itself when it names no variable of declared (or only such
// variables), else a `:=` of its new names followed by the assignment of
// the others. It adds the names as declares to declared; n numbers the
// temporaries.
func redeclare(as *ast.AssignStmt, declared map[string]bool, n *int) []ast.Stmt {
	again := map[string]bool{} // names declared by an earlier statement
	names := map[string]bool{} // all the names as declares
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
			names[id.Name] = true
			if declared[id.Name] {
				again[id.Name] = true
			}
		}
	}
	for name := range names {
		declared[name] = true
	}
	if len(again) == 0 || len(again) == len(names) {
		// Nothing redeclared, or nothing new (a compile error in Go, left
		// to the interpreter).
		return []ast.Stmt{as}
	}
	tuple := len(as.Rhs) == 1 && len(as.Lhs) > 1 // x, y := f()
	if !tuple && len(as.Rhs) != len(as.Lhs) {
		return []ast.Stmt{as} // a count mismatch: the interpreter says so
	}
	def := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.DEFINE}
	set := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.ASSIGN}
	if tuple {
		def.Rhs = as.Rhs
	}
	for i, l := range as.Lhs {
		id, _ := l.(*ast.Ident)
		if id == nil || !again[id.Name] {
			def.Lhs = append(def.Lhs, l)
			if !tuple {
				def.Rhs = append(def.Rhs, as.Rhs[i])
			}
			continue
		}
		if !tuple && !needsTemp(as.Rhs[i], names) {
			// id = value, once the new names are declared.
			set.Lhs = append(set.Lhs, id)
			set.Rhs = append(set.Rhs, as.Rhs[i])
			continue
		}
		*n++
		tmp := tempName + strconv.Itoa(*n)
		def.Lhs = append(def.Lhs, &ast.Ident{NamePos: id.NamePos, Name: tmp})
		if !tuple {
			def.Rhs = append(def.Rhs, as.Rhs[i])
		}
		set.Lhs = append(set.Lhs, id)
		set.Rhs = append(set.Rhs, &ast.Ident{NamePos: id.NamePos, Name: tmp})
	}
	// set may assign nil to several variables: split it as transform
	// splits the user's own.
	return append([]ast.Stmt{def}, splitNilAssign(set)...)
}

// needsTemp tells whether a value assigned to a redeclared variable must
// be computed with the statement's other values, before the new names are
// declared: when it may have effects (a call, a receive) or names one of
// the statement's variables.
func needsTemp(e ast.Expr, names map[string]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr, *ast.FuncLit:
			found = true
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				found = true
			}
		case *ast.SelectorExpr:
			ast.Inspect(x.X, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && names[id.Name] {
					found = true
				}
				return !found
			})
			return false
		case *ast.Ident:
			if names[x.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}
