package modload

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// notebookGoMod is the go.mod of the test notebook (testdata/notebook).
func notebookGoMod(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "notebook", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSymbolTableShape is the probe of yaegi's conventions that
// symbols.go follows: every kind of exported name of a compiled package
// (untyped constants, variables, interfaces that interpreted types
// implement, variadic methods, fmt calling String) must work from
// interpreted code. It fails if yaegi stops honouring them.
func TestSymbolTableShape(t *testing.T) {
	l := newLoader(t, Options{GoMod: notebookGoMod(t)})
	res := load(t, l, "example.com/notebook/kinds")
	i := interpreter(t, res)
	eval(t, i, `import "example.com/notebook/kinds"`)
	eval(t, i, `import "fmt"`)
	for _, c := range []struct{ src, want string }{
		{`fmt.Sprint(kinds.Huge >> 60)`, "1024"},                                              // untyped, wider than int64
		{`fmt.Sprint(kinds.Pi * 2)`, "6.283185307179586"},                                     // untyped float
		{`fmt.Sprintf("%T %v", float32(1)+kinds.Half, float32(1)+kinds.Half)`, "float32 1.5"}, // untyped: no float64
		{`kinds.Greeting + "!"`, "hello!"},                                                    // untyped string
		{`fmt.Sprint(kinds.Yes)`, "true"},                                                     // untyped bool
		{`fmt.Sprintf("%T %v", kinds.Typed, kinds.Typed)`, "kinds.Unit 3"},                    // typed
		{`kinds.Counter += 41; fmt.Sprint(kinds.Counter)`, "42"},                              // variable, settable
	} {
		if got := eval(t, i, c.src).String(); got != c.want {
			t.Errorf("%s = %q, want %q", c.src, got, c.want)
		}
	}
	// An interpreted type passed where compiled code wants an interface
	// goes through the interface's wrapper ("_Shape"), variadic method
	// included.
	eval(t, i, `
type rect struct{ w, h float64 }

func (r rect) Area() float64 { return r.w * r.h }
func (r rect) Name() string  { return "rect" }
func (r rect) Scale(f ...float64) kinds.Shape {
	return rect{r.w * f[0], r.h * f[1]}
}

type word string

func (w word) String() string { return string(w) + ";" }
`)
	if got := eval(t, i, `kinds.Describe(rect{1, 2})`).String(); got != "rect 2.0 12.0" {
		t.Errorf("Describe(rect) = %q, want %q", got, "rect 2.0 12.0")
	}
	if got := eval(t, i, `kinds.Show(word("a"))`).String(); got != "a;" {
		t.Errorf("Show = %q, want %q", got, "a;")
	}
	// Generic functions and types, and constraints, have no value to
	// hand over: the package says which, and the interpreter does not
	// know them.
	pkg := res.Packages[0]
	if want := []string{"Number", "Pair", "Sum"}; !slices.Equal(pkg.Generic, want) {
		t.Errorf("Generic = %v, want %v", pkg.Generic, want)
	}
	if _, err := i.Eval(`kinds.Sum(1, 2, 3)`); err == nil || !strings.Contains(err.Error(), "Sum") {
		t.Errorf("calling the generic kinds.Sum: error %v, want one naming Sum", err)
	} else {
		t.Logf("a generic function in a cell: %v", err)
	}
}

// TestNotebookPackages loads a notebook's own package: compiled code
// called from the interpreter.
func TestNotebookPackages(t *testing.T) {
	l := newLoader(t, Options{GoMod: notebookGoMod(t)})
	res := load(t, l, "example.com/notebook/fib")
	i := interpreter(t, res)
	eval(t, i, `import "example.com/notebook/fib"`)
	start := time.Now()
	if got := eval(t, i, `fib.Fib(27)`).Int(); got != 196418 {
		t.Errorf("fib.Fib(27) = %d, want 196418", got)
	}
	t.Logf("fib.Fib(27), compiled, called from the interpreter: %v", time.Since(start))
	if m := res.Packages[0].Module; m.Path != "example.com/notebook" || m.Replace == nil {
		t.Errorf("module of fib: %s, want example.com/notebook replaced by its directory", m)
	}
}

// TestGenericModule loads github.com/google/btree, a module with generic
// types and functions (BTreeG[T], NewG, Less) beside plain ones (BTree,
// New, the Item interface): the plain ones work from the interpreter,
// an interpreted type implementing Item included; the generic ones are
// listed in Package.Generic and unknown to the interpreter.
func TestGenericModule(t *testing.T) {
	l := newLoader(t, Options{})
	mods, err := l.Get(context.Background(), "github.com/google/btree@v1.1.3")
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 1 || mods[0].Path != "github.com/google/btree" || mods[0].Version != "v1.1.3" {
		t.Errorf("Get returned %v", mods)
	}
	res := load(t, l, "github.com/google/btree")
	want := []string{"BTreeG", "FreeListG", "ItemIteratorG", "Less", "LessFunc", "NewFreeListG", "NewG", "NewOrderedG", "NewWithFreeListG", "Ordered"}
	if got := res.Packages[0].Generic; !slices.Equal(got, want) {
		t.Errorf("Generic = %v, want %v", got, want)
	}
	if v := res.Packages[0].Module.Version; v != "v1.1.3" {
		t.Errorf("btree loaded at %s, want v1.1.3 as Get asked", v)
	}
	i := interpreter(t, res)
	eval(t, i, `import "github.com/google/btree"`)
	eval(t, i, `
type word string

func (w word) Less(than btree.Item) bool { return w < than.(word) }

func keys() []string {
	tr := btree.New(2)
	// Not from a range loop: items that yaegi made of the loop variable
	// change in the tree as the loop goes on (with the tables of yaegi's
	// own extract too), and a word goes missing.
	tr.ReplaceOrInsert(word("pear"))
	tr.ReplaceOrInsert(word("fig"))
	tr.ReplaceOrInsert(word("apple"))
	tr.ReplaceOrInsert(word("kiwi"))
	var out []string
	tr.Ascend(func(i btree.Item) bool {
		out = append(out, string(i.(word)))
		return true
	})
	return out
}
`)
	if got := eval(t, i, `keys()`).Interface().([]string); !slices.Equal(got, []string{"apple", "fig", "kiwi", "pear"}) {
		t.Errorf("keys() = %v", got)
	}
	if got := eval(t, i, `btree.New(4).Len()`).Int(); got != 0 {
		t.Errorf("btree.New(4).Len() = %d", got)
	}
	_, err = i.Eval(`btree.NewOrderedG[int](2)`)
	if err == nil {
		t.Fatal("btree.NewOrderedG[int] worked in the interpreter; update Package.Generic's doc")
	}
	t.Logf("a generic function of a module in a cell: %v", err)
}

// TestInstances instantiates generic functions and types of a module,
// with type arguments of the language and of another module, and of the
// standard library; the interpreter calls them under their Symbol names.
func TestInstances(t *testing.T) {
	l := newLoader(t, Options{})
	if _, err := l.Get(context.Background(), "github.com/google/btree@v1.1.3"); err != nil {
		t.Fatal(err)
	}
	pkg := load(t, l, "github.com/google/btree")
	ordered := Instance{Path: "github.com/google/btree", Name: "NewOrderedG", TypeArgs: []string{"int"}}
	tree := Instance{Path: "github.com/google/btree", Name: "BTreeG", TypeArgs: []string{"uuid.UUID"}, Imports: map[string]string{"uuid": "github.com/google/uuid"}}
	index := Instance{Path: "slices", Name: "Index", TypeArgs: []string{"[]string", "string"}}
	if got, want := tree.Symbol(), "BTreeG__uuid_2e_UUID"; got != want {
		t.Errorf("Symbol() = %q, want %q", got, want)
	}
	res, err := l.Instantiate(context.Background(), []Instance{ordered, tree, index})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Instances) != 3 {
		t.Fatalf("instances: %+v", res.Instances)
	}
	i := interpreter(t, pkg)
	if err := i.Use(res.Symbols); err != nil {
		t.Fatal(err)
	}
	eval(t, i, `import "github.com/google/btree"`)
	eval(t, i, `import "fmt"`)
	eval(t, i, `
func smallest() int {
	t := btree.NewOrderedG__int(2)
	t.ReplaceOrInsert(3)
	t.ReplaceOrInsert(1)
	t.ReplaceOrInsert(2)
	v, _ := t.Min()
	return v*10 + t.Len()
}
`)
	if got := eval(t, i, `smallest()`).Int(); got != 13 {
		t.Errorf("smallest() = %d, want 13", got)
	}
	if got := eval(t, i, `fmt.Sprintf("%T", (*btree.BTreeG__uuid_2e_UUID)(nil))`); got.String() != "*btree.BTreeG[github.com/google/uuid.UUID]" {
		t.Errorf("the instance type is %s", got)
	}
	idx := res.Symbols["slices/slices"][index.Symbol()]
	if got := idx.Call([]reflect.Value{reflect.ValueOf([]string{"a", "b"}), reflect.ValueOf("b")})[0].Int(); got != 1 {
		t.Errorf("slices.Index[[]string, string] = %d", got)
	}
	again, err := l.Instantiate(context.Background(), []Instance{ordered})
	if err != nil || again.Built || len(again.Instances) != 1 {
		t.Errorf("instantiating again: %+v, %v", again, err)
	}

	// A type argument outside its constraint: the compiler says so.
	bad := Instance{Path: "github.com/google/btree", Name: "NewOrderedG", TypeArgs: []string{"[]int"}}
	failInstantiate[*GoError](t, l, []Instance{bad}, "[]int does not satisfy")
	// A name that is not generic.
	notGeneric := Instance{Path: "github.com/google/btree", Name: "New", TypeArgs: []string{"int"}}
	_, err = l.Instantiate(context.Background(), []Instance{notGeneric})
	if err == nil || !strings.Contains(err.Error(), "no exported generic function or type New") {
		t.Errorf("instantiating btree.New: %v", err)
	}
}

// TestPluginsSharePackages loads a package in one plugin, then in a
// second plugin beside another package: the process has the package
// once, with one set of variables.
func TestPluginsSharePackages(t *testing.T) {
	first := load(t, newLoader(t, Options{GoMod: notebookGoMod(t)}), "example.com/notebook/kinds")
	second := load(t, newLoader(t, Options{GoMod: notebookGoMod(t)}), "example.com/notebook/kinds", "example.com/notebook/fib")
	a := first.Symbols["example.com/notebook/kinds/kinds"]["Counter"]
	b := second.Symbols["example.com/notebook/kinds/kinds"]["Counter"]
	if a.Addr().Pointer() != b.Addr().Pointer() {
		t.Fatalf("kinds.Counter is at %#x in one plugin and %#x in the other", a.Addr().Pointer(), b.Addr().Pointer())
	}
	a.SetInt(a.Int() + 1)
	if a.Int() != b.Int() {
		t.Errorf("kinds.Counter: %d and %d", a.Int(), b.Int())
	}
}
