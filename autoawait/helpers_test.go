package autoawait

import (
	"bytes"
	"go/format"
	"go/printer"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// lineComment matches the cell's /*line*/ directives.
var lineComment = regexp.MustCompile(`/\*line [^*]*\*/\n?`)

// body returns the printed cell after its imports.
func body(printed string) string {
	lines := strings.Split(printed, "\n")
	i := 0
	for i < len(lines) {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "import ("):
			for i < len(lines) && lines[i] != ")" {
				i++
			}
			i++
		case strings.HasPrefix(l, "import "), l == "":
			i++
		default:
			return strings.TrimSpace(strings.Join(lines[i:], "\n"))
		}
	}
	return ""
}

// sharedImporter keeps the standard library loaded across tests.
var sharedImporter = sync.OnceValue(NewImporter)

func newTestRewriter() *Rewriter {
	return NewRewriter(Options{Importer: sharedImporter()})
}

// rewriteCell parses src as cell name, rewrites it and returns the printed,
// gofmt'd file without its package clause.
func rewriteCell(t *testing.T, r *Rewriter, name, src string) (*cell.Cell, string) {
	t.Helper()
	c, err := cell.Parse(name, src)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	if err := r.Rewrite(c); err != nil {
		t.Fatalf("rewrite %s: %v", name, err)
	}
	return c, printCell(t, c)
}

func printCell(t *testing.T, c *cell.Cell) string {
	t.Helper()
	var b bytes.Buffer
	f := *c.File
	f.Comments = nil // the cell's line directives
	if err := (&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, c.Fset, &f); err != nil {
		t.Fatal(err)
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("emitted code does not parse: %v\n%s", err, b.String())
	}
	s := lineComment.ReplaceAllString(string(out), "")
	s = strings.TrimPrefix(s, "package main\n")
	return strings.TrimSpace(s)
}
