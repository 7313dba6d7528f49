package interp

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/goawait/goawait/display"
	"github.com/goawait/goawait/internal/stackguard"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/internal/yaegix"
)

// stackGuard is the guard of cells' functions (Options.MaxStack).
func (s *Session) stackGuard() stackguard.Guard {
	limit := s.opt.MaxStack
	if limit <= 0 {
		limit = stackguard.DefaultLimit
	}
	return stackguard.Guard{Limit: uintptr(min(limit, 256<<20))}
}

// hostExports builds the symbols bound to this session: the runtime
// helpers, the display package and the overrides of standard symbols
// (time.Sleep, time.AfterFunc, os.Stdin, os.Exit, os.Args, flag's,
// syscall.Exit and Exec).
func (s *Session) hostExports() map[string]map[string]reflect.Value {
	var stdin io.Reader = s.stdin
	// Output written before a display is forwarded first, so that the
	// two arrive in the order the cell made them.
	disp := display.New(func() display.Publisher {
		s.flushOutput()
		return s.route.Get()
	})
	cmd := newCmdLine([]string{"goawait"}, s.stderr.File(), s.run.exitCell).exports()
	return map[string]map[string]reflect.Value{
		reserved.RuntimeExports: {
			reserved.Show:       reflect.ValueOf(s.show),
			reserved.Show2:      reflect.ValueOf(s.show2),
			reserved.Checkpoint: reflect.ValueOf(s.run.checkpoint),
			reserved.Publish:    reflect.ValueOf(s.run.publish),
			reserved.StackCheck: reflect.ValueOf(s.stackGuard().Check),
			reserved.MakeLen:    reflect.ValueOf(makeLen),
			reserved.Declared:   reflect.ValueOf(s.declared),
			reserved.Seed:       reflect.ValueOf(s.seed),
			reserved.GoPanic:    reflect.ValueOf(s.goPanic),
			reserved.Recovered:  reflect.ValueOf(func(r any) any { return yaegix.RecoveredAt(r, debug.Stack) }),
			reserved.EmbedFile:  reflect.ValueOf(embedFile),
			reserved.Clear:      reflect.ValueOf(clearValue),
			reserved.Strings:    reflect.ValueOf(collectStrings),
			reserved.Bytes:      reflect.ValueOf(collectBytes),
			reserved.Print:      reflect.ValueOf(func(args ...any) { fmt.Fprint(s.stderr.File(), args...) }),
			reserved.Println:    reflect.ValueOf(func(args ...any) { printlnTo(s.stderr.File(), args...) }),
		},
		"runtime/runtime": {
			"Goexit": reflect.ValueOf(goexit),
		},
		"time/time": {
			"Sleep":     reflect.ValueOf(s.run.sleep),
			"AfterFunc": reflect.ValueOf(s.afterFunc),
		},
		"os/os": {
			"Stdin": reflect.ValueOf(&stdin).Elem(),
			"Args":  cmd["os/os"]["Args"],
			"Exit":  reflect.ValueOf(s.run.exitCell),
		},
		"flag/flag": cmd["flag/flag"],
		"syscall/syscall": {
			"Exit": reflect.ValueOf(s.run.exitCell),
			"Exec": reflect.ValueOf(syscallExec),
		},
		display.ImportPath + "/display": disp.Symbols(),
	}
}

// extraExports returns the host symbols of rich display and of the
// magics, loaded after the runtime helpers.
func (s *Session) extraExports() map[string]map[string]reflect.Value {
	ex := s.rich.Exports()
	for name, v := range s.watch.Exports() {
		ex[reserved.RuntimeExports][name] = v
	}
	return ex
}

// show records the cell's last value v, whose %+v text the interpreter
// computed (it alone sees String methods of interpreted types): nil shows
// nothing, a string is quoted, a function shows its type.
func (s *Session) show(v any, text string) {
	if !s.run.onCellGoroutine() {
		return // an abandoned cell that woke up (see setResult)
	}
	s.rich.Reset(v)
	if v == nil {
		return
	}
	switch rv := reflect.ValueOf(v); {
	case rv.Kind() == reflect.String && rv.Type() == reflect.TypeOf(""):
		text = strconv.Quote(rv.String())
	case rv.Kind() == reflect.Func:
		text = rv.Type().String()
	}
	s.setResult(text)
}

// show2 records the last value of a call with several results: the error
// when the last result is a non-nil error, nothing otherwise.
func (s *Session) show2(last any, text string) {
	if !s.run.onCellGoroutine() {
		return // an abandoned cell that woke up (see setResult)
	}
	s.rich.Reset(nil)
	if _, ok := last.(error); ok {
		s.setResult(text)
	}
}

// setResult records the text of the cell's last value. show and show2
// call it only from the running cell's own goroutine: a cell abandoned
// after an interrupt that wakes up later (its channel got a value, the
// compiled loop it ran ended) must not give the running cell its value.
func (s *Session) setResult(text string) {
	s.mu.Lock()
	s.result = &text
	s.mu.Unlock()
}

func (s *Session) takeResult() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.result
	s.result = nil
	if r == nil {
		return "", false
	}
	return *r, true
}

// goPanic reports on stderr the panic of a goroutine started by a cell:
// v is the panic value and text its text as the interpreter prints it (it
// alone sees String methods of interpreted types). It must be called while
// the panic is still going on (from a deferred function), for a nil
// pointer dereference to be recognised in the goroutine's stack.
func (s *Session) goPanic(v any, text string) {
	trace := s.takePanicLines()
	if text == (goexitSignal{}).Error() {
		return // runtime.Goexit ends a goroutine quietly, as in Go
	}
	switch x := yaegix.NilDeref(v, debug.Stack()).(type) {
	case yaegix.NilDerefError:
		text = yaegix.NilDerefMessage
	case yaegix.BoundsError:
		text = x.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "panic in goroutine: %s\n", text)
	for _, l := range trace {
		fmt.Fprintf(&b, "\t%s\n", frameText(s.lines.Positions(l)))
	}
	if p := s.route.Get(); p != nil {
		p.Stream("stderr", b.String())
	}
}

// afterFunc is time.AfterFunc with the callback's panic reported instead
// of ending the process.
func (s *Session) afterFunc(d time.Duration, f func()) *time.Timer {
	return time.AfterFunc(d, func() {
		defer func() {
			if r := recover(); r != nil {
				s.goPanic(r, fmt.Sprint(r))
			}
		}()
		f()
	})
}

// clearValue implements the clear builtin for maps and slices.
func clearValue(x any) {
	v := reflect.ValueOf(x)
	switch v.Kind() {
	case reflect.Map, reflect.Slice:
		v.Clear()
	default:
		panic(fmt.Sprintf("invalid argument: clear(%T): argument must be a map or a slice", x))
	}
}

// collectStrings gathers a string sequence (strings.Lines...) into a slice.
func collectStrings(seq func(yield func(string) bool)) []string {
	var out []string
	seq(func(s string) bool { out = append(out, s); return true })
	return out
}

// collectBytes gathers a []byte sequence (bytes.Lines...) into a slice.
func collectBytes(seq func(yield func([]byte) bool)) [][]byte {
	var out [][]byte
	seq(func(b []byte) bool { out = append(out, bytes.Clone(b)); return true })
	return out
}

// printlnTo writes args as the builtin println does: separated by spaces
// and ended by a newline.
func printlnTo(w io.Writer, args ...any) {
	for i, a := range args {
		if i > 0 {
			fmt.Fprint(w, " ")
		}
		fmt.Fprint(w, a)
	}
	fmt.Fprintln(w)
}

// goexitSignal is the panic value of runtime.Goexit in a cell: the real
// Goexit would end the goroutine that runs the cell and leave the kernel
// waiting for it forever.
type goexitSignal struct{}

func (goexitSignal) Error() string { return "runtime.Goexit called" }

// goexit replaces runtime.Goexit in cells.
func goexit() { panic(goexitSignal{}) }

// errExec is what syscall.Exec returns in a cell.
var errExec = errors.New("syscall.Exec would replace the kernel's process: it is not available in a notebook (run the program with os/exec)")

// syscallExec replaces syscall.Exec.
func syscallExec(argv0 string, argv, envv []string) error { return errExec }

// embedFile reads the file of a //go:embed directive (lower.Embed),
// relative to the working directory, the notebook's.
func embedFile(name string) string {
	b, err := os.ReadFile(name)
	if err != nil {
		panic(fmt.Errorf("//go:embed %s: %w", name, err))
	}
	return string(b)
}
