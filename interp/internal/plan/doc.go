// Package plan turns a parsed, lowered cell into the chunks the session
// hands to yaegi's Eval one after the other, and keeps the record of what
// earlier cells declared that planning needs (State).
//
// Each top-level piece of a cell becomes a chunk: its imports (less the
// ones earlier cells made), its declarations (less the types and methods
// declared before with the same text; a changed one is refused, since
// yaegi cannot redefine them), its statements. A chunk records what it
// declares once it ran (Commit), and lists the names it declares again
// (Redecl) for the session to settle.
//
// When the cell's last top-level statement is an expression, its value
// is shown: the chunk passes the value to the host's Show with its %+v
// text computed in the interpreter (so that String and Error methods of
// interpreted types apply). A call shows its value when it has exactly
// one result; when it has two, only a non-nil error in last place is
// shown (strconv.Atoi("x") shows the error, fmt.Println shows nothing);
// calls whose result count cannot be known from the session's
// declarations and symbol tables show nothing.
//
// AutoImport adds the imports of standard packages a cell uses without
// importing them.
package plan
