package lower

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/reserved"
)

// Names the lowerings declare in cells' code (see reserved).
const (
	tickName  = reserved.Prefix + "tick"      // per-loop interrupt counter
	goRecover = reserved.Prefix + "gorecover" // prelude: reports a goroutine's panic
)

// checkEvery is how many loop iterations run between two interrupt checks
// (a power of two).
const checkEvery = 1024

// Transform rewrites a parsed cell's file in place into Go that yaegi runs
// as Go would: it renames main, supplies builtins yaegi lacks, makes
// goroutine panics reportable, makes loops interruptible, rewrites
// range-over-func over the standard iterators yaegi cannot range over and
// splits the parallel assignments of nil that yaegi cannot run. names
// tells what the user declared, in the cell or earlier: a builtin or
// package name the user declared is left alone.
func Transform(f *ast.File, names Names) {
	shadowed := names.Shadowed
	renameMain(f)
	newOfValue(f, shadowed, names.Type)
	packageVars(f, names.Package)
	builtins(f, shadowed)
	if !shadowed("nil") {
		splitNilAssigns(f)
	}
	rangeOverFunc(f)
	useShims(f, shadowed)
	nestedDefines(f)
	rewriteStmtLists(f)
	guardStacks(f)
	if !shadowed("make") {
		guardMakes(f)
	}
}

// Names is what the lowerings must know of the names a cell sees.
type Names interface {
	// Shadowed tells whether the user declared name, in the cell or
	// earlier.
	Shadowed(name string) bool
	// Type tells whether name is a type an earlier cell declared.
	Type(name string) bool
	// Package tells whether name is a package an earlier cell imported.
	Package(name string) bool
}

// renameMain renames every identifier main: yaegi runs main() after every
// later Eval once a cell defined it.
func renameMain(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == "main" {
			id.Name = reserved.Main
		}
		return true
	})
}

// builtins rewrites calls to min, max and clear (missing from yaegi's
// universe) into calls of the prelude's generic functions and of a host
// helper, print and println into host helpers that write to standard
// error, and recover() into a host helper given its result, unless the cell or session declared those names.
func builtins(f *ast.File, shadowed func(string) bool) {
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || shadowed(id.Name) {
			return true
		}
		switch id.Name {
		case "min", "max":
			if len(call.Args) == 1 {
				// min(x) is x.
				call.Fun = &ast.Ident{NamePos: id.NamePos, Name: reserved.Prefix + "id"}
				return true
			}
			id.Name = reserved.Prefix + id.Name
			floatLiterals(call)
		case "clear":
			call.Fun = runtimeFunc(id.NamePos, reserved.Clear)
		case "print", "println":
			// Go's print and println write to standard error; yaegi's
			// write to standard output.
			helper := map[string]string{"print": reserved.Print, "println": reserved.Println}[id.Name]
			call.Fun = runtimeFunc(id.NamePos, helper)
		case "recover":
			// yaegi's recover returns the reflect.Value of what panic
			// was called with.
			if len(call.Args) == 0 {
				call.Fun = runtimeFunc(id.NamePos, reserved.Recovered)
				call.Args = []ast.Expr{&ast.CallExpr{Fun: id, Lparen: call.Lparen, Rparen: call.Rparen}}
				return false
			}
		}
		return true
	})
}

// floatLiterals converts the arguments of min/max to float64 when they
// are all numeric literals and one is a float: yaegi cannot infer a type
// parameter from untyped float constants.
func floatLiterals(call *ast.CallExpr) {
	hasFloat := false
	for _, a := range call.Args {
		if u, isUnary := a.(*ast.UnaryExpr); isUnary && (u.Op == token.SUB || u.Op == token.ADD) {
			a = u.X
		}
		lit, ok := a.(*ast.BasicLit)
		if !ok {
			return
		}
		if lit.Kind == token.FLOAT {
			hasFloat = true
		} else if lit.Kind != token.INT {
			return
		}
	}
	if !hasFloat {
		return
	}
	for i, a := range call.Args {
		call.Args[i] = &ast.CallExpr{Fun: &ast.Ident{NamePos: a.Pos(), Name: "float64"}, Lparen: a.Pos(), Args: []ast.Expr{a}, Rparen: a.End()}
	}
}

// shims lists the generic functions of slices and maps that yaegi's copy
// of those packages lacks (Go 1.23+ iterators, sorting); calls to them go
// to the prelude's versions.
var shims = map[string]bool{
	"slices.Sort": true, "slices.SortFunc": true, "slices.SortStableFunc": true, "slices.IsSorted": true,
	"slices.BinarySearch": true, "slices.Min": true, "slices.Max": true, "slices.Collect": true,
	"slices.Sorted": true, "slices.SortedFunc": true, "slices.Values": true,
	"slices.Equal": true, "slices.Compare": true, "slices.MinFunc": true, "slices.MaxFunc": true,
	"slices.Repeat": true, "errors.AsType": true,
	"maps.Keys": true, "maps.Values": true, "maps.Equal": true, "maps.EqualFunc": true,
}

// useShims rewrites slices.X and maps.X to the prelude's shims.
func useShims(f *ast.File, shadowed func(string) bool) {
	fix := func(e ast.Expr) ast.Expr {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return e
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok || !shims[pkg.Name+"."+sel.Sel.Name] || shadowed(pkg.Name) {
			return e
		}
		return &ast.Ident{NamePos: pkg.NamePos, Name: reserved.Prefix + pkg.Name + "_" + sel.Sel.Name}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			switch fn := call.Fun.(type) {
			case *ast.IndexExpr: // errors.AsType[T](err)
				fn.X = fix(fn.X)
			case *ast.IndexListExpr:
				fn.X = fix(fn.X)
			default:
				call.Fun = fix(call.Fun)
			}
		}
		return true
	})
}

// rangeProducers maps standard iterator producers to how a range over
// their result is rewritten: "map" and "slice" range over the argument
// itself (keys/values/all), "strings"/"bytes" collect the sequence into a
// slice with a host helper.
var rangeProducers = map[string]struct {
	over    string // "map", "slice", "strings", "bytes"
	keyOnly bool   // the producer yields the key (maps.Keys)
	valOnly bool   // the producer yields only values
}{
	"maps.Keys":             {over: "map", keyOnly: true},
	"maps.Values":           {over: "map", valOnly: true},
	"maps.All":              {over: "map"},
	"slices.All":            {over: "slice"},
	"slices.Values":         {over: "slice", valOnly: true},
	"strings.Lines":         {over: "strings", valOnly: true},
	"strings.SplitSeq":      {over: "strings", valOnly: true},
	"strings.SplitAfterSeq": {over: "strings", valOnly: true},
	"strings.FieldsSeq":     {over: "strings", valOnly: true},
	"strings.FieldsFuncSeq": {over: "strings", valOnly: true},
	"bytes.Lines":           {over: "bytes", valOnly: true},
	"bytes.SplitSeq":        {over: "bytes", valOnly: true},
	"bytes.SplitAfterSeq":   {over: "bytes", valOnly: true},
	"bytes.FieldsSeq":       {over: "bytes", valOnly: true},
	"bytes.FieldsFuncSeq":   {over: "bytes", valOnly: true},
}

// rangeOverFunc rewrites `for k, v := range P(x)` for the standard
// iterator producers P into ranges yaegi supports.
func rangeOverFunc(f *ast.File) {
	ast.Inspect(f, func(n ast.Node) bool {
		rs, ok := n.(*ast.RangeStmt)
		if !ok {
			return true
		}
		call, ok := rs.X.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		p, ok := rangeProducers[pkg.Name+"."+sel.Sel.Name]
		if !ok || len(call.Args) == 0 {
			return true
		}
		switch p.over {
		case "map", "slice":
			if len(call.Args) != 1 {
				return true
			}
			rs.X = call.Args[0]
			if p.valOnly && rs.Key != nil {
				rs.Value = rs.Key
				rs.Key = &ast.Ident{NamePos: rs.Value.Pos(), Name: "_"}
				if rs.Tok == token.ILLEGAL {
					rs.Tok = token.DEFINE
				}
			}
		case "strings", "bytes":
			helper := reserved.Strings
			if p.over == "bytes" {
				helper = reserved.Bytes
			}
			rs.X = &ast.CallExpr{Fun: runtimeFunc(call.Pos(), helper), Args: []ast.Expr{call}, Rparen: call.End()}
			if rs.Key != nil {
				rs.Value = rs.Key
				rs.Key = &ast.Ident{NamePos: rs.Value.Pos(), Name: "_"}
			}
		}
		return true
	})
}

// rewriteStmtLists rewrites statements inside every statement list: go
// statements report their goroutine's panic instead of killing the
// process, and loops call the interrupt checkpoint every checkEvery
// iterations.
func rewriteStmtLists(f *ast.File) {
	n := 0
	// top tells whether list runs in the cell's statements (at the top
	// level, outside function literals).
	var visit func(list []ast.Stmt, top bool) []ast.Stmt
	visit = func(list []ast.Stmt, top bool) []ast.Stmt {
		for i, st := range list {
			if top && spawnsInBlock(st) {
				body := visit([]ast.Stmt{st}, false)
				list[i] = callInPlace(&ast.BlockStmt{Lbrace: st.Pos(), Rbrace: st.End(), List: body})
				continue
			}
			// Recurse first, into nested lists.
			ast.Inspect(st, func(nd ast.Node) bool {
				switch x := nd.(type) {
				case *ast.FuncLit:
					x.Body.List = visit(x.Body.List, false)
					return false
				case *ast.BlockStmt:
					x.List = visit(x.List, top)
					return false
				case *ast.CaseClause:
					x.Body = visit(x.Body, top)
					return false
				case *ast.CommClause:
					x.Body = visit(x.Body, top)
					return false
				}
				return true
			})
			switch x := st.(type) {
			case *ast.GoStmt:
				n++
				list[i] = wrapGo(x, n)
				if b, ok := list[i].(*ast.BlockStmt); ok && top {
					list[i] = callInPlace(b)
				}
			case *ast.ForStmt:
				list[i] = instrumentLoop(x, x.Body)
			case *ast.RangeStmt:
				list[i] = instrumentLoop(x, x.Body)
			case *ast.LabeledStmt:
				switch l := x.Stmt.(type) {
				case *ast.ForStmt:
					list[i] = instrumentLoop(x, l.Body)
				case *ast.RangeStmt:
					list[i] = instrumentLoop(x, l.Body)
				}
			}
		}
		return list
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			top := fd.Recv == nil && strings.HasPrefix(fd.Name.Name, cell.StmtsFunc)
			fd.Body.List = visit(fd.Body.List, top)
		} else {
			// Function literals in package-level declarations.
			ast.Inspect(d, func(nd ast.Node) bool {
				if fl, ok := nd.(*ast.FuncLit); ok {
					fl.Body.List = visit(fl.Body.List, false)
					return false
				}
				return true
			})
		}
	}
}

// spawnsInBlock tells whether st, a statement of the cell's top level, is
// a compound statement (a loop, a block, an if, a switch, a select) with a
// go statement inside, and can run as the body of a function literal called
// in place: it has no return, goto or defer of its own (those of function
// literals inside it do not count).
//
// Such a statement is run that way. Every function literal yaegi evaluates
// copies the frame it is evaluated in, and at the top level that frame is
// the interpreter's global frame, which grows with every variable the
// session declares: a loop starting goroutines copied it once per
// goroutine, so a go statement cost more, and each parked goroutine kept
// more memory, the older the session. In a function of its own, the
// global frame is copied once for the whole statement, and each goroutine
// copies only that function's small frame.
func spawnsInBlock(st ast.Stmt) bool {
	switch st.(type) {
	case *ast.ForStmt, *ast.RangeStmt, *ast.LabeledStmt, *ast.BlockStmt, *ast.IfStmt,
		*ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
	default:
		return false
	}
	spawns, movable := false, true
	ast.Inspect(st, func(nd ast.Node) bool {
		switch x := nd.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			spawns = true
		case *ast.ReturnStmt, *ast.DeferStmt:
			movable = false
		case *ast.BranchStmt:
			if x.Tok == token.GOTO {
				movable = false
			}
		}
		return movable
	})
	return spawns && movable
}

// instrumentLoop returns `{ tick := 0; loop }` where the loop body starts
// with `if tick++; tick&(checkEvery-1) == 0 { __gort.Checkpoint() }`.
func instrumentLoop(loop ast.Stmt, body *ast.BlockStmt) ast.Stmt {
	pos := body.Lbrace
	tick := func() *ast.Ident { return &ast.Ident{NamePos: pos, Name: tickName} }
	check := &ast.IfStmt{
		If:   pos,
		Init: &ast.IncDecStmt{X: tick(), Tok: token.INC, TokPos: pos},
		Cond: &ast.BinaryExpr{
			X:  &ast.BinaryExpr{X: tick(), Op: token.AND, Y: &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(checkEvery - 1), ValuePos: pos}, OpPos: pos},
			Op: token.EQL, OpPos: pos,
			Y: &ast.BasicLit{Kind: token.INT, Value: "0", ValuePos: pos},
		},
		Body: &ast.BlockStmt{Lbrace: pos, Rbrace: pos, List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun: runtimeFunc(pos, reserved.Checkpoint), Lparen: pos, Rparen: pos}}}},
	}
	body.List = append([]ast.Stmt{check}, body.List...)
	decl := &ast.AssignStmt{Lhs: []ast.Expr{tick()}, Tok: token.DEFINE, TokPos: pos, Rhs: []ast.Expr{&ast.BasicLit{Kind: token.INT, Value: "0", ValuePos: pos}}}
	return &ast.BlockStmt{Lbrace: loop.Pos(), Rbrace: loop.End(), List: []ast.Stmt{decl, loop}}
}

// wrapGo turns `go f(a, b)` into
//
//	{ fn, a0, a1 := f, a, b; go func() { defer ...; fn(a0, a1) }() }
//
// so that the function and its arguments are evaluated first, as Go does,
// and a panic in the goroutine is reported instead of ending the process
// (recoverAndReport). `go func() { ... }()`, the most common form, keeps
// its literal, with the deferred report as its first statement.
func wrapGo(g *ast.GoStmt, n int) ast.Stmt {
	pos := g.Go
	call := g.Call
	if fl, ok := call.Fun.(*ast.FuncLit); ok && len(call.Args) == 0 &&
		fl.Type.Params.NumFields() == 0 && fl.Type.Results.NumFields() == 0 {
		body := append([]ast.Stmt{recoverAndReport(pos)}, fl.Body.List...)
		lit := &ast.FuncLit{Type: fl.Type, Body: &ast.BlockStmt{Lbrace: fl.Body.Lbrace, Rbrace: fl.Body.Rbrace, List: body}}
		return &ast.GoStmt{Go: pos, Call: &ast.CallExpr{Fun: lit, Lparen: call.Lparen, Rparen: call.Rparen}}
	}
	var lhs, rhs []ast.Expr
	name := func(s string) *ast.Ident {
		return &ast.Ident{NamePos: pos, Name: reserved.Prefix + s + strconv.Itoa(n)}
	}
	fun := call.Fun
	switch f := fun.(type) {
	case *ast.Ident:
		if !isBuiltin(f.Name) {
			lhs = append(lhs, name("fn"))
			rhs = append(rhs, f)
			fun = name("fn")
		}
	case *ast.SelectorExpr:
		// x.M: yaegi cannot take the method value of a host type
		// (go srv.Serve(ln)), so evaluate the receiver and call the
		// method inside. A plain identifier may be a package name: it is
		// left as it is.
		if _, isIdent := f.X.(*ast.Ident); !isIdent {
			lhs = append(lhs, name("recv"))
			rhs = append(rhs, f.X)
			fun = &ast.SelectorExpr{X: name("recv"), Sel: f.Sel}
		}
	default:
		lhs = append(lhs, name("fn"))
		rhs = append(rhs, call.Fun)
		fun = name("fn")
	}
	args := make([]ast.Expr, len(call.Args))
	for i, a := range call.Args {
		an := name("a" + strconv.Itoa(i) + "_")
		lhs = append(lhs, an)
		rhs = append(rhs, a)
		args[i] = name("a" + strconv.Itoa(i) + "_")
	}
	inner := &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis, Lparen: call.Lparen, Rparen: call.Rparen}
	goStmt := &ast.GoStmt{Go: pos, Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{Lbrace: pos, Rbrace: pos, List: []ast.Stmt{recoverAndReport(pos), &ast.ExprStmt{X: inner}}},
	}}}
	var list []ast.Stmt
	if len(lhs) > 0 {
		list = append(list, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, TokPos: pos, Rhs: rhs})
	}
	list = append(list, goStmt)
	return &ast.BlockStmt{Lbrace: pos, Rbrace: g.End(), List: list}
}

// callInPlace turns the block wrapGo made of a go statement of the cell's
// statements into `func() { block }()`. The names the block declares
// (the function and arguments the goroutine uses) are then variables of a
// frame of their own, collected once the goroutine ends, instead of slots
// of the interpreter's global frame, which it never frees: yaegi gives the
// variables of blocks of top-level statements global slots, and the
// goroutine's function held there would keep the cell's code (and a copy
// of the global frame, which every function literal created at the top
// level takes) as long as the session (yaegix.Interp.Release explains why).
func callInPlace(b *ast.BlockStmt) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{
		Fun:    &ast.FuncLit{Type: &ast.FuncType{Func: b.Lbrace, Params: &ast.FieldList{}}, Body: b},
		Lparen: b.Rbrace, Rparen: b.Rbrace,
	}}
}

// runtimeFunc returns the expression naming the host helper name, at pos.
func runtimeFunc(pos token.Pos, name string) *ast.SelectorExpr {
	return &ast.SelectorExpr{X: &ast.Ident{NamePos: pos, Name: reserved.Runtime}, Sel: &ast.Ident{NamePos: pos, Name: name}}
}

// isBuiltin tells whether name is a predeclared function.
func isBuiltin(name string) bool {
	switch name {
	case "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
		"max", "min", "new", "panic", "print", "println", "real", "recover":
		return true
	}
	return false
}

// recoverAndReport is `defer func() { goRecover(recover()) }()`, the first
// statement of a goroutine's function: a panic in the goroutine is reported
// instead of ending the process (only an interpreted deferred function
// calling recover itself can recover in yaegi). The goroutine's function is
// a literal the go statement calls, never a func value handed to another
// function: yaegi runs a func value passed as an argument through a
// wrapper that writes the frame the literal was made in after every call,
// and goroutines started from one loop then raced on that frame and ran
// another iteration's closure (wrong values, seen by the race detector).
func recoverAndReport(pos token.Pos) ast.Stmt {
	return &ast.DeferStmt{Defer: pos, Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: pos, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{Lbrace: pos, Rbrace: pos, List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun:  &ast.Ident{NamePos: pos, Name: goRecover},
			Args: []ast.Expr{&ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: "recover"}}},
		}}}},
	}}}
}
