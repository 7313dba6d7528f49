package interp

import (
	"fmt"
	"go/token"
	"reflect"
	"runtime"
	"sync"
	"unsafe"

	yaegi "github.com/traefik/yaegi/interp"
)

// Releasing what the interpreter keeps of cells that ran.
//
// yaegi keeps every piece of code it compiled reachable from the
// interpreter, whether or not anything can still run it:
//
//   - Interpreter.ast appends the root node of every compiled source to
//     Interpreter.roots (ast.go:938). Only the debugger reads that list
//     (debugger.go:430, 451), to find code by file name.
//   - scope.push appends every new scope to its parent's child list
//     (scope.go:93). A cell's top-level block, and the functions and
//     function literals it declares, are children of the main package's
//     scope, which lives as long as the interpreter: through their def
//     and loop nodes and the scopes under them they reach the cell's whole
//     node tree, its types and its frame layouts. Only the debugger reads
//     the child lists (debugger.go:720, scanScope).
//   - The source of every Eval is added to the interpreter's token.FileSet
//     with its line table three times: once to find its first token
//     (firstToken, ast.go:346), once to check its build tags (buildOk,
//     build.go:17) and once to parse it (parse, ast.go:395). Nodes hold
//     positions in the last one only: yaegi turns them into file:line:col
//     in compile errors and panic traces (cfgErrorf, cfg.go:2446).
//
// Measured with cells that do nothing much (x = x + 1, fmt.Println(i), x,
// await asyncio.Sleep(0) in turn, 2,000 of them), a cell left 12.3 kB of
// heap behind: 11.6 kB of nodes, scopes, types and frame layouts, all of
// it reachable through roots and 8.3 kB of it through the child lists too
// (emptying the child lists alone frees 0.1 kB, roots alone 3.3 kB: both
// must go), and 0.65 kB of files and line tables in the FileSet. After
// releasing those, 0.25 kB a cell stays: the global frame's slots for the
// temporaries of top-level statements (about three a cell: compiled code
// addresses them by index, the frame cannot shrink) and the session's
// record of each cell's source, for tracebacks.
//
// A value held in a slot of the global frame keeps what it references as
// long as the session: temps.go clears the temporaries of top-level code,
// but the variables of its blocks stay, and a function held in one keeps
// its cell's nodes (and a copy of the global frame, which every function
// literal made at the top level takes: getFunc, run.go:1909). The session's
// own rewrite of top-level go statements used to declare such a variable
// for the goroutine's function (39 kB kept a cell): callInPlace
// (transform.go) gives those variables a frame of their own.
//
// After each cell the session (releaseCells):
//
//   - empties roots and the main scope's child list. Nothing but yaegi's
//     debugger reads them, which sessions do not use, so this changes
//     nothing the interpreter does: code that can still run (functions in
//     the scope's symbols, closures stored in variables, goroutines and
//     tasks a cell started, whose stacks and frames hold their nodes)
//     stays reachable through its own references, and the rest becomes
//     garbage. (temps.go reads the child scopes a chunk added, right
//     after the chunk: the list is emptied only once the cell is over.)
//   - removes at once from the FileSet the files no node was compiled from
//     (the first-token and build-tag passes, sources that did not parse),
//     and removes the file of a compiled source once its root node has
//     been collected. Every node of a source links to its root through its
//     ancestors (and the nodes yaegi copies to instantiate a generic
//     function keep the generic's ancestor), so while any node of the
//     source can run or be reported, its file stays.
//
// The fields are reached by reflection: releaseProbe checks their types
// before the first release, and if yaegi's insides changed the session
// runs without releasing anything (TestReleaseProbe fails first).

// releaser holds what releaseCells needs of the interpreter's insides.
type releaser struct {
	fset   *token.FileSet
	roots  reflect.Value // Interpreter.roots, settable ([]*node)
	scopes reflect.Value // Interpreter.scopes (map[string]*scope)
	posIdx int           // index of node.pos
	// next is the base of the first file of the FileSet not looked at
	// yet.
	next int
	// files is what the cleanups of root nodes use: not the releaser,
	// which reaches the interpreter and through it the roots of code
	// still in use (the session could never be collected).
	files *liveFiles
}

// liveFiles counts, by file of the FileSet, the root nodes compiled from
// it that were not collected yet.
type liveFiles struct {
	fset *token.FileSet
	mu   sync.Mutex
	live map[*token.File]int
}

// releaseProbe reaches the fields of yaegi's Interpreter that releaseCells
// clears, checking their types; it returns an error if yaegi's layout is
// not the one this file was written for.
func releaseProbe(in *yaegi.Interpreter) (*releaser, error) {
	fail := func(what string) (*releaser, error) {
		return nil, fmt.Errorf("yaegi's insides changed (%s): compiled cells are not released", what)
	}
	v := reflect.ValueOf(in).Elem()
	roots := exposedField(v, "roots")
	if !roots.IsValid() || roots.Kind() != reflect.Slice || roots.Type().Elem().Kind() != reflect.Pointer {
		return fail("Interpreter.roots")
	}
	nodeT := roots.Type().Elem().Elem()
	pos, ok := nodeT.FieldByName("pos")
	if nodeT.Kind() != reflect.Struct || nodeT.Name() != "node" || !ok || pos.Type != reflect.TypeFor[token.Pos]() || len(pos.Index) != 1 {
		return fail("node.pos")
	}
	anc, ok := nodeT.FieldByName("anc")
	if !ok || anc.Type != roots.Type().Elem() {
		return fail("node.anc")
	}
	scopes := exposedField(v, "scopes")
	if !scopes.IsValid() || scopes.Kind() != reflect.Map || scopes.Type().Key().Kind() != reflect.String ||
		scopes.Type().Elem().Kind() != reflect.Pointer {
		return fail("Interpreter.scopes")
	}
	scopeT := scopes.Type().Elem().Elem()
	child, ok := scopeT.FieldByName("child")
	if scopeT.Kind() != reflect.Struct || scopeT.Name() != "scope" || !ok ||
		child.Type != reflect.SliceOf(scopes.Type().Elem()) || len(child.Index) != 1 {
		return fail("scope.child")
	}
	if ancS, ok := scopeT.FieldByName("anc"); !ok || ancS.Type != scopes.Type().Elem() {
		return fail("scope.anc")
	}
	// roots holds every root compiled so far: the first release looks at
	// all the files, from the first base of a FileSet (1).
	fset := in.FileSet()
	return &releaser{fset: fset, roots: roots, scopes: scopes, posIdx: pos.Index[0], next: 1,
		files: &liveFiles{fset: fset, live: map[*token.File]int{}}}, nil
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

// releaseCells lets the garbage collector have what the interpreter keeps
// of the cells that ran and that nothing can run any more (see the comment
// above). It must be called when no code is being compiled: after a cell,
// on the goroutine the cell's compilation synchronized with.
func (s *Session) releaseCells() {
	if s.rel == nil {
		r, err := releaseProbe(s.in)
		if err != nil {
			// Run on, keeping everything: a layout change shows in
			// TestReleaseProbe.
			s.rel = &releaser{}
			return
		}
		s.rel = r
	}
	if s.rel.fset == nil {
		return
	}
	s.rel.release()
}

// release empties roots and the main scope's child list, and arranges for
// the files of the new sources to leave the FileSet.
func (r *releaser) release() {
	compiled := map[*token.File]bool{}
	known := true // every root's file was found
	lf := r.files
	lf.mu.Lock()
	for i, n := 0, r.roots.Len(); i < n; i++ {
		root := r.roots.Index(i)
		if root.IsNil() {
			continue
		}
		f := r.fset.File(token.Pos(root.Elem().Field(r.posIdx).Int()))
		if f == nil {
			known = false
			continue
		}
		compiled[f] = true
		lf.live[f]++
		runtime.AddCleanup((*byte)(root.UnsafePointer()), lf.collected, f)
	}
	lf.mu.Unlock()
	r.roots.Set(reflect.Zero(r.roots.Type()))
	if sc := r.scopes.MapIndex(reflect.ValueOf("main")); sc.IsValid() && !sc.IsNil() {
		child := exposedField(sc.Elem(), "child")
		child.Set(reflect.Zero(child.Type()))
	}
	// The new files no root was compiled from hold no node's position
	// (unless a root's position was not found: then keep them all).
	end := r.fset.Base()
	for p := r.next; known && p < end; {
		f := r.fset.File(token.Pos(p))
		if f == nil {
			break
		}
		if !compiled[f] {
			r.fset.RemoveFile(f)
		}
		p = f.Base() + f.Size() + 1
	}
	r.next = end
}

// collected runs once a root node compiled from f was collected: after
// the last one, f leaves the FileSet.
func (lf *liveFiles) collected(f *token.File) {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	if lf.live[f]--; lf.live[f] > 0 {
		return
	}
	delete(lf.live, f)
	lf.fset.RemoveFile(f)
}
