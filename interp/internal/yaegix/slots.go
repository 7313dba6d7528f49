package yaegix

import "reflect"

// Declaring a variable again.
//
// yaegi gives every top-level declaration of an Eval a new slot of its
// global frame, even for a name an earlier Eval declared: the global
// analysis of `x := v` and `var x = v` (gta.go:97), of `var x T`
// (gta.go:130) and of `x, y := f()` (gta.go:111, compDefineX) adds a slot
// with scope.add (scope.go:213) and points the name's symbol at it;
// resizeFrame (interp.go:479) appends the slot to the frame when the Eval
// runs (Globals, scope.go:241, reads interp.frame.data[sym.index]). The
// old slot stays in the frame with its value as long as the interpreter
// lives, and code compiled earlier (functions, closures, goroutines) still
// reads and writes it: re-running a cell that loads a dataset kept every
// copy.
//
// So before a chunk that declares again a variable of an earlier cell,
// the session takes the variable's slot (Slots: a Value made by
// reflect.New, which Set writes in place); once the declaration has run,
// Settle adds that slot to the name's superseded slots and sets each of
// them to the new value (same type: old code sees the value the name has
// now) or to its zero value (another type), so that the old value can be
// collected.
//
// yaegi binds the name to the new slot when it compiles the chunk, not
// when the declaration runs: after a chunk that failed before its
// declaration ran (a compile error, a panic on an earlier line), the name
// would show the zero value. Settle copies the old value into the new
// slot then, when the type is the same, so that a failed cell changes
// nothing.

// Slots returns the current values of names, to give Settle once a chunk
// that declares them again has run: the slots of variables, the values
// of constants.
func (x *Interp) Slots(names []string) map[string]reflect.Value {
	g := x.Globals()
	before := map[string]reflect.Value{}
	for _, n := range names {
		if v, ok := g[n]; ok && v.IsValid() {
			before[n] = v
		}
	}
	return before
}

// Redeclaration is a chunk that declared again names of earlier code.
type Redeclaration struct {
	// Names are the names, in order.
	Names []string
	// Before holds what Slots returned for them before the chunk.
	Before map[string]reflect.Value
	// Temps are variables of the chunk to set to their zero value.
	Temps []string
	// Failed tells whether the chunk failed.
	Failed bool
	// Ran tells whether the declaration of a name ran.
	Ran func(name string) bool
}

// Settle runs after a chunk that declares names an earlier chunk may have
// declared (see the comment at the top of this file). It returns the names
// whose new declaration took effect and that earlier code may refer to:
// the variables declared again and the constants whose declaration ran
// (yaegi inlines constants: the code that uses one must be compiled
// again).
func (x *Interp) Settle(r Redeclaration) []string {
	if r.Failed {
		x.RepairFrame()
	}
	g := x.Globals()
	for _, n := range r.Temps {
		if v, found := g[n]; found && v.CanSet() {
			v.Set(reflect.Zero(v.Type()))
		}
	}
	var changed []string
	for _, n := range r.Names {
		old, was := r.Before[n]
		if !was {
			continue
		}
		ran := r.Ran(n)
		cur, found := g[n]
		if !old.CanSet() {
			// A constant.
			if ran {
				changed = append(changed, n)
			}
			continue
		}
		if found && sameSlot(old, cur) {
			continue // not redeclared (the name was assigned)
		}
		x.stale[n] = append(x.stale[n], old)
		if !ran {
			// Compiled, not run: keep showing the old value.
			if found && cur.CanSet() && cur.Type() == old.Type() {
				cur.Set(old)
			}
			continue
		}
		for _, st := range x.stale[n] {
			if found && cur.IsValid() && cur.Type() == st.Type() {
				st.Set(cur)
			} else {
				st.Set(reflect.Zero(st.Type()))
			}
		}
		changed = append(changed, n)
	}
	return changed
}

// sameSlot tells whether a and b are the same variable of the interpreter.
// A zero-size variable cannot be told apart: it counts as the same.
func sameSlot(a, b reflect.Value) bool {
	if !a.CanAddr() || !b.CanAddr() || a.Type() != b.Type() {
		return false
	}
	return a.Type().Size() == 0 || a.Addr().Pointer() == b.Addr().Pointer()
}

// RepairFrame makes yaegi's global frame hold a slot for every global: a
// chunk that failed to compile has declared its globals without growing
// the frame, and Globals (or any use of those names) would index past
// its end. Running an empty chunk grows it.
func (x *Interp) RepairFrame() {
	if x.Globals() == nil {
		_ = x.Eval(";")
	}
}
