package cell

import (
	"fmt"
	"go/ast"
	"sort"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds Parse arbitrary cells. It must never panic; the dialect
// substitution must keep every byte offset; and a cell it accepts must
// report every await and every top-level piece at the user's own line and
// column, in the cell's name.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, src string) {
		text, awaits, asyncs := Substitute(src)
		if len(text) != len(src) {
			t.Fatalf("Substitute changed the length: %d -> %d", len(src), len(text))
		}
		for _, off := range awaits {
			if src[off:off+5] != "await" || text[off:off+5] != "<-   " {
				t.Fatalf("await offset %d: src %q text %q", off, src[off:off+5], text[off:off+5])
			}
		}
		for _, off := range asyncs {
			if text[off:off+4] != "func" {
				t.Fatalf("async offset %d is not at func: %q", off, text[off:])
			}
		}
		const name = "cell[7]"
		start := time.Now()
		c, err := Parse(name, src)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("Parse of %d bytes took %v", len(src), d)
		}
		if err != nil {
			return
		}
		if c.File == nil || c.Src != src {
			t.Fatal("accepted cell without file or source")
		}
		if strings.Contains(src, "line ") {
			// The user's own //line or /*line*/ directives move
			// positions, as they do in any Go file.
			return
		}
		// Every await is where the user wrote it.
		var want, got []string
		for _, off := range awaits {
			want = append(want, lineCol(src, off))
		}
		for pos := range c.Awaits {
			p := c.Fset.Position(pos)
			if p.Filename != name {
				t.Fatalf("await reported in %q, want %q", p.Filename, name)
			}
			got = append(got, fmt.Sprintf("%d:%d", p.Line, p.Column))
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, " ") != strings.Join(got, " ") {
			t.Fatalf("awaits at %v, want %v", got, want)
		}
		// Every top-level piece is reported in the cell's name and lines.
		lines := strings.Count(src, "\n") + 1
		for i, it := range c.Items {
			if it.Line < 1 || it.Line > lines {
				t.Fatalf("item %d at line %d of a %d-line cell", i, it.Line, lines)
			}
			var nodes []ast.Node
			for _, d := range it.Decls {
				nodes = append(nodes, d)
			}
			if it.Body != nil {
				for _, s := range it.Body.List {
					nodes = append(nodes, s)
				}
			}
			for _, n := range nodes {
				p := c.Fset.Position(n.Pos())
				if p.Filename != name || p.Line < 1 || p.Line > lines {
					t.Fatalf("item %d node at %v, outside %s:1-%d", i, p, name, lines)
				}
			}
		}
	})
}

// lineCol is the 1-based "line:column" (column in bytes) of offset off in src.
func lineCol(src string, off int) string {
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndex(src[:off], "\n")
	return fmt.Sprintf("%d:%d", line, col)
}
