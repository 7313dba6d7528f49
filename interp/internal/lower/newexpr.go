package lower

import (
	"go/ast"
	"go/token"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// newOf is the prelude's generic that new(v) becomes when v is a value.
const newOf = reserved.Prefix + "new"

// predeclaredTypes are the types of Go's universe.
var predeclaredTypes = map[string]bool{
	"bool": true, "byte": true, "complex64": true, "complex128": true, "error": true,
	"float32": true, "float64": true, "int": true, "int8": true, "int16": true,
	"int32": true, "int64": true, "rune": true, "string": true, "uint": true,
	"uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"any": true, "comparable": true,
}

// literalTypes is the default type of an untyped basic literal.
var literalTypes = map[token.Token]string{
	token.INT: "int", token.FLOAT: "float64", token.IMAG: "complex128",
	token.CHAR: "rune", token.STRING: "string",
}

// newOfValue rewrites Go 1.26's new(v), a pointer to a new variable
// holding the value v, which yaegi reads as new of v's type (a pointer to
// zero). A literal becomes &[]T{v}[0] with the literal's default type, a
// composite literal &T{...}, any other value a call of the prelude's
// generic. What is a type is read from the syntax, the cell's own type
// declarations and type parameters, and earlierType (types of earlier
// cells): a name that is none of these is taken for a value, so that a
// mistake fails to compile instead of giving a pointer to zero.
func newOfValue(f *ast.File, shadowed, earlierType func(string) bool) {
	if shadowed("new") {
		return
	}
	local := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.TypeSpec:
			local[x.Name.Name] = true
			addFields(local, x.TypeParams)
		case *ast.FuncType:
			addFields(local, x.TypeParams)
		}
		return true
	})
	isType := func(name string) bool {
		return local[name] || earlierType(name) || (predeclaredTypes[name] && !shadowed(name))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 || call.Ellipsis.IsValid() {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "new" && !typeExpr(call.Args[0], isType) {
			newValue(call)
		}
		return true
	})
}

// addFields records the names of a type parameter list.
func addFields(names map[string]bool, fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			names[n.Name] = true
		}
	}
}

// typeExpr tells whether e, the argument of new, denotes a type.
func typeExpr(e ast.Expr, isType func(string) bool) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return isType(x.Name)
	case *ast.ParenExpr:
		return typeExpr(x.X, isType)
	case *ast.SelectorExpr:
		// pkg.T: a package's variables are rarely given to new.
		_, ok := x.X.(*ast.Ident)
		return ok
	case *ast.IndexExpr:
		return typeExpr(x.X, isType)
	case *ast.IndexListExpr:
		return typeExpr(x.X, isType)
	case *ast.StarExpr:
		return typeExpr(x.X, isType)
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.StructType, *ast.InterfaceType:
		return true
	}
	return false
}

// newValue lowers new(v), for a value v, in place: when v's type shows
// in the syntax (a literal), into func(v T) *T { return &v }(v), else
// into a call of the prelude's generic (yaegi cannot call generics in the
// initialiser of a cell's variables: such a cell fails to compile).
func newValue(call *ast.CallExpr) {
	pos := call.Pos()
	arg := call.Args[0]
	for {
		p, ok := arg.(*ast.ParenExpr)
		if !ok {
			break
		}
		arg = p.X
	}
	if u, ok := arg.(*ast.UnaryExpr); ok && (u.Op == token.SUB || u.Op == token.ADD) {
		arg = u.X
	}
	var typ ast.Expr
	switch x := arg.(type) {
	case *ast.BasicLit:
		typ = &ast.Ident{NamePos: pos, Name: literalTypes[x.Kind]}
	case *ast.CompositeLit:
		if _, named := x.Type.(*ast.Ident); named || isSelector(x.Type) {
			typ = x.Type
		}
	}
	if typ == nil {
		call.Fun = &ast.Ident{NamePos: call.Fun.Pos(), Name: newOf}
		return
	}
	v := &ast.Ident{NamePos: pos, Name: reserved.Prefix + "v"}
	call.Fun = &ast.FuncLit{
		Type: &ast.FuncType{Func: pos,
			Params:  &ast.FieldList{List: []*ast.Field{{Names: []*ast.Ident{v}, Type: typ}}},
			Results: &ast.FieldList{List: []*ast.Field{{Type: &ast.StarExpr{Star: pos, X: typ}}}}},
		Body: &ast.BlockStmt{Lbrace: pos, List: []ast.Stmt{&ast.ReturnStmt{Return: pos,
			Results: []ast.Expr{&ast.UnaryExpr{OpPos: pos, Op: token.AND, X: v}}}}, Rbrace: pos},
	}
}

// isSelector tells whether e is pkg.Name.
func isSelector(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	_, ok = s.X.(*ast.Ident)
	return ok
}
