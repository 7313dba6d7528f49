package cell

import (
	"go/ast"
	"strings"
	"testing"
)

func kinds(c *Cell) string {
	var ks []string
	for _, it := range c.Items {
		ks = append(ks, it.Kind.String())
	}
	return strings.Join(ks, ",")
}

func TestParseMixedCellKeepsOrderAndUserPositions(t *testing.T) {
	src := "import \"fmt\"\nx := 1\n// f doubles.\nfunc f(n int) int {\n\treturn 2 * n\n}\nfmt.Println(f(x))\ntype T struct{ A int }\nfunc (t T) Get() int { return t.A }\ny := T{A: 2}.Get()"
	c, err := Parse("cell[3]", src)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(c), "imports,statements,declarations,statements,declarations,statements"; got != want {
		t.Fatalf("kinds = %s, want %s", got, want)
	}
	fd := c.Items[2].Decls[0].(*ast.FuncDecl)
	if fd.Name.Name != "f" || fd.Doc == nil || !strings.Contains(fd.Doc.Text(), "f doubles.") {
		t.Fatalf("func decl = %s, doc %v", fd.Name.Name, fd.Doc)
	}
	if p := c.Fset.Position(fd.Name.Pos()); p.Filename != "cell[3]" || p.Line != 4 || p.Column != 6 {
		t.Fatalf("position of f = %v, want cell[3]:4:6", p)
	}
	stmt := c.Items[3].Body.List[0]
	if p := c.Fset.Position(stmt.Pos()); p.Line != 7 || p.Column != 1 {
		t.Fatalf("position of Println = %v, want 7:1", p)
	}
	if len(c.Items[4].Decls) != 2 {
		t.Fatalf("type and method should be one declarations item, got %d decls", len(c.Items[4].Decls))
	}
}

func TestParseDialect(t *testing.T) {
	src := "async func fetch(u string) (int, error) {\n\tawait asyncio.Sleep(1)\n\treturn len(u), nil\n}\nn, err := await fetch(\"x\")\nawait := 3\n_ = await"
	c, err := Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Awaits) != 2 {
		t.Fatalf("awaits = %d, want 2", len(c.Awaits))
	}
	fd := c.Items[0].Decls[0].(*ast.FuncDecl)
	if !c.IsAsync(fd.Type) {
		t.Fatal("fetch should be async")
	}
	as := c.Items[1].Body.List[0].(*ast.AssignStmt)
	op, ok := c.IsAwait(as.Rhs[0])
	if !ok {
		t.Fatal("rhs should be an await")
	}
	if p := c.Fset.Position(as.Rhs[0].Pos()); p.Line != 5 || p.Column != 11 {
		t.Fatalf("await at %v, want 5:11", p)
	}
	if call, ok := op.(*ast.CallExpr); !ok || call.Fun.(*ast.Ident).Name != "fetch" {
		t.Fatalf("operand = %#v", op)
	}
}

func TestParseFuncLiteralStatementAndErrors(t *testing.T) {
	c, err := Parse("cell[2]", "func() { println(1) }()\nfunc (a int) { println(a) }(2)")
	if err != nil {
		t.Fatal(err)
	}
	if kinds(c) != "statements" {
		t.Fatalf("kinds = %s", kinds(c))
	}
	_, err = Parse("cell[9]", "x := 1\ny := x +* \n")
	if err == nil || !strings.Contains(err.Error(), "cell[9]:") {
		t.Fatalf("error = %v, want a cell[9] position", err)
	}
}

func TestParseImportAfterCodeIsHoisted(t *testing.T) {
	c, err := Parse("cell[4]", "x := 1\nimport \"time\"\n_ = time.Second")
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(c); got != "statements,imports,statements" {
		t.Fatalf("kinds = %s", got)
	}
	imp := c.Items[1].Decls[0]
	if p := c.Fset.Position(imp.Pos()); p.Line != 2 || p.Column != 1 {
		t.Fatalf("import at %v, want 2:1", p)
	}
	if c.Items[0].Body == nil || c.Items[2].Body == nil {
		t.Fatal("statement items lost their bodies")
	}
}

func TestParseLeavesNoDirectiveInComments(t *testing.T) {
	c, err := Parse("cell[5]", "import \"time\"\nasync func a() {}\n// b is documented.\nfunc b() {}\nx := time.Now()")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range c.File.Comments {
		for _, cm := range g.List {
			if strings.Contains(cm.Text, "line cell[5]") {
				t.Fatalf("directive %q left in the comments", cm.Text)
			}
		}
	}
	if fa := c.Items[1].Decls[0].(*ast.FuncDecl); fa.Doc != nil {
		t.Fatalf("a has doc %q", fa.Doc.Text())
	}
	if fb := c.Items[1].Decls[1].(*ast.FuncDecl); fb.Doc == nil || fb.Doc.Text() != "b is documented.\n" {
		t.Fatalf("b lost its doc: %v", fb.Doc)
	}
}

func TestReceiverBase(t *testing.T) {
	for src, want := range map[string]string{
		"func (t *T) M() {}": "T", "func (t T[K]) M() {}": "T", "func (t (*T)) M() {}": "T",
		"func (t *Pair[K, V]) M() {}": "Pair",
	} {
		c, err := Parse("cell[1]", src)
		if err != nil {
			t.Fatal(err)
		}
		fd := c.Items[0].Decls[0].(*ast.FuncDecl)
		if got := ReceiverBase(fd.Recv.List[0].Type); got != want {
			t.Errorf("%s: ReceiverBase = %q, want %q", src, got, want)
		}
	}
	if got := ReceiverBase(&ast.ArrayType{}); got != "" {
		t.Errorf("an array type has base %q", got)
	}
}
