package interp

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/plan"
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
func (s *Session) settle(rd *plan.Redecl, before map[string]reflect.Value, ok bool) []string {
	marks := s.takeMarks()
	return s.in.Settle(yaegix.Redeclaration{
		Names:  rd.Names,
		Before: before,
		Temps:  rd.Temps,
		Failed: !ok,
		Ran: func(name string) bool {
			if m, marked := rd.Marks[name]; marked {
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
func (s *Session) recompile(changed []string, rd *plan.Redecl) error {
	seed := map[string]bool{}
	for _, n := range changed {
		seed[n] = true
	}
	deps := s.state.Dependents(seed, rd.CellFuncs)
	if len(deps) == 0 {
		return nil
	}
	var b strings.Builder
	for _, n := range deps {
		b.WriteString(s.state.Decls[n].Code)
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
		d := s.state.Decls[n]
		if err := s.compilesAlone(d); err != nil {
			msg := fmt.Sprintf("%s (%s) no longer compiles: %s", n, d.Cell, s.lines.Positions(err.Error()))
			notes = append(notes, msg)
			fmt.Fprintf(&b, "%s {\n\tpanic(%s)\n}\n", d.Sig, strconv.Quote(msg+"; redefine it"))
			continue
		}
		b.WriteString(d.Code)
		b.WriteString("\n")
	}
	if err := s.in.Eval(b.String()); err != nil {
		return fmt.Errorf("recompile %s: %w", strings.Join(deps, ", "), err)
	}
	for _, n := range notes {
		fmt.Fprintf(s.stderr.File(), "note: %s; calling it panics until it is redefined\n", n)
	}
	return nil
}

// compilesAlone compiles a function's code under another name, without
// touching the function itself (a failed compile would break it).
func (s *Session) compilesAlone(d *plan.Decl) error {
	re := funcHead(d.Name)
	loc := re.FindStringSubmatchIndex(d.Code)
	if loc == nil {
		return nil
	}
	// loc[3] ends "func ", loc[4] starts the "(" or "[" after the name.
	return s.in.Compile(d.Code[:loc[3]] + checkName + d.Name + d.Code[loc[4]:])
}
