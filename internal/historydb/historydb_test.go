package historydb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/internal/historytest"
	"github.com/goawait/goawait/kernel"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// newStore returns a Store in a new temp dir, closed when the test ends.
func newStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "goawait", "history.sqlite")
	s := New(path)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func TestStore(t *testing.T) {
	historytest.Run(t, func(t *testing.T) kernel.HistoryStore {
		s, _ := newStore(t)
		return s
	})
}

func TestNewTouchesNothingUntilUsed(t *testing.T) {
	s, path := newStore(t)
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after New, stat of the directory: %v, want not exist", err)
	}
	if _, err := s.NewSession(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700 | os.ModeDir} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode() != want {
			t.Errorf("%s: mode %v, want %v", p, st.Mode(), want)
		}
	}
}

func TestCloseWithoutUseTouchesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.sqlite")
	if err := New(path).Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Close, stat: %v, want not exist", err)
	}
}

func TestConcurrentStoresGetDistinctSessions(t *testing.T) {
	// Each Store is what a kernel holds: its own connection to the file.
	path := filepath.Join(t.TempDir(), "history.sqlite")
	const kernels, cells = 4, 20
	sessions := make([]int, kernels)
	var wg sync.WaitGroup
	errs := make(chan error, kernels)
	for k := range kernels {
		wg.Go(func() {
			s := New(path)
			defer s.Close()
			session, err := s.NewSession()
			if err != nil {
				errs <- err
				return
			}
			sessions[k] = session
			for line := 1; line <= cells; line++ {
				if err := s.Append(kernel.HistoryEntry{Session: session, Line: line, Input: fmt.Sprint("kernel ", k)}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s := New(path)
	defer s.Close()
	seen := map[int]bool{}
	for k, session := range sessions {
		if seen[session] {
			t.Errorf("session %d given to two kernels (%v)", session, sessions)
		}
		seen[session] = true
		got, err := s.Range(session, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != cells {
			t.Errorf("session %d has %d cells, want %d", session, len(got), cells)
		}
		for i, e := range got {
			if e.Line != i+1 || e.Input != fmt.Sprint("kernel ", k) {
				t.Errorf("session %d cell %d: %+v, want line %d of kernel %d", session, i, e, i+1, k)
				break
			}
		}
	}
}

func TestFullDiskLosesNothingStored(t *testing.T) {
	s, path := newStore(t)
	session, err := s.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for line := 1; line <= 3; line++ {
		if err := s.Append(kernel.HistoryEntry{Session: session, Line: line, Input: fmt.Sprint("cell ", line)}); err != nil {
			t.Fatal(err)
		}
	}
	// SQLite's limit on the file's pages fails a write that needs more
	// pages exactly as a full disk does: SQLITE_FULL.
	setMaxPages(t, s, 0)
	big := strings.Repeat("x", 1<<20)
	err = s.Append(kernel.HistoryEntry{Session: session, Line: 4, Input: big})
	var sqliteErr *sqlite.Error
	if !errors.As(err, &sqliteErr) || sqliteErr.Code()&0xff != sqlite3.SQLITE_FULL {
		t.Fatalf("Append on a full database: %v, want SQLITE_FULL", err)
	}

	other := New(path) // another kernel, after this one hit the full disk
	defer other.Close()
	got, err := other.Tail(0)
	if err != nil {
		t.Fatal(err)
	}
	mustInputs(t, "cells another kernel reads", got, "cell 1", "cell 2", "cell 3")

	setMaxPages(t, s, 1<<30-1)
	if err := s.Append(kernel.HistoryEntry{Session: session, Line: 5, Input: "after"}); err != nil {
		t.Fatalf("Append once there is room again: %v", err)
	}
	got, err = other.Tail(0)
	if err != nil {
		t.Fatal(err)
	}
	mustInputs(t, "cells after the disk has room again", got, "cell 1", "cell 2", "cell 3", "after")
}

// setMaxPages sets max_page_count on the Store's one connection: the
// pages the file has now when pages is 0.
func setMaxPages(t *testing.T, s *Store, pages int) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if pages == 0 {
		if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
}

func mustInputs(t *testing.T, what string, got []kernel.HistoryEntry, want ...string) {
	t.Helper()
	var inputs []string
	for _, e := range got {
		inputs = append(inputs, e.Input)
	}
	if fmt.Sprint(inputs) != fmt.Sprint(want) {
		t.Errorf("%s: %q, want %q", what, inputs, want)
	}
}

func TestQueriesReadOnlyTheCellsTheyReturn(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.NewSession(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		query string
		args  []any
		how   string // what the plan must say
	}{
		{tailQuery, []any{10}, "SCAN history USING INDEX sqlite_autoindex_history_1"},
		{rangeQuery, []any{1, 2, 3}, "SEARCH history USING INDEX sqlite_autoindex_history_1 (session=? AND line>? AND line<?)"},
		{searchQuery, []any{"*x*", 10}, "SCAN history USING INDEX sqlite_autoindex_history_1"},
	} {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q.query, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		// A TEMP B-TREE would sort every matching cell before the first
		// one is returned.
		if text := strings.Join(plan, "; "); text != q.how {
			t.Errorf("plan of %q: %q, want %q", q.query, text, q.how)
		}
	}
}

func TestANewerSchemaIsLeftAlone(t *testing.T) {
	s, path := newStore(t)
	if _, err := s.NewSession(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	other := New(path)
	defer other.Close()
	if _, err := other.NewSession(); err == nil || !strings.Contains(err.Error(), "newer goawait") {
		t.Errorf("NewSession on a newer schema: %v, want an error about a newer goawait", err)
	}
}

func TestCloseEndsTheSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.sqlite")
	s := New(path)
	session, err := s.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tail(1); !errors.Is(err, errClosed) {
		t.Errorf("Tail after Close: %v, want %v", err, errClosed)
	}
	db, err := openFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var started, ended string
	if err := db.QueryRow("SELECT started, ended FROM sessions WHERE session = ?", session).Scan(&started, &ended); err != nil {
		t.Fatal(err)
	}
	if started == "" || ended < started {
		t.Errorf("session started %q, ended %q", started, ended)
	}
}
