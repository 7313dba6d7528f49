package autoawait

import (
	"go/ast"
	"go/token"
	"go/types"
)

// typeNamer turns go/types types back into type expressions of the emitted
// code, placed at one position. It knows the local names of the packages
// the session imported; a type it cannot spell makes it fail.
type typeNamer struct {
	pos token.Pos
	// local is the package being checked (the session's own names).
	local *types.Package
	// names maps an import path to the name the session imports it by.
	names map[string]string
}

// expr returns an expression for t, or false when the emitted code cannot
// name t.
func (n *typeNamer) expr(t types.Type) (ast.Expr, bool) {
	pos := n.pos
	switch t := t.(type) {
	case *types.Basic:
		if t.Info()&types.IsUntyped != 0 || t.Kind() == types.Invalid || t.Kind() == types.UnsafePointer {
			return nil, false
		}
		return ident(t.Name(), pos), true
	case *types.Alias:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return ident(obj.Name(), pos), true // any
		}
		if t.TypeArgs().Len() > 0 {
			return n.expr(types.Unalias(t))
		}
		return n.qualified(obj, nil)
	case *types.Named:
		return n.qualified(t.Obj(), t.TypeArgs())
	case *types.TypeParam:
		return ident(t.Obj().Name(), pos), true
	case *types.Pointer:
		x, ok := n.expr(t.Elem())
		return &ast.StarExpr{Star: pos, X: x}, ok
	case *types.Slice:
		x, ok := n.expr(t.Elem())
		return &ast.ArrayType{Lbrack: pos, Elt: x}, ok
	case *types.Array:
		x, ok := n.expr(t.Elem())
		return &ast.ArrayType{Lbrack: pos, Len: intLit(int(t.Len()), pos), Elt: x}, ok
	case *types.Map:
		k, ok1 := n.expr(t.Key())
		v, ok2 := n.expr(t.Elem())
		return &ast.MapType{Map: pos, Key: k, Value: v}, ok1 && ok2
	case *types.Chan:
		x, ok := n.expr(t.Elem())
		dir := ast.SEND | ast.RECV
		switch t.Dir() {
		case types.SendOnly:
			dir = ast.SEND
		case types.RecvOnly:
			dir = ast.RECV
		}
		return &ast.ChanType{Begin: pos, Arrow: pos, Dir: dir, Value: x}, ok
	case *types.Signature:
		return n.signature(t)
	case *types.Struct:
		return n.structType(t)
	case *types.Interface:
		if t.Empty() {
			return ident("any", pos), true
		}
		return nil, false
	}
	return nil, false
}

// qualified names a declared type, with its type arguments. The generic
// types of the asyncio model lose their type arguments, as the real runtime
// has none.
func (n *typeNamer) qualified(obj *types.TypeName, targs *types.TypeList) (ast.Expr, bool) {
	pos := n.pos
	pkg := obj.Pkg()
	var x ast.Expr
	switch {
	case pkg == nil: // error, comparable
		x = ident(obj.Name(), pos)
	case pkg == n.local:
		x = ident(obj.Name(), pos)
	case pkg.Path() == StubPath:
		if !obj.Exported() || stubOnly[obj.Name()] {
			return nil, false
		}
		return asyncioSel(plainName(obj.Name()), pos), true
	default:
		name, ok := n.names[pkg.Path()]
		if !ok || !obj.Exported() || name == "_" {
			return nil, false
		}
		switch name {
		case "":
			x = &ast.SelectorExpr{X: ident(pkg.Name(), pos), Sel: ident(obj.Name(), pos)}
		case ".":
			x = ident(obj.Name(), pos)
		default:
			x = &ast.SelectorExpr{X: ident(name, pos), Sel: ident(obj.Name(), pos)}
		}
	}
	if targs == nil || targs.Len() == 0 {
		return x, true
	}
	var args []ast.Expr
	for i := 0; i < targs.Len(); i++ {
		a, ok := n.expr(targs.At(i))
		if !ok {
			return nil, false
		}
		args = append(args, a)
	}
	if len(args) == 1 {
		return &ast.IndexExpr{X: x, Lbrack: pos, Index: args[0], Rbrack: pos}, true
	}
	return &ast.IndexListExpr{X: x, Lbrack: pos, Indices: args, Rbrack: pos}, true
}

// stubOnly are the names of the asyncio model that the runtime lacks.
var stubOnly = map[string]bool{modelVoid: true, modelAwaitable: true,
	modelTuple + "2": true, modelTuple + "3": true, modelTuple + "4": true,
	modelTuple + "5": true, modelTuple + "6": true, modelTuple + "7": true}

func (n *typeNamer) tupleFields(t *types.Tuple, variadic bool) (*ast.FieldList, bool) {
	fl := &ast.FieldList{Opening: n.pos, Closing: n.pos}
	for i := 0; i < t.Len(); i++ {
		v := t.At(i)
		vt := v.Type()
		var x ast.Expr
		var ok bool
		if variadic && i == t.Len()-1 {
			var e ast.Expr
			e, ok = n.expr(vt.(*types.Slice).Elem())
			x = &ast.Ellipsis{Ellipsis: n.pos, Elt: e}
		} else {
			x, ok = n.expr(vt)
		}
		if !ok {
			return nil, false
		}
		fl.List = append(fl.List, &ast.Field{Type: x})
	}
	return fl, true
}

func (n *typeNamer) signature(s *types.Signature) (ast.Expr, bool) {
	if s.TypeParams().Len() > 0 {
		return nil, false
	}
	params, ok := n.tupleFields(s.Params(), s.Variadic())
	if !ok {
		return nil, false
	}
	results, ok := n.tupleFields(s.Results(), false)
	if !ok {
		return nil, false
	}
	if len(results.List) == 0 {
		results = nil
	}
	return &ast.FuncType{Func: n.pos, Params: params, Results: results}, true
}

func (n *typeNamer) structType(s *types.Struct) (ast.Expr, bool) {
	fl := &ast.FieldList{Opening: n.pos, Closing: n.pos}
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		if !f.Exported() && f.Pkg() != n.local {
			return nil, false
		}
		x, ok := n.expr(f.Type())
		if !ok {
			return nil, false
		}
		field := &ast.Field{Type: x}
		if !f.Embedded() {
			field.Names = []*ast.Ident{ident(f.Name(), n.pos)}
		}
		if tag := s.Tag(i); tag != "" {
			field.Tag = strLit(tag, n.pos)
		}
		fl.List = append(fl.List, field)
	}
	return &ast.StructType{Struct: n.pos, Fields: fl}, true
}

// plainName returns the library's name of a type of the generic model:
// Coroutine for CoroutineOf, and so on; other names are the same.
func plainName(model string) string {
	switch model {
	case modelCoroutine:
		return libCoroutine
	case modelTask:
		return libTask
	case modelFuture:
		return libFuture
	}
	return model
}
