// Package magic holds goawait's magics, IPython's notebook commands: a
// line starting with % (a line magic, `%time f()`) or ! (a shell command),
// or a cell whose first line starts with %% (a cell magic, `%%html`).
//
// A Magic is a value registered into a Registry; a session is given one
// (Standard has the built-in magics) and hands every cell to its Run,
// which cuts the cell into runs of Go and magic lines and runs them in
// order: the Go through the Session interface, which is what magics see
// of the session.
package magic

import (
	"fmt"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/language"
)

// Magic is one magic command.
type Magic struct {
	// Name is the word after % (a line magic) or %% (a cell magic),
	// e.g. "time".
	Name string
	// Cell makes it a cell magic: written `%%name args` on a cell's first
	// line, it gets the whole cell.
	Cell bool
	// Usage shows how it is written ("%time <statement>"); Doc says what
	// it does, in one line.
	Usage, Doc string
	// ShowsValue says that the magic runs Go whose last value the cell
	// shows (%time x): the value of the Go before it is not dropped. Other
	// line magics are the cell's last word.
	ShowsValue bool
	// Run runs the magic.
	Run func(c *Call) *language.ExecError
}

// Call is one use of a magic.
type Call struct {
	// Arg is what follows the magic's name on its line, trimmed; for a
	// cell magic, that, a newline and the rest of the cell.
	Arg string
	// Cell is the name of the cell ("cell[3]"), Line the magic's line in
	// it (1-based); for a cell magic, Line is the body's first line.
	Cell string
	Line int
	// Out receives the magic's output; Result is the reply of the cell
	// (a magic may add payloads).
	Out    language.Publisher
	Result *language.ExecuteResult
	// Session runs the cell; Registry holds the magics it knows.
	Session  Session
	Registry *Registry
}

// Session is what magics use of the session that runs them.
type Session interface {
	// RunGo runs Go code (without magics) as part of the cell called
	// cell, whose lines it keeps (GoCode places code at the magic's line).
	RunGo(cell, code string) *language.ExecError
	// DropResult forgets the value the Go run so far left to show.
	DropResult()
	// Variables lists the session's variables, sorted by name.
	Variables() []Variable
	// Stopwatch is the clock of timing loops; the session gives its
	// Exports to the interpreter.
	Stopwatch() *Stopwatch
	// RunShell runs script with shell (sh, bash) in the kernel's working
	// directory, its output streaming to the cell, until it ends or the
	// cell is interrupted (the command is then killed and err says so).
	// status describes how the command failed ("exit status 3"), if it did.
	RunShell(shell, script string) (status string, err *language.ExecError)
	// Modules is the session's module loading (%go); nil when the
	// session cannot import modules.
	Modules() Modules
}

// Variable is a variable of the session.
type Variable struct {
	Name string
	// Value is its value (invalid when the interpreter cannot list it).
	Value reflect.Value
	// Decl is its declaration, as the cell wrote it.
	Decl string
}

// Stdout writes to the magic's standard output.
func (c *Call) Stdout(format string, a ...any) {
	c.Out.Stream("stdout", fmt.Sprintf(format, a...))
}

// Stderr writes to the magic's standard error.
func (c *Call) Stderr(format string, a ...any) {
	c.Out.Stream("stderr", fmt.Sprintf(format, a...))
}

// GoCode returns Go code placed at the magic's line, so that error
// positions name the user's line.
func (c *Call) GoCode(code string) string {
	return strings.Repeat("\n", max(0, c.Line-1)) + code
}

// UsageError is the error of the magic called name (with its % or %%)
// used the wrong way: the message, then how to use it.
func (c *Call) UsageError(name, format string, a ...any) *language.ExecError {
	msg := fmt.Sprintf(format, a...)
	if m, ok := c.Registry.line[strings.TrimPrefix(name, "%")]; ok {
		msg += " (usage: " + m.Usage + ")"
	}
	return usageError(msg)
}

// Registry is a set of magics.
type Registry struct {
	line, cell map[string]Magic
}

// NewRegistry returns a registry with the magics ms.
func NewRegistry(ms ...Magic) *Registry {
	r := &Registry{line: map[string]Magic{}, cell: map[string]Magic{}}
	r.Register(ms...)
	return r
}

// Register adds magics to r; one of the same name and kind replaces the
// one r had.
func (r *Registry) Register(ms ...Magic) {
	for _, m := range ms {
		if m.Cell {
			r.cell[m.Name] = m
		} else {
			r.line[m.Name] = m
		}
	}
}

// Names lists the magics as they are written: line magics, then
// !command, then cell magics, each sorted.
func (r *Registry) Names() []string {
	var names []string
	for n := range r.line {
		names = append(names, "%"+n)
	}
	sort.Strings(names)
	var cells []string
	for n := range r.cell {
		cells = append(cells, "%%"+n)
	}
	sort.Strings(cells)
	return append(append(names, "!command"), cells...)
}

// Run runs a cell's code, called name: plain Go through s, or Go and
// magics, in order. out and res are the cell's publisher and reply.
func (r *Registry) Run(s Session, name, code string, out language.Publisher, res *language.ExecuteResult) *language.ExecError {
	call := func(line int) *Call {
		return &Call{Cell: name, Line: line, Out: out, Result: res, Session: s, Registry: r}
	}
	if first, body, ok := strings.Cut(code, "\n"); strings.HasPrefix(code, "%%") {
		if !ok {
			body = ""
		}
		word, arg, _ := strings.Cut(strings.TrimSpace(first[2:]), " ")
		m, known := r.cell[word]
		if !known {
			return r.unknown("%%" + word)
		}
		s.DropResult()
		c := call(2)
		c.Arg = strings.TrimSpace(arg) + "\n" + body
		return m.Run(c)
	}
	segs, ok := splitMagics(code)
	if !ok {
		return s.RunGo(name, code)
	}
	for _, sg := range segs {
		if !sg.magic {
			if err := s.RunGo(name, sg.text); err != nil {
				return err
			}
			continue
		}
		if err := r.runLine(call(sg.line), sg.text); err != nil {
			return err
		}
	}
	return nil
}

// runLine runs one magic line.
func (r *Registry) runLine(c *Call, line string) *language.ExecError {
	if rest, ok := strings.CutPrefix(line, "!"); ok {
		c.Session.DropResult()
		c.Arg = strings.TrimSpace(rest)
		return shellCommand(c)
	}
	word, arg, _ := strings.Cut(strings.TrimSpace(line[1:]), " ")
	m, ok := r.line[word]
	if !ok {
		return r.unknown("%" + word)
	}
	if !m.ShowsValue {
		c.Session.DropResult() // a magic is the cell's last word: no earlier value
	}
	c.Arg = strings.TrimSpace(arg)
	return m.Run(c)
}

// unknown is the error of a magic that does not exist.
func (r *Registry) unknown(name string) *language.ExecError {
	return usageError(fmt.Sprintf("unknown magic %s; known magics: %s", name, strings.Join(r.Names(), ", ")))
}

func usageError(msg string) *language.ExecError {
	return &language.ExecError{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}
}

// segment is a run of a cell: Go lines or one magic line.
type segment struct {
	magic bool
	text  string // Go: the lines, padded to their place; magic: the line
	line  int    // first line (1-based)
}

// isMagicLine tells whether line starts a magic or a shell command.
func isMagicLine(line string) bool {
	return strings.HasPrefix(line, "%") || strings.HasPrefix(line, "!")
}

// splitMagics cuts code into segments; ok is false when it has no magic.
// A line counts as a magic only at column 1 and outside brackets.
func splitMagics(code string) (segs []segment, ok bool) {
	lines := strings.Split(code, "\n")
	var goLines []string
	goStart := 1
	flush := func(next int) {
		if strings.TrimSpace(strings.Join(goLines, "\n")) != "" {
			segs = append(segs, segment{text: strings.Repeat("\n", goStart-1) + strings.Join(goLines, "\n"), line: goStart})
		}
		goLines, goStart = nil, next
	}
	for i, l := range lines {
		if isMagicLine(l) && goLineEnds(strings.Join(goLines, "\n")) {
			flush(i + 2)
			segs = append(segs, segment{magic: true, text: l, line: i + 1})
			ok = true
			continue
		}
		goLines = append(goLines, l)
	}
	flush(0)
	return segs, ok
}

// goLineEnds tells whether Go code ends where a new statement may start:
// no bracket left open and no raw string or comment left unterminated.
func goLineEnds(code string) bool {
	if cell.OpenBrackets(code) > 0 {
		return false
	}
	var sc scanner.Scanner
	fset := token.NewFileSet()
	unterminated := false
	sc.Init(fset.AddFile("", -1, len(code)), []byte(code), func(_ token.Position, msg string) {
		if strings.Contains(msg, "not terminated") {
			unterminated = true
		}
	}, scanner.ScanComments)
	for {
		if _, tok, _ := sc.Scan(); tok == token.EOF {
			return !unterminated
		}
	}
}

// Completeness is is_complete for code with magics: a cell magic is
// always complete, and so are magic lines. It returns the Go around the
// magic lines, which decides, and complete true when there is none.
func Completeness(code string) (goCode string, complete bool) {
	if strings.HasPrefix(code, "%%") {
		return "", true
	}
	segs, ok := splitMagics(code)
	if !ok {
		return code, false
	}
	var b strings.Builder
	for _, sg := range segs {
		if !sg.magic {
			b.WriteString(sg.text)
			b.WriteString("\n")
		}
	}
	return b.String(), strings.TrimSpace(b.String()) == ""
}
