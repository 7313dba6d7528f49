package plan

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
)

// redefineError is the error of a cell that redefines what yaegi cannot.
func redefineError(kind, name string, old *Decl) error {
	return fmt.Errorf("%s %s is already defined in %s; yaegi cannot redefine %ss: restart the kernel to change it", kind, name, old.Cell, kind)
}

// planDecls emits a run of declarations. Types and methods already
// declared with the same text are dropped (re-running a cell works);
// different ones are refused with a clear error, since yaegi would keep
// the old ones silently. A Chunk that redefines a function, or
// redeclares a variable or constant, is followed at run time by the
// recompilation of the earlier functions that use it (by the session), so that
// old callers see the new definition.
func (pl *planner) planDecls(c *cell.Cell, it cell.Item) ([]Chunk, error) {
	var chunks []Chunk
	var cur strings.Builder
	var commits []func()
	var decls []ast.Decl   // what cur declares
	var redefined []string // the functions cur redefines
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		cs := commits
		chunks = append(chunks, Chunk{Src: cur.String(), Commit: func() {
			for _, f := range cs {
				f()
			}
		}, Redecl: pl.declRedecl(c, decls, redefined)})
		cur.Reset()
		commits, decls, redefined = nil, nil, nil
	}
	for _, d := range it.Decls {
		switch x := d.(type) {
		case *ast.FuncDecl:
			name := x.Name.Name
			kind := lower.Func
			if x.Recv != nil {
				name = lower.ReceiverType(x) + "." + name
				kind = lower.Method
			}
			plain := lower.PlainText(c.Fset, x)
			if old, ok := pl.st.Decls[name]; ok && old.Kind == kind && old.Source == plain {
				if kind == lower.Method {
					continue // same method again: keep it
				}
			} else if ok && kind == lower.Method && old.Kind == lower.Method {
				return nil, redefineError("method", name, old)
			} else if ok && old.Kind == lower.Func && kind == lower.Func {
				redefined = append(redefined, name)
			}
			text, err := c.Print(x)
			if err != nil {
				return nil, err
			}
			cur.WriteString(text)
			cur.WriteString("\n")
			decls = append(decls, x)
			dl := &Decl{Name: name, Kind: kind, Cell: c.Name, Line: c.Fset.Position(x.Pos()).Line,
				Source: plain, Sig: lower.Signature(c.Fset, x), Doc: x.Doc.Text(), Code: text,
				Refs: lower.Refs(x.Body), Results: lower.ResultCount(x.Type)}
			known := pl.st.Decls
			commits = append(commits, func() { known[name] = dl })
		case *ast.GenDecl:
			gd, err := pl.filterGenDecl(c, x)
			if err != nil {
				return nil, err
			}
			if gd == nil {
				continue
			}
			if gd.Tok == token.VAR && pl.refersToSession(gd) {
				// `var v = counter` (a global of an earlier cell) fails
				// in file mode with "variable definition loop": run it
				// as a statement, which declares a global too.
				flush()
				src, err := printStmts(c, []ast.Stmt{&ast.DeclStmt{Decl: gd}})
				if err != nil {
					return nil, err
				}
				chunks = append(chunks, Chunk{Src: src, Commit: pl.recordGenDecl(c, gd), Redecl: pl.declRedecl(c, []ast.Decl{gd}, nil)})
				continue
			}
			text, err := c.Print(gd)
			if err != nil {
				return nil, err
			}
			cur.WriteString(text)
			cur.WriteString("\n")
			decls = append(decls, gd)
			commits = append(commits, pl.recordGenDecl(c, gd))
		}
	}
	flush()
	return chunks, nil
}

// filterGenDecl drops type specs an earlier cell declared with the same
// text and refuses changed ones. It returns nil if nothing is left.
func (pl *planner) filterGenDecl(c *cell.Cell, gd *ast.GenDecl) (*ast.GenDecl, error) {
	if gd.Tok != token.TYPE {
		return gd, nil
	}
	var specs []ast.Spec
	for _, sp := range gd.Specs {
		ts := sp.(*ast.TypeSpec)
		old, ok := pl.st.Decls[ts.Name.Name]
		if ok && old.Kind == lower.Type {
			if old.Source == lower.PlainText(c.Fset, ts) {
				continue
			}
			return nil, redefineError("type", ts.Name.Name, old)
		}
		specs = append(specs, sp)
	}
	if len(specs) == 0 {
		return nil, nil
	}
	out := *gd
	out.Specs = specs
	return &out, nil
}

// refersToSession tells whether the values of a var declaration use a
// name declared by an earlier cell.
func (pl *planner) refersToSession(gd *ast.GenDecl) bool {
	found := false
	for _, sp := range gd.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, v := range vs.Values {
			for r := range lower.Refs(v) {
				if d, ok := pl.st.Decls[r]; ok && d.Kind != lower.Type {
					found = true
				}
			}
		}
	}
	return found
}

// recordGenDecl returns a commit recording the names a declaration
// introduces.
func (pl *planner) recordGenDecl(c *cell.Cell, gd *ast.GenDecl) func() {
	names, kind := lower.DeclaredNames(gd)
	if kind == lower.Import {
		return func() {}
	}
	var ds []*Decl
	for _, id := range names {
		if id.Name == "_" {
			continue
		}
		d := &Decl{Name: id.Name, Kind: kind, Cell: c.Name, Line: c.Fset.Position(id.Pos()).Line, Doc: gd.Doc.Text(), Results: -1}
		for _, sp := range gd.Specs {
			switch x := sp.(type) {
			case *ast.TypeSpec:
				if x.Name == id {
					d.Source = lower.PlainText(c.Fset, x)
					d.Sig = "type " + d.Source
					if x.Doc != nil {
						d.Doc = x.Doc.Text()
					}
				}
			case *ast.ValueSpec:
				for _, n := range x.Names {
					if n == id {
						d.Sig = gd.Tok.String() + " " + lower.PlainText(c.Fset, x)
						if x.Doc != nil {
							d.Doc = x.Doc.Text()
						}
					}
				}
			}
		}
		ds = append(ds, d)
	}
	known := pl.st.Decls
	return func() {
		for _, d := range ds {
			known[d.Name] = d
		}
	}
}

// recordStmts returns a commit recording the variables that top-level
// statements declare (x := ..., var x ...).
func (pl *planner) recordStmts(c *cell.Cell, list []ast.Stmt) func() {
	var ds []*Decl
	for _, st := range list {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				continue
			}
			for _, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" && !strings.HasPrefix(id.Name, reserved.Prefix) {
					ds = append(ds, &Decl{Name: id.Name, Kind: lower.Var, Cell: c.Name, Line: c.Fset.Position(id.Pos()).Line, Results: -1,
						Sig: lower.PlainText(c.Fset, x)})
				}
			}
		case *ast.DeclStmt:
			if gd, ok := x.Decl.(*ast.GenDecl); ok {
				names, kind := lower.DeclaredNames(gd)
				for _, id := range names {
					if id.Name != "_" {
						ds = append(ds, &Decl{Name: id.Name, Kind: kind, Cell: c.Name, Line: c.Fset.Position(id.Pos()).Line, Results: -1,
							Sig: lower.PlainText(c.Fset, gd)})
					}
				}
			}
		}
	}
	known := pl.st.Decls
	return func() {
		for _, d := range ds {
			if d == nil {
				continue
			}
			old, ok := known[d.Name]
			if ok && (old.Kind == lower.Type || old.Kind == lower.Func) {
				continue
			}
			known[d.Name] = d
		}
	}
}
