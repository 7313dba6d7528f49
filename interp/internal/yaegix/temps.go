package yaegix

import "reflect"

// Temporaries of top-level code.
//
// yaegi compiles the top-level code of an Eval (statements, and the
// initializers of global variables) with the global frame as its frame:
// besides the variables, every intermediate value (the result of a call,
// an index, a conversion...) gets a slot of that frame, added by
// scope.add (scope.go:213) in the CFG pass (cfg.go:59). Each Eval adds
// new slots and nothing ever clears them, so `data := load()` keeps the
// loaded value in the call's slot even after data is redeclared, and
// `res := await asyncio.Gather(tasks...)` keeps the gathered future with
// every task and result.
//
// Once a chunk has run, its code never runs again (functions and closures
// it defines run in frames of their own, and reach the global frame only
// through variables; a closure made by top-level code runs with a copy of
// the global frame's Values, frame.clone, interp.go:139), so after each
// chunk ClearTemps replaces the Values of the slots the chunk added that
// belong to no variable with zero values. Variables are the symbols of the
// main package's scope and of the blocks of top-level code (level 0).
//
// yaegi exports no access to its frame or scopes: they are reached in
// internals.go.

// TempMark is where the global frame stood before a chunk ran.
type TempMark struct {
	slots    int // length of the frame
	children int // number of child scopes of the main package scope
	ok       bool
}

// MarkTemps records the global frame's size before a chunk runs.
func (x *Interp) MarkTemps() TempMark {
	if x.ins == nil {
		return TempMark{}
	}
	sc, ok := x.ins.mainScope()
	if !ok {
		return TempMark{}
	}
	return TempMark{slots: len(*x.ins.data), children: x.ins.childCount(sc), ok: true}
}

// ClearTemps zeroes the slots of the global frame that the chunk run
// since m added and that no variable uses.
func (x *Interp) ClearTemps(m TempMark) {
	if !m.ok {
		return
	}
	ins := x.ins
	main, ok := ins.mainScope()
	if !ok {
		return
	}
	defer func() { _ = recover() }() // an unexpected shape: leave the slots
	data := *ins.data
	if len(data) <= m.slots {
		return
	}
	vars := variableSlots(ins, main, m)
	// yaegi takes the frame's lock to copy it (a closure made by
	// top-level code copies the global frame, frame.clone) and to restore
	// a closure's slot after each call (getFunc).
	ins.mu.Lock()
	defer ins.mu.Unlock()
	for i := m.slots; i < len(data); i++ {
		// Replace the slot's Value, never Set it: yaegi stores in
		// temporaries Values that alias other memory (v.Elem(),
		// v.FieldByIndex(i), v.Index(i): run.go:858, 2105, 1757), and
		// setting one would clear the user's own data.
		if v := data[i]; !vars[i] && v.IsValid() && !v.IsZero() {
			data[i] = reflect.New(v.Type()).Elem()
		}
	}
}

// variableSlots returns the slots of the global frame, added since m,
// that hold variables: the package's, and those of the blocks of
// top-level code (same frame: level 0), which closures and goroutines may
// still use.
func variableSlots(ins *insides, main scope, m TempMark) map[int]bool {
	vars := map[int]bool{}
	ins.addSlots(main, m.slots, vars)
	var walk func(sc scope)
	walk = func(sc scope) {
		if ins.level(sc) != 0 {
			return
		}
		ins.addSlots(sc, m.slots, vars)
		ins.eachChild(sc, 0, walk)
	}
	ins.eachChild(main, m.children, walk)
	return vars
}
