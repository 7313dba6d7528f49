package autoawait

import (
	"go/ast"
	"go/printer"
	"go/scanner"
	"go/token"
	"strings"

	"github.com/goawait/goawait/internal/cell"
)

// errAwaitPlace is the message for an await outside an async function.
const errAwaitPlace = "await is only allowed in an async func or at the top level of a cell"

// awaitSite is one await expression of a cell.
type awaitSite struct {
	unary *ast.UnaryExpr
	// arity is the number of values the context wants from a
	// multi-value await (n, err := await f()), else 0.
	arity int
	// inReturn is set when that context is a return statement.
	inReturn bool
	// stmt is set for an await that is an expression statement.
	stmt bool
	// last is set for an await that is the cell's final statement: its
	// value, if it has exactly one, is the cell's value to show.
	last bool
	// call is the stand-in asyncio.Await(x) (or AwaitN) call that replaces
	// the await while the cell is type-checked.
	call *ast.CallExpr
}

// asyncFunc is an async function declaration or literal.
type asyncFunc struct {
	decl *ast.FuncDecl // nil for a literal
	lit  *ast.FuncLit  // nil for a declaration
	name string        // as the coroutine reports it
}

func (a *asyncFunc) funcType() *ast.FuncType {
	if a.decl != nil {
		return a.decl.Type
	}
	return a.lit.Type
}

func (a *asyncFunc) body() **ast.BlockStmt {
	if a.decl != nil {
		return &a.decl.Body
	}
	return &a.lit.Body
}

// scanResult is what a first pass over a cell finds.
type scanResult struct {
	awaits []*awaitSite
	byExpr map[*ast.UnaryExpr]*awaitSite
	funcs  []*asyncFunc
	// runs are the Run and RunUntilComplete calls whose value is used.
	runs []*ast.CallExpr
	errs scanner.ErrorList
}

// scanCell finds the await expressions and async functions of c, checks
// where the awaits are, and records the contexts that want several values.
func scanCell(c *cell.Cell) *scanResult {
	s := &scanResult{byExpr: map[*ast.UnaryExpr]*awaitSite{}}
	final := finalAwait(c)
	bodied := map[token.Pos]bool{} // async funcs seen with their func keyword
	arity := map[ast.Expr]int{}
	returned := map[ast.Expr]bool{} // arity comes from a return statement
	stmtAwait := map[ast.Expr]bool{}
	var stack []ast.Node
	lits := 0
	ast.Inspect(c.File, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.FuncDecl:
			if c.IsAsync(n.Type) {
				bodied[n.Type.Func] = true
				if n.Body == nil {
					s.errs.Add(c.Fset.Position(n.Type.Func), "async func "+n.Name.Name+" has no body")
					break
				}
				s.funcs = append(s.funcs, &asyncFunc{decl: n, name: declName(n)})
			}
		case *ast.FuncLit:
			if c.IsAsync(n.Type) {
				bodied[n.Type.Func] = true
				lits++
				s.funcs = append(s.funcs, &asyncFunc{lit: n, name: "func" + itoa(lits)})
			}
		case *ast.ExprStmt:
			stmtAwait[n.X] = true
		case *ast.CallExpr:
			if ce, ok := isRunCall(n); ok && !stmtAwait[n] {
				s.runs = append(s.runs, ce)
			}
		case *ast.AssignStmt:
			if len(n.Lhs) > 1 && len(n.Rhs) == 1 {
				arity[n.Rhs[0]] = len(n.Lhs)
			}
		case *ast.ValueSpec:
			if len(n.Names) > 1 && len(n.Values) == 1 {
				arity[n.Values[0]] = len(n.Names)
			}
		case *ast.ReturnStmt:
			if len(n.Results) == 1 {
				if ft := enclosingFunc(stack); ft != nil && countFields(ft.Results) > 1 {
					arity[n.Results[0]] = countFields(ft.Results)
					returned[n.Results[0]] = true
				}
			}
		case *ast.UnaryExpr:
			if _, ok := c.IsAwait(n); !ok {
				break
			}
			if !awaitAllowed(c, stack) {
				s.errs.Add(c.Fset.Position(n.OpPos), errAwaitPlace)
			}
			site := &awaitSite{unary: n, arity: arity[n], inReturn: returned[n], stmt: stmtAwait[n], last: n == final}
			s.awaits = append(s.awaits, site)
			s.byExpr[n] = site
		}
		return true
	})
	// async before a func type that is neither a declaration nor a
	// literal (f := async func()) would otherwise vanish silently.
	for pos := range c.Async {
		if !bodied[pos] {
			s.errs.Add(c.Fset.Position(pos), "async must come before a func declaration or a func literal with a body")
		}
	}
	for _, f := range s.funcs {
		checkReturnCounts(c, f, &s.errs)
	}
	s.errs.Sort()
	return s
}

// checkReturnCounts reports the returns of f with the wrong number of
// values, as Go would. (The lowered body returns []any, where the
// interpreter's message would not name f's results.) A single call may
// return several values; the interpreter checks its count.
func checkReturnCounts(c *cell.Cell, f *asyncFunc, errs *scanner.ErrorList) {
	results := f.funcType().Results
	n := countFields(results)
	named := hasNamedResults(results)
	ast.Inspect(*f.body(), func(node ast.Node) bool {
		switch x := node.(type) {
		case *ast.FuncLit:
			return false // its returns are its own
		case *ast.ReturnStmt:
			got := len(x.Results)
			call := valuesOfOneCall(x.Results)
			switch {
			case got == 0 && (n == 0 || named):
			case got == n, got == 1 && n > 1 && call:
			case got < n:
				errs.Add(c.Fset.Position(x.Return), "not enough return values: want "+resultTypes(c, results))
			default:
				errs.Add(c.Fset.Position(x.Return), "too many return values: want "+resultTypes(c, results))
			}
		}
		return true
	})
}

// valuesOfOneCall tells whether exprs is one call or one await (in the
// cell, an await is a receive), which may give several values.
func valuesOfOneCall(exprs []ast.Expr) bool {
	if len(exprs) != 1 {
		return false
	}
	switch x := ast.Unparen(exprs[0]).(type) {
	case *ast.CallExpr:
		return true
	case *ast.UnaryExpr:
		return x.Op == token.ARROW
	}
	return false
}

// resultTypes prints a result list as Go shows it: "()", "(int)",
// "(int, error)".
func resultTypes(c *cell.Cell, results *ast.FieldList) string {
	var types []string
	if results != nil {
		for _, f := range results.List {
			var b strings.Builder
			_ = printer.Fprint(&b, c.Fset, f.Type)
			for range max(1, len(f.Names)) {
				types = append(types, b.String())
			}
		}
	}
	return "(" + strings.Join(types, ", ") + ")"
}

// enclosingFunc returns the type of the innermost function around the top
// of stack.
func enclosingFunc(stack []ast.Node) *ast.FuncType {
	for i := len(stack) - 1; i >= 0; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncLit:
			return f.Type
		case *ast.FuncDecl:
			return f.Type
		}
	}
	return nil
}

// awaitAllowed reports whether an await at the top of stack is in an async
// function, in a cell's statements or in a top-level declaration.
func awaitAllowed(c *cell.Cell, stack []ast.Node) bool {
	for i := len(stack) - 1; i >= 0; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncLit:
			return c.IsAsync(f.Type)
		case *ast.FuncDecl:
			return c.IsAsync(f.Type) || isStmtsFunc(f)
		}
	}
	return true
}

// isStmtsFunc reports whether fd is the synthetic function holding a run of
// the cell's statements.
func isStmtsFunc(fd *ast.FuncDecl) bool {
	return fd.Recv == nil && strings.HasPrefix(fd.Name.Name, cell.StmtsFunc)
}

// countFields counts the values a field list declares.
func countFields(fl *ast.FieldList) int {
	if fl == nil {
		return 0
	}
	n := 0
	for _, f := range fl.List {
		if len(f.Names) == 0 {
			n++
		} else {
			n += len(f.Names)
		}
	}
	return n
}

// declName is the name a coroutine of fd reports: "f", "T.M" or "(*T).M".
func declName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = true, s.X
	}
	base := recvBase(t)
	if star {
		return "(*" + base + ")." + fd.Name.Name
	}
	return base + "." + fd.Name.Name
}

// recvBase is the type name of a receiver type expression without its
// pointer and type parameters ("?" when there is none).
func recvBase(t ast.Expr) string {
	if name := cell.ReceiverBase(t); name != "" {
		return name
	}
	return "?"
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// sitePos returns "cell[N]:L" for pos.
func sitePos(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return p.Filename + ":" + itoa(p.Line)
}

// finalAwait returns the await that is the cell's last top-level statement,
// if there is one.
func finalAwait(c *cell.Cell) *ast.UnaryExpr {
	if len(c.Items) == 0 {
		return nil
	}
	last := c.Items[len(c.Items)-1]
	if last.Kind != cell.Stmts || last.Body == nil || len(last.Body.List) == 0 {
		return nil
	}
	es, ok := last.Body.List[len(last.Body.List)-1].(*ast.ExprStmt)
	if !ok {
		return nil
	}
	if _, ok := c.IsAwait(es.X); !ok {
		return nil
	}
	return es.X.(*ast.UnaryExpr)
}
