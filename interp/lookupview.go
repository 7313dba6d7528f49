package interp

import (
	"iter"
	"reflect"

	"github.com/goawait/goawait/interp/internal/lookup"
	"github.com/goawait/goawait/interp/internal/plan"
	"github.com/goawait/goawait/language"
)

// Complete proposes completions at cursor (language.Interpreter).
func (s *Session) Complete(code string, cursor int) language.Completion {
	return lookup.Complete(symbolView{s}, code, cursor)
}

// Inspect describes the name at cursor (language.Interpreter).
func (s *Session) Inspect(code string, cursor int, detail int) language.Inspection {
	return lookup.Inspect(symbolView{s}, &s.docs, code, cursor, detail)
}

// symbolView is what the session shows of its names to lookup
// (lookup.Session) and to the planner (plan.Host).
type symbolView struct{ s *Session }

var (
	_ lookup.Session = symbolView{}
	_ plan.Host      = symbolView{}
)

// Decls yields the names cells declared.
func (v symbolView) Decls() iter.Seq2[string, lookup.Decl] {
	return func(yield func(string, lookup.Decl) bool) {
		for name, d := range v.s.state.Decls {
			if !yield(name, declView(d)) {
				return
			}
		}
	}
}

// Decl describes a name cells declared.
func (v symbolView) Decl(name string) (lookup.Decl, bool) {
	d, ok := v.s.state.Decls[name]
	if !ok {
		return lookup.Decl{}, false
	}
	return declView(d), true
}

// Globals returns the interpreter's global variables.
func (v symbolView) Globals() map[string]reflect.Value { return v.s.in.Globals() }

// Import returns the import path of a package name a cell imported.
func (v symbolView) Import(name string) (string, bool) {
	p, ok := v.s.state.Imports[name]
	return p, ok
}

// HostPackages returns the host packages cells can import.
func (v symbolView) HostPackages() map[string]map[string]reflect.Value { return v.s.bin }

// PackageName returns a package's name.
func (v symbolView) PackageName(importPath string) string { return v.s.packageName(importPath) }

// Magics lists the magics.
func (v symbolView) Magics() []string { return v.s.magics.Names() }

// Symbols returns the host symbols of a package (plan.Host).
func (v symbolView) Symbols(importPath string) map[string]reflect.Value { return v.s.bin[importPath] }

// declView is what lookup sees of d.
func declView(d *plan.Decl) lookup.Decl {
	return lookup.Decl{Kind: d.Kind, Sig: d.Sig, Doc: d.Doc, Cell: d.Cell, Line: d.Line}
}
