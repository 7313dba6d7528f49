package kernel

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// fakeInterp is an Interpreter driven by the cell's code:
//
//	print:TEXT      writes TEXT to stdout
//	stderr:TEXT     writes TEXT to stderr
//	mixed           writes a, b to stdout, c to stderr, d to stdout
//	result:TEXT     shows TEXT as the cell's result
//	display:TEXT    display_data, then clear_output
//	error           fails at once
//	slowerror       fails after 300 ms
//	block           waits for Interrupt, then fails with Interrupted
//	input           reads a line and prints "got LINE"
//	many:N          writes N lines "line i\n" one write each
//	background      returns, then prints "late" 200 ms later
//	panic           panics
type fakeInterp struct {
	mu        sync.Mutex
	cells     []Cell
	interrupt chan struct{}
	shutdown  bool
}

func newFakeInterp() *fakeInterp { return &fakeInterp{interrupt: make(chan struct{}, 1)} }

func (f *fakeInterp) Info() LanguageInfo {
	return LanguageInfo{Name: "go", Version: "1.26", Mimetype: "text/x-go", FileExtension: ".go",
		PygmentsLexer: "go", CodemirrorMode: "go", Banner: "fake"}
}

func (f *fakeInterp) Execute(cell Cell, out Publisher) ExecuteResult {
	f.mu.Lock()
	f.cells = append(f.cells, cell)
	f.mu.Unlock()
	cmd, arg, _ := strings.Cut(cell.Code, ":")
	fail := func(name, value string) ExecuteResult {
		return ExecuteResult{Err: &ExecError{Name: name, Value: value, Traceback: []string{name + ": " + value}}}
	}
	switch cmd {
	case "print":
		out.Stream("stdout", arg)
	case "stderr":
		out.Stream("stderr", arg)
	case "mixed":
		out.Stream("stdout", "a")
		out.Stream("stdout", "b")
		out.Stream("stderr", "c")
		out.Stream("stdout", "d")
	case "result":
		out.Display(Display{Data: map[string]any{"text/plain": arg}, Result: true})
	case "display":
		out.Display(Display{Data: map[string]any{"text/plain": arg}, Transient: map[string]any{"display_id": "d1"}})
		out.ClearOutput(true)
	case "error":
		return fail("BoomError", "it broke")
	case "slowerror":
		time.Sleep(300 * time.Millisecond)
		return fail("BoomError", "slowly")
	case "block":
		select {
		case <-f.interrupt:
			return fail("Interrupted", "interrupted")
		case <-time.After(10 * time.Second):
			return fail("Timeout", "never interrupted")
		}
	case "input":
		v, err := out.Input("name? ", false)
		if err != nil {
			return fail("InputError", err.Error())
		}
		out.Stream("stdout", "got "+v)
	case "many":
		var n int
		fmt.Sscan(arg, &n)
		for i := range n {
			out.Stream("stdout", fmt.Sprintf("line %d\n", i))
		}
	case "background":
		go func() {
			time.Sleep(200 * time.Millisecond)
			out.Stream("stdout", "late")
		}()
	case "panic":
		panic("fake interpreter exploded")
	}
	return ExecuteResult{}
}

func (f *fakeInterp) Complete(code string, cursor int) Completion {
	return Completion{Matches: []string{"Println", "Printf"}, CursorStart: cursor - 2, CursorEnd: cursor}
}

func (f *fakeInterp) Inspect(code string, cursor int, detail int) Inspection {
	return Inspection{Found: true, Data: map[string]any{"text/plain": "func " + code}}
}

func (f *fakeInterp) IsComplete(code string) Completeness {
	if strings.HasSuffix(code, "{") {
		return Completeness{Status: "incomplete", Indent: "\t"}
	}
	return Completeness{Status: "complete"}
}

func (f *fakeInterp) Interrupt() {
	select {
	case f.interrupt <- struct{}{}:
	default:
	}
}

func (f *fakeInterp) Shutdown() {
	f.mu.Lock()
	f.shutdown = true
	f.mu.Unlock()
}

// executed returns the cells Execute saw.
func (f *fakeInterp) executed() []Cell {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Cell(nil), f.cells...)
}
