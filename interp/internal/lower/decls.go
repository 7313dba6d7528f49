package lower

import (
	"bytes"
	"go/ast"
	"go/printer"
	"go/token"

	"github.com/goawait/goawait/internal/cell"
)

// Kind says what a top-level name is.
type Kind int

// The kinds of top-level names.
const (
	Var Kind = iota
	Const
	Func
	Type
	Method
	Import
)

// String names the kind as Go's documentation does ("variable",
// "function"...).
func (k Kind) String() string {
	return [...]string{"variable", "constant", "function", "type", "method", "package"}[k]
}

// DeclaredNames lists the names a general declaration introduces, with
// their kind (Import, and no names, for an import declaration).
func DeclaredNames(gd *ast.GenDecl) (names []*ast.Ident, kind Kind) {
	switch gd.Tok {
	case token.VAR:
		kind = Var
	case token.CONST:
		kind = Const
	case token.TYPE:
		kind = Type
	default:
		return nil, Import
	}
	for _, sp := range gd.Specs {
		switch x := sp.(type) {
		case *ast.ValueSpec:
			names = append(names, x.Names...)
		case *ast.TypeSpec:
			names = append(names, x.Name)
		}
	}
	return names, kind
}

// DeclaredFuncs returns the top-level functions (not methods) a cell
// declares.
func DeclaredFuncs(c *cell.Cell) map[string]bool {
	m := map[string]bool{}
	for _, it := range c.Items {
		for _, d := range it.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				m[fd.Name.Name] = true
			}
		}
	}
	return m
}

// Refs collects the identifiers a node refers to (a superset of the
// top-level names it uses; good enough to find the functions that use a
// name).
func Refs(n ast.Node) map[string]bool {
	refs := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(x.X, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok {
					refs[id.Name] = true
				}
				return true
			})
			return false
		case *ast.Ident:
			refs[x.Name] = true
		}
		return true
	})
	return refs
}

// ReceiverType returns the base type name of a method's receiver ("" for
// a function).
func ReceiverType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	return cell.ReceiverBase(fd.Recv.List[0].Type)
}

// PlainText prints n without positions, to show a declaration or compare
// two.
func PlainText(fset *token.FileSet, n any) string {
	var buf bytes.Buffer
	_ = (&printer.Config{Mode: printer.RawFormat}).Fprint(&buf, fset, n)
	return buf.String()
}

// Signature prints a function declaration without its body and doc.
func Signature(fset *token.FileSet, fd *ast.FuncDecl) string {
	cp := *fd
	cp.Body = nil
	cp.Doc = nil
	return PlainText(fset, &cp)
}

// ResultCount counts a function type's results.
func ResultCount(ft *ast.FuncType) int {
	if ft.Results == nil {
		return 0
	}
	n := 0
	for _, f := range ft.Results.List {
		if len(f.Names) == 0 {
			n++
		} else {
			n += len(f.Names)
		}
	}
	return n
}
