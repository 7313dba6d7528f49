package interp

import (
	"fmt"
	"go/ast"
	"maps"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/internal/yaegix"
)

// Redeclaring a session variable.
//
// yaegi gives a variable declared again a new slot, and code compiled
// earlier keeps using the old one: yaegix's Slots and Settle keep the old
// slots in step (see yaegix/slots.go). The session tells Settle which
// declarations ran: a statement chunk calls the runtime's Declared after
// each declaration of such a name (lower.MarkRedeclarations); a
// declaration chunk (file mode) counts as run only if it succeeded. The
// earlier functions that use the name (or a redeclared constant, or a
// redefined function) are then recompiled, so that calling them uses the
// new declaration.

// redecl is what the session needs to settle the names a chunk declares.
type redecl struct {
	// names are the variables and constants of earlier cells that the
	// chunk declares again at its top level.
	names []string
	// marks maps a name declared by a top-level statement of a statement
	// chunk to the number its Declared call records once the
	// declaration ran; a name without a mark ran when the chunk succeeded.
	marks map[string]int
	// temps are the temporaries reassignRedeclared introduced: they are
	// used once, by the statement after them, and zeroed after the chunk.
	temps []string
	// redefined are the functions the chunk redefines with a new text.
	redefined []string
	// cellFuncs are the functions the whole cell declares (they are not
	// recompiled as dependents: the cell compiles them).
	cellFuncs map[string]bool
}

// redeclares tells whether an earlier cell declared name as a variable
// or a constant.
func (s *Session) redeclares(name string) bool {
	d, ok := s.state.decls[name]
	return ok && (d.kind == lower.Var || d.kind == lower.Const)
}

// declRedecl describes a declaration chunk: the variables and constants
// of earlier cells that its declarations declare again, and the functions
// it redefines. It returns nil if there are none.
func (s *Session) declRedecl(c *cell.Cell, decls []ast.Decl, redefined []string) *redecl {
	rd := &redecl{redefined: redefined}
	for _, d := range decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Recv == nil && s.redeclares(x.Name.Name) {
				rd.names = append(rd.names, x.Name.Name)
			}
		case *ast.GenDecl:
			names, _ := lower.DeclaredNames(x)
			for _, id := range names {
				if id.Name != "_" && s.redeclares(id.Name) {
					rd.names = append(rd.names, id.Name)
				}
			}
		}
	}
	if len(rd.names) == 0 && len(rd.redefined) == 0 {
		return nil
	}
	rd.cellFuncs = lower.DeclaredFuncs(c)
	return rd
}

// stmtRedecl describes a statement chunk of cell c and prepares its
// statements (lower.MarkRedeclarations) for the names for which earlier
// is true (names an earlier cell or chunk declared). It returns the list
// unchanged and nil if no statement declares such a name or a temporary.
func stmtRedecl(c *cell.Cell, list []ast.Stmt, earlier func(string) bool) ([]ast.Stmt, *redecl) {
	out, r := lower.MarkRedeclarations(list, earlier)
	if r == nil {
		return list, nil
	}
	return out, &redecl{names: r.Names, marks: r.Marks, temps: r.Temps, cellFuncs: lower.DeclaredFuncs(c)}
}

// seed gives the new slot of a variable the running chunk declares again
// (ptr points to it) the value the variable had before the chunk, if the
// type is the same (the runtime's Seed, called at the start of the chunk).
// yaegi binds every use of the name in the chunk to the new slot, also the
// uses before the declaration and in its own right-hand side: without the
// seed, `x := x + 1` in a later cell read a zero x, and `s := append(s, 3)`
// lost s.
func (s *Session) seed(name string, ptr any) {
	s.mu.Lock()
	old, ok := s.seeds[name]
	s.mu.Unlock()
	v := reflect.ValueOf(ptr)
	if !ok || !old.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() || old.Type() != v.Elem().Type() {
		return
	}
	v.Elem().Set(old)
}

// setSeeds makes before the values seed gives (nil: none).
func (s *Session) setSeeds(before map[string]reflect.Value) {
	s.mu.Lock()
	s.seeds = before
	s.mu.Unlock()
}

// declared records that the declaration numbered mark of the running chunk
// ran (the runtime's Declared).
func (s *Session) declared(mark int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.marks == nil {
		s.marks = map[int]bool{}
	}
	s.marks[mark] = true
}

// takeMarks returns and forgets the marks recorded by the running chunk.
func (s *Session) takeMarks() map[int]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.marks
	s.marks = nil
	return m
}

// settle runs after a chunk that declares names an earlier chunk may have
// declared; ok tells whether the chunk succeeded. It returns the names
// whose new declaration took effect and that earlier code may refer to:
// the functions referring to them are to be recompiled.
func (s *Session) settle(rd *redecl, before map[string]reflect.Value, ok bool) []string {
	marks := s.takeMarks()
	return s.in.Settle(yaegix.Redeclaration{
		Names:  rd.names,
		Before: before,
		Temps:  rd.temps,
		Failed: !ok,
		Ran: func(name string) bool {
			if m, marked := rd.marks[name]; marked {
				return marks[m]
			}
			return ok
		},
	})
}

// checkName is the name a dependent is compiled under to see whether it
// still compiles.
const checkName = reserved.Prefix + "check_"

// funcHead matches the start of a function declaration in emitted code.
func funcHead(name string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^((?:` + cell.DirectivePattern + `)?func )` + regexp.QuoteMeta(name) + `([\[(])`)
}

// recompile recompiles, in one chunk, the earlier functions that refer
// (directly or through other functions) to the changed names, so that
// they use the new declarations. A function that no longer compiles (it
// uses a variable whose type changed, calls a function whose signature
// changed) is replaced by one with the same signature that panics saying
// so, and a note goes to stderr; its source is kept, so that a later
// redeclaration that fits it again brings it back.
func (s *Session) recompile(changed []string, rd *redecl) error {
	seed := map[string]bool{}
	for _, n := range changed {
		seed[n] = true
	}
	deps := s.dependents(seed, rd.cellFuncs)
	if len(deps) == 0 {
		return nil
	}
	var b strings.Builder
	for _, n := range deps {
		b.WriteString(s.state.decls[n].code)
		b.WriteString("\n")
	}
	if s.in.Eval(b.String()) == nil {
		return nil
	}
	// Find which ones fail, each compiled alone under another name, and
	// stub them.
	b.Reset()
	var notes []string
	for _, n := range deps {
		d := s.state.decls[n]
		if err := s.compilesAlone(d); err != nil {
			msg := fmt.Sprintf("%s (%s) no longer compiles: %s", n, d.cell, cell.Positions(err.Error()))
			notes = append(notes, msg)
			fmt.Fprintf(&b, "%s {\n\tpanic(%s)\n}\n", d.sig, strconv.Quote(msg+"; redefine it"))
			continue
		}
		b.WriteString(d.code)
		b.WriteString("\n")
	}
	if err := s.in.Eval(b.String()); err != nil {
		return fmt.Errorf("recompile %s: %w", strings.Join(deps, ", "), err)
	}
	for _, n := range notes {
		fmt.Fprintf(s.stderr.w, "note: %s; calling it panics until it is redefined\n", n)
	}
	return nil
}

// compilesAlone compiles a function's code under another name, without
// touching the function itself (a failed compile would break it).
func (s *Session) compilesAlone(d *decl) error {
	re := funcHead(d.name)
	loc := re.FindStringSubmatchIndex(d.code)
	if loc == nil {
		return nil
	}
	// loc[3] ends "func ", loc[4] starts the "(" or "[" after the name.
	return s.in.Compile(d.code[:loc[3]] + checkName + d.name + d.code[loc[4]:])
}

// dependents returns, sorted, the earlier functions that refer (directly
// or not) to the changed names, except the ones the running cell
// declares.
func (s *Session) dependents(changed map[string]bool, cellFuncs map[string]bool) []string {
	changed = maps.Clone(changed)
	var order []string
	for grew := true; grew; {
		grew = false
		for name, d := range s.state.decls {
			if d.kind != lower.Func || changed[name] || d.code == "" || cellFuncs[name] {
				continue
			}
			for r := range d.refs {
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
