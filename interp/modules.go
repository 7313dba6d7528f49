package interp

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/internal/modload"
	"github.com/goawait/goawait/interp/internal/infer"
	"github.com/goawait/goawait/interp/magic"
	"github.com/goawait/goawait/language"
)

// modules is the session's part of module loading (Options.Modules): the
// loader, made at the first import of a module, and what it loaded.
type modules struct {
	opt *modload.Options // nil: module loading is off

	mu     sync.Mutex
	loader *modload.Loader
	pkgs   map[string]modload.Package // loaded packages, by import path
}

// loaderFor returns the session's loader, making it on first use.
func (s *Session) loaderFor() (*modload.Loader, error) {
	m := &s.mods
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opt == nil {
		return nil, errors.New("this session cannot import modules (Options.Modules is not set)")
	}
	if m.loader != nil {
		return m.loader, nil
	}
	opt := *m.opt
	opt.Progress = func(line string) {
		if p := s.route.Get(); p != nil {
			p.Stream("stderr", line+"\n")
		}
	}
	l, err := modload.New(opt)
	if err != nil {
		return nil, err
	}
	m.loader = l
	return l, nil
}

// isModulePath tells whether an import path names a package of a module
// (its first element has a dot, as module paths have), not of the
// standard library.
func isModulePath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return strings.Contains(first, ".")
}

// loadModules loads the module packages the cell imports that the session
// has no symbols for yet, and rewrites the cell's uses of their generic
// functions and types to instances. A failure is the error of the cell,
// at the import's (or the generic's) position: nothing was given to the
// interpreter then, so the session is as it was.
func (s *Session) loadModules(c *cell.Cell) *language.ExecError {
	if s.mods.opt == nil {
		return nil
	}
	var want []string
	specs := map[string]*ast.ImportSpec{}
	for _, spec := range c.File.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || !isModulePath(p) || s.bin[p] != nil || specs[p] != nil {
			continue
		}
		specs[p] = spec
		want = append(want, p)
	}
	if len(want) > 0 {
		if e := s.loadPackages(c, want, specs); e != nil {
			return e
		}
	}
	return s.instantiate(c)
}

// loadPackages loads the packages at paths and gives their symbols to the
// interpreter.
func (s *Session) loadPackages(c *cell.Cell, paths []string, specs map[string]*ast.ImportSpec) *language.ExecError {
	at := func(err error) *language.ExecError {
		// The import the go command's message names, else the first one.
		spec := specs[paths[0]]
		for _, p := range paths {
			if strings.Contains(err.Error(), p) {
				spec = specs[p]
				break
			}
		}
		return s.errorAt(c, spec.Path.Pos(), fmt.Sprintf("import %s: %v", spec.Path.Value, err))
	}
	l, err := s.loaderFor()
	if err != nil {
		return at(err)
	}
	ctx, stop := s.cellContext()
	res, err := l.Load(ctx, paths)
	interrupted := stop()
	if err != nil {
		if interrupted {
			return interruptedError("while loading " + strings.Join(paths, ", "))
		}
		return at(err)
	}
	if err := s.Use(res.Symbols); err != nil {
		return at(err)
	}
	s.noteLoaded(res.Packages)
	return nil
}

// noteLoaded records loaded packages; the first of the session also
// routes the process's standard output and error to the cells.
func (s *Session) noteLoaded(pkgs []modload.Package) {
	s.mods.mu.Lock()
	defer s.mods.mu.Unlock()
	if s.mods.pkgs == nil {
		s.mods.pkgs = map[string]modload.Package{}
		s.captureProcessOutput()
	}
	for _, p := range pkgs {
		s.mods.pkgs[p.Path] = p
	}
}

// captureProcessOutput sets os.Stdout and os.Stderr to the session's
// capture: compiled code (a module's fmt.Println) writes to them, not to
// the interpreter's streams. Shutdown puts them back. The kernel logs
// through the files it saved at its start.
func (s *Session) captureProcessOutput() {
	s.procOut = &savedStdio{stdout: os.Stdout, stderr: os.Stderr}
	os.Stdout, os.Stderr = s.stdout.File(), s.stderr.File()
}

// savedStdio is the process's standard output and error before the
// session took them.
type savedStdio struct{ stdout, stderr *os.File }

// restoreProcessOutput undoes captureProcessOutput, unless another
// session took the files since.
func (s *Session) restoreProcessOutput() {
	if s.procOut == nil {
		return
	}
	if os.Stdout == s.stdout.File() {
		os.Stdout = s.procOut.stdout
	}
	if os.Stderr == s.stderr.File() {
		os.Stderr = s.procOut.stderr
	}
	s.procOut = nil
}

// cellContext returns a context that ends when the cell is interrupted;
// stop releases it and tells whether the cell was.
func (s *Session) cellContext() (ctx context.Context, stop func() (interrupted bool)) {
	ctx, cancel := context.WithCancel(context.Background())
	intr := s.run.interruptChan()
	go func() {
		select {
		case <-intr:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() bool {
		select {
		case <-intr:
			cancel()
			return true
		default:
			cancel()
			return false
		}
	}
}

// errorAt is the compile error msg at pos of cell c.
func (s *Session) errorAt(c *cell.Cell, pos token.Pos, msg string) *language.ExecError {
	p := c.Fset.Position(pos)
	return s.compileError(fmt.Errorf("%s:%d:%d: %s", p.Filename, p.Line, p.Column, msg))
}

// generic is a use, in a cell, of a generic function or type of a loaded
// package: pkg.Name[TypeArgs] (node is the index expression), or pkg.Name
// without type arguments (node is the selector).
type generic struct {
	node ast.Expr
	sel  *ast.SelectorExpr
	inst modload.Instance
	// cellType is a type argument that names no compiled type: a type
	// declared in a cell, or no type at all.
	cellType *ast.Ident
}

// instantiate rewrites every pkg.Name[T...] of a generic of a loaded
// package into the selector of its instance (pkg.Name__T), which the
// loader builds, and every call pkg.Name(args) into a call of the
// instance whose type arguments Go infers from args (package infer). Any
// other use of pkg.Name without type arguments is an error that says
// to write them.
func (s *Session) instantiate(c *cell.Cell) *language.ExecError {
	uses, calls, bad, imports := s.generics(c)
	if bad != nil {
		name := bad.X.(*ast.Ident).Name + "." + bad.Sel.Name
		return s.errorAt(c, bad.Pos(), fmt.Sprintf("%s is generic: write its type arguments: %s[...]", name, name))
	}
	if len(calls) > 0 {
		insts, err := infer.TypeArgs(inferView{s}, c.Fset, c.File, calls, imports)
		if err != nil {
			sel := calls[0].Sel
			for _, call := range calls {
				if call.Expr.Pos() <= infer.Pos(err) && infer.Pos(err) < call.Expr.End() {
					sel = call.Sel
				}
			}
			name := sel.X.(*ast.Ident).Name + "." + sel.Sel.Name
			return s.errorAt(c, sel.Pos(), fmt.Sprintf("%s is generic, and goawait cannot infer its type arguments here: %v; write them: %s[...]", name, err, name))
		}
		for i, call := range calls {
			uses = append(uses, generic{node: call.Sel, sel: call.Sel, inst: insts[i]})
		}
	}
	if len(uses) == 0 {
		return nil
	}
	for _, u := range uses {
		if id := u.cellType; id != nil {
			return s.errorAt(c, id.Pos(), fmt.Sprintf("%s is not a type of a compiled package: a module's generic can only be instantiated with those (the standard library's, modules'), not with types declared in cells", id.Name))
		}
	}
	insts := make([]modload.Instance, len(uses))
	for i, u := range uses {
		insts[i] = u.inst
	}
	l, err := s.loaderFor()
	if err == nil {
		ctx, stop := s.cellContext()
		var res *modload.Result
		res, err = l.Instantiate(ctx, insts)
		if stop() {
			return interruptedError("while instantiating " + insts[0].String())
		}
		if err == nil {
			err = s.Use(res.Symbols)
		}
	}
	if err != nil {
		return s.errorAt(c, uses[0].node.Pos(), fmt.Sprintf("instantiate %s: %v", insts[0], err))
	}
	repl := map[ast.Expr]ast.Expr{}
	for _, u := range uses {
		u.sel.Sel = &ast.Ident{NamePos: u.sel.Sel.NamePos, Name: u.inst.Symbol()}
		repl[u.node] = u.sel
	}
	cell.ReplaceExprs(c.File, func(e ast.Expr) ast.Expr {
		if r, ok := repl[e]; ok {
			return r
		}
		return e
	})
	return nil
}

// generics finds the uses of generics of loaded packages in c: with type
// arguments, called without them (calls), and bad, one named without
// type arguments otherwise. imports are the package names c can use.
func (s *Session) generics(c *cell.Cell) (uses []generic, calls []infer.Call, bad *ast.SelectorExpr, imports map[string]string) {
	s.mods.mu.Lock()
	pkgs := s.mods.pkgs
	s.mods.mu.Unlock()
	if len(pkgs) == 0 {
		return nil, nil, nil, nil
	}
	imports = s.cellImports(c)
	isGeneric := func(sel *ast.SelectorExpr) (modload.Package, bool) {
		id, ok := sel.X.(*ast.Ident)
		if !ok || id.Obj != nil {
			return modload.Package{}, false
		}
		pkg, ok := pkgs[imports[id.Name]]
		if !ok {
			return modload.Package{}, false
		}
		for _, g := range pkg.Generic {
			if g == sel.Sel.Name {
				return pkg, true
			}
		}
		return modload.Package{}, false
	}
	indexed := map[*ast.SelectorExpr]bool{}
	ast.Inspect(c.File, func(n ast.Node) bool {
		var x ast.Expr
		var idx []ast.Expr
		switch n := n.(type) {
		case *ast.IndexExpr:
			x, idx = n.X, []ast.Expr{n.Index}
		case *ast.IndexListExpr:
			x, idx = n.X, n.Indices
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := isGeneric(sel); ok {
					indexed[sel] = true
					calls = append(calls, infer.Call{Expr: n, Sel: sel, Pkg: pkg})
				}
			}
			return true
		case *ast.SelectorExpr:
			if _, ok := isGeneric(n); ok && !indexed[n] && bad == nil {
				bad = n
			}
			return true
		default:
			return true
		}
		sel, ok := x.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := isGeneric(sel)
		if !ok {
			return true
		}
		indexed[sel] = true
		u := generic{node: n.(ast.Expr), sel: sel, inst: modload.Instance{Path: pkg.Path, Name: sel.Sel.Name, Imports: map[string]string{}}}
		for _, e := range idx {
			u.inst.TypeArgs = append(u.inst.TypeArgs, types.ExprString(e))
			ast.Inspect(e, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && imports[id.Name] != "" {
						u.inst.Imports[id.Name] = imports[id.Name]
					}
					return false
				case *ast.Ident:
					if _, ok := types.Universe.Lookup(n.Name).(*types.TypeName); !ok && u.cellType == nil {
						u.cellType = n
					}
				case *ast.StructType, *ast.FuncType, *ast.InterfaceType:
					return false // field and parameter names are no types
				}
				return true
			})
		}
		uses = append(uses, u)
		return true
	})
	return uses, calls, bad, imports
}

// cellImports maps the package names c can use to their import paths:
// the cell's imports, then those of earlier cells.
func (s *Session) cellImports(c *cell.Cell) map[string]string {
	m := map[string]string{}
	for n, p := range s.state.Imports {
		m[n] = p
	}
	for _, spec := range c.File.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		if spec.Name != nil {
			m[spec.Name.Name] = p
		} else {
			m[s.packageName(p)] = p
		}
	}
	return m
}

// listModules describes what the session loaded (%go list).
func (s *Session) listModules() ([]string, error) {
	l, err := s.loaderFor()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range l.Loaded() {
		out = append(out, fmt.Sprintf("%s\t%s", p.Path, p.Module))
	}
	if len(out) == 0 {
		out = append(out, "no module packages loaded yet")
	}
	for _, in := range l.LoadedInstances() {
		out = append(out, fmt.Sprintf("%s\t(instance %s)", in.Instance, in.Symbol()))
	}
	for _, m := range l.KernelModules() {
		out = append(out, fmt.Sprintf("%s\t(kernel)", m))
	}
	return out, nil
}

// getModules runs `go get` in the session's work module (%go get).
func (s *Session) getModules(args []string) ([]string, error) {
	l, err := s.loaderFor()
	if err != nil {
		return nil, err
	}
	ctx, stop := s.cellContext()
	mods, err := l.Get(ctx, args...)
	stop()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(mods))
	for i, m := range mods {
		out[i] = m.String()
	}
	sort.Strings(out)
	return out, nil
}

// useGoMod names the go.mod later imports honour (%go mod): only before
// the session's first module import.
func (s *Session) useGoMod(path string) error {
	m := &s.mods
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.opt == nil {
		return errors.New("this session cannot import modules (Options.Modules is not set)")
	}
	if m.loader != nil {
		return fmt.Errorf("modules were already used with go.mod %q: restart the kernel to use another one", m.opt.GoMod)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
		abs = filepath.Join(abs, "go.mod")
	}
	if _, err := os.Stat(abs); err != nil {
		return err
	}
	opt := *m.opt
	opt.GoMod = abs
	m.opt = &opt
	return nil
}

// moduleHost is the session as the %go magic sees it.
type moduleHost struct{ s *Session }

var _ magic.Modules = moduleHost{}

// Get runs `go get` with args in the session's work module.
func (h moduleHost) Get(args []string) ([]string, error) { return h.s.getModules(args) }

// List describes the loaded packages, instances and the kernel's modules.
func (h moduleHost) List() ([]string, error) { return h.s.listModules() }

// UseGoMod names the go.mod of later imports, before the first one.
func (h moduleHost) UseGoMod(path string) error { return h.s.useGoMod(path) }

// inferView is what type-argument inference sees of the session.
type inferView struct{ s *Session }

func (v inferView) Globals() map[string]reflect.Value { return v.s.in.Globals() }

// Types loads the packages' types with the session's loader; an
// interrupt stops it.
func (v inferView) Types(paths []string) (map[string]*types.Package, error) {
	l, err := v.s.loaderFor()
	if err != nil {
		return nil, err
	}
	ctx, stop := v.s.cellContext()
	pkgs, err := l.Types(ctx, paths)
	if stop() {
		return nil, errors.New("interrupted")
	}
	return pkgs, err
}
