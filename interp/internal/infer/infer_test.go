package infer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/modload"
)

// fakeSession holds variables and one compiled package, example.com/lib.
type fakeSession struct {
	globals map[string]reflect.Value
	lib     *types.Package
}

func (f fakeSession) Globals() map[string]reflect.Value { return f.globals }

func (f fakeSession) Types(paths []string) (map[string]*types.Package, error) {
	return map[string]*types.Package{f.lib.Path(): f.lib}, nil
}

// newFake type-checks example.com/lib, which declares a generic Map.
func newFake(t *testing.T, globals map[string]reflect.Value) fakeSession {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "lib.go", `package lib
func Map[T, U any](xs []T, f func(T) U) []U { return nil }`, 0)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := (&types.Config{}).Check("example.com/lib", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fakeSession{globals: globals, lib: lib}
}

// callsIn parses a cell and returns its calls of lib.Map.
func callsIn(t *testing.T, src string) (*token.FileSet, *ast.File, []Call) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var calls []Call
	ast.Inspect(f, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Map" {
				calls = append(calls, Call{Expr: c, Sel: sel, Pkg: modload.Package{Path: "example.com/lib", Name: "lib"}})
			}
		}
		return true
	})
	return fset, f, calls
}

// TestTypeArgsFromSessionVariables: the type arguments come from the
// types of the session's variables, as Go infers them.
func TestTypeArgsFromSessionVariables(t *testing.T) {
	s := newFake(t, map[string]reflect.Value{"xs": reflect.ValueOf([]int{1})})
	fset, f, calls := callsIn(t, `package main
func main() { _ = lib.Map(xs, func(int) string { return "" }) }`)
	got, err := TypeArgs(s, fset, f, calls, map[string]string{"lib": "example.com/lib"})
	if err != nil {
		t.Fatal(err)
	}
	want := []modload.Instance{{Path: "example.com/lib", Name: "Map", TypeArgs: []string{"int", "string"}, Imports: map[string]string{}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("TypeArgs = %+v, want %+v", got, want)
	}
}

// TestTypeArgsOfCellVariableIsAnError: a variable declared in the same
// cell has no type yet; the error names it.
func TestTypeArgsOfCellVariableIsAnError(t *testing.T) {
	s := newFake(t, map[string]reflect.Value{"xs": reflect.ValueOf([]int{1})})
	fset, f, calls := callsIn(t, `package main
func main() { ys := []int{2}; _ = lib.Map(ys, func(int) string { return "" }) }`)
	_, err := TypeArgs(s, fset, f, calls, map[string]string{"lib": "example.com/lib"})
	if err == nil || !strings.Contains(err.Error(), "ys is declared in this cell") {
		t.Fatalf("err = %v, want one saying ys is declared in this cell", err)
	}
}

// TestTypeArgsErrorHasThePosition: an error of go/types carries the
// position of the call's fault.
func TestTypeArgsErrorHasThePosition(t *testing.T) {
	s := newFake(t, map[string]reflect.Value{"xs": reflect.ValueOf([]int{1})})
	fset, f, calls := callsIn(t, `package main
func main() { _ = lib.Map(xs, 3) }`)
	_, err := TypeArgs(s, fset, f, calls, map[string]string{"lib": "example.com/lib"})
	if err == nil {
		t.Fatal("no error for lib.Map(xs, 3)")
	}
	if p := Pos(err); p < calls[0].Expr.Pos() || p >= calls[0].Expr.End() {
		t.Fatalf("Pos(%v) = %v, not inside the call [%v, %v)", err, p, calls[0].Expr.Pos(), calls[0].Expr.End())
	}
}
