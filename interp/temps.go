package interp

import (
	"reflect"
	"sync"
	"unsafe"
)

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
// chunk the session replaces the Values of the slots the chunk added that
// belong to no variable with zero values. Variables are the symbols of the
// main package's scope and of the blocks of top-level code (level 0).
//
// yaegi exports no access to its frame or scopes: they are read with
// reflect and the frame's slice and lock are reached with unsafe, against
// the yaegi version in go.mod; if their shape ever differs, frameOf says
// so and nothing is cleared (TestTemporariesOfTopLevelCodeAreReleased
// fails).

// tempFrame is yaegi's global frame and main package scope, as reflect
// values of the interpreter's unexported fields.
type tempFrame struct {
	data  *[]reflect.Value // interp.frame.data
	mu    *sync.RWMutex    // interp.frame.mutex
	scope reflect.Value    // interp.scopes["main"] (a *scope), read only
}

// frameOf returns the interpreter's global frame, or ok false if yaegi's
// internals do not have the expected shape.
func (s *Session) frameOf() (tf tempFrame, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	in := reflect.ValueOf(s.in).Elem()
	fr := in.FieldByName("frame")
	if fr.Kind() != reflect.Pointer || fr.IsNil() {
		return tempFrame{}, false
	}
	data := fr.Elem().FieldByName("data")
	mu := fr.Elem().FieldByName("mutex")
	if data.Type() != reflect.TypeOf([]reflect.Value(nil)) || mu.Type() != reflect.TypeOf(sync.RWMutex{}) {
		return tempFrame{}, false
	}
	scopes := in.FieldByName("scopes")
	if scopes.Kind() != reflect.Map {
		return tempFrame{}, false
	}
	sc := scopes.MapIndex(reflect.ValueOf("main"))
	if !sc.IsValid() || sc.Kind() != reflect.Pointer || sc.IsNil() {
		return tempFrame{}, false
	}
	for _, f := range []string{"sym", "child", "level"} {
		if !sc.Elem().FieldByName(f).IsValid() {
			return tempFrame{}, false
		}
	}
	return tempFrame{
		data:  (*[]reflect.Value)(unsafe.Pointer(data.UnsafeAddr())),
		mu:    (*sync.RWMutex)(unsafe.Pointer(mu.UnsafeAddr())),
		scope: sc,
	}, true
}

// tempMark is where the global frame stood before a chunk.
type tempMark struct {
	slots    int // length of the frame
	children int // number of child scopes of the main package scope
	ok       bool
}

// markTemps records the global frame's size before a chunk runs.
func (s *Session) markTemps() tempMark {
	tf, ok := s.frameOf()
	if !ok {
		return tempMark{}
	}
	return tempMark{slots: len(*tf.data), children: tf.scope.Elem().FieldByName("child").Len(), ok: true}
}

// clearTemps zeroes the slots of the global frame that the chunk run
// since m added and that no variable uses.
func (s *Session) clearTemps(m tempMark) {
	if !m.ok {
		return
	}
	tf, ok := s.frameOf()
	if !ok {
		return
	}
	defer func() { _ = recover() }() // an unexpected shape: leave the slots
	data := *tf.data
	if len(data) <= m.slots {
		return
	}
	vars := map[int]bool{}
	addSyms := func(sc reflect.Value) {
		it := sc.Elem().FieldByName("sym").MapRange()
		for it.Next() {
			sym := it.Value()
			if sym.IsNil() {
				continue
			}
			if i := int(sym.Elem().FieldByName("index").Int()); i >= m.slots {
				vars[i] = true
			}
		}
	}
	// Variables: the package's, and those of the blocks of top-level
	// code (same frame: level 0), which closures and goroutines may still
	// use.
	addSyms(tf.scope)
	var walk func(sc reflect.Value)
	walk = func(sc reflect.Value) {
		if sc.IsNil() || sc.Elem().FieldByName("level").Int() != 0 {
			return
		}
		addSyms(sc)
		ch := sc.Elem().FieldByName("child")
		for i := 0; i < ch.Len(); i++ {
			walk(ch.Index(i))
		}
	}
	ch := tf.scope.Elem().FieldByName("child")
	for i := m.children; i < ch.Len(); i++ {
		walk(ch.Index(i))
	}
	// yaegi takes the frame's lock to copy it (a closure made by
	// top-level code copies the global frame, frame.clone) and to restore
	// a closure's slot after each call (getFunc).
	tf.mu.Lock()
	defer tf.mu.Unlock()
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
