package plan

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
)

// fakeHost has the host packages fmt and strconv, and no globals.
type fakeHost struct{ globals map[string]reflect.Value }

func (h fakeHost) Globals() map[string]reflect.Value { return h.globals }
func (h fakeHost) Symbols(p string) map[string]reflect.Value {
	return map[string]map[string]reflect.Value{
		"fmt":     {"Println": reflect.ValueOf(fmt.Println), "Sprint": reflect.ValueOf(fmt.Sprint)},
		"strconv": {"Atoi": reflect.ValueOf(strconv.Atoi)},
	}[p]
}
func (h fakeHost) PackageName(p string) string { return p }

// planCell parses, lowers and plans src as the session does.
func planCell(t *testing.T, st *State, name, src string) []Chunk {
	t.Helper()
	c, err := cell.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	AutoImport(c, st, fakeHost{})
	lower.Transform(c.File, st.Names(c))
	chunks, err := Plan(c, st, fakeHost{})
	if err != nil {
		t.Fatal(err)
	}
	return chunks
}

func commit(chunks []Chunk) {
	for _, ch := range chunks {
		if ch.Commit != nil {
			ch.Commit()
		}
	}
}

func TestPlanCutsACellIntoChunksAndRecordsItsNames(t *testing.T) {
	st := NewState()
	chunks := planCell(t, st, "cell[1]", "import \"fmt\"\nx := 1\n// f gives x.\nfunc f() int { return x }\nfmt.Println(f())\nstrconv.Atoi(\"7\")")
	// strconv is imported automatically, in a chunk of its own.
	if len(chunks) != 5 {
		t.Fatalf("%d chunks, want imports (twice), statements, declarations, statements", len(chunks))
	}
	if !strings.HasSuffix(chunks[0].Src, `import "strconv"`+"\n") || !strings.HasSuffix(chunks[1].Src, `import "fmt"`+"\n") {
		t.Errorf("imports chunks %q, %q", chunks[0].Src, chunks[1].Src)
	}
	all := chunks
	chunks = chunks[1:]
	if !strings.HasPrefix(chunks[1].Src, ";") || !strings.HasPrefix(chunks[3].Src, ";") || strings.HasPrefix(chunks[2].Src, ";") {
		t.Errorf("statement chunks start with \";\", declarations do not: %+v", chunks)
	}
	// The last value: strconv.Atoi has two results, so Show2 shows its
	// error; the plain statement is the alternative if that fails.
	last := chunks[3]
	if !strings.Contains(last.Src, reserved.Runtime+"."+reserved.Show2+"(") || len(last.Alts) != 1 || strings.Contains(last.Alts[0], reserved.Show2) {
		t.Errorf("last value chunk %q, alternatives %q", last.Src, last.Alts)
	}
	if len(st.Decls) != 0 || st.Imports["fmt"] != "" {
		t.Fatalf("planning changed the state: %v %v", st.Decls, st.Imports)
	}
	commit(all)
	if d := st.Decls["f"]; d == nil || d.Kind != lower.Func || d.Results != 1 || d.Doc != "f gives x.\n" || !d.Refs["x"] || d.Line != 4 {
		t.Errorf("f recorded as %+v", d)
	}
	if d := st.Decls["x"]; d == nil || d.Kind != lower.Var || d.Sig != "x := 1" {
		t.Errorf("x recorded as %+v", d)
	}
	if st.Imports["fmt"] != "fmt" || st.Imports["strconv"] != "strconv" {
		t.Errorf("imports %v", st.Imports)
	}

	// A later cell: no import again, x declared again, f redefined.
	chunks = planCell(t, st, "cell[2]", "import \"fmt\"\nx := 2\nfunc f() int { return x + 1 }\nfunc g() int { return f() }")
	if len(chunks) != 2 {
		t.Fatalf("%d chunks, want statements and declarations: %+v", len(chunks), chunks)
	}
	if rd := chunks[0].Redecl; rd == nil || !reflect.DeepEqual(rd.Names, []string{"x"}) || rd.Marks["x"] != 1 {
		t.Errorf("the statements' Redecl %+v", rd)
	}
	if rd := chunks[1].Redecl; rd == nil || !reflect.DeepEqual(rd.Redefined, []string{"f"}) || !rd.CellFuncs["g"] {
		t.Errorf("the declarations' Redecl %+v", rd)
	}
	commit(chunks)
	if deps := st.Dependents(map[string]bool{"x": true}, nil); !reflect.DeepEqual(deps, []string{"f", "g"}) {
		t.Errorf("dependents of x: %v", deps)
	}
	// A type declared again with another text is refused.
	commit(planCell(t, st, "cell[3]", "type T struct{ A int }"))
	c, _ := cell.Parse("cell[4]", "type T struct{ B int }")
	if _, err := Plan(c, st, fakeHost{}); err == nil || !strings.Contains(err.Error(), "type T is already defined in cell[3]") {
		t.Errorf("redefined type: %v", err)
	}
}

func TestAutoImportNeverTakesANameTheSessionKnows(t *testing.T) {
	st := NewState()
	st.Decls["strings"] = &Decl{Name: "strings", Kind: lower.Var}
	c, err := cell.Parse("cell[1]", "x, _ := strconv.Atoi(strings.ToUpper(\"a\"))\nfmt.Nope()")
	if err != nil {
		t.Fatal(err)
	}
	// fmt has no Nope: not imported; strings is a variable of the
	// session.
	if got := AutoImport(c, st, fakeHost{}); !reflect.DeepEqual(got, []string{"strconv"}) {
		t.Errorf("imported %v", got)
	}
}
