// Package infer works out the type arguments of calls to a module's
// generic functions that a cell writes without them, lib.Map(xs, f), the
// way the Go compiler would. The interpreter cannot infer them for a
// compiled generic function, so the session asks this package which
// instance each call needs and has the module loader build it.
//
// It type-checks each call with go/types against the compiled packages'
// types and the types of the session's variables, which it reads through
// Session, a narrow view of the session.
package infer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strconv"

	"github.com/goawait/goawait/internal/modload"
)

// Call is a call of a module's generic function written without type
// arguments, pkg.G(args): Go infers them from the arguments.
type Call struct {
	Expr *ast.CallExpr
	Sel  *ast.SelectorExpr // Expr.Fun
	Pkg  modload.Package   // the package of the function
}

// Session is what inference needs of the interpreter's session.
type Session interface {
	// Globals returns the session's variables by name.
	Globals() map[string]reflect.Value
	// Types returns the go/types form of the compiled packages with
	// these import paths (and of those they depend on), by path.
	Types(paths []string) (map[string]*types.Package, error)
}

// TypeArgs finds the type arguments of the calls, written in file, as Go
// infers them: it type-checks each call with go/types against the types
// of the compiled packages and of the session's variables, and returns
// the instance each call needs, in the order of calls. imports maps the
// cell's package names to import paths. Arguments that name a variable
// declared in the same cell, or values of types declared in cells, cannot
// be typed before the cell runs: the error says so. An error go/types
// reports about a call holds its position (see Pos).
func TypeArgs(s Session, fset *token.FileSet, file *ast.File, calls []Call, imports map[string]string) ([]modload.Instance, error) {
	globals := s.Globals()
	args := map[ast.Node]bool{}
	for _, call := range calls {
		for _, a := range call.Expr.Args {
			args[a] = true
		}
	}
	local := declaredIn(file, args)
	paths := map[string]bool{}
	used := map[string]string{} // the package names the calls use
	vars := map[string]reflect.Type{}
	for _, call := range calls {
		paths[call.Pkg.Path] = true
		used[call.Sel.X.(*ast.Ident).Name] = call.Pkg.Path
		var err error
		for _, a := range call.Expr.Args {
			members := map[*ast.Ident]bool{} // x.Name: Name is no variable
			ast.Inspect(a, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					members[sel.Sel] = true
				}
				id, ok := n.(*ast.Ident)
				if !ok || members[id] || err != nil {
					return err == nil
				}
				if local[id.Name] {
					err = fmt.Errorf("%s is declared in this cell, so its type is not known before the cell runs", id.Name)
					return false
				}
				if p, ok := imports[id.Name]; ok {
					paths[p] = true
					used[id.Name] = p
				}
				v, ok := globals[id.Name]
				if !ok || !v.IsValid() {
					return true
				}
				vars[id.Name] = v.Type()
				packagesOf(v.Type(), paths, map[reflect.Type]bool{})
				return true
			})
		}
		if err != nil {
			return nil, err
		}
	}
	list := make([]string, 0, len(paths))
	for p := range paths {
		list = append(list, p)
	}
	pkgs, err := s.Types(list)
	if err != nil {
		return nil, err
	}
	scope := types.NewPackage("goawait.local/cell", "cell")
	for name, t := range vars {
		tt, err := typeOf(t, pkgs)
		if err != nil {
			return nil, fmt.Errorf("the type of %s: %w", name, err)
		}
		scope.Scope().Insert(types.NewVar(token.NoPos, scope, name, tt))
	}
	var uses []modload.Instance
	for _, call := range calls {
		u, err := inferCall(fset, scope, pkgs, used, call)
		if err != nil {
			return nil, err
		}
		uses = append(uses, u)
	}
	return uses, nil
}

// inferCall type-checks one call in a function of package pkg, whose
// scope holds the session's variables, and returns its instance.
func inferCall(fset *token.FileSet, pkg *types.Package, pkgs map[string]*types.Package, imports map[string]string, call Call) (modload.Instance, error) {
	file := &ast.File{Package: call.Expr.Pos(), Name: &ast.Ident{NamePos: call.Expr.Pos(), Name: pkg.Name()}}
	var specs []ast.Spec
	for name, p := range imports {
		if pkgs[p] != nil {
			specs = append(specs, &ast.ImportSpec{Name: ast.NewIdent(name), Path: &ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(p)}})
		}
	}
	file.Decls = append(file.Decls, &ast.GenDecl{Tok: token.IMPORT, Specs: specs},
		&ast.FuncDecl{Name: ast.NewIdent("_"), Type: &ast.FuncType{Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: call.Expr}}}})
	var first error
	conf := types.Config{
		Importer: importerFunc(func(p string) (*types.Package, error) {
			if tp := pkgs[p]; tp != nil {
				return tp, nil
			}
			return nil, fmt.Errorf("package %s is not loaded", p)
		}),
		Error: func(err error) {
			if first == nil {
				first = err
			}
		},
	}
	info := &types.Info{Instances: map[*ast.Ident]types.Instance{}}
	// Errors are collected by conf.Error; the first one is the answer.
	_ = types.NewChecker(&conf, fset, pkg, info).Files([]*ast.File{file})
	if first != nil {
		var te types.Error
		if errors.As(first, &te) {
			return modload.Instance{}, &posError{pos: te.Pos, msg: te.Msg}
		}
		return modload.Instance{}, first
	}
	inst, ok := info.Instances[call.Sel.Sel]
	if !ok {
		return modload.Instance{}, errors.New("go/types found no instance")
	}
	in := modload.Instance{Path: call.Pkg.Path, Name: call.Sel.Sel.Name, Imports: map[string]string{}}
	var clash error
	qualify := func(p *types.Package) string {
		if old, ok := in.Imports[p.Name()]; ok && old != p.Path() {
			clash = fmt.Errorf("two packages named %s in the type arguments", p.Name())
		}
		in.Imports[p.Name()] = p.Path()
		return p.Name()
	}
	for i := 0; i < inst.TypeArgs.Len(); i++ {
		in.TypeArgs = append(in.TypeArgs, types.TypeString(inst.TypeArgs.At(i), qualify))
	}
	if clash != nil {
		return modload.Instance{}, clash
	}
	return in, nil
}

// posError is an error at a position of the cell.
type posError struct {
	pos token.Pos
	msg string
}

func (e *posError) Error() string { return e.msg }

// Pos is the position in the cell of an error of TypeArgs, or
// token.NoPos if it has none.
func Pos(err error) token.Pos {
	var pe *posError
	if errors.As(err, &pe) {
		return pe.pos
	}
	return token.NoPos
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// declaredIn returns the names f declares (variables, constants,
// functions) outside the nodes of skip: their types in the session, if
// it has them, may not be the ones the cell gives them.
func declaredIn(f *ast.File, skip map[ast.Node]bool) map[string]bool {
	names := map[string]bool{}
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			names[id.Name] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if skip[n] {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.ValueSpec:
			add(n.Names...)
		case *ast.FuncDecl:
			if n.Recv == nil {
				add(n.Name)
			}
		}
		return true
	})
	return names
}

// packagesOf adds to paths the packages of the named types t is made of.
func packagesOf(t reflect.Type, paths map[string]bool, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	if t.Name() != "" {
		if t.PkgPath() != "" {
			paths[t.PkgPath()] = true
		}
		return
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Pointer, reflect.Chan:
		packagesOf(t.Elem(), paths, seen)
	case reflect.Map:
		packagesOf(t.Key(), paths, seen)
		packagesOf(t.Elem(), paths, seen)
	case reflect.Func:
		for i := 0; i < t.NumIn(); i++ {
			packagesOf(t.In(i), paths, seen)
		}
		for i := 0; i < t.NumOut(); i++ {
			packagesOf(t.Out(i), paths, seen)
		}
	}
}

// basicKinds maps reflect's kinds of predeclared types to go/types'.
var basicKinds = map[reflect.Kind]types.BasicKind{
	reflect.Bool: types.Bool, reflect.Int: types.Int, reflect.Int8: types.Int8, reflect.Int16: types.Int16,
	reflect.Int32: types.Int32, reflect.Int64: types.Int64, reflect.Uint: types.Uint, reflect.Uint8: types.Uint8,
	reflect.Uint16: types.Uint16, reflect.Uint32: types.Uint32, reflect.Uint64: types.Uint64,
	reflect.Uintptr: types.Uintptr, reflect.Float32: types.Float32, reflect.Float64: types.Float64,
	reflect.Complex64: types.Complex64, reflect.Complex128: types.Complex128, reflect.String: types.String,
	reflect.UnsafePointer: types.UnsafePointer,
}

// typeOf is the go/types form of the type of a session's value: named
// types come from pkgs. A struct or interface with methods that is not a
// compiled package's named type was declared in a cell (the interpreter
// gives those types no name): it has no go/types form.
func typeOf(t reflect.Type, pkgs map[string]*types.Package) (types.Type, error) {
	if t.Name() != "" && t.PkgPath() != "" {
		if tp := pkgs[t.PkgPath()]; tp != nil {
			if tn, ok := tp.Scope().Lookup(t.Name()).(*types.TypeName); ok {
				return tn.Type(), nil
			}
		}
		return nil, fmt.Errorf("%s has no type %s", t.PkgPath(), t.Name())
	}
	if t == reflect.TypeFor[error]() {
		return types.Universe.Lookup("error").Type(), nil
	}
	if k, ok := basicKinds[t.Kind()]; ok {
		return types.Typ[k], nil
	}
	elem := func() (types.Type, error) { return typeOf(t.Elem(), pkgs) }
	switch t.Kind() {
	case reflect.Slice:
		e, err := elem()
		return types.NewSlice(e), err
	case reflect.Array:
		e, err := elem()
		return types.NewArray(e, int64(t.Len())), err
	case reflect.Pointer:
		e, err := elem()
		return types.NewPointer(e), err
	case reflect.Chan:
		e, err := elem()
		dir := map[reflect.ChanDir]types.ChanDir{reflect.BothDir: types.SendRecv, reflect.SendDir: types.SendOnly, reflect.RecvDir: types.RecvOnly}[t.ChanDir()]
		return types.NewChan(dir, e), err
	case reflect.Map:
		k, err := typeOf(t.Key(), pkgs)
		if err != nil {
			return nil, err
		}
		e, err := elem()
		return types.NewMap(k, e), err
	case reflect.Func:
		tuple := func(n int, at func(int) reflect.Type) (*types.Tuple, error) {
			vars := make([]*types.Var, n)
			for i := range vars {
				tt, err := typeOf(at(i), pkgs)
				if err != nil {
					return nil, err
				}
				vars[i] = types.NewParam(token.NoPos, nil, "", tt)
			}
			return types.NewTuple(vars...), nil
		}
		in, err := tuple(t.NumIn(), t.In)
		if err != nil {
			return nil, err
		}
		out, err := tuple(t.NumOut(), t.Out)
		if err != nil {
			return nil, err
		}
		return types.NewSignatureType(nil, nil, nil, in, out, t.IsVariadic()), nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return types.NewInterfaceType(nil, nil).Complete(), nil
		}
	}
	return nil, fmt.Errorf("%s is a type declared in a cell, which compiled code cannot be instantiated with", t)
}
