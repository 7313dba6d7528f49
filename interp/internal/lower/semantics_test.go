package lower

import (
	"go/ast"
	"go/printer"
	"go/token"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// names is a Names for tests: earlier cells declared the types in types
// and imported the packages in pkgs.
type names struct{ types, pkgs map[string]bool }

func (n names) Shadowed(name string) bool { return n.types[name] }
func (n names) Type(name string) bool     { return n.types[name] }
func (n names) Package(name string) bool  { return n.pkgs[name] }

// lowered parses src as a cell, transforms it and returns the printed
// statements' function and declarations (without line directives).
func lowered(t *testing.T, src string, n Names) string {
	t.Helper()
	c, err := cell.Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	Transform(c.File, n)
	var b strings.Builder
	for _, d := range c.File.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		if err := printer.Fprint(&b, token.NewFileSet(), d); err != nil {
			t.Fatal(err)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestNewOfValueTellsTypesFromValues(t *testing.T) {
	got := lowered(t, `type local struct{}
func g[T any]() *T { return new(T) }
a := new(int)
b := new(local)
c := new(earlier)
d := new([]int)
e := new(os.File)
f := new(42)
h := new(x + 1)
i := new(local{})`, names{types: map[string]bool{"earlier": true}})
	for _, keep := range []string{"new(T)", "new(int)", "new(local)", "new(earlier)", "new([]int)", "new(os.File)"} {
		if !strings.Contains(got, keep) {
			t.Errorf("%s was rewritten:\n%s", keep, got)
		}
	}
	for _, want := range []string{"func(__goawait_v int) *int {", "(42)", newOf + "(x + 1)", "func(__goawait_v local) *local {"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in:\n%s", want, got)
		}
	}
}

func TestPackageVarsGoThroughTheirAddress(t *testing.T) {
	got := lowered(t, `import "flag"
os.Args = nil
flag.Usage = nil
os.Args, p.X = nil, 1
counter.N++
v := struct{ X int }{}
v.X = 2`, names{pkgs: map[string]bool{"os": true, "counter": true}})
	for _, want := range []string{"*&os.Args = nil", "*&flag.Usage = nil", "*&os.Args, p.X = nil, 1", "*&counter.N++", "v.X = 2"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s in:\n%s", want, got)
		}
	}
}

func TestNestedDefinesRunInTheirOwnFunction(t *testing.T) {
	got := lowered(t, `for _, s := range xs {
	n, err := strconv.Atoi(s)
	_, _ = n, err
}
for _, s := range xs {
	n := len(s)
	_ = n
}
for {
	a, b := f()
	_, _ = a, b
	goto out
}
out:
n, err := strconv.Atoi("1")`, names{})
	if strings.Count(got, "func() {") != 1 {
		t.Fatalf("want only the first loop in a function of its own:\n%s", got)
	}
	_, wrapped, _ := strings.Cut(got, "func() {")
	wrapped, _, _ = strings.Cut(wrapped, "}()")
	if !strings.Contains(wrapped, "strconv.Atoi(s)") {
		t.Fatalf("the first loop is not wrapped:\n%s", got)
	}
}
