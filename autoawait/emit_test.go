package autoawait

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// emittedLines parses the emitted code of src and returns the user's line
// of every statement of the cell's statement runs, and the emitted text.
func emittedLines(t *testing.T, name, src string) ([]int, string) {
	t.Helper()
	c, err := cell.Parse(name, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	out, err := c.Emit()
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "emitted.go", out, parser.ParseComments)
	if err != nil {
		t.Fatalf("emitted code does not parse: %v\n%s", err, out)
	}
	var lines []int
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && isStmtsFunc(fd) {
			for _, st := range fd.Body.List {
				p := cell.UserPosition(fset.Position(st.Pos()))
				if p.Filename != name {
					t.Errorf("statement in file %q", p.Filename)
				}
				lines = append(lines, p.Line)
			}
		}
	}
	return lines, string(out)
}

func TestEmitGivesEveryStatementItsUserLine(t *testing.T) {
	src := "import \"fmt\"\n// f answers twice.\nasync func f() (int, error) { return 1, nil }\n\nn, err := await f()\nfmt.Println(n, err)\nasync func g() {}\nawait g()\n\nm := 2"
	lines, out := emittedLines(t, "cell[2]", src)
	want := []int{5, 6, 8, 10}
	if len(lines) != len(want) {
		t.Fatalf("lines %v, want %v\n%s", lines, want, out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("statement %d at line %d, want %d\n%s", i, lines[i], want[i], out)
		}
	}
	if strings.Contains(out, "/*line "+"cell[") || !strings.Contains(out, "// f answers twice.") {
		t.Errorf("comments:\n%s", out)
	}
}

func TestYaegiReportsErrorsAtTheUsersLine(t *testing.T) {
	src := "import \"fmt\"\nasync func f() (int, error) { return 1, nil }\n\nn, err := await f()\nfmt.Println(n, err)\nundefinedName()"
	c, err := cell.Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
	code, err := c.Emit()
	if err != nil {
		t.Fatal(err)
	}
	err = evalInYaegi(string(code))
	// The line is the user's; the column counts the printer's indentation.
	if err == nil || !strings.HasPrefix(cell.Positions(err.Error()), "cell[1]:6:") || !strings.Contains(err.Error(), "undefined: undefinedName") {
		t.Fatalf("error = %v, want cell[1]:6:C: undefined: undefinedName", err)
	}
}
