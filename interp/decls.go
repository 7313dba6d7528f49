package interp

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
func redefineError(kind, name string, old *decl) error {
	return fmt.Errorf("%s %s is already defined in %s; yaegi cannot redefine %ss: restart the kernel to change it", kind, name, old.cell, kind)
}

// planDecls emits a run of declarations. Types and methods already
// declared with the same text are dropped (re-running a cell works);
// different ones are refused with a clear error, since yaegi would keep
// the old ones silently. A chunk that redefines a function, or
// redeclares a variable or constant, is followed at run time by the
// recompilation of the earlier functions that use it (rebind.go), so that
// old callers see the new definition.
func (s *Session) planDecls(c *cell.Cell, it cell.Item) ([]chunk, error) {
	var chunks []chunk
	var cur strings.Builder
	var commits []func()
	var decls []ast.Decl   // what cur declares
	var redefined []string // the functions cur redefines
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		cs := commits
		chunks = append(chunks, chunk{src: cur.String(), commit: func() {
			for _, f := range cs {
				f()
			}
		}, redecl: s.declRedecl(c, decls, redefined)})
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
			if old, ok := s.state.decls[name]; ok && old.kind == kind && old.source == plain {
				if kind == lower.Method {
					continue // same method again: keep it
				}
			} else if ok && kind == lower.Method && old.kind == lower.Method {
				return nil, redefineError("method", name, old)
			} else if ok && old.kind == lower.Func && kind == lower.Func {
				redefined = append(redefined, name)
			}
			text, err := c.Print(x)
			if err != nil {
				return nil, err
			}
			cur.WriteString(text)
			cur.WriteString("\n")
			decls = append(decls, x)
			dl := &decl{name: name, kind: kind, cell: c.Name, line: c.Fset.Position(x.Pos()).Line,
				source: plain, sig: lower.Signature(c.Fset, x), doc: x.Doc.Text(), code: text,
				refs: lower.Refs(x.Body), results: lower.ResultCount(x.Type)}
			commits = append(commits, func() { s.state.decls[name] = dl })
		case *ast.GenDecl:
			gd, err := s.filterGenDecl(c, x)
			if err != nil {
				return nil, err
			}
			if gd == nil {
				continue
			}
			if gd.Tok == token.VAR && s.refersToSession(gd) {
				// `var v = counter` (a global of an earlier cell) fails
				// in file mode with "variable definition loop": run it
				// as a statement, which declares a global too.
				flush()
				src, err := printStmts(c, []ast.Stmt{&ast.DeclStmt{Decl: gd}})
				if err != nil {
					return nil, err
				}
				chunks = append(chunks, chunk{src: src, commit: s.recordGenDecl(c, gd), redecl: s.declRedecl(c, []ast.Decl{gd}, nil)})
				continue
			}
			text, err := c.Print(gd)
			if err != nil {
				return nil, err
			}
			cur.WriteString(text)
			cur.WriteString("\n")
			decls = append(decls, gd)
			commits = append(commits, s.recordGenDecl(c, gd))
		}
	}
	flush()
	return chunks, nil
}

// filterGenDecl drops type specs an earlier cell declared with the same
// text and refuses changed ones. It returns nil if nothing is left.
func (s *Session) filterGenDecl(c *cell.Cell, gd *ast.GenDecl) (*ast.GenDecl, error) {
	if gd.Tok != token.TYPE {
		return gd, nil
	}
	var specs []ast.Spec
	for _, sp := range gd.Specs {
		ts := sp.(*ast.TypeSpec)
		old, ok := s.state.decls[ts.Name.Name]
		if ok && old.kind == lower.Type {
			if old.source == lower.PlainText(c.Fset, ts) {
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
func (s *Session) refersToSession(gd *ast.GenDecl) bool {
	found := false
	for _, sp := range gd.Specs {
		vs, ok := sp.(*ast.ValueSpec)
		if !ok {
			continue
		}
		for _, v := range vs.Values {
			for r := range lower.Refs(v) {
				if d, ok := s.state.decls[r]; ok && d.kind != lower.Type {
					found = true
				}
			}
		}
	}
	return found
}

// recordGenDecl returns a commit recording the names a declaration
// introduces.
func (s *Session) recordGenDecl(c *cell.Cell, gd *ast.GenDecl) func() {
	names, kind := lower.DeclaredNames(gd)
	if kind == lower.Import {
		return func() {}
	}
	var ds []*decl
	for _, id := range names {
		if id.Name == "_" {
			continue
		}
		d := &decl{name: id.Name, kind: kind, cell: c.Name, line: c.Fset.Position(id.Pos()).Line, doc: gd.Doc.Text(), results: -1}
		for _, sp := range gd.Specs {
			switch x := sp.(type) {
			case *ast.TypeSpec:
				if x.Name == id {
					d.source = lower.PlainText(c.Fset, x)
					d.sig = "type " + d.source
					if x.Doc != nil {
						d.doc = x.Doc.Text()
					}
				}
			case *ast.ValueSpec:
				for _, n := range x.Names {
					if n == id {
						d.sig = gd.Tok.String() + " " + lower.PlainText(c.Fset, x)
						if x.Doc != nil {
							d.doc = x.Doc.Text()
						}
					}
				}
			}
		}
		ds = append(ds, d)
	}
	return func() {
		for _, d := range ds {
			s.state.decls[d.name] = d
		}
	}
}

// recordStmts returns a commit recording the variables that top-level
// statements declare (x := ..., var x ...).
func (s *Session) recordStmts(c *cell.Cell, list []ast.Stmt) func() {
	var ds []*decl
	for _, st := range list {
		switch x := st.(type) {
		case *ast.AssignStmt:
			if x.Tok != token.DEFINE {
				continue
			}
			for _, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" && !strings.HasPrefix(id.Name, reserved.Prefix) {
					ds = append(ds, &decl{name: id.Name, kind: lower.Var, cell: c.Name, line: c.Fset.Position(id.Pos()).Line, results: -1,
						sig: lower.PlainText(c.Fset, x)})
				}
			}
		case *ast.DeclStmt:
			if gd, ok := x.Decl.(*ast.GenDecl); ok {
				names, kind := lower.DeclaredNames(gd)
				for _, id := range names {
					if id.Name != "_" {
						ds = append(ds, &decl{name: id.Name, kind: kind, cell: c.Name, line: c.Fset.Position(id.Pos()).Line, results: -1,
							sig: lower.PlainText(c.Fset, gd)})
					}
				}
			}
		}
	}
	return func() {
		for _, d := range ds {
			if d == nil {
				continue
			}
			old, ok := s.state.decls[d.name]
			if ok && (old.kind == lower.Type || old.kind == lower.Func) {
				continue
			}
			s.state.decls[d.name] = d
		}
	}
}
