package interp

import (
	"sort"
	"strings"

	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/magic"
	"github.com/goawait/goawait/language"
)

// magicHost is what the session shows of itself to magics
// (magic.Session).
type magicHost struct{ s *Session }

var _ magic.Session = magicHost{}

// RunGo runs Go code of the cell called cell.
func (h magicHost) RunGo(cell, code string) *language.ExecError { return h.s.execute(cell, code) }

// DropResult forgets the last value of the Go run so far.
func (h magicHost) DropResult() { h.s.takeResult() }

// Stopwatch is the clock of %timeit's loops.
func (h magicHost) Stopwatch() *magic.Stopwatch { return &h.s.watch }

// RunShell runs a shell command for the cell.
func (h magicHost) RunShell(shell, script string) (string, *language.ExecError) {
	return h.s.runShell(shell, script)
}

// Modules is the session's module loading, for %go; nil when the
// session cannot import modules.
func (h magicHost) Modules() magic.Modules {
	if h.s.mods.opt == nil {
		return nil
	}
	return moduleHost(h)
}

// Variables lists the session's variables, sorted, with their values
// when the interpreter can list them.
func (h magicHost) Variables() []magic.Variable {
	s := h.s
	var names []string
	for name, d := range s.state.Decls {
		if d.Kind == lower.Var && !strings.HasPrefix(name, reserved.Prefix) && !strings.Contains(name, ".") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	globals := s.in.Globals()
	vars := make([]magic.Variable, len(names))
	for i, n := range names {
		vars[i] = magic.Variable{Name: n, Value: globals[n], Decl: s.state.Decls[n].Sig}
	}
	return vars
}
