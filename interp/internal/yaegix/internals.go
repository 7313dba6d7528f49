package yaegix

import (
	"fmt"
	"go/token"
	"reflect"
	"sync"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// This file is the only one that reaches yaegi's unexported state. It is
// written against the yaegi version in go.mod: probe checks the names and
// types of every field it uses, and TestProbe fails if yaegi's layout
// changes (the session then runs without releasing compiled cells or
// clearing temporaries: it keeps more memory, and nothing else changes).
//
// The fields, in yaegi's interp package:
//
//	Interpreter.roots  []*node            root node of every compiled source (ast.go)
//	Interpreter.scopes map[string]*scope  package scopes; "main" is the cells'
//	Interpreter.frame  *frame             the global frame
//	node.pos           token.Pos          a node's position
//	node.anc           *node              its parent
//	scope.child        []*scope           scopes pushed under it (scope.go)
//	scope.anc          *scope             its parent
//	scope.level        int                frame level: 0 is the global frame
//	scope.sym          map[string]*symbol the names it declares
//	symbol.index       int                a symbol's slot in its frame
//	frame.data         []reflect.Value    the frame's slots (interp.go)
//	frame.mutex        sync.RWMutex       taken to copy or restore slots

// insides holds yaegi's unexported fields that this package uses.
type insides struct {
	roots  reflect.Value    // Interpreter.roots, settable
	scopes reflect.Value    // Interpreter.scopes
	data   *[]reflect.Value // Interpreter.frame.data
	mu     *sync.RWMutex    // Interpreter.frame.mutex
	// Indexes of node.pos, scope.child, scope.level, scope.sym and
	// symbol.index.
	nodePos, scopeChild, scopeLevel, scopeSym, symIndex int
}

// probe reaches the fields insides holds, checking their names and types;
// it returns an error naming the first that differs.
func probe(in *yaegi.Interpreter) (*insides, error) {
	fail := func(what string) (*insides, error) {
		return nil, fmt.Errorf("yaegi's insides changed (%s)", what)
	}
	v := reflect.ValueOf(in).Elem()
	p := &insides{}

	p.roots = exposedField(v, "roots")
	if !p.roots.IsValid() || p.roots.Kind() != reflect.Slice || p.roots.Type().Elem().Kind() != reflect.Pointer {
		return fail("Interpreter.roots")
	}
	nodePtr := p.roots.Type().Elem()
	nodeT := nodePtr.Elem()
	var ok bool
	if p.nodePos, ok = fieldIndex(nodeT, "node", "pos", reflect.TypeFor[token.Pos]()); !ok {
		return fail("node.pos")
	}
	if _, ok = fieldIndex(nodeT, "node", "anc", nodePtr); !ok {
		return fail("node.anc")
	}

	p.scopes = v.FieldByName("scopes")
	if !p.scopes.IsValid() || p.scopes.Kind() != reflect.Map || p.scopes.Type().Key().Kind() != reflect.String ||
		p.scopes.Type().Elem().Kind() != reflect.Pointer {
		return fail("Interpreter.scopes")
	}
	scopePtr := p.scopes.Type().Elem()
	scopeT := scopePtr.Elem()
	if p.scopeChild, ok = fieldIndex(scopeT, "scope", "child", reflect.SliceOf(scopePtr)); !ok {
		return fail("scope.child")
	}
	if _, ok = fieldIndex(scopeT, "scope", "anc", scopePtr); !ok {
		return fail("scope.anc")
	}
	if p.scopeLevel, ok = fieldIndex(scopeT, "scope", "level", reflect.TypeFor[int]()); !ok {
		return fail("scope.level")
	}
	sym, found := scopeT.FieldByName("sym")
	if !found || len(sym.Index) != 1 || sym.Type.Kind() != reflect.Map || sym.Type.Key().Kind() != reflect.String ||
		sym.Type.Elem().Kind() != reflect.Pointer {
		return fail("scope.sym")
	}
	p.scopeSym = sym.Index[0]
	if p.symIndex, ok = fieldIndex(sym.Type.Elem().Elem(), "symbol", "index", reflect.TypeFor[int]()); !ok {
		return fail("symbol.index")
	}

	fr := v.FieldByName("frame")
	if !fr.IsValid() || fr.Kind() != reflect.Pointer || fr.IsNil() || fr.Type().Elem().Kind() != reflect.Struct {
		return fail("Interpreter.frame")
	}
	data := fr.Elem().FieldByName("data")
	if !data.IsValid() || data.Type() != reflect.TypeFor[[]reflect.Value]() {
		return fail("frame.data")
	}
	mu := fr.Elem().FieldByName("mutex")
	if !mu.IsValid() || mu.Type() != reflect.TypeFor[sync.RWMutex]() {
		return fail("frame.mutex")
	}
	p.data = (*[]reflect.Value)(unsafe.Pointer(data.UnsafeAddr()))
	p.mu = (*sync.RWMutex)(unsafe.Pointer(mu.UnsafeAddr()))
	return p, nil
}

// fieldIndex returns the index of the field called name, of type ft, of
// the struct type t called typeName.
func fieldIndex(t reflect.Type, typeName, name string, ft reflect.Type) (int, bool) {
	if t.Kind() != reflect.Struct || t.Name() != typeName {
		return 0, false
	}
	f, ok := t.FieldByName(name)
	if !ok || f.Type != ft || len(f.Index) != 1 {
		return 0, false
	}
	return f.Index[0], true
}

// exposedField returns the named field of struct v, settable even when
// unexported (v must be addressable), or the zero Value.
func exposedField(v reflect.Value, name string) reflect.Value {
	f := v.FieldByName(name)
	if !f.IsValid() || !f.CanAddr() {
		return reflect.Value{}
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// takeRoots calls f with each root node Interpreter.roots holds (its
// address, to watch its collection, and its position), then empties it.
func (p *insides) takeRoots(f func(addr *byte, pos token.Pos)) {
	for i, n := 0, p.roots.Len(); i < n; i++ {
		r := p.roots.Index(i)
		if r.IsNil() {
			continue
		}
		f((*byte)(r.UnsafePointer()), token.Pos(r.Elem().Field(p.nodePos).Int()))
	}
	p.roots.Set(reflect.Zero(p.roots.Type()))
}

// scope is a *scope of yaegi's (the zero value: none).
type scope struct{ v reflect.Value }

// mainScope returns the main package's scope, which holds the cells'
// names (none before the first Eval).
func (p *insides) mainScope() (scope, bool) {
	sc := p.scopes.MapIndex(reflect.ValueOf("main"))
	if !sc.IsValid() || sc.IsNil() {
		return scope{}, false
	}
	return scope{sc}, true
}

// eachChild calls f with the scopes pushed under sc, from the from-th on.
func (p *insides) eachChild(sc scope, from int, f func(scope)) {
	ch := sc.v.Elem().Field(p.scopeChild)
	for i := from; i < ch.Len(); i++ {
		if c := ch.Index(i); !c.IsNil() {
			f(scope{c})
		}
	}
}

// childCount returns the number of scopes pushed under sc.
func (p *insides) childCount(sc scope) int { return sc.v.Elem().Field(p.scopeChild).Len() }

// dropChildren empties sc's list of child scopes.
func (p *insides) dropChildren(sc scope) {
	ch := exposedField(sc.v.Elem(), "child")
	ch.Set(reflect.Zero(ch.Type()))
}

// level returns sc's frame level (0: the global frame).
func (p *insides) level(sc scope) int { return int(sc.v.Elem().Field(p.scopeLevel).Int()) }

// addSlots adds to slots the frame indexes, from from on, of the names sc
// declares.
func (p *insides) addSlots(sc scope, from int, slots map[int]bool) {
	it := sc.v.Elem().Field(p.scopeSym).MapRange()
	for it.Next() {
		sym := it.Value()
		if sym.IsNil() {
			continue
		}
		if i := int(sym.Elem().Field(p.symIndex).Int()); i >= from {
			slots[i] = true
		}
	}
}
