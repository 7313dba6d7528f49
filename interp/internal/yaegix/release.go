package yaegix

import (
	"go/token"
	"runtime"
	"sync"
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
// for the goroutine's function (39 kB kept a cell): the lowering of go
// statements (lower.Transform) gives those variables a frame of their own.
//
// After each cell the session calls Release, which:
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
// The fields are reached in internals.go.

// releaser is what Release keeps between calls.
type releaser struct {
	fset *token.FileSet
	// next is the base of the first file of the FileSet not looked at
	// yet.
	next int
	// files is what the cleanups of root nodes use: not the Interp,
	// which reaches the interpreter and through it the roots of code
	// still in use (the interpreter could never be collected).
	files *liveFiles
}

// liveFiles counts, by file of the FileSet, the root nodes compiled from
// it that were not collected yet.
type liveFiles struct {
	fset *token.FileSet
	mu   sync.Mutex
	live map[*token.File]int
}

// newReleaser starts releasing the sources of fset: the first release
// looks at all its files, from the first base of a FileSet (1).
func newReleaser(fset *token.FileSet) releaser {
	return releaser{fset: fset, next: 1, files: &liveFiles{fset: fset, live: map[*token.File]int{}}}
}

// Release lets the garbage collector have what the interpreter keeps of
// the code that ran and that nothing can run any more (see the comment
// above). It must be called when no code is being compiled: after a
// cell, on the goroutine the cell's compilation synchronized with.
func (x *Interp) Release() {
	if x.ins == nil {
		return
	}
	r := &x.rel
	compiled := map[*token.File]bool{}
	known := true // every root's file was found
	lf := r.files
	lf.mu.Lock()
	x.ins.takeRoots(func(addr *byte, pos token.Pos) {
		f := r.fset.File(pos)
		if f == nil {
			known = false
			return
		}
		compiled[f] = true
		lf.live[f]++
		runtime.AddCleanup(addr, lf.collected, f)
	})
	lf.mu.Unlock()
	if sc, ok := x.ins.mainScope(); ok {
		x.ins.dropChildren(sc)
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

// Unreleased returns what the interpreter holds that Release lets go of:
// the root nodes of sources compiled since, and the child scopes of the
// main package's scope. ok is false when Release cannot work (yaegi's
// layout is not the expected one).
func (x *Interp) Unreleased() (roots, scopes int, ok bool) {
	if x.ins == nil {
		return 0, 0, false
	}
	if sc, found := x.ins.mainScope(); found {
		scopes = x.ins.childCount(sc)
	}
	return x.ins.roots.Len(), scopes, true
}
