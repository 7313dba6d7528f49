package autoawait

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// FuzzRewrite feeds the rewriter arbitrary cells: every cell the cell
// parser accepts goes through Rewrite and, when that succeeds, Emit. Neither
// may panic on any input, and what Emit prints must be Go that parses (it is
// what the interpreter is given). Each input is also run as the second cell
// of a session whose first cell declared async functions, so that the
// rewriter's memory of earlier cells is exercised.
func FuzzRewrite(f *testing.F) {
	const first = "import (\"fmt\"; \"time\")\nasync func fetch(u string) (int, error) { await asyncio.Sleep(time.Millisecond); return len(u), nil }\nasync func hello() { fmt.Println(\"hello\") }\ntype T struct{ n int }\nasync func (t *T) Inc() int { t.n++; return t.n }"
	f.Fuzz(func(t *testing.T, src string) {
		c, err := cell.Parse("cell[1]", src)
		if err != nil {
			return
		}
		rewriteAndEmit(t, newTestRewriter(), c)

		r := newTestRewriter()
		c0, err := cell.Parse("cell[1]", first)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Rewrite(c0); err != nil {
			t.Fatalf("first cell: %v", err)
		}
		c, err = cell.Parse("cell[2]", src)
		if err != nil {
			t.Fatal(err) // it parsed above
		}
		rewriteAndEmit(t, r, c)
	})
}

// rewriteAndEmit rewrites c with r, emits it and checks that the emitted
// code parses.
func rewriteAndEmit(t *testing.T, r *Rewriter, c *cell.Cell) {
	t.Helper()
	if err := r.Rewrite(c); err != nil {
		return
	}
	out, err := c.Emit()
	if err != nil {
		return
	}
	if strings.Contains(c.Src, "line ") {
		return // the user's own line directives may make the output unparsable
	}
	if _, err := parser.ParseFile(token.NewFileSet(), c.Name, out, parser.SkipObjectResolution); err != nil {
		t.Fatalf("emitted code does not parse: %v\ncell:\n%s\nemitted:\n%s", err, c.Src, out)
	}
}
