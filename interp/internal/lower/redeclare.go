package lower

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// TempPrefix starts the names of the variables ReassignRedeclared
// introduces.
const TempPrefix = reserved.Prefix + "redecl"

// ReassignRedeclared rewrites the top-level statements of one statement
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
func ReassignRedeclared(list []ast.Stmt, declared map[string]bool) []ast.Stmt {
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
				names, _ := DeclaredNames(gd)
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
		tmp := TempPrefix + strconv.Itoa(*n)
		def.Lhs = append(def.Lhs, &ast.Ident{NamePos: id.NamePos, Name: tmp})
		if !tuple {
			def.Rhs = append(def.Rhs, as.Rhs[i])
		}
		set.Lhs = append(set.Lhs, id)
		set.Rhs = append(set.Rhs, &ast.Ident{NamePos: id.NamePos, Name: tmp})
	}
	// set may assign nil to several variables: split it as Transform
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

// Redeclared is what MarkRedeclarations found in a chunk's statements.
type Redeclared struct {
	// Names are the names that earlier code declared and that the
	// statements declare again at their top level.
	Names []string
	// Marks maps each of Names to the number its Declared call records
	// once the declaration ran.
	Marks map[string]int
	// Temps are the temporaries ReassignRedeclared introduced: each is
	// used once, by the statement after it, and can be zeroed after the
	// chunk.
	Temps []string
}

// MarkRedeclarations prepares the top-level statements of one statement
// chunk for the session to settle the names they declare again (a name
// for which earlier is true): after each statement that declares such a
// name it inserts a call of the host's Declared, which records that the
// declaration ran, and at the start a call of Seed for each variable
// declared again, which gives its new variable the old value. It returns
// list unchanged and nil if no statement declares such a name or a
// temporary of ReassignRedeclared.
func MarkRedeclarations(list []ast.Stmt, earlier func(string) bool) ([]ast.Stmt, *Redeclared) {
	rd := &Redeclared{Marks: map[string]int{}}
	out := make([]ast.Stmt, 0, len(list))
	seeded := map[string]bool{}
	var seeds []string // variables to start with their old value (Seed)
	for _, st := range list {
		out = append(out, st)
		var ids []*ast.Ident
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, l := range x.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						ids = append(ids, id)
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := x.Decl.(*ast.GenDecl); ok {
				names, _ := DeclaredNames(gd)
				ids = append(ids, names...)
			}
		}
		seedable := false
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			seedable = true
		} else if ds, ok := st.(*ast.DeclStmt); ok {
			seedable = ds.Decl.(*ast.GenDecl).Tok == token.VAR
		}
		mark := 0
		for _, id := range ids {
			if seedable && id.Name != "_" && !strings.HasPrefix(id.Name, TempPrefix) && earlier(id.Name) && !seeded[id.Name] {
				seeded[id.Name] = true
				seeds = append(seeds, id.Name)
			}
			switch {
			case id.Name == "_":
			case strings.HasPrefix(id.Name, TempPrefix):
				rd.Temps = append(rd.Temps, id.Name)
			case earlier(id.Name):
				if mark == 0 {
					mark = len(rd.Marks) + 1
				}
				rd.Names = append(rd.Names, id.Name)
				rd.Marks[id.Name] = mark
			}
		}
		if mark > 0 {
			pos := st.End()
			out = append(out, &ast.ExprStmt{X: &ast.CallExpr{
				Fun:    runtimeFunc(pos, reserved.Declared),
				Lparen: pos, Rparen: pos,
				Args: []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.INT, Value: strconv.Itoa(mark)}},
			}})
		}
	}
	if len(rd.Names) == 0 && len(rd.Temps) == 0 {
		return list, nil
	}
	if len(seeds) > 0 {
		pos := list[0].Pos()
		var head []ast.Stmt
		for _, n := range seeds {
			head = append(head, &ast.ExprStmt{X: &ast.CallExpr{
				Fun:    runtimeFunc(pos, reserved.Seed),
				Lparen: pos, Rparen: pos,
				Args: []ast.Expr{
					&ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(n)},
					&ast.UnaryExpr{OpPos: pos, Op: token.AND, X: &ast.Ident{NamePos: pos, Name: n}},
				},
			}})
		}
		out = append(head, out...)
	}
	return out, rd
}
