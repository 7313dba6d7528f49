package kernel

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/goawait/goawait/language"
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
//	keep            keeps the cell's publisher, as a task that prints later would
//	kept:A,B        writes A to the kept publisher, then B to stdout
//	wide:N          writes N lines of 60 bytes, one write each
//	panic           panics
type fakeInterp struct {
	mu        sync.Mutex
	cells     []language.Cell
	interrupt chan struct{}
	shutdown  bool
	kept      language.Publisher // by "keep"
}

func newFakeInterp() *fakeInterp { return &fakeInterp{interrupt: make(chan struct{}, 1)} }

func (f *fakeInterp) Info() language.LanguageInfo {
	return language.LanguageInfo{Name: "go", Version: "1.26", Mimetype: "text/x-go", FileExtension: ".go",
		PygmentsLexer: "go", CodemirrorMode: "go", Banner: "fake"}
}

func (f *fakeInterp) Execute(cell language.Cell, out language.Publisher) language.ExecuteResult {
	f.mu.Lock()
	f.cells = append(f.cells, cell)
	f.mu.Unlock()
	cmd, arg, _ := strings.Cut(cell.Code, ":")
	fail := func(name, value string) language.ExecuteResult {
		return language.ExecuteResult{Err: &language.ExecError{Name: name, Value: value, Traceback: []string{name + ": " + value}}}
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
		out.Display(language.Display{Data: map[string]any{"text/plain": arg}, Result: true})
	case "display":
		out.Display(language.Display{Data: map[string]any{"text/plain": arg}, Transient: map[string]any{"display_id": "d1"}})
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
	case "keep":
		f.mu.Lock()
		f.kept = out
		f.mu.Unlock()
	case "kept":
		a, b, _ := strings.Cut(arg, ",")
		f.keptPublisher().Stream("stdout", a)
		out.Stream("stdout", b)
	case "wide":
		var n int
		fmt.Sscan(arg, &n)
		for i := range n {
			out.Stream("stdout", wideLine(i))
		}
	case "panic":
		panic("fake interpreter exploded")
	}
	return language.ExecuteResult{}
}

func (f *fakeInterp) Complete(code string, cursor int) language.Completion {
	return language.Completion{Matches: []string{"Println", "Printf"}, CursorStart: cursor - 2, CursorEnd: cursor}
}

func (f *fakeInterp) Inspect(code string, cursor int, detail int) language.Inspection {
	return language.Inspection{Found: true, Data: map[string]any{"text/plain": "func " + code}}
}

func (f *fakeInterp) IsComplete(code string) language.Completeness {
	if strings.HasSuffix(code, "{") {
		return language.Completeness{Status: "incomplete", Indent: "\t"}
	}
	return language.Completeness{Status: "complete"}
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

// keptPublisher returns the publisher "keep" kept.
func (f *fakeInterp) keptPublisher() language.Publisher {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.kept
}

// wideLine is line i of "wide": 60 bytes, newline included.
func wideLine(i int) string { return fmt.Sprintf("line %08d %s\n", i, strings.Repeat("w", 45)) }

// executed returns the cells Execute saw.
func (f *fakeInterp) executed() []language.Cell {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]language.Cell(nil), f.cells...)
}
