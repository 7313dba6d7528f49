package cell

import (
	"go/ast"
	"reflect"
)

var exprIface = reflect.TypeFor[ast.Expr]()

// skipped names the pointer types whose targets are not part of the
// syntax tree proper (the parser's deprecated object resolution, and
// comments): the walk does not enter them.
var skipped = map[string]bool{"*ast.Object": true, "*ast.Scope": true, "*ast.CommentGroup": true}

// ReplaceExprs visits every expression below root, children before their
// parent, and stores f's answer in place of the expression. f returns its
// argument to keep it.
func ReplaceExprs(root ast.Node, f func(ast.Expr) ast.Expr) {
	walkValue(reflect.ValueOf(root), f)
}

func walkValue(v reflect.Value, f func(ast.Expr) ast.Expr) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		walkField(v.Field(i), f)
	}
}

func walkField(fv reflect.Value, f func(ast.Expr) ast.Expr) {
	switch fv.Kind() {
	case reflect.Interface:
		if fv.IsNil() {
			return
		}
		walkValue(fv.Elem(), f)
		if fv.Type() == exprIface && fv.CanSet() {
			fv.Set(reflect.ValueOf(f(fv.Interface().(ast.Expr))))
		}
	case reflect.Pointer:
		if skipped[fv.Type().String()] {
			return
		}
		walkValue(fv, f)
	case reflect.Slice:
		for j := 0; j < fv.Len(); j++ {
			walkField(fv.Index(j), f)
		}
	}
}
