package lower

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/goawait/goawait/interp/internal/reserved"
)

// TestPreludeDeclaresWhatTheLoweringsCall: the helpers Transform's
// rewrites call are declared by the prelude, under the reserved names,
// and the prelude imports the host helpers and fmt under theirs.
func TestPreludeDeclaresWhatTheLoweringsCall(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "prelude.go", "package main\n"+Prelude, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	imports := map[string]string{}
	for _, is := range f.Imports {
		imports[is.Name.Name] = strings.Trim(is.Path.Value, `"`)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			declared[fd.Name.Name] = true
		}
	}
	if imports[reserved.Runtime] != reserved.RuntimePath || imports[reserved.Fmt] != "fmt" || imports[reserved.Sort] != "sort" {
		t.Errorf("prelude imports %v", imports)
	}
	want := []string{goRecover, reserved.Prefix + "min", reserved.Prefix + "max", reserved.Prefix + "id", newOf}
	for name := range shims {
		want = append(want, reserved.Prefix+strings.Replace(name, ".", "_", 1))
	}
	for _, name := range want {
		if !declared[name] {
			t.Errorf("the prelude does not declare %s", name)
		}
	}
}
