package interp

import (
	"fmt"
	"go/scanner"
	"go/token"
	"sort"
	"strings"

	"github.com/goawait/goawait/language"
)

// Magics are IPython's notebook commands, in goawait: a line starting
// with % (a line magic, `%time f()`) or ! (a shell command), or a cell
// whose first line starts with %% (a cell magic, `%%html`). Neither is
// valid Go, so such lines are taken out before the Go is parsed: a cell
// is cut into runs of Go and magic lines, run in order. A line counts as
// a magic only at column 1 and outside brackets.

// magicCall is what a magic gets: its argument text, the cell's name and
// line (for Go it runs), and where to send output.
type magicCall struct {
	s    *Session
	arg  string
	name string // cell name, e.g. "cell[3]"
	line int    // line of the magic in the cell (1-based)
	out  language.Publisher
	res  *language.ExecuteResult
}

// magic is one line or cell magic.
type magic struct {
	usage string // e.g. "%time <statement>"
	doc   string // one line
	run   func(m *magicCall) *language.ExecError
}

// lineMagics and cellMagics are filled by the files that define them.
var (
	lineMagics = map[string]magic{}
	cellMagics = map[string]magic{}
)

// stdout and stderr write to the magic's publisher.
func (m *magicCall) stdout(format string, a ...any) {
	m.out.Stream("stdout", fmt.Sprintf(format, a...))
}
func (m *magicCall) stderr(format string, a ...any) {
	m.out.Stream("stderr", fmt.Sprintf(format, a...))
}

// goCode returns Go code placed at the magic's line, so that error
// positions name the user's line.
func (m *magicCall) goCode(code string) string {
	return strings.Repeat("\n", max(0, m.line-1)) + code
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
	if openBrackets(code) > 0 {
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

// executeCell runs a cell's code: plain Go, or Go and magics.
func (s *Session) executeCell(name, code string, out language.Publisher, res *language.ExecuteResult) *language.ExecError {
	if first, body, ok := strings.Cut(code, "\n"); strings.HasPrefix(code, "%%") {
		if !ok {
			body = ""
		}
		word, arg, _ := strings.Cut(strings.TrimSpace(first[2:]), " ")
		mg, known := cellMagics[word]
		if !known {
			return unknownMagic("%%" + word)
		}
		s.takeResult()
		return mg.run(&magicCall{s: s, arg: strings.TrimSpace(arg) + "\n" + body, name: name, line: 2, out: out, res: res})
	}
	segs, ok := splitMagics(code)
	if !ok {
		return s.execute(name, code)
	}
	for _, sg := range segs {
		if !sg.magic {
			if err := s.execute(name, sg.text); err != nil {
				return err
			}
			continue
		}
		if err := s.lineMagic(name, sg, out, res); err != nil {
			return err
		}
	}
	return nil
}

// lineMagic runs one magic line.
func (s *Session) lineMagic(name string, sg segment, out language.Publisher, res *language.ExecuteResult) *language.ExecError {
	call := &magicCall{s: s, name: name, line: sg.line, out: out, res: res}
	if strings.HasPrefix(sg.text, "!") {
		s.takeResult()
		call.arg = strings.TrimSpace(sg.text[1:])
		return shellMagic(call)
	}
	word, arg, _ := strings.Cut(strings.TrimSpace(sg.text[1:]), " ")
	mg, ok := lineMagics[word]
	if !ok {
		return unknownMagic("%" + word)
	}
	if word != "time" && word != "timeit" {
		s.takeResult() // a magic is the cell's last word: no earlier value
	}
	call.arg = strings.TrimSpace(arg)
	return mg.run(call)
}

// magicNames lists the magics: line magics, then cell magics.
func magicNames() []string {
	var names []string
	for n := range lineMagics {
		names = append(names, "%"+n)
	}
	sort.Strings(names)
	var cells []string
	for n := range cellMagics {
		cells = append(cells, "%%"+n)
	}
	sort.Strings(cells)
	return append(append(names, "!command"), cells...)
}

// unknownMagic is the error of a magic that does not exist.
func unknownMagic(name string) *language.ExecError {
	msg := fmt.Sprintf("unknown magic %s; known magics: %s", name, strings.Join(magicNames(), ", "))
	return &language.ExecError{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}
}

// usageError is the error of a magic called with bad arguments.
func usageError(mg string, format string, a ...any) *language.ExecError {
	msg := fmt.Sprintf(format, a...)
	if u, ok := lineMagics[strings.TrimPrefix(mg, "%")]; ok {
		msg += " (usage: " + u.usage + ")"
	}
	return &language.ExecError{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}
}

// magicCompleteness is IsComplete for code with magics: a cell magic is
// always complete, magic lines are; the Go around them decides.
func magicCompleteness(code string) (goCode string, complete bool) {
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
