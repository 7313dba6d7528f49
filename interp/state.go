package interp

import (
	"github.com/goawait/goawait/interp/internal/lower"
)

// decl is what the session remembers of a top-level name: enough for
// redefinition checks, completion and inspection.
type decl struct {
	name   string
	kind   lower.Kind
	cell   string // "cell[3]"
	line   int
	source string // printed declaration (for types and methods: the text compared on redefinition)
	sig    string // one-line signature or declaration
	doc    string // doc comment
	// refs holds the top-level names a function body refers to, to find
	// the callers to recompile when one of them is redefined.
	refs map[string]bool
	// code is the chunk that (re)declares it, for functions.
	code string
	// results is the number of results of a function (-1: unknown).
	results int
}

// state is what earlier cells left in the session.
type state struct {
	imports map[string]string // package name in cells -> import path
	decls   map[string]*decl  // top-level names (methods as "T.M")
}

func newState() *state {
	return &state{imports: map[string]string{}, decls: map[string]*decl{}}
}
