package autoawait

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// memory keeps what earlier cells declared, as Go source that go/types can
// check a later cell against: imports, function and method signatures
// (async ones with their model result types), types, constants, and
// variables (with their types when known, else their initialisers).
type memory struct {
	// imports maps an import path to the name it was imported by ("" for
	// the package's own name).
	imports map[string]string
	// decls maps a declared name (methods as "T.M") to its declaration.
	decls map[string]*memEntry
	seq   int

	// makers caches the names of makers (see makerNames) as of seq
	// makersSeq.
	makers    makerNames
	makersSeq int
}

type memEntry struct {
	text string
	seq  int
	// maker is set for a function or method whose result is a
	// coroutine, and for a variable whose type mentions one (a func
	// value returning a coroutine is one).
	maker bool
}

// makerNames are the names by which a call may make a coroutine of an
// earlier cell: functions and variables, and methods (by their bare name).
type makerNames struct {
	funcs, methods map[string]bool
}

func newMemory() *memory {
	return &memory{imports: map[string]string{}, decls: map[string]*memEntry{}}
}

func (m *memory) put(text string, names ...string) *memEntry {
	m.seq++
	e := &memEntry{text: text, seq: m.seq}
	for _, n := range names {
		if n != "_" {
			m.decls[n] = e
		}
	}
	return e
}

// makerNames returns the names of the remembered functions, methods and
// variables that make coroutines.
func (m *memory) makerNames() makerNames {
	if m.makers.funcs != nil && m.makersSeq == m.seq {
		return m.makers
	}
	mk := makerNames{funcs: map[string]bool{}, methods: map[string]bool{}}
	for name, e := range m.decls {
		if !e.maker {
			continue
		}
		if _, method, ok := strings.Cut(name, "."); ok {
			mk.methods[method] = true
		} else {
			mk.funcs[name] = true
		}
	}
	m.makers, m.makersSeq = mk, m.seq
	return mk
}

// callsMaker reports whether file calls, by name, a function, method or
// variable of an earlier cell that makes coroutines. It may say yes for a
// call that makes none (a method of another type with the same name, a
// shadowing local): that only costs a type check.
func (m *memory) callsMaker(file *ast.File) bool {
	mk := m.makerNames()
	if len(mk.funcs) == 0 && len(mk.methods) == 0 {
		return false
	}
	found := false
	ast.Inspect(file, func(n ast.Node) bool {
		if found {
			return false
		}
		if ce, ok := n.(*ast.CallExpr); ok {
			switch f := ast.Unparen(ce.Fun).(type) {
			case *ast.Ident:
				found = mk.funcs[f.Name]
			case *ast.SelectorExpr:
				found = mk.methods[f.Sel.Name]
			}
		}
		return !found
	})
	return found
}

// prelude returns a Go file, in package main, declaring what the session
// remembers except the names in skip.
func (m *memory) prelude(skip map[string]bool) string {
	var b strings.Builder
	b.WriteString("package main\n")
	if _, ok := m.imports[StubPath]; !ok {
		b.WriteString("import " + strconv.Quote(StubPath) + "\n")
	}
	for _, path := range sortedKeys(m.imports) {
		b.WriteString("import " + m.imports[path] + " " + strconv.Quote(path) + "\n")
	}
	// An entry goes unless one of its names (a group of constants has
	// several) is declared again by the cell being checked.
	dropped := map[*memEntry]bool{}
	for name := range skip {
		if e := m.decls[name]; e != nil {
			dropped[e] = true
		}
	}
	seen := map[*memEntry]bool{}
	var es []*memEntry
	for _, e := range m.decls {
		if !seen[e] && !dropped[e] {
			seen[e] = true
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].seq < es[j].seq })
	for _, e := range es {
		b.WriteString(e.text)
		b.WriteString("\n")
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// learnImports remembers the imports of file.
func (m *memory) learnImports(file *ast.File) {
	for _, spec := range file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		}
		m.imports[path] = name
	}
}

// learner prints what a cell declares into a memory.
type learner struct {
	m    *memory
	fset *token.FileSet
	// info, when not nil, gives the types of variables.
	info *types.Info
	buf  bytes.Buffer
}

func (l *learner) print(n any) string {
	l.buf.Reset()
	if err := printer.Fprint(&l.buf, l.fset, n); err != nil {
		return ""
	}
	return l.buf.String()
}

// learnFunc remembers the signature of fd.
func (l *learner) learnFunc(fd *ast.FuncDecl) {
	if isStmtsFunc(fd) || fd.Name.Name == "_" || fd.Name.Name == "init" {
		return
	}
	text := l.print(&ast.FuncDecl{Recv: fd.Recv, Name: fd.Name, Type: fd.Type})
	name := fd.Name.Name
	if fd.Recv != nil && len(fd.Recv.List) > 0 {
		name = recvBase(fd.Recv.List[0].Type) + "." + name
	}
	l.m.put(text, name).maker = returnsCoroutine(fd.Type)
}

// returnsCoroutine reports whether a function of type ft returns one
// coroutine: *asyncio.Coroutine, or the model's *asyncio.CoroutineOf[T]
// that an async function has while its cell is checked.
func returnsCoroutine(ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) != 1 || len(ft.Results.List[0].Names) > 1 {
		return false
	}
	star, ok := ft.Results.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	t := star.X
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == StubPath && (sel.Sel.Name == libCoroutine || sel.Sel.Name == modelCoroutine)
}

// learnGen remembers a type, const or var declaration.
func (l *learner) learnGen(gd *ast.GenDecl) {
	switch gd.Tok {
	case token.TYPE:
		for _, s := range gd.Specs {
			ts := s.(*ast.TypeSpec)
			l.m.put("type "+l.print(ts), ts.Name.Name)
		}
	case token.CONST:
		var names []string
		for _, s := range gd.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				names = append(names, n.Name)
			}
		}
		l.m.put(l.print(&ast.GenDecl{Tok: token.CONST, Lparen: 1, Specs: gd.Specs, Rparen: 1}), names...)
	case token.VAR:
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			l.learnVars(vs.Names, vs.Type, vs.Values)
		}
	}
}

// learnVars remembers variables, by their types when go/types knows them,
// else by their declared type or initialisers.
func (l *learner) learnVars(names []*ast.Ident, typ ast.Expr, values []ast.Expr) {
	var strs []string
	for _, n := range names {
		strs = append(strs, n.Name)
	}
	if l.info != nil {
		var b strings.Builder
		ok := true
		for i, n := range names {
			if n.Name == "_" {
				continue
			}
			obj := l.info.Defs[n]
			if obj == nil || obj.Type() == nil || !validType(obj.Type()) {
				ok = false
				break
			}
			t := obj.Type()
			if len(values) == len(names) {
				if rt, isRun := l.runResult(values[i]); isRun {
					t = rt // the emitted code converts the result
				}
			}
			b.WriteString("var " + n.Name + " " + types.TypeString(t, qualifier(obj.Pkg())) + "\n")
		}
		if ok {
			l.putVars(b.String(), strs)
			return
		}
	}
	vs := &ast.ValueSpec{Names: names, Type: typ}
	if typ == nil {
		vs.Values = values
	}
	l.putVars("var "+l.print(vs), strs)
}

// putVars remembers the variables names declared by text, as makers of
// coroutines when text mentions a coroutine type.
func (l *learner) putVars(text string, names []string) {
	l.m.put(text, names...).maker = strings.Contains(text, "*asyncio.Coroutine")
}

// learnStmts remembers the variables that a run of top-level statements
// defines.
func (l *learner) learnStmts(body *ast.BlockStmt) {
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok != token.DEFINE {
				continue
			}
			var names []*ast.Ident
			for _, e := range st.Lhs {
				if id, ok := e.(*ast.Ident); ok {
					names = append(names, id)
				}
			}
			if len(names) == len(st.Lhs) {
				l.learnVars(names, nil, st.Rhs)
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok {
				l.learnGen(gd)
			}
		}
	}
}

// learnFile remembers every declaration of file.
func (l *learner) learnFile(file *ast.File) {
	l.m.learnImports(file)
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if isStmtsFunc(d) {
				if d.Body != nil {
					l.learnStmts(d.Body)
				}
				continue
			}
			l.learnFunc(d)
		case *ast.GenDecl:
			if d.Tok != token.IMPORT {
				l.learnGen(d)
			}
		}
	}
}

// qualifier names packages other than local by their package name.
func qualifier(local *types.Package) types.Qualifier {
	return func(p *types.Package) string {
		if p == local {
			return ""
		}
		return p.Name()
	}
}

// validType reports whether t has no invalid part at its top.
func validType(t types.Type) bool {
	if b, ok := t.(*types.Basic); ok {
		return b.Kind() != types.Invalid && b.Info()&types.IsUntyped == 0
	}
	return !strings.Contains(types.TypeString(t, nil), "invalid type")
}

// declaredNames returns the package-level names file declares (methods as
// "T.M").
func declaredNames(file *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) > 0 {
				names[recvBase(d.Recv.List[0].Type)+"."+d.Name.Name] = true
			} else {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	return names
}

// runResult returns the static type that the emitted code gives to the
// value of a Run or RunUntilComplete call.
func (l *learner) runResult(e ast.Expr) (types.Type, bool) {
	ce, ok := isRunCall(e)
	if !ok {
		return nil, false
	}
	tv, ok := l.info.Types[ce.Args[0]]
	if !ok || tv.Type == nil {
		return nil, false
	}
	t, ok := resultOf(tv.Type)
	if !ok || !validType(t) || isModel(t, modelVoid) || isTuple(t) {
		return nil, false
	}
	return t, true
}
