package kernel

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// historyEntry is one stored cell input, one JSON line in the history
// file.
type historyEntry struct {
	Session int    `json:"session"`
	Line    int    `json:"line"`
	Input   string `json:"input"`
	Output  string `json:"output,omitempty"`
}

// history keeps every cell input of this and earlier kernel sessions.
// Earlier sessions are read from the file on the first query, not at
// startup: a long history must not slow every kernel's start.
type history struct {
	mu      sync.Mutex
	entries []historyEntry // in the order they were stored
	session int            // this kernel's session number
	file    *os.File       // nil when history is not persisted
	path    string         // the file, read again on the first query
	stored  int64          // bytes of earlier sessions not read yet (see load)
}

// DefaultHistoryFile is where history persists by default:
// $JUPYTER_DATA_DIR/goawait/history.jsonl, else
// ~/.local/share/jupyter/goawait/history.jsonl.
func DefaultHistoryFile() (string, error) {
	dir := os.Getenv("JUPYTER_DATA_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the Jupyter data dir: %w", err)
		}
		dir = filepath.Join(home, ".local", "share", "jupyter")
	}
	return filepath.Join(dir, "goawait", "history.jsonl"), nil
}

// openHistory opens the history at path and starts a new session after
// the last one stored; it reads only the session numbers. An empty path
// keeps history in memory.
func openHistory(path string) (*history, error) {
	h := &history{session: 1}
	if path == "" {
		return h, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return h, fmt.Errorf("creating history dir: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return h, fmt.Errorf("opening history: %w", err)
	}
	err = scanHistory(f, -1, func(line []byte) {
		if s := sessionOf(line); s >= h.session {
			h.session = s + 1
		}
	})
	var read int64 // what was scanned: the earlier sessions' part
	if err == nil {
		read, err = f.Seek(0, io.SeekCurrent)
	}
	if err != nil {
		f.Close()
		return h, fmt.Errorf("reading history %s: %w", path, err)
	}
	h.file, h.path, h.stored = f, path, read
	return h, nil
}

// scanHistory calls fn with each line of the first limit bytes of r (all
// of it when limit < 0).
func scanHistory(r io.Reader, limit int64, fn func(line []byte)) error {
	if limit >= 0 {
		r = io.LimitReader(r, limit)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	for sc.Scan() {
		fn(sc.Bytes())
	}
	return sc.Err()
}

// sessionOf returns the session number of a stored line, 0 for a torn or
// foreign one. Lines are written by add, which puts the session first.
func sessionOf(line []byte) int {
	const key = `{"session":`
	if rest, ok := bytes.CutPrefix(line, []byte(key)); ok {
		n := 0
		for i, c := range rest {
			switch {
			case c >= '0' && c <= '9' && n < 1<<40:
				n = n*10 + int(c-'0')
			case c == ',' && i > 0:
				return n
			default:
				return 0
			}
		}
		return 0
	}
	var e historyEntry
	if json.Unmarshal(line, &e) != nil || e.Session <= 0 {
		return 0
	}
	return e.Session
}

// load reads the entries of earlier sessions once, before those of this
// session (h.mu held). A file that cannot be read leaves them out.
func (h *history) load() {
	if h.stored <= 0 {
		return
	}
	limit := h.stored
	h.stored = 0
	f, err := os.Open(h.path)
	if err != nil {
		return
	}
	defer f.Close()
	var old []historyEntry
	scanHistory(f, limit, func(line []byte) {
		var e historyEntry
		if json.Unmarshal(line, &e) == nil && e.Session > 0 {
			old = append(old, e)
		}
	})
	h.entries = append(old, h.entries...)
}

// add stores one cell of the current session.
func (h *history) add(line int, input, output string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := historyEntry{Session: h.session, Line: line, Input: input, Output: output}
	h.entries = append(h.entries, e)
	if h.file == nil {
		return
	}
	data, err := json.Marshal(e)
	if err == nil {
		_, err = h.file.Write(append(data, '\n'))
	}
	if err != nil {
		// Keep going in memory; the file is best effort.
		h.file.Close()
		h.file = nil
	}
}

// close closes the history file.
func (h *history) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.file != nil {
		h.file.Close()
		h.file = nil
	}
}

// tail returns the last n entries (all of them when n <= 0).
func (h *history) tail(n int) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.load()
	return lastN(h.entries, n)
}

// rangeOf returns the entries of a session with start <= line < stop
// (stop <= 0: to the end). Session 0 is the current one, a negative
// session counts back from it.
func (h *history) rangeOf(session, start, stop int) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.load()
	if session <= 0 {
		session += h.session
	}
	var out []historyEntry
	for _, e := range h.entries {
		if e.Session == session && e.Line >= start && (stop <= 0 || e.Line < stop) {
			out = append(out, e)
		}
	}
	return out
}

// search returns the entries whose input matches the glob pattern; with
// unique only the latest of equal inputs is kept; n > 0 keeps the last n.
func (h *history) search(pattern string, n int, unique bool) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.load()
	var out []historyEntry
	seen := map[string]bool{}
	for i := len(h.entries) - 1; i >= 0; i-- {
		e := h.entries[i]
		if !globMatch(pattern, e.Input) {
			continue
		}
		if unique {
			if seen[e.Input] {
				continue
			}
			seen[e.Input] = true
		}
		out = append(out, e)
		if n > 0 && len(out) == n {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// lastN returns a copy of the last n entries (all when n <= 0).
func lastN(entries []historyEntry, n int) []historyEntry {
	if n > 0 && n < len(entries) {
		entries = entries[len(entries)-n:]
	}
	return append([]historyEntry(nil), entries...)
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

// errHistAccess is returned for an unknown hist_access_type.
var errHistAccess = errors.New("hist_access_type must be tail, range or search")
