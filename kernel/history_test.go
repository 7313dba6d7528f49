package kernel

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// quietLog discards the history's log.
var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestHistoryQueries(t *testing.T) {
	h := newHistory(nil, quietLog)
	defer h.close()
	inputs := []string{"a := 1", "fmt.Println(a)", "a := 1", "b := 2", "fmt.Print(b)"}
	for i, in := range inputs {
		h.add(i+1, in, "")
	}
	lines := func(cells []historyCell, err error) []int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, e := range cells {
			out = append(out, e.Line)
		}
		return out
	}
	mustEqual(t, "tail 2", lines(h.tail(2)), []int{4, 5})
	mustEqual(t, "tail all", lines(h.tail(0)), []int{1, 2, 3, 4, 5})
	mustEqual(t, "tail more than stored", lines(h.tail(100)), []int{1, 2, 3, 4, 5})
	mustEqual(t, "range 2..4", lines(h.rangeOf(0, 2, 4)), []int{2, 3})
	mustEqual(t, "range to end", lines(h.rangeOf(0, 3, 0)), []int{3, 4, 5})
	mustEqual(t, "range other session", lines(h.rangeOf(-1, 0, 0)), []int{})
	mustEqual(t, "search glob", lines(h.search("fmt.Print*", 0, false)), []int{2, 5})
	mustEqual(t, "search ?", lines(h.search("? := ?", 0, false)), []int{1, 3, 4})
	mustEqual(t, "search unique", lines(h.search("? := ?", 0, true)), []int{3, 4})
	mustEqual(t, "search n", lines(h.search("*", 2, false)), []int{4, 5})
	mustEqual(t, "search literal", lines(h.search("b := 2", 0, false)), []int{4})
	mustEqual(t, "search no match", lines(h.search("zzz*", 0, false)), []int{})
}

func TestHistoryPersistsAcrossKernels(t *testing.T) {
	store := NewMemoryHistory()
	useStore := func(c *Config) { c.History = store }
	h1 := startKernel(t, useStore)
	h1.c.execute("print:first")
	h1.c.execute("print:second")
	h1.c.request(h1.c.control, "shutdown_request", map[string]any{"restart": true})
	<-h1.done

	h2 := startKernel(t, useStore)
	h2.c.execute("print:third")
	reply, _ := h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 3, "output": false, "raw": true})
	mustEqual(t, "tail", content(t, reply)["history"], []any{
		[]any{1, 1, "print:first"}, []any{1, 2, "print:second"}, []any{2, 1, "print:third"},
	})
	reply, _ = h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "range", "session": -1, "start": 2, "output": false, "raw": true})
	mustEqual(t, "previous session range", content(t, reply)["history"], []any{[]any{1, 2, "print:second"}})
	reply, _ = h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "search", "pattern": "*ir*", "unique": true, "n": 10, "output": false, "raw": true})
	mustEqual(t, "search", content(t, reply)["history"], []any{[]any{1, 1, "print:first"}, []any{2, 1, "print:third"}})
}

func TestHistoryOutput(t *testing.T) {
	h := startKernel(t)
	h.c.execute("result:42")
	h.c.execute("print:x")
	reply, _ := h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 2, "output": true, "raw": true})
	mustEqual(t, "with output", content(t, reply)["history"], []any{
		[]any{1, 1, []any{"result:42", "42"}}, []any{1, 2, []any{"print:x", nil}},
	})
	reply, _ = h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "sideways"})
	mustEqual(t, "bad access type", content(t, reply)["status"], "error")
}

// recordingStore is a HistoryStore over memory that records the calls
// it gets and fails the ones named in fail.
type recordingStore struct {
	HistoryStore
	mu    sync.Mutex
	calls []string
	fail  map[string]bool
}

func newRecordingStore() *recordingStore {
	return &recordingStore{HistoryStore: NewMemoryHistory(), fail: map[string]bool{}}
}

var errDiskFull = errors.New("database or disk is full")

func (r *recordingStore) call(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, name)
	if r.fail[name] {
		return errDiskFull
	}
	return nil
}

func (r *recordingStore) setFailing(name string, fail bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail[name] = fail
}

func (r *recordingStore) called() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{}, r.calls...)
}

func (r *recordingStore) NewSession() (int, error) {
	if err := r.call("NewSession"); err != nil {
		return 0, err
	}
	return r.HistoryStore.NewSession()
}

func (r *recordingStore) Append(e HistoryEntry) error {
	if err := r.call("Append"); err != nil {
		return err
	}
	return r.HistoryStore.Append(e)
}

func (r *recordingStore) Tail(n int) ([]HistoryEntry, error) {
	if err := r.call("Tail"); err != nil {
		return nil, err
	}
	return r.HistoryStore.Tail(n)
}

func (r *recordingStore) Close() error {
	r.call("Close")
	return nil
}

func TestHistoryStoreIsUntouchedUntilTheFirstCell(t *testing.T) {
	store := newRecordingStore()
	h := startKernel(t, func(c *Config) { c.History = store })
	h.c.request(h.c.shell, "kernel_info_request", map[string]any{})
	mustEqual(t, "calls after start-up and kernel_info", store.called(), []string{})
	h.c.execute("print:one")
	reply, _ := h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 1})
	mustEqual(t, "tail", content(t, reply)["history"], []any{[]any{1, 1, "print:one"}})
	mustEqual(t, "calls after a cell and a tail", store.called(), []string{"NewSession", "Append", "Tail"})
	h.c.request(h.c.control, "shutdown_request", map[string]any{"restart": false})
	<-h.done
	mustEqual(t, "calls after shutdown (the kernel does not close the store)", store.called(), []string{"NewSession", "Append", "Tail"})
}

func TestHistoryWriteFailuresAreLoggedOnceAndCellsKept(t *testing.T) {
	var logged bytes.Buffer // written by the history's goroutine, read after a query
	store := newRecordingStore()
	h := newHistory(store, slog.New(slog.NewTextHandler(&logged, nil)))
	defer h.close()
	inputs := []string{"a", "b", "a", "c", "b", "d"}
	failing := map[int]bool{2: true, 3: true, 5: true} // lines the store refuses
	for i, in := range inputs {
		store.setFailing("Append", failing[i+1])
		h.add(i+1, in, "")
		if _, err := h.tail(1); err != nil { // waits until the cell is handled
			t.Fatal(err)
		}
	}
	text := logged.String()
	mustEqual(t, "failures logged (once per run of failing writes)", strings.Count(text, "level=WARN msg=\"history: cannot store cells"), 2)
	mustEqual(t, "recoveries logged", strings.Count(text, "level=INFO msg=\"history: the store takes cells again"), 2)

	inputsOf := func(cells []historyCell, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cells {
			out = append(out, c.Input)
		}
		return out
	}
	mustEqual(t, "tail", inputsOf(h.tail(0)), []string{"a", "b", "a", "c", "b", "d"})
	mustEqual(t, "tail 4", inputsOf(h.tail(4)), []string{"a", "c", "b", "d"})
	mustEqual(t, "range 2..5", inputsOf(h.rangeOf(0, 2, 5)), []string{"b", "a", "c"})
	mustEqual(t, "search unique", inputsOf(h.search("*", 0, true)), []string{"a", "c", "b", "d"})
	mustEqual(t, "search unique n", inputsOf(h.search("*", 3, true)), []string{"c", "b", "d"})
	mustEqual(t, "search a", inputsOf(h.search("a", 0, false)), []string{"a", "a"})
	stored, _ := store.HistoryStore.Tail(0)
	var storedLines []int
	for _, e := range stored {
		storedLines = append(storedLines, e.Line)
	}
	mustEqual(t, "lines in the store", storedLines, []int{1, 4, 6})

	store.setFailing("Tail", true)
	if _, err := h.tail(1); !errors.Is(err, errDiskFull) {
		t.Errorf("tail when the store cannot be read: err %v, want %v", err, errDiskFull)
	}
}

func TestHistoryInMemoryWhenTheStoreCannotStartASession(t *testing.T) {
	var logged bytes.Buffer
	store := newRecordingStore()
	store.setFailing("NewSession", true)
	h := newHistory(store, slog.New(slog.NewTextHandler(&logged, nil)))
	defer h.close()
	h.add(1, "x := 1", "")
	h.add(2, "x", "1")
	cells, err := h.tail(0)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "cells", cells, []historyCell{{HistoryEntry{1, 1, "x := 1"}, ""}, {HistoryEntry{1, 2, "x"}, "1"}})
	mustEqual(t, "warnings", strings.Count(logged.String(), "level=WARN"), 1)
	mustEqual(t, "store calls", store.called(), []string{"NewSession"})
}

func TestHistoryClipsHugeTextAndNeverStoresOutput(t *testing.T) {
	store := newRecordingStore()
	h := newHistory(store, quietLog)
	defer h.close()
	// "é" is two bytes; the odd first byte puts the cut inside one.
	input := "x" + strings.Repeat("é", maxHistoryText)
	output := strings.Repeat("<", 11<<20)
	h.add(1, input, output)
	h.add(2, "small", "out")
	cells, err := h.tail(0)
	if err != nil {
		t.Fatal(err)
	}
	in, out := cells[0].Input, cells[0].Output
	for what, tc := range map[string]struct{ got, whole string }{"input": {in, input}, "output": {out, output}} {
		kept, note, ok := strings.Cut(tc.got, "\n[truncated in history: ")
		if !ok || !strings.HasPrefix(tc.whole, kept) || len(kept) > maxHistoryText || len(kept) < maxHistoryText-3 {
			t.Errorf("%s: kept %d bytes, note %q; want a prefix of at most %d bytes and a note", what, len(kept), note, maxHistoryText)
		}
		if !utf8.ValidString(tc.got) {
			t.Errorf("%s: clipped inside a character", what)
		}
		if want := " of " + itoa(len(tc.whole)) + " bytes are kept]"; !strings.HasSuffix(note, want) {
			t.Errorf("%s: note %q does not end with %q", what, note, want)
		}
	}
	mustEqual(t, "small cell", cells[1], historyCell{HistoryEntry{1, 2, "small"}, "out"})
	stored, _ := store.HistoryStore.Tail(0)
	if len(stored) != 2 || stored[0].Input != in {
		t.Errorf("the store got %d cells; the first is not the clipped input", len(stored))
	}
}

func TestHistoryOutputsAreBounded(t *testing.T) {
	var o outputMemory
	chunk := strings.Repeat("o", maxHistoryText)
	lines := 2 * maxHistoryOutputs / maxHistoryText
	for line := 1; line <= lines; line++ {
		o.put(line, chunk)
	}
	if o.size > maxHistoryOutputs {
		t.Errorf("%d bytes of outputs kept, more than %d", o.size, maxHistoryOutputs)
	}
	mustEqual(t, "the newest output", o.get(lines), chunk)
	mustEqual(t, "the oldest output", o.get(1), "")
	mustEqual(t, "outputs kept", len(o.byLine), maxHistoryOutputs/maxHistoryText)
}

func TestHistoryAfterClose(t *testing.T) {
	h := newHistory(nil, quietLog)
	h.add(1, "before", "")
	h.close()
	h.close()
	h.add(2, "after", "") // dropped, without panicking
	if _, err := h.tail(0); !errors.Is(err, errHistoryClosed) {
		t.Errorf("tail after close: err %v, want %v", err, errHistoryClosed)
	}
}
