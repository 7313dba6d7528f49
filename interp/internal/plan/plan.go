package plan

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"reflect"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/internal/rich"
)

// Chunk is one piece of a cell handed to the interpreter's Eval.
type Chunk struct {
	// Src is the code. A statement chunk starts with ";" (see
	// printStmts); anything else is declarations.
	Src string
	// Alts, when set, are tried in order if Src fails to compile (the
	// last value: with display, then plain).
	Alts []string
	// Commit records in the State what the chunk declared, once it ran.
	Commit func()
	// Redecl, when set, lists the names the chunk declares again.
	Redecl *Redecl
}

// printStmts prints statements for a statement chunk. The leading ";"
// makes yaegi wrap the chunk in a function even when it starts with a
// declaration keyword.
func printStmts(c *cell.Cell, list []ast.Stmt) (string, error) {
	var b strings.Builder
	b.WriteString(";")
	for _, st := range list {
		text, err := c.Print(st)
		if err != nil {
			return "", err
		}
		b.WriteString(text)
		b.WriteString("\n")
	}
	return b.String(), nil
}

// plan turns a parsed, transformed cell into chunks.
func (pl *planner) plan(c *cell.Cell) ([]Chunk, error) {
	var chunks []Chunk
	vars := map[string]bool{} // the variables the cell declared so far
	for idx, it := range c.Items {
		switch it.Kind {
		case cell.Imports:
			chunks = append(chunks, pl.planImports(c, it)...)
		case cell.Decls:
			cs, err := pl.planDecls(c, it)
			if err != nil {
				return nil, err
			}
			chunks = append(chunks, cs...)
			for _, d := range it.Decls {
				if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					names, _ := lower.DeclaredNames(gd)
					for _, id := range names {
						vars[id.Name] = true
					}
				}
			}
		case cell.Stmts:
			prior := maps.Clone(vars)
			earlier := func(n string) bool { return prior[n] || pl.redeclares(n) }
			list := lower.ReassignRedeclared(it.Body.List, vars)
			var last *ast.ExprStmt
			if idx == len(c.Items)-1 && len(list) > 0 {
				if es, ok := list[len(list)-1].(*ast.ExprStmt); ok {
					last = es
					list = list[:len(list)-1]
				}
			}
			var ch Chunk
			if len(list) > 0 {
				list, rd := stmtRedecl(c, list, earlier)
				src, err := printStmts(c, list)
				if err != nil {
					return nil, err
				}
				// Record what the user wrote, not its rewrite.
				ch = Chunk{Src: src, Commit: pl.recordStmts(c, it.Body.List), Redecl: rd}
			}
			if last != nil {
				lc, err := pl.planLast(c, last)
				if err != nil {
					return nil, err
				}
				if ch.Src != "" {
					lc = ch.followedBy(lc)
				}
				ch = lc
			}
			if ch.Src != "" {
				chunks = append(chunks, ch)
			}
		}
	}
	return chunks, nil
}

// followedBy returns one statement chunk that runs a's statements, then
// b's (b's alternatives become a's statements followed by each of them).
// The statements and the last value of a cell are one Eval: a goroutine
// the statements start may still run while the value is computed (`go
// work(&wg)` then `wg.Wait()`), and yaegi cannot compile while
// interpreted goroutines run (its issue #140). An alternative is tried
// only after a compile error, when nothing of the chunk ran.
func (a Chunk) followedBy(b Chunk) Chunk {
	join := func(src string) string { return a.Src + strings.TrimPrefix(src, ";") }
	j := Chunk{Src: join(b.Src), Commit: a.Commit, Redecl: a.Redecl}
	for _, alt := range b.Alts {
		j.Alts = append(j.Alts, join(alt))
	}
	if b.Commit != nil {
		ac, bc := a.Commit, b.Commit
		j.Commit = func() {
			if ac != nil {
				ac()
			}
			bc()
		}
	}
	return j
}

// planImports drops the imports an earlier cell already made (yaegi
// refuses to import a package twice) and gives every other import a
// chunk of its own: when one fails (a path that does not exist), yaegi
// keeps the packages the same Eval imported before it, which the state
// would not record; one chunk each, the state records exactly the
// imports that ran, as Python keeps `os` after `import os, nosuch`.
func (pl *planner) planImports(c *cell.Cell, it cell.Item) []Chunk {
	var chunks []Chunk
	added := map[string]string{}
	for _, d := range it.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, sp := range gd.Specs {
			is := sp.(*ast.ImportSpec)
			p, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				continue
			}
			name := pl.h.PackageName(p)
			if is.Name != nil {
				name = is.Name.Name
			}
			if name != "_" && (pl.st.Imports[name] == p || added[name] == p) {
				continue
			}
			added[name] = p
			var b strings.Builder
			b.WriteString(c.Directive(c.Fset.Position(is.Pos())))
			if is.Name != nil {
				fmt.Fprintf(&b, "import %s %q\n", name, p)
			} else {
				fmt.Fprintf(&b, "import %q\n", p)
			}
			imports := pl.st.Imports
			chunks = append(chunks, Chunk{Src: b.String(), Commit: func() {
				if name != "_" && name != "." {
					imports[name] = p
				}
			}})
		}
	}
	return chunks
}

// planLast emits the cell's final expression statement so that its value
// is shown (see the package documentation for the rule).
func (pl *planner) planLast(c *cell.Cell, es *ast.ExprStmt) (Chunk, error) {
	plain, err := printStmts(c, []ast.Stmt{es})
	if err != nil {
		return Chunk{}, err
	}
	v := func() *ast.Ident { return &ast.Ident{NamePos: es.Pos(), Name: reserved.Prefix + "v"} }
	e := func() *ast.Ident { return &ast.Ident{NamePos: es.Pos(), Name: reserved.Prefix + "e"} }
	// __goawait_v := x; __gort.Show(__goawait_v, fmt.Sprintf("%+v", __goawait_v))
	showStmts := func(lhs []ast.Expr, fn string, shown *ast.Ident) (string, error) {
		sprintf := &ast.CallExpr{Fun: &ast.SelectorExpr{X: ast.NewIdent(reserved.Fmt), Sel: ast.NewIdent("Sprintf")},
			Args: []ast.Expr{&ast.BasicLit{Kind: token.STRING, Value: `"%+v"`}, shown}}
		// Inside a function literal: yaegi's global := of a call fails in
		// many cases that a local one handles.
		body := []ast.Stmt{
			&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: es.Pos(), Rhs: []ast.Expr{es.X}},
			&ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.SelectorExpr{X: &ast.Ident{NamePos: es.Pos(), Name: reserved.Runtime}, Sel: ast.NewIdent(fn)},
				Args: []ast.Expr{shown, sprintf}}},
		}
		if fn == reserved.Show {
			body = append(body, rich.ShowCalls(pl.methodNames(c), reserved.Prefix+"v", es.Pos())...)
		}
		lit := &ast.CallExpr{Fun: &ast.FuncLit{Type: &ast.FuncType{Func: es.Pos(), Params: &ast.FieldList{}}, Body: &ast.BlockStmt{Lbrace: es.Pos(), List: body, Rbrace: es.End()}}}
		return printStmts(c, []ast.Stmt{&ast.ExprStmt{X: lit}})
	}
	one, err := showStmts([]ast.Expr{v()}, reserved.Show, v())
	if err != nil {
		return Chunk{}, err
	}
	two, err := showStmts([]ast.Expr{v(), e()}, reserved.Show2, e())
	if err != nil {
		return Chunk{}, err
	}
	switch pl.results(c, es.X) {
	case 0:
		return Chunk{Src: plain}, nil
	case 1:
		return Chunk{Src: one, Alts: []string{plain}}, nil
	case 2:
		return Chunk{Src: two, Alts: []string{plain}}, nil
	}
	return Chunk{Src: plain}, nil
}

// results tells how many values e yields: -1 when unknown.
func (pl *planner) results(c *cell.Cell, e ast.Expr) int {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return 1
	}
	if isAwaitCall(call) {
		// An await statement yields nothing to show; the rewriter turns
		// a final await with one known value into that value.
		return 0
	}
	switch f := call.Fun.(type) {
	case *ast.Ident:
		for _, d := range c.File.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == f.Name {
				return lower.ResultCount(fd.Type)
			}
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
				names, _ := lower.DeclaredNames(gd)
				for _, id := range names {
					if id.Name == f.Name {
						return 1
					}
				}
			}
		}
		if v, ok := pl.h.Globals()[f.Name]; ok && v.IsValid() && v.Kind() == reflect.Func {
			return v.Type().NumOut()
		}
		if d, ok := pl.st.Decls[f.Name]; ok {
			switch d.Kind {
			case lower.Func:
				return d.Results
			case lower.Type:
				return 1
			}
			return -1
		}
		switch f.Name {
		case "panic", "print", "println", "close", "delete", "clear":
			return 0
		case "len", "cap", "append", "new", "make", "complex", "real", "imag", "copy", "recover",
			"int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
			"float32", "float64", "complex64", "complex128", "string", "byte", "rune", "bool", "any", "error":
			return 1
		}
		if rest, ok := strings.CutPrefix(f.Name, reserved.Prefix); ok {
			return sourcePkgResults(strings.Replace(rest, "_", ".", 1))
		}
	case *ast.SelectorExpr:
		if pkg, ok := f.X.(*ast.Ident); ok && (pkg.Name == "slices" || pkg.Name == "maps" || pkg.Name == "cmp") {
			if p, _ := pl.importPath(c, pkg.Name); p == pkg.Name {
				return sourcePkgResults(pkg.Name + "." + f.Sel.Name)
			}
		}
		if pkg, ok := f.X.(*ast.Ident); ok {
			if p, ok := pl.importPath(c, pkg.Name); ok {
				if v, ok := pl.h.Symbols(p)[f.Sel.Name]; ok && v.IsValid() {
					switch v.Kind() {
					case reflect.Func:
						return v.Type().NumOut()
					case reflect.Pointer: // a type: a conversion
						return 1
					}
				}
			}
		}
		if n, ok := pl.methodResults(c, f.Sel.Name); ok {
			return n
		}
		// A method of a host value held by a session variable.
		if x, ok := f.X.(*ast.Ident); ok {
			if v, ok := pl.h.Globals()[x.Name]; ok && v.IsValid() {
				if m, ok := v.Type().MethodByName(f.Sel.Name); ok {
					return m.Type.NumOut()
				}
				if v.Kind() == reflect.Interface && !v.IsNil() {
					if m := v.Elem().MethodByName(f.Sel.Name); m.IsValid() {
						return m.Type().NumOut()
					}
				}
			}
		}
	}
	return -1
}

// sourcePkgResults gives the number of results of a function of the
// generic packages yaegi runs from source (and of the prelude's shims).
func sourcePkgResults(name string) int {
	switch name {
	case "slices.Sort", "slices.SortFunc", "slices.SortStableFunc", "slices.Reverse",
		"maps.Copy", "maps.DeleteFunc":
		return 0
	case "slices.BinarySearch", "slices.BinarySearchFunc":
		return 2
	}
	return 1
}

// methodNames lists the names of the methods the session and cell c
// declare.
func (pl *planner) methodNames(c *cell.Cell) []string {
	var names []string
	for key, d := range pl.st.Decls {
		if d.Kind == lower.Method {
			names = append(names, key[strings.LastIndexByte(key, '.')+1:])
		}
	}
	for _, d := range c.File.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
			names = append(names, fd.Name.Name)
		}
	}
	return names
}

// methodResults returns the number of results of the methods called name
// that the session or the cell declared, if they all agree.
func (pl *planner) methodResults(c *cell.Cell, name string) (int, bool) {
	n := -1
	agree := true
	see := func(k int) {
		if n >= 0 && n != k {
			agree = false
		}
		n = k
	}
	for _, d := range c.File.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == name {
			see(lower.ResultCount(fd.Type))
		}
	}
	for key, d := range pl.st.Decls {
		if d.Kind == lower.Method && strings.HasSuffix(key, "."+name) {
			see(d.Results)
		}
	}
	return n, n >= 0 && agree
}

// importPath returns the import path a package name refers to in cell c
// (imported there or by an earlier cell).
func (pl *planner) importPath(c *cell.Cell, name string) (string, bool) {
	return importPath(c, pl.st, pl.h, name)
}

// importPath is planner.importPath.
func importPath(c *cell.Cell, st *State, h Host, name string) (string, bool) {
	for _, is := range c.File.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			continue
		}
		n := h.PackageName(p)
		if is.Name != nil {
			n = is.Name.Name
		}
		if n == name {
			return p, true
		}
	}
	p, ok := st.Imports[name]
	return p, ok
}

// isAwaitCall reports whether call is the rewritten form of an await
// statement: asyncio.Await(x) or asyncio.AwaitAt(x, site).
func isAwaitCall(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "asyncio" && (sel.Sel.Name == "Await" || sel.Sel.Name == "AwaitAt")
}
