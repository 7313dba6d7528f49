package asyncmodel

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/goawait/goawait/autoawait/asyncio"
)

// library is what cells see of package asyncio, with the types go/types
// gives its declarations.
type library struct {
	funcs  []libFunc         // the functions, by name
	types  []*types.TypeName // the types, by name
	consts []*types.Const    // the constants, by name
	// visible maps each type cells can name to the name they use.
	visible map[*types.TypeName]string
}

// libFunc is a function of the library: a method of *asyncio.Runtime
// bound to the runtime by Exports.
type libFunc struct {
	name string
	sig  *types.Signature
}

// loadLibrary reads the names from Runtime.Exports and their declarations
// from the package's source, type-checked.
func loadLibrary() (*library, error) {
	exports := asyncio.NewRuntime(asyncio.Options{}).Exports()[asyncio.ExportPath]
	path := reflect.TypeFor[asyncio.Runtime]().PkgPath()
	fset := token.NewFileSet()
	pkg, err := newSourceImporter(fset).Import(path)
	if err != nil {
		return nil, fmt.Errorf("type-check %s: %w", path, err)
	}
	rtObj, _ := pkg.Scope().Lookup("Runtime").(*types.TypeName)
	if rtObj == nil {
		return nil, fmt.Errorf("%s has no type Runtime", path)
	}
	rtPtr := types.NewPointer(rtObj.Type())

	lib := &library{visible: map[*types.TypeName]string{}}
	names := make([]string, 0, len(exports))
	for name := range exports {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		v := exports[name]
		switch {
		case v.Kind() == reflect.Func:
			obj, _, _ := types.LookupFieldOrMethod(rtPtr, true, pkg, name)
			m, ok := obj.(*types.Func)
			if !ok {
				return nil, fmt.Errorf("export %s: *Runtime has no method %s", name, name)
			}
			sig := m.Type().(*types.Signature)
			lib.funcs = append(lib.funcs, libFunc{name: name, sig: types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())})
		case v.Kind() == reflect.Pointer && v.IsNil():
			tn, err := lookupType(pkg, name, v.Type().Elem())
			if err != nil {
				return nil, err
			}
			lib.types = append(lib.types, tn)
			lib.visible[tn] = name
		default:
			c, ok := pkg.Scope().Lookup(name).(*types.Const)
			if !ok {
				return nil, fmt.Errorf("export %s is neither a func, a type nor a constant of %s", name, path)
			}
			lib.consts = append(lib.consts, c)
		}
	}
	return lib, nil
}

// lookupType returns the declaration of the type that export name stands
// for (rt, as Exports gives it): a type of the package or one that the
// package's alias of that name denotes.
func lookupType(pkg *types.Package, name string, rt reflect.Type) (*types.TypeName, error) {
	tn, ok := pkg.Scope().Lookup(name).(*types.TypeName)
	if !ok {
		return nil, fmt.Errorf("export %s: %s declares no type %s", name, pkg.Path(), name)
	}
	n, ok := types.Unalias(tn.Type()).(*types.Named)
	if !ok {
		return nil, fmt.Errorf("export %s: %s is not a defined type", name, tn.Type())
	}
	obj := n.Obj()
	if obj.Name() != rt.Name() || obj.Pkg().Path() != rt.PkgPath() {
		return nil, fmt.Errorf("export %s is %s.%s, but the package declares %s", name, rt.PkgPath(), rt.Name(), obj)
	}
	if obj.Name() != name {
		return nil, fmt.Errorf("export %s names type %s: cells would not see the name the models use", name, obj.Name())
	}
	return obj, nil
}

// declaredMethods returns the exported methods declared on a type that is
// not an interface (whose methods are part of its type literal).
func declaredMethods(tn *types.TypeName) []*types.Func {
	if types.IsInterface(tn.Type()) {
		return nil
	}
	return methods(tn)
}

// methods returns the exported methods of the type, by name.
func methods(tn *types.TypeName) []*types.Func {
	var out []*types.Func
	switch u := tn.Type().Underlying().(type) {
	case *types.Interface:
		for i := 0; i < u.NumExplicitMethods(); i++ {
			if m := u.ExplicitMethod(i); m.Exported() {
				out = append(out, m)
			}
		}
	default:
		n := tn.Type().(*types.Named)
		for i := 0; i < n.NumMethods(); i++ {
			if m := n.Method(i); m.Exported() {
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// fields returns the exported fields of a struct type (embedded ones
// included), in order.
func fields(s *types.Struct) []*types.Var {
	var out []*types.Var
	for i := 0; i < s.NumFields(); i++ {
		if f := s.Field(i); f.Exported() {
			out = append(out, f)
		}
	}
	return out
}

// sourceImporter type-checks the packages of this module from their
// source, which keeps the parameters' names, and takes the standard
// library from its export data (faster than its source).
type sourceImporter struct {
	fset *token.FileSet
	std  types.Importer
	pkgs map[string]*types.Package
}

func newSourceImporter(fset *token.FileSet) *sourceImporter {
	return &sourceImporter{fset: fset, std: importer.ForCompiler(fset, "gc", nil), pkgs: map[string]*types.Package{}}
}

// Import implements types.Importer.
func (im *sourceImporter) Import(path string) (*types.Package, error) {
	if p, ok := im.pkgs[path]; ok {
		return p, nil
	}
	if first, _, _ := strings.Cut(path, "/"); !strings.Contains(first, ".") {
		return im.std.Import(path)
	}
	bp, err := build.Default.Import(path, ".", 0)
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", path, err)
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(im.fset, filepath.Join(bp.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	p, err := (&types.Config{Importer: im}).Check(path, im.fset, files, nil)
	if err != nil {
		return nil, err
	}
	im.pkgs[path] = p
	return p, nil
}
