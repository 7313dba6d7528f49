package plan

import (
	"go/ast"
	"go/token"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/goawait/goawait/display"
	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/stdlib"
)

// sourcePackages are standard packages yaegi compiles from source (they
// have no symbol table): any member may be used.
var sourcePackages = []string{"slices", "maps", "cmp"}

var (
	autoIndexOnce sync.Once
	autoIndex     map[string][]string // package name -> import paths
)

// autoPaths returns the import paths of the packages that can be
// imported automatically under Name: standard packages (symbol tables
// and source packages) and goawait/display.
func autoPaths(name string) []string {
	autoIndexOnce.Do(func() {
		autoIndex = map[string][]string{}
		for key := range stdlib.Symbols {
			p, n := path.Dir(key), path.Base(key)
			if p == "." || strings.Contains(p, "internal") || strings.Contains(p, "vendor") {
				continue
			}
			autoIndex[n] = append(autoIndex[n], p)
		}
		for _, p := range sourcePackages {
			autoIndex[p] = append(autoIndex[p], p)
		}
		autoIndex["display"] = append(autoIndex["display"], display.ImportPath)
		for _, ps := range autoIndex {
			sort.Strings(ps)
		}
	})
	return autoIndex[name]
}

// AutoImport adds to c an import of every package it uses as `name.X`
// without importing it, when name is the name of exactly one standard
// package (or goawait/display) that has a member X, and name is not
// declared anywhere in the cell nor by the session (so a user's variable
// called list or url is never taken for a package). It returns the import
// paths it added, sorted.
func AutoImport(c *cell.Cell, st *State, h Host) []string {
	declared := cellNames(c.File)
	var globals map[string]reflect.Value
	loaded := false
	added := map[string]string{} // name -> path
	ast.Inspect(c.File, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || declared[id.Name] || added[id.Name] != "" {
			return true
		}
		if _, ok := importPath(c, st, h, id.Name); ok {
			return true
		}
		if _, ok := st.Decls[id.Name]; ok {
			return true
		}
		paths := autoPaths(id.Name)
		if len(paths) != 1 {
			return true
		}
		if !loaded {
			globals, loaded = h.Globals(), true
		}
		if _, ok := globals[id.Name]; ok {
			return true
		}
		p := paths[0]
		if syms := h.Symbols(p); syms != nil {
			if _, ok := syms[sel.Sel.Name]; !ok {
				return true
			}
		}
		added[id.Name] = p
		return true
	})
	if len(added) == 0 {
		return nil
	}
	var paths []string
	for _, p := range added {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	// At the package clause, before the cell's own line directives, so
	// that no line of the user's moves.
	pos := c.File.Package
	gd := &ast.GenDecl{TokPos: pos, Tok: token.IMPORT}
	for _, p := range paths {
		spec := &ast.ImportSpec{Path: &ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(p)}}
		gd.Specs = append(gd.Specs, spec)
		c.File.Imports = append(c.File.Imports, spec)
	}
	c.File.Decls = append([]ast.Decl{gd}, c.File.Decls...)
	c.Items = append([]cell.Item{{Kind: cell.Imports, Decls: []ast.Decl{gd}, Line: 1, Col: 1}}, c.Items...)
	return paths
}

// cellNames returns every name the cell declares, at any depth: top-level
// declarations, local variables and constants, parameters and results,
// range variables, type names, labels and import names. A package name
// in this set is never imported automatically.
func cellNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	add := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id != nil {
				names[id.Name] = true
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, e := range x.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.RangeStmt:
			if x.Tok == token.DEFINE {
				for _, e := range []ast.Expr{x.Key, x.Value} {
					if id, ok := e.(*ast.Ident); ok {
						add(id)
					}
				}
			}
		case *ast.ValueSpec:
			add(x.Names...)
		case *ast.TypeSpec:
			add(x.Name)
		case *ast.FuncDecl:
			add(x.Name)
		case *ast.Field:
			add(x.Names...)
		case *ast.ImportSpec:
			add(x.Name)
		case *ast.LabeledStmt:
			add(x.Label)
		}
		return true
	})
	return names
}
