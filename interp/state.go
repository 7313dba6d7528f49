package interp

import (
	"go/ast"
	"go/token"
	"reflect"

	"github.com/goawait/goawait/internal/cell"
)

// declKind says what a top-level name of the session is.
type declKind int

const (
	kindVar declKind = iota
	kindConst
	kindFunc
	kindType
	kindMethod
	kindImport
)

func (k declKind) String() string {
	return [...]string{"variable", "constant", "function", "type", "method", "package"}[k]
}

// decl is what the session remembers of a top-level name: enough for
// redefinition checks, completion and inspection.
type decl struct {
	name   string
	kind   declKind
	cell   string // "cell[3]"
	line   int
	source string // printed declaration (for types and methods: the text compared on redefinition)
	sig    string // one-line signature or declaration
	doc    string // doc comment
	// refs holds the top-level names a function body refers to, to find
	// the callers to recompile when one of them is redefined.
	refs map[string]bool
	// code is the chunk that (re)declares it, for functions.
	code string
	// results is the number of results of a function (-1: unknown).
	results int
}

// state is what earlier cells left in the session.
type state struct {
	imports map[string]string // package name in cells -> import path
	decls   map[string]*decl  // top-level names (methods as "T.M")
	// stale holds, by name, the slots of yaegi's global frame that
	// earlier declarations of a variable used: code compiled before a
	// redeclaration still uses them (rebind.go).
	stale map[string][]reflect.Value
}

func newState() *state {
	return &state{imports: map[string]string{}, decls: map[string]*decl{}, stale: map[string][]reflect.Value{}}
}

// funcRefs collects the identifiers a node refers to (a superset of the
// top-level names it uses; good enough to find dependents).
func funcRefs(n ast.Node) map[string]bool {
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

// recvTypeName returns the base type name of a method receiver.
func recvTypeName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	return cell.ReceiverBase(fd.Recv.List[0].Type)
}

// declaredNames lists the names a general declaration introduces, with
// their kind.
func declaredNames(gd *ast.GenDecl) (names []*ast.Ident, kind declKind) {
	switch gd.Tok {
	case token.VAR:
		kind = kindVar
	case token.CONST:
		kind = kindConst
	case token.TYPE:
		kind = kindType
	default:
		return nil, kindImport
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
