package kernel

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"unicode/utf8"
)

// HistoryStore keeps the input of the cells of every kernel session, for
// history_request. The kernel calls it from one goroutine, never during
// start-up: the first cell or history request starts the session.
// Outputs are never given to the store.
type HistoryStore interface {
	// NewSession starts a session and returns its number: greater than
	// the number of every session stored before, and distinct from the
	// one of every other kernel that uses the same store at the same time.
	NewSession() (int, error)
	// Append stores one cell of a session started by NewSession. Once it
	// returns nil, the cell stays stored even if a later Append fails.
	Append(e HistoryEntry) error
	// Tail returns the last n cells stored (all of them when n <= 0),
	// ordered by session then line.
	Tail(n int) ([]HistoryEntry, error)
	// Range returns the cells of session whose line is at least start
	// and below stop (to the last one when stop <= 0), in line order.
	Range(session, start, stop int) ([]HistoryEntry, error)
	// Search returns the last n cells (all of them when n <= 0) whose
	// input matches pattern, ordered by session then line. In pattern, *
	// matches any run of characters (newlines included), ? matches one
	// character and every other character matches itself. With unique,
	// only the last cell of each distinct input counts.
	Search(pattern string, n int, unique bool) ([]HistoryEntry, error)
	// Close releases the store. The kernel never calls it: whoever made
	// the store closes it once the kernel's Serve has returned.
	Close() error
}

// HistoryEntry is one stored cell: its session, its execution count in
// that session (line) and its code.
type HistoryEntry struct {
	Session int
	Line    int
	Input   string
}

// NewMemoryHistory returns a HistoryStore that keeps the cells in this
// process's memory: its sessions are numbered from 1 and are gone when
// the process ends.
func NewMemoryHistory() HistoryStore { return &memoryHistory{} }

// memoryHistory is the HistoryStore of NewMemoryHistory.
type memoryHistory struct {
	mu       sync.Mutex
	sessions int
	entries  []HistoryEntry // ordered by session then line
}

func (m *memoryHistory) NewSession() (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sessions++
	return m.sessions, nil
}

func (m *memoryHistory) Append(e HistoryEntry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i, found := slices.BinarySearchFunc(m.entries, e, compareEntries)
	if found {
		m.entries[i] = e
	} else {
		m.entries = slices.Insert(m.entries, i, e)
	}
	return nil
}

func (m *memoryHistory) Tail(n int) ([]HistoryEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return lastN(m.entries, n), nil
}

func (m *memoryHistory) Range(session, start, stop int) ([]HistoryEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []HistoryEntry{}
	for _, e := range m.entries {
		if e.Session == session && e.Line >= start && (stop <= 0 || e.Line < stop) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memoryHistory) Search(pattern string, n int, unique bool) ([]HistoryEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []HistoryEntry
	seen := map[string]bool{}
	for i := len(m.entries) - 1; i >= 0 && (n <= 0 || len(out) < n); i-- {
		e := m.entries[i]
		if !globMatch(pattern, e.Input) || unique && seen[e.Input] {
			continue
		}
		seen[e.Input] = true
		out = append(out, e)
	}
	slices.Reverse(out)
	return out, nil
}

func (m *memoryHistory) Close() error { return nil }

// compareEntries orders entries by session, then line.
func compareEntries(a, b HistoryEntry) int {
	return cmp.Or(cmp.Compare(a.Session, b.Session), cmp.Compare(a.Line, b.Line))
}

// lastN returns a copy of the last n entries (all when n <= 0).
func lastN(entries []HistoryEntry, n int) []HistoryEntry {
	if n > 0 && n < len(entries) {
		entries = entries[len(entries)-n:]
	}
	return append([]HistoryEntry{}, entries...)
}

// globMatch reports whether s matches pattern, where * matches any run of
// characters (newlines included) and ? any one character.
func globMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	pi, ti := 0, 0
	star, mark := -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == t[ti]):
			pi++
			ti++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// Bounds on what history keeps of one cell and of this session's outputs.
const (
	// maxHistoryText is the most bytes kept of a cell's input or output;
	// the rest is replaced by a note saying how long it was.
	maxHistoryText = 64 << 10
	// maxHistoryOutputs is the most bytes of this session's outputs kept
	// in memory; the oldest are forgotten first.
	maxHistoryOutputs = 16 << 20
)

// clipText returns s, or its first maxHistoryText bytes (cut at a
// character boundary) followed by a note saying how long s was.
func clipText(s string) string {
	if len(s) <= maxHistoryText {
		return s
	}
	cut := maxHistoryText
	for i := 0; i < utf8.UTFMax && cut > 0 && !utf8.RuneStart(s[cut]); i++ {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n[truncated in history: the first %d of %d bytes are kept]", cut, len(s))
}

// historyCell is one answer to a history query: a stored cell and its
// output if this session still remembers it ("" for none).
type historyCell struct {
	HistoryEntry
	Output string
}

// history is the kernel's side of its HistoryStore. Cells are written
// and queries are answered by one goroutine, started by the first of
// them, so that neither start-up nor a cell's reply waits for the store;
// a query waits for the cells given before it. The store is left alone
// until then, so a kernel that runs no cell never opens it.
//
// Outputs are kept in memory for the current session only, as IPython
// does without db_log_output. Cells the store refuses (a full disk) are
// kept in memory and still answered; the failure is logged once, until
// a later cell is stored again.
type history struct {
	log *slog.Logger

	mu     sync.Mutex
	jobs   chan func() // nil until the first job
	done   chan struct{}
	closed bool

	// Owned by the goroutine that runs the jobs.
	store   HistoryStore
	session int            // 0 until the session has started
	unsaved *memoryHistory // cells the store refused
	failing bool           // the last Append failed (and that was logged)
	outputs outputMemory
}

// newHistory returns the kernel's history over store (in memory when
// store is nil). It does not touch the store.
func newHistory(store HistoryStore, log *slog.Logger) *history {
	if store == nil {
		store = NewMemoryHistory()
	}
	return &history{log: log, store: store, unsaved: &memoryHistory{}}
}

// errHistoryClosed answers queries that arrive after the kernel stopped.
var errHistoryClosed = errors.New("history is closed")

// do runs job on the history's goroutine after every job given before.
// It reports false, without running job, once the history is closed.
func (h *history) do(job func()) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if h.jobs == nil {
		h.jobs = make(chan func(), 64)
		h.done = make(chan struct{})
		go func() {
			defer close(h.done)
			for job := range h.jobs {
				h.begin()
				job()
			}
		}()
	}
	h.jobs <- job
	return true
}

// begin starts this kernel's session in the store, once. A store that
// cannot start one is replaced by memory for the rest of this kernel.
func (h *history) begin() {
	if h.session != 0 {
		return
	}
	s, err := h.store.NewSession()
	if err != nil {
		h.log.Warn("history: cannot start a session in the store; this kernel's cells are kept in memory only", "err", err)
		h.store = NewMemoryHistory()
		s, _ = h.store.NewSession()
	}
	h.session = s
}

// close waits until the cells given so far are stored, then refuses any
// more. It does not close the store.
func (h *history) close() {
	h.mu.Lock()
	jobs, done, closed := h.jobs, h.done, h.closed
	h.closed = true
	h.mu.Unlock()
	if jobs != nil && !closed {
		close(jobs)
		<-done
	}
}

// add stores one cell of the current session, without waiting for the
// store. Input and output are clipped to maxHistoryText; output is
// remembered for this session only.
func (h *history) add(line int, input, output string) {
	e := HistoryEntry{Line: line, Input: clipText(input)}
	output = clipText(output)
	h.do(func() {
		e.Session = h.session
		h.outputs.put(line, output)
		err := h.store.Append(e)
		switch {
		case err != nil:
			h.unsaved.Append(e)
			if !h.failing {
				h.log.Warn("history: cannot store cells; they are kept in memory until the store takes cells again", "err", err)
			}
			h.failing = true
		case h.failing:
			h.log.Info("history: the store takes cells again")
			h.failing = false
		}
	})
}

// query runs q on the history's goroutine and returns its cells with
// the outputs of this session's cells.
func (h *history) query(q func() ([]HistoryEntry, error)) ([]historyCell, error) {
	type answer struct {
		cells []historyCell
		err   error
	}
	answers := make(chan answer, 1)
	ok := h.do(func() {
		entries, err := q()
		cells := make([]historyCell, len(entries))
		for i, e := range entries {
			cells[i].HistoryEntry = e
			if e.Session == h.session {
				cells[i].Output = h.outputs.get(e.Line)
			}
		}
		answers <- answer{cells, err}
	})
	if !ok {
		return nil, errHistoryClosed
	}
	a := <-answers
	return a.cells, a.err
}

// tail returns the last n cells (all of them when n <= 0).
func (h *history) tail(n int) ([]historyCell, error) {
	return h.query(func() ([]HistoryEntry, error) {
		return h.merged(func(s HistoryStore) ([]HistoryEntry, error) { return s.Tail(n) }, n, false)
	})
}

// rangeOf returns the cells of a session with start <= line < stop
// (stop <= 0: to the end). Session 0 is the current one, a negative
// session counts back from it.
func (h *history) rangeOf(session, start, stop int) ([]historyCell, error) {
	return h.query(func() ([]HistoryEntry, error) {
		if session <= 0 {
			session += h.session
		}
		return h.merged(func(s HistoryStore) ([]HistoryEntry, error) { return s.Range(session, start, stop) }, 0, false)
	})
}

// search returns the cells whose input matches the glob pattern; with
// unique only the latest of equal inputs is kept; n > 0 keeps the last n.
func (h *history) search(pattern string, n int, unique bool) ([]historyCell, error) {
	return h.query(func() ([]HistoryEntry, error) {
		return h.merged(func(s HistoryStore) ([]HistoryEntry, error) { return s.Search(pattern, n, unique) }, n, unique)
	})
}

// merged asks the store and the cells it refused, and merges both
// answers: the last n (all when n <= 0), with unique only the last cell
// of each input. Each part holds the answer's cells of its side, so the
// merge is the answer over both.
func (h *history) merged(ask func(HistoryStore) ([]HistoryEntry, error), n int, unique bool) ([]HistoryEntry, error) {
	stored, err := ask(h.store)
	if err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	if len(h.unsaved.entries) == 0 {
		return stored, nil
	}
	kept, _ := ask(h.unsaved)
	all := append(stored, kept...)
	slices.SortFunc(all, compareEntries)
	if unique {
		last := map[string]int{}
		for i, e := range all {
			last[e.Input] = i
		}
		distinct := all[:0]
		for i, e := range all {
			if last[e.Input] == i {
				distinct = append(distinct, e)
			}
		}
		all = distinct
	}
	return lastN(all, n), nil
}

// outputMemory keeps the outputs of this session's cells by line, up to
// maxHistoryOutputs bytes: the oldest are forgotten first.
type outputMemory struct {
	byLine map[int]string
	order  []int // lines, oldest first
	size   int
}

// put remembers output for line ("" remembers nothing).
func (o *outputMemory) put(line int, output string) {
	if output == "" {
		return
	}
	if o.byLine == nil {
		o.byLine = map[int]string{}
	}
	if old, ok := o.byLine[line]; ok {
		o.size -= len(old)
	} else {
		o.order = append(o.order, line)
	}
	o.byLine[line] = output
	o.size += len(output)
	for o.size > maxHistoryOutputs && len(o.order) > 0 {
		o.size -= len(o.byLine[o.order[0]])
		delete(o.byLine, o.order[0])
		o.order = o.order[1:]
	}
}

// get returns the output remembered for line, "" if none.
func (o *outputMemory) get(line int) string { return o.byLine[line] }

// errHistAccess is returned for an unknown hist_access_type.
var errHistAccess = errors.New("hist_access_type must be tail, range or search")
