package cell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// printedPositions parses code printed by Print or Emit and returns the
// user's position of every statement in it, as "cell[N]:L:C".
func printedPositions(t *testing.T, code string) []string {
	t.Helper()
	if !strings.HasPrefix(code, "package ") {
		code = "package main\nfunc f() {\n" + code + "\n}"
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "printed.go", code, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("printed code does not parse: %v\n%s", err, code)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if st, ok := n.(ast.Stmt); ok {
			if _, block := st.(*ast.BlockStmt); !block {
				p := UserPosition(fset.Position(st.Pos()))
				out = append(out, p.Filename+":"+strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Column))
			}
		}
		return true
	})
	return out
}

func TestPrintGivesEveryStatementItsUsersLineAndTheFirstItsColumn(t *testing.T) {
	src := "x := 1\n\n  if x > 0 {\n\tx++\n}\nfunc g() {}\ny := x"
	c, err := Parse("cell[12]", src)
	if err != nil {
		t.Fatal(err)
	}
	var code []string
	for _, it := range c.Items {
		if it.Kind == Stmts {
			for _, st := range it.Body.List {
				text, err := c.Print(st)
				if err != nil {
					t.Fatal(err)
				}
				code = append(code, text)
			}
		}
	}
	got := strings.Join(printedPositions(t, strings.Join(code, "\n")), " ")
	// Lines are the user's; a statement's first line has its column, the
	// lines after it the printer's (the user's for gofmt-formatted code).
	if want := "cell[12]:1:1 cell[12]:3:3 cell[12]:4:2 cell[12]:7:1"; got != want {
		t.Errorf("positions %s, want %s\n%s", got, want, strings.Join(code, "\n"))
	}
	if d := LeadingDirective(code[1]); d != "/*line :1200003:3*/" {
		t.Errorf("leading directive %q of %q", d, code[1])
	}
	if d := LeadingDirective("x := 1"); d != "" {
		t.Errorf("leading directive %q of code without one", d)
	}
}

func TestEmitPrintsTheWholeCell(t *testing.T) {
	c, err := Parse("cell[2]", "import \"fmt\"\n// f says hi.\nfunc f() { fmt.Println(\"hi\") }\nf()\n\nf()")
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Emit()
	if err != nil {
		t.Fatal(err)
	}
	// The statements are indented in their function: columns count the
	// tab.
	code := string(out)
	if strings.Contains(code, "/*line cell[") || !strings.Contains(code, "// f says hi.") {
		t.Errorf("the parser's directives are copied or the user's comments lost:\n%s", code)
	}
	if got, want := strings.Join(printedPositions(t, code), " "), "cell[2]:3:12 cell[2]:4:2 cell[2]:6:2"; got != want {
		t.Errorf("positions %s, want %s\n%s", got, want, code)
	}
}

func TestPositionsDecodesTheInterpretersMessages(t *testing.T) {
	for msg, want := range map[string]string{
		"_.go:300004:7: undefined: x":                "cell[3]:4:7: undefined: x",
		"1200010:2: panic: main.f(...)":              "cell[12]:10:2: panic: main.f(...)",
		"at 300004:7 and 300005:1, not 12345:6":      "at cell[3]:4:7 and cell[3]:5:1, not 12345:6",
		"cell[3]:4:7 is already the user's position": "cell[3]:4:7 is already the user's position",
	} {
		if got := Positions(msg); got != want {
			t.Errorf("Positions(%q) = %q, want %q", msg, got, want)
		}
	}
	if p := UserPosition(token.Position{Filename: "printed.go", Line: 300004, Column: 7}); p.Filename != "cell[3]" || p.Line != 4 || p.Column != 7 {
		t.Errorf("UserPosition = %v", p)
	}
	if d := Directive(token.Position{Filename: "cell[3]", Line: 4, Column: 7}); d != "/*line :300004:7*/" {
		t.Errorf("Directive = %q", d)
	}
}

func TestLinesNumberCellsOfAnyCountAndDecodeThem(t *testing.T) {
	l := NewLines()
	var cells []*Cell
	for _, n := range []int{3, 10738, 1 << 40} {
		c, err := Parse(fmt.Sprintf("cell[%d]", n), "x := 1\n\ny := x")
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Place(c); err != nil {
			t.Fatal(err)
		}
		cells = append(cells, c)
	}
	for _, c := range cells {
		d := c.Directive(token.Position{Filename: c.Name, Line: 3, Column: 6})
		var v, col int
		if _, err := fmt.Sscanf(d, "/*line :%d:%d*/", &v, &col); err != nil {
			t.Fatalf("directive %q: %v", d, err)
		}
		if got, want := l.Positions(fmt.Sprintf("_.go:%d:%d: undefined: z", v, col)), c.Name+":3:6: undefined: z"; got != want {
			t.Errorf("Positions = %q, want %q", got, want)
		}
		if p := l.UserPosition(token.Position{Line: v, Column: col}); p.Filename != c.Name || p.Line != 3 || p.Column != 6 {
			t.Errorf("UserPosition = %v", p)
		}
	}
	if got := l.Positions("size 123456789:1 is no position"); got != "size 123456789:1 is no position" {
		t.Errorf("a number past the placed lines changed: %q", got)
	}
	full := &Lines{next: maxLine - 2}
	if err := full.Place(cells[0]); err == nil || !strings.Contains(err.Error(), "restart the kernel") {
		t.Errorf("Place on a full Lines: %v", err)
	}
}
