package asyncmodel

import (
	"bytes"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/autoawait/asyncio"
)

// generated runs Generate once for the tests of this file.
var generated = func() func(t *testing.T) Files {
	var once sync.Once
	var files Files
	var err error
	return func(t *testing.T) Files {
		t.Helper()
		once.Do(func() { files, err = Generate() })
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
}()

func TestCommittedModelsAreUpToDate(t *testing.T) {
	files := generated(t)
	for path, want := range map[string][]byte{GenericPath: files.Generic, PlainPath: files.Plain} {
		got, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("autoawait/%s is stale: the asyncio library changed; run go generate ./autoawait", path)
		}
	}
}

// topLevel returns the names a model declares at top level (no methods).
func topLevel(t *testing.T, src []byte) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "model.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("asyncio", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, n := range pkg.Scope().Names() {
		names[n] = true
	}
	return names
}

func exported() map[string]bool {
	names := map[string]bool{}
	for name := range asyncio.NewRuntime(asyncio.Options{}).Exports()[asyncio.ExportPath] {
		names[name] = true
	}
	return names
}

// diff lists the names in a and not in b.
func diff(a, b map[string]bool) []string {
	var out []string
	for n := range a {
		if !b[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func TestPlainModelDeclaresExactlyTheExports(t *testing.T) {
	model, lib := topLevel(t, generated(t).Plain), exported()
	if missing := diff(lib, model); len(missing) > 0 {
		t.Errorf("exported but not in the plain model: %s", strings.Join(missing, ", "))
	}
	if extra := diff(model, lib); len(extra) > 0 {
		t.Errorf("in the plain model but not exported: %s", strings.Join(extra, ", "))
	}
}

func TestGenericModelDeclaresTheExportsAndItsOwnNames(t *testing.T) {
	model, lib := topLevel(t, generated(t).Generic), exported()
	own := map[string]bool{Void: true, Unknown: true, Awaitable: true, CoroutineOf: true, TaskOf: true, FutureOf: true}
	for n := 2; n <= MaxTuple; n++ {
		own[TuplePrefix+strconv.Itoa(n)] = true
		own["Await"+strconv.Itoa(n)] = true
	}
	for name := range own {
		if !model[name] {
			t.Errorf("the generic model does not declare %s, which package autoawait relies on", name)
		}
	}
	if missing := diff(lib, model); len(missing) > 0 {
		t.Errorf("exported but not in the generic model: %s", strings.Join(missing, ", "))
	}
	for _, n := range diff(model, lib) {
		if !own[n] {
			t.Errorf("the generic model declares %s, which is neither exported nor one of its own names", n)
		}
	}
}

func TestATypedDeclarationThatDriftsFailsGeneration(t *testing.T) {
	saved := typed["Sleep"]
	defer func() { typed["Sleep"] = saved }()
	typed["Sleep"] = typedDecl{decl: "func Sleep(d int) *CoroutineOf[Void]"}
	_, err := Generate()
	if err == nil || !strings.Contains(err.Error(), "Sleep") {
		t.Fatalf("Generate with a Sleep that takes an int: err = %v, want one about Sleep", err)
	}
}
