package plan

import (
	"go/ast"
	"maps"
	"reflect"
	"sort"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
)

// Decl is what the session remembers of a top-level name: enough for
// redefinition checks, recompilation, completion and inspection.
type Decl struct {
	Name string
	Kind lower.Kind
	Cell string // "cell[3]"
	Line int
	// Source is the printed declaration (for types and methods: the text
	// compared on redefinition).
	Source string
	Sig    string // one-line signature or declaration
	Doc    string // doc comment
	// Refs holds the top-level names a function body refers to, to find
	// the callers to recompile when one of them is redefined.
	Refs map[string]bool
	// Code is the chunk that (re)declares it, for functions.
	Code string
	// Results is the number of results of a function (-1: unknown).
	Results int
}

// State is what earlier cells declared, as planning needs it. The
// chunks' Commit functions update it once the chunks ran.
type State struct {
	Imports map[string]string // package name in cells -> import path
	Decls   map[string]*Decl  // top-level names (methods as "T.M")
}

// NewState returns the state of a session without cells.
func NewState() *State {
	return &State{Imports: map[string]string{}, Decls: map[string]*Decl{}}
}

// Host is what planning reads of the session's interpreter.
type Host interface {
	// Globals returns the interpreter's global variables (nil when it
	// cannot list them).
	Globals() map[string]reflect.Value
	// Symbols returns the host symbols of the package at importPath (nil
	// if there is none).
	Symbols(importPath string) map[string]reflect.Value
	// PackageName returns the name a package is known by when imported
	// without an alias.
	PackageName(importPath string) string
}

// planner plans the chunks of one cell.
type planner struct {
	st *State
	h  Host
}

// Plan turns a parsed, lowered cell into the chunks the session runs in
// order. It does not change st: each chunk's Commit does, once it ran.
func Plan(c *cell.Cell, st *State, h Host) ([]Chunk, error) {
	pl := planner{st: st, h: h}
	return pl.plan(c)
}

// Redecl lists the names a chunk declares again, for the session to
// settle once the chunk ran.
type Redecl struct {
	// Names are the variables and constants of earlier cells that the
	// chunk declares again at its top level.
	Names []string
	// Marks maps a name declared by a top-level statement of a statement
	// chunk to the number its Declared call records once the declaration
	// ran; a name without a mark ran when the chunk succeeded.
	Marks map[string]int
	// Temps are the temporaries lower.ReassignRedeclared introduced: they
	// are used once, by the statement after them, and zeroed after the
	// chunk.
	Temps []string
	// Redefined are the functions the chunk redefines with a new text.
	Redefined []string
	// CellFuncs are the functions the whole cell declares (they are not
	// recompiled as dependents: the cell compiles them).
	CellFuncs map[string]bool
}

// Redeclares tells whether an earlier cell declared name as a variable or
// a constant.
func (st *State) Redeclares(name string) bool {
	d, ok := st.Decls[name]
	return ok && (d.Kind == lower.Var || d.Kind == lower.Const)
}

// redeclares is st.Redeclares.
func (pl *planner) redeclares(name string) bool { return pl.st.Redeclares(name) }

// declRedecl describes a declaration chunk: the variables and constants
// of earlier cells that its declarations declare again, and the functions
// it redefines. It returns nil if there are none.
func (pl *planner) declRedecl(c *cell.Cell, decls []ast.Decl, redefined []string) *Redecl {
	rd := &Redecl{Redefined: redefined}
	for _, d := range decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil && pl.redeclares(x.Name.Name) {
				rd.Names = append(rd.Names, x.Name.Name)
			}
		case *ast.GenDecl:
			names, _ := lower.DeclaredNames(x)
			for _, id := range names {
				if id.Name != "_" && pl.redeclares(id.Name) {
					rd.Names = append(rd.Names, id.Name)
				}
			}
		}
	}
	if len(rd.Names) == 0 && len(rd.Redefined) == 0 {
		return nil
	}
	rd.CellFuncs = lower.DeclaredFuncs(c)
	return rd
}

// stmtRedecl describes a statement chunk of cell c and prepares its
// statements (lower.MarkRedeclarations) for the names for which earlier
// is true (names an earlier cell or chunk declared). It returns the list
// unchanged and nil if no statement declares such a name or a temporary.
func stmtRedecl(c *cell.Cell, list []ast.Stmt, earlier func(string) bool) ([]ast.Stmt, *Redecl) {
	out, r := lower.MarkRedeclarations(list, earlier)
	if r == nil {
		return list, nil
	}
	return out, &Redecl{Names: r.Names, Marks: r.Marks, Temps: r.Temps, CellFuncs: lower.DeclaredFuncs(c)}
}

// Dependents returns, sorted, the earlier functions that refer (directly
// or not) to the changed names, except the ones in cellFuncs (the running
// cell declares them).
func (st *State) Dependents(changed map[string]bool, cellFuncs map[string]bool) []string {
	changed = maps.Clone(changed)
	var order []string
	for grew := true; grew; {
		grew = false
		for name, d := range st.Decls {
			if d.Kind != lower.Func || changed[name] || d.Code == "" || cellFuncs[name] {
				continue
			}
			for r := range d.Refs {
				if changed[r] {
					changed[name] = true
					order = append(order, name)
					grew = true
					break
				}
			}
		}
	}
	sort.Strings(order)
	return order
}

// Names returns what the lowerings of cell c must know of the names it
// sees.
func (st *State) Names(c *cell.Cell) lower.Names { return lowerNames{st, c} }

// lowerNames is the view Names returns.
type lowerNames struct {
	st *State
	c  *cell.Cell
}

func (n lowerNames) Shadowed(name string) bool { return n.st.Shadowed(n.c, name) }

func (n lowerNames) Type(name string) bool {
	d := n.st.Decls[name]
	return d != nil && d.Kind == lower.Type
}

func (n lowerNames) Package(name string) bool {
	_, ok := n.st.Imports[name]
	return ok
}

// Shadowed tells whether a builtin's name was declared by the user, in
// cell c or earlier.
func (st *State) Shadowed(c *cell.Cell, name string) bool {
	if _, ok := st.Decls[name]; ok {
		return true
	}
	for _, d := range c.File.Decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil && x.Name.Name == name {
				return true
			}
		case *ast.GenDecl:
			names, _ := lower.DeclaredNames(x)
			for _, id := range names {
				if id.Name == name {
					return true
				}
			}
		}
	}
	return false
}
