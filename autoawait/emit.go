package autoawait

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"regexp"
	"strconv"
	"strings"

	"github.com/goawait/goawait/internal/cell"
)

// lineDirective matches the //line comments of printer.SourcePos output.
var lineDirective = regexp.MustCompile(`^//line (.*):(\d+)$`)

// Emit prints c's file as Go source for the interpreter, with //line
// directives that give every line its line in the user's cell.
//
// The printer's SourcePos mode alone is not enough: it writes the lines of
// the synthetic file the cell was parsed into, which count the cell
// parser's extra text. Emit follows those directives to know the synthetic
// line of every printed line, and writes the user's line instead wherever
// the numbering does not simply go on. The cell parser's /*line*/ comments
// are left out; the user's comments are kept.
func Emit(c *cell.Cell) ([]byte, error) {
	f := *c.File
	f.Comments = nil
	for _, cg := range c.File.Comments {
		if g := userComments(cg); g != nil {
			f.Comments = append(f.Comments, g)
		}
	}
	f.Decls = nil
	for _, d := range c.File.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				cp := *d
				cp.Doc = userComments(d.Doc)
				f.Decls = append(f.Decls, &cp)
				continue
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				cp := *d
				cp.Doc = userComments(d.Doc)
				f.Decls = append(f.Decls, &cp)
				continue
			}
		}
		f.Decls = append(f.Decls, d)
	}
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.SourcePos | printer.TabIndent | printer.UseSpaces, Tabwidth: 8}).Fprint(&b, c.Fset, &f); err != nil {
		return nil, fmt.Errorf("print %s: %w", c.Name, err)
	}
	tf := c.Fset.File(c.File.Pos())
	if tf == nil {
		return b.Bytes(), nil
	}
	userLine := func(synth int) int {
		if synth < 1 || synth > tf.LineCount() {
			return 0
		}
		// The end of the synthetic line is past the directive, if any,
		// that starts a piece on it.
		end := tf.Size()
		if synth < tf.LineCount() {
			end = tf.Offset(tf.LineStart(synth+1)) - 1
		}
		return c.Fset.PositionFor(tf.Pos(end), true).Line
	}
	var out bytes.Buffer
	synth, prev := 1, -1
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line == "" {
			continue
		}
		if m := lineDirective.FindStringSubmatch(strings.TrimSuffix(line, "\n")); m != nil {
			if n, err := strconv.Atoi(m[2]); err == nil {
				synth = n
			}
			continue
		}
		if u := userLine(synth); u > 0 && u != prev+1 {
			fmt.Fprintf(&out, "//line %s:%d:1\n", c.Name, u)
			prev = u
		} else {
			prev++
		}
		out.WriteString(line)
		synth++
	}
	return out.Bytes(), nil
}

// userComments returns cg without the cell parser's /*line*/ directives,
// or nil when nothing is left.
func userComments(cg *ast.CommentGroup) *ast.CommentGroup {
	var keep []*ast.Comment
	for _, cm := range cg.List {
		if !strings.HasPrefix(cm.Text, "/*line ") {
			keep = append(keep, cm)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	return &ast.CommentGroup{List: keep}
}
