package cell

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/printer"
	"go/token"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The code a cell becomes for the interpreter is printed from its AST with
// line directives, so that the interpreter's errors and panics name the
// user's cell, line and column. The directives name no file (yaegi only
// resolves the imports of earlier cells in code whose directives name
// none): the line carries the cell. A cell placed in a session's Lines
// has a range of virtual lines of its own, as long as it is, and the
// session's Lines decodes them; a cell not placed (tests, tools) uses a
// fixed layout, cell N line L being the virtual line N*cellLines+L,
// which Positions decodes.

// cellLines is the number of lines reserved for each cell in the fixed
// layout, and the first virtual line of a session's Lines: virtual lines
// have at least six digits, user lines fewer.
const cellLines = 100000

// maxLine is the largest line a line directive may name (go/scanner's
// bound).
const maxLine = 1 << 30

// DirectivePattern is a regular expression matching a directive of
// printed code that places what follows it on a line and column, as
// Directive writes it.
const DirectivePattern = `/\*line :\d+:\d+\*/`

// leadingDirective matches a directive at the start of printed code.
var leadingDirective = regexp.MustCompile(`^` + DirectivePattern)

// printConf prints code for the interpreter: go/printer writes a //line
// directive wherever its output's lines leave the source's.
var printConf = printer.Config{Mode: printer.SourcePos, Tabwidth: 8}

// printerDirective matches the //line directives go/printer writes: the
// synthetic file's name and line, no column.
var printerDirective = regexp.MustCompile(`(?m)^//line (.*):(\d+)$`)

// virtualPos matches a virtual position in the interpreter's messages
// (yaegi names the source of an Eval "_.go"; that name goes too).
var virtualPos = regexp.MustCompile(`(^|[^\w\]])(?:_\.go:)?(\d{6,}):(\d+)`)

// Directive returns the directive that places the code after it at pos, a
// position in a cell not placed in a Lines ("cell[N]" its file name).
func Directive(pos token.Position) string {
	return fmt.Sprintf("/*line :%d:%d*/", virtualLine(pos.Filename, pos.Line), pos.Column)
}

// Directive returns the directive that places the code after it at pos, a
// position in c.
func (c *Cell) Directive(pos token.Position) string {
	return fmt.Sprintf("/*line :%d:%d*/", c.virtualLine(pos), pos.Column)
}

// virtualLine returns the virtual line of pos, a position in c.
func (c *Cell) virtualLine(pos token.Position) int {
	if c.base > 0 {
		return c.base + pos.Line
	}
	return virtualLine(pos.Filename, pos.Line)
}

// Print returns the source of n, a top-level declaration or statement of
// c, with directives that give every line its line in the user's cell and
// the first one its column too (columns are the user's for
// gofmt-formatted code).
func (c *Cell) Print(n ast.Node) (string, error) {
	var buf bytes.Buffer
	if err := printConf.Fprint(&buf, c.Fset, n); err != nil {
		return "", fmt.Errorf("print %s code: %w", c.Name, err)
	}
	text := buf.String()
	// go/printer gives lines of the synthetic file: shift them to the
	// user's lines (the shift is the same across one top-level node).
	start := c.Fset.Position(n.Pos())
	delta := start.Line - c.Fset.PositionFor(n.Pos(), false).Line
	first := true
	text = printerDirective.ReplaceAllStringFunc(text, func(m string) string {
		sm := printerDirective.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sm[2])
		pos := token.Position{Filename: sm[1], Line: line + delta, Column: 1}
		if first {
			first = false
			if start.IsValid() && strings.HasPrefix(text, m) {
				pos.Column = start.Column
				return c.Directive(pos)
			}
		}
		return "//line :" + strconv.Itoa(c.virtualLine(pos)) + ":1"
	})
	// The first directive was followed by a newline that now starts the
	// code on a line of its own: remove it.
	if d := LeadingDirective(text); d != "" && strings.HasPrefix(text[len(d):], "\n") {
		text = d + text[len(d)+1:]
	}
	return text, nil
}

// LeadingDirective returns the directive that code, printed by Print or
// starting with Directive's output, starts with ("" if none).
func LeadingDirective(code string) string {
	return leadingDirective.FindString(code)
}

// Emit returns c's whole file as code for the interpreter: the package
// clause, then every declaration printed by Print (the statements of the
// cell are the bodies of the functions named by StmtsFunc).
func (c *Cell) Emit() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("package main\n")
	for _, d := range c.File.Decls {
		text, err := c.Print(d)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n")
		b.WriteString(text)
		b.WriteString("\n")
	}
	return b.Bytes(), nil
}

// virtualLine encodes line L of the cell called cellName ("cell[N]") as
// the line the interpreter sees.
func virtualLine(cellName string, line int) int {
	n := 0
	if i := strings.IndexByte(cellName, '['); i >= 0 {
		n, _ = strconv.Atoi(strings.TrimSuffix(cellName[i+1:], "]"))
	}
	return n*cellLines + line
}

// Positions rewrites the virtual positions in msg, a message of the
// interpreter about printed code of cells not placed in a Lines, as the
// user's: cell[N]:L:C.
func Positions(msg string) string { return (*Lines)(nil).Positions(msg) }

// UserPosition returns the position in a cell not placed in a Lines that
// p, a position in printed code as go/parser or go/scanner reports it,
// stands for.
func UserPosition(p token.Position) token.Position { return (*Lines)(nil).UserPosition(p) }

// Lines gives each cell of a session a range of virtual lines of its
// own, as many as the cell has lines, so that a session can run cells
// numbered as high as it likes: together they may span about a billion
// lines (the bound of line directives). The zero value is not usable:
// call NewLines. A nil *Lines decodes the fixed layout of cells not
// placed. It is safe for concurrent use.
type Lines struct {
	mu     sync.RWMutex
	starts []int    // each placed cell's line 0, increasing
	names  []string // each placed cell's name
	next   int      // the first line not given yet
}

// NewLines returns a Lines with no cell placed.
func NewLines() *Lines { return &Lines{next: cellLines} }

// Place gives c a range of virtual lines: the code c prints from then on
// uses them, and l's Positions and UserPosition decode them. Each call
// takes new lines (a cell placed twice keeps the later range). It fails
// once the session's cells have used every line directives can name.
func (l *Lines) Place(c *Cell) error {
	size := strings.Count(c.Src, "\n") + 2 // lines 1..n, and one past the end
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.next+size > maxLine {
		return fmt.Errorf("%s: this session's cells have used the %d lines the interpreter can number: restart the kernel", c.Name, maxLine-cellLines)
	}
	c.base = l.next
	l.starts = append(l.starts, l.next)
	l.names = append(l.names, c.Name)
	l.next += size
	return nil
}

// decode returns the cell and line that virtual line v stands for (ok
// false when v is no virtual line).
func (l *Lines) decode(v int) (name string, line int, ok bool) {
	if v < cellLines {
		return "", 0, false
	}
	if l == nil {
		return fmt.Sprintf("cell[%d]", v/cellLines), v % cellLines, true
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	i := sort.SearchInts(l.starts, v+1) - 1 // the last start <= v
	if i < 0 || v >= l.next {
		return "", 0, false
	}
	return l.names[i], v - l.starts[i], true
}

// Positions rewrites the virtual positions in msg, a message of the
// interpreter about printed code, as the user's: cell[N]:L:C.
func (l *Lines) Positions(msg string) string {
	return virtualPos.ReplaceAllStringFunc(msg, func(m string) string {
		sm := virtualPos.FindStringSubmatch(m)
		v, _ := strconv.Atoi(sm[2])
		name, line, ok := l.decode(v)
		if !ok {
			return m
		}
		return fmt.Sprintf("%s%s:%d:%s", sm[1], name, line, sm[3])
	})
}

// UserPosition returns the position in a cell that p, a position in
// printed code as go/parser or go/scanner reports it, stands for.
func (l *Lines) UserPosition(p token.Position) token.Position {
	if name, line, ok := l.decode(p.Line); ok {
		p.Filename, p.Line = name, line
	}
	return p
}
