// Package lookup answers what a notebook front end asks about names while
// the user types: the words that complete a name (Tab), the declaration,
// type, value and documentation of a name (Shift-Tab), and the help a
// last line `name?` opens in the pager.
//
// It sees the session only through Session, a narrow view of the names
// the session knows, so it can be tested with a fake one.
package lookup

import (
	"iter"
	"reflect"

	"github.com/goawait/goawait/interp/internal/lower"
)

// Session is what lookup sees of a Go session.
type Session interface {
	// Decls yields the top-level names cells declared (methods as
	// "T.M"), with what the session knows of each.
	Decls() iter.Seq2[string, Decl]
	// Decl describes one of them.
	Decl(name string) (Decl, bool)
	// Globals returns the interpreter's global variables (nil when it
	// cannot list them).
	Globals() map[string]reflect.Value
	// Import returns the import path of a package name a cell imported.
	Import(name string) (path string, ok bool)
	// HostPackages returns the packages cells can import from the host,
	// by import path, with their symbols.
	HostPackages() map[string]map[string]reflect.Value
	// PackageName returns the name a package is known by when imported
	// without an alias.
	PackageName(importPath string) string
	// Magics lists the magics, as written (%time, %%html...).
	Magics() []string
}

// Decl is what the session knows of a top-level name.
type Decl struct {
	Kind lower.Kind
	// Sig is the declaration (a function's without its body); Doc its doc
	// comment.
	Sig, Doc string
	// Cell and Line are where it was declared ("cell[3]", 1-based line).
	Cell string
	Line int
}
