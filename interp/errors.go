package interp

import (
	"errors"
	"fmt"
	"go/scanner"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/internal/stdlib"
	"github.com/goawait/goawait/interp/internal/yaegix"
	"github.com/goawait/goawait/language"
)

// errorPos matches "file:line:col: message" (file optional).
var errorPos = regexp.MustCompile(`^(?:(\S*?):)?(\d+):(\d+): (.*)$`)

// compileError turns a parse or compile error into the error the user
// sees: the position of the user's cell, the line and a caret.
func (s *Session) compileError(err error) *language.ExecError {
	var lines []string
	var list scanner.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			lines = append(lines, s.lines.Positions(e.Error()))
		}
	} else {
		lines = strings.Split(strings.TrimSpace(s.lines.Positions(err.Error())), "\n")
	}
	e := &language.ExecError{Name: "CompileError", Value: lines[0]}
	for _, l := range lines {
		e.Traceback = append(e.Traceback, l)
		e.Traceback = append(e.Traceback, s.sourceContext(l)...)
	}
	return e
}

// sourceContext returns the source line an error line points at, and a
// caret under its column, when the position is in a known cell.
func (s *Session) sourceContext(errLine string) []string {
	m := errorPos.FindStringSubmatch(errLine)
	if m == nil {
		return nil
	}
	src, ok := s.sources[m[1]]
	if !ok {
		return nil
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	srcLines := strings.Split(src, "\n")
	if line < 1 || line > len(srcLines) {
		return nil
	}
	text := srcLines[line-1]
	out := []string{"    " + text}
	if col >= 1 && col <= len(text)+1 {
		// Keep tabs so that the caret lines up under them.
		pad := []byte(text[:col-1])
		for i, b := range pad {
			if b != '\t' {
				pad[i] = ' '
			}
		}
		out = append(out, "    "+string(pad)+"^")
	}
	return out
}

// exitError is the error of a cell that called os.Exit(code).
func exitError(code int) *language.ExecError {
	msg := fmt.Sprintf("os.Exit(%d) called", code)
	return &language.ExecError{Name: "Exit", Value: msg, Traceback: []string{msg}}
}

// runtimeError turns an error of a running cell into the error the user
// sees: a panic with its value and interpreted frames, os.Exit, or an
// interrupt.
func (s *Session) runtimeError(err error) *language.ExecError {
	pv, stack, ok := yaegix.PanicOf(err)
	if !ok {
		return &language.ExecError{Name: "Error", Value: err.Error(), Traceback: []string{err.Error()}}
	}
	v := yaegix.NilDeref(pv, stack)
	if rv, ok := v.(reflect.Value); ok {
		if rv.IsValid() && rv.CanInterface() {
			v = rv.Interface()
		} else {
			v = nil
		}
	}
	s.stderr.Flush()
	frames := s.takePanicLines()
	switch x := v.(type) {
	case interruptSignal:
		return interruptedError("")
	case goexitSignal:
		msg := "runtime.Goexit called: the cell stopped there"
		return &language.ExecError{Name: "Goexit", Value: msg, Traceback: []string{msg}}
	case stdlib.ExitCode:
		return exitError(int(x))
	}
	if _, ok := v.(*asyncio.CancelledError); ok && s.run.interrupted.Load() {
		return interruptedError("the cell's task was cancelled at its await")
	}
	value := fmt.Sprint(v)
	if e, ok := v.(error); ok {
		value = e.Error()
	}
	value = s.lines.Positions(value)
	name := panicName(v)
	e := &language.ExecError{Name: name, Value: value, Traceback: []string{name + ": " + value}}
	switch x := v.(type) {
	case yaegix.NilDerefError:
		e.Traceback = append(e.Traceback, "(the interpreter reported: "+x.Orig+")")
	case yaegix.BoundsError:
		e.Traceback = append(e.Traceback, "(the interpreter reported: "+x.Orig+", without the index and length)")
	}
	if len(frames) > 0 {
		e.Traceback = append(e.Traceback, "", "goroutine (interpreted frames, innermost first):")
	}
	prev := ""
	for i, f := range frames {
		f = s.lines.Positions(f)
		text := frameText(f)
		if text == prev {
			// The closures of an async func report the same frame twice.
			continue
		}
		if i == len(frames)-1 && i > 0 && outerCellFrame(prev, text) {
			// yaegi's function wrapping the cell's statements adds a frame
			// at its first line.
			continue
		}
		prev = text
		e.Traceback = append(e.Traceback, "  "+text)
		ctx := s.sourceContext(f)
		if len(ctx) > 1 {
			// Runtime columns are unreliable in rewritten code: show the
			// line without a caret.
			ctx = ctx[:1]
		}
		e.Traceback = append(e.Traceback, ctx...)
	}
	return e
}

// outerCellFrame tells whether frame, the outermost, is the cell's
// statements again after inner, a frame of the same cell's statements.
func outerCellFrame(inner, frame string) bool {
	const suffix = ", in cell"
	at, ok := strings.CutSuffix(frame, suffix)
	innerAt, innerOK := strings.CutSuffix(inner, suffix)
	if !ok || !innerOK {
		return false
	}
	name, _, _ := strings.Cut(at, ",")
	innerName, _, _ := strings.Cut(innerAt, ",")
	return name == innerName
}

// closureSuffix matches the names yaegi gives function literals inside a
// function: f.func1, f.func.func.
var closureSuffix = regexp.MustCompile(`(\.func\d*)+$`)

// funcLiteral matches the name yaegi gives a function literal at the top
// of a cell's statements.
var funcLiteral = regexp.MustCompile(`^func\d*$`)

// framePos matches the position of a frame, "cell[2]:3:5".
var framePos = regexp.MustCompile(`^(\S*?):(\d+):(\d+)$`)

// frameText turns yaegi's "cell[2]:3:5: panic: main.f(...)" into
// "cell[2], line 3, in f".
func frameText(line string) string {
	i := strings.Index(line, ": panic: ")
	if i < 0 {
		return line
	}
	fn := strings.TrimSuffix(line[i+len(": panic: "):], "(...)")
	fn = strings.TrimPrefix(fn, "main.")
	fn = strings.ReplaceAll(fn, reserved.Main, "main")
	if strings.HasPrefix(fn, "main") && strings.Contains(fn, cell.StmtsFunc) || fn == "main" {
		fn = "cell"
	}
	if trimmed := closureSuffix.ReplaceAllString(fn, ""); trimmed != "" {
		fn = trimmed
	}
	if funcLiteral.MatchString(fn) {
		fn = "cell" // a function literal of the cell's statements
	}
	where := line[:i]
	if m := framePos.FindStringSubmatch(where); m != nil {
		where = m[1] + ", line " + m[2]
	}
	return where + ", in " + fn
}

// interruptedError is the error of an interrupted cell.
func interruptedError(detail string) *language.ExecError {
	e := &language.ExecError{Name: "Interrupted", Value: "the cell was interrupted", Traceback: []string{"Interrupted: the cell was interrupted"}}
	if detail != "" {
		e.Traceback = append(e.Traceback, detail)
	}
	return e
}

// panicName is the ename of a panic: the type name of the asyncio library's
// errors (CancelledError, TimeoutError, RuntimeError...), which read like
// Python's exceptions, and "panic" for everything else.
func panicName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "panic"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == asyncioPkgPath && t.Name() != "" {
		return t.Name()
	}
	return "panic"
}

// asyncioPkgPath is the import path of the host asyncio package.
var asyncioPkgPath = reflect.TypeOf(asyncio.CancelledError{}).PkgPath()

// cellFrameAt points the cell's own frame of e at site ("cell[N]:L", the
// await the cell stopped in; "" leaves e alone). yaegi places that frame
// at the first statement of the cell's code, which is the wrong line when
// the panic came out of a later await.
func (s *Session) cellFrameAt(e *language.ExecError, site string) {
	cellName, line, ok := strings.Cut(site, ":")
	if !ok {
		return
	}
	tb := e.Traceback
	for i := len(tb) - 1; i >= 0; i-- {
		if !strings.HasPrefix(tb[i], "  "+cellName+", line ") || !strings.HasSuffix(tb[i], ", in cell") {
			continue
		}
		tb[i] = "  " + cellName + ", line " + line + ", in cell"
		if src := s.sourceContext(site + ":1: "); len(src) > 0 && i+1 < len(tb) && strings.HasPrefix(tb[i+1], "    ") {
			tb[i+1] = src[0]
		}
		return
	}
}
