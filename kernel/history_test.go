package kernel

import (
	"os"
	"path/filepath"
	"testing"
)

func TestHistoryQueries(t *testing.T) {
	h, err := openHistory("")
	if err != nil {
		t.Fatal(err)
	}
	inputs := []string{"a := 1", "fmt.Println(a)", "a := 1", "b := 2", "fmt.Print(b)"}
	for i, in := range inputs {
		h.add(i+1, in, "")
	}
	lines := func(es []historyEntry) []int {
		var out []int
		for _, e := range es {
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

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "a\nb", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbb", false},
		{"a?c", "aéc", true},
		{"a?c", "ac", false},
		{"*x*", "line1\nx\n", true},
		{"abc", "abcd", false},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestHistoryPersistsAcrossKernels(t *testing.T) {
	file := filepath.Join(t.TempDir(), "goawait", "history.jsonl")
	h1 := startKernel(t, file)
	h1.c.execute("print:first")
	h1.c.execute("print:second")
	h1.c.request(h1.c.control, "shutdown_request", map[string]any{"restart": true})
	<-h1.done

	h2 := startKernel(t, file)
	h2.c.execute("print:third")
	reply, _ := h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 3, "output": false, "raw": true})
	mustEqual(t, "tail", content(t, reply)["history"], []any{
		[]any{1, 1, "print:first"}, []any{1, 2, "print:second"}, []any{2, 1, "print:third"},
	})
	reply, _ = h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "range", "session": -1, "start": 2, "output": false, "raw": true})
	mustEqual(t, "previous session range", content(t, reply)["history"], []any{[]any{1, 2, "print:second"}})
	reply, _ = h2.c.request(h2.c.shell, "history_request", map[string]any{"hist_access_type": "search", "pattern": "*ir*", "unique": true, "n": 10, "output": false, "raw": true})
	mustEqual(t, "search", content(t, reply)["history"], []any{[]any{1, 1, "print:first"}, []any{2, 1, "print:third"}})

	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v, want 0600", st.Mode().Perm())
	}
}

func TestHistoryOutput(t *testing.T) {
	h := startKernel(t, "")
	h.c.execute("result:42")
	h.c.execute("print:x")
	reply, _ := h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 2, "output": true, "raw": true})
	mustEqual(t, "with output", content(t, reply)["history"], []any{
		[]any{1, 1, []any{"result:42", "42"}}, []any{1, 2, []any{"print:x", nil}},
	})
	reply, _ = h.c.request(h.c.shell, "history_request", map[string]any{"hist_access_type": "sideways"})
	mustEqual(t, "bad access type", content(t, reply)["status"], "error")
}

func TestDefaultHistoryFile(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jup")
	p, err := DefaultHistoryFile()
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "path", p, "/data/jup/goawait/history.jsonl")
	t.Setenv("JUPYTER_DATA_DIR", "")
	t.Setenv("HOME", "/home/u")
	p, _ = DefaultHistoryFile()
	mustEqual(t, "path", p, "/home/u/.local/share/jupyter/goawait/history.jsonl")
}

func TestHistoryReadsEarlierSessionsOnTheFirstQuery(t *testing.T) {
	file := filepath.Join(t.TempDir(), "history.jsonl")
	stored := `{"session":3,"line":1,"input":"three"}
{"session":2,"line":1,"input":"two, written by a kernel that ran alongside"}
{"session":1,"line":1,"input":"a torn li
{"line":1,"input":"no session"}
{"line":2,"session":2,"input":"keys in another order"}
`
	if err := os.WriteFile(file, []byte(stored), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := openHistory(file)
	if err != nil {
		t.Fatal(err)
	}
	defer h.close()
	if h.session != 4 {
		t.Errorf("session %d, want 4 (after the highest stored)", h.session)
	}
	if len(h.entries) != 0 {
		t.Errorf("%d entries read at open, want none before a query", len(h.entries))
	}
	h.add(1, "four", "")
	inputs := func(es []historyEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Input)
		}
		return out
	}
	mustEqual(t, "tail", inputs(h.tail(0)), []string{"three", "two, written by a kernel that ran alongside", "keys in another order", "four"})
	mustEqual(t, "range of session 2", inputs(h.rangeOf(2, 0, 0)), []string{"two, written by a kernel that ran alongside", "keys in another order"})
	mustEqual(t, "tail again", len(h.tail(0)), 4)
}

// BenchmarkOpenHistory opens a history of 20,000 stored cells, as every
// kernel start does.
func BenchmarkOpenHistory(b *testing.B) {
	file := filepath.Join(b.TempDir(), "history.jsonl")
	h, err := openHistory(file)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 20_000 {
		h.add(i+1, "fmt.Println(\"a cell of some length, as cells are\", i)", "")
	}
	h.close()
	b.ResetTimer()
	for range b.N {
		h, err := openHistory(file)
		if err != nil {
			b.Fatal(err)
		}
		h.close()
	}
}
