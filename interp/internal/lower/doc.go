// Package lower rewrites the syntax tree of a parsed cell into Go that the
// yaegi interpreter runs as the Go toolchain would (Transform,
// ReassignRedeclared, MarkRedeclarations), holds the prelude that such code
// calls, and reads from a tree what the session keeps of a declaration:
// the names it declares, their kind, a function's results and references.
//
// Nothing here needs a running session: each function takes a tree, and
// what it must know of the session as arguments, and can be tested alone.
package lower
