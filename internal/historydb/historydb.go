// Package historydb keeps the code of the cells that goawait kernels run
// in a SQLite database file, so that a kernel can answer history requests
// about the cells of earlier sessions, as IPython does. Every kernel of a
// user shares the one file: each kernel gets its own session number, even
// when several run at the same time, and a kernel killed while writing
// leaves the cells written before intact.
//
// A Store implements kernel.HistoryStore. It does not touch the file until
// it is first used.
package historydb

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goawait/goawait/kernel"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// schemaVersion is the user_version of a database with the tables below.
// A file with a greater one was written by a newer goawait and is left
// alone.
const schemaVersion = 1

// schema creates the tables: one row per kernel session, one per cell.
// The primary key's index orders the cells by (session, line), so tail,
// range and search read them in that order from either end and stop when
// they have enough. (A WITHOUT ROWID table would keep them in that order
// itself, but it stores cells over about 1 KB outside the page, which made
// a history 2.5 times the size of its cells.)
const schema = `
CREATE TABLE IF NOT EXISTS sessions (
	session INTEGER PRIMARY KEY AUTOINCREMENT,
	started TEXT NOT NULL,
	ended   TEXT
);
CREATE TABLE IF NOT EXISTS history (
	session INTEGER NOT NULL,
	line    INTEGER NOT NULL,
	input   TEXT NOT NULL,
	PRIMARY KEY (session, line)
);
`

// The queries, each reading the cells it returns and no others (LIMIT -1
// is no limit).
const (
	tailQuery   = `SELECT session, line, input FROM history ORDER BY session DESC, line DESC LIMIT ?`
	rangeQuery  = `SELECT session, line, input FROM history WHERE session = ? AND line >= ? AND line < ? ORDER BY line`
	searchQuery = `SELECT session, line, input FROM history WHERE input GLOB ? ORDER BY session DESC, line DESC LIMIT ?`
)

// Store is a kernel.HistoryStore in a SQLite database file. It is safe
// for concurrent use, and for use by several processes at once.
type Store struct {
	path string

	mu       sync.Mutex
	db       *sql.DB // nil until the first use
	closed   bool
	sessions []int // started by this Store, marked ended by Close
}

// New returns the Store of the database file at path. It touches nothing:
// the file, and its directory, are created (readable by the user only)
// when the Store is first used.
func New(path string) *Store { return &Store{path: path} }

// errClosed is returned by a Store used after Close.
var errClosed = errors.New("history database is closed")

// open returns the database, opening it and creating its tables first if
// this is the first use (s.mu held). A failed open is tried again at the
// next use.
func (s *Store) open() (*sql.DB, error) {
	if s.closed {
		return nil, errClosed
	}
	if s.db != nil {
		return s.db, nil
	}
	db, err := openFile(s.path)
	if err != nil {
		return nil, fmt.Errorf("opening the history database %s: %w", s.path, err)
	}
	s.db = db
	return db, nil
}

// openFile opens the database at path, creating the file and its tables
// if needed.
func openFile(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, err
	}
	// SQLite would create the file with the umask's permissions; the
	// journal files it adds take the file's.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	db, err := sql.Open("sqlite", dataSourceName(abs))
	if err != nil {
		return nil, err
	}
	// One connection: the kernel asks one thing at a time, and SQLite
	// serializes writers anyway.
	db.SetMaxOpenConns(1)
	if err := createTables(db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dataSourceName is the driver's name for the database file at abs:
//   - WAL journal: readers never wait for a writer, and a writer appends
//     to the log instead of rewriting pages;
//   - synchronous NORMAL: a kill cannot lose a committed cell; a power
//     cut can lose the last ones, never the file;
//   - busy timeout: a kernel waits up to 10 s for another kernel's write;
//   - BEGIN IMMEDIATE: a transaction takes the write lock at its start,
//     so two kernels never deadlock upgrading a read lock.
func dataSourceName(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // C:/... on Windows
		p = "/" + p
	}
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	return (&url.URL{Scheme: "file", Path: p, RawQuery: q.Encode()}).String()
}

// createTables creates the tables of a new file, and checks the version
// of an existing one.
func createTables(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		return err
	}
	switch {
	case version == schemaVersion:
		return nil
	case version > schemaVersion:
		return fmt.Errorf("the file has schema version %d; this goawait knows version %d only (written by a newer goawait?)", version, schemaVersion)
	}
	if _, err := tx.Exec(schema); err != nil {
		return fmt.Errorf("creating the tables: %w", err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, schemaVersion)); err != nil {
		return err
	}
	return tx.Commit()
}

// NewSession starts a session and returns its number. SQLite's
// AUTOINCREMENT makes it greater than every session ever started in the
// file, and its write lock makes it distinct from the session of every
// other kernel that uses the file.
func (s *Store) NewSession() (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.open()
	if err != nil {
		return 0, err
	}
	res, err := db.Exec(`INSERT INTO sessions (started) VALUES (?)`, now())
	if err != nil {
		return 0, fmt.Errorf("starting a history session: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("starting a history session: %w", err)
	}
	s.sessions = append(s.sessions, int(id))
	return int(id), nil
}

// Append stores one cell, replacing a cell of the same session and line.
// It is one atomic write: when it fails (a full disk), nothing stored
// before is lost.
func (s *Store) Append(e kernel.HistoryEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.open()
	if err != nil {
		return err
	}
	_, err = db.Exec(`INSERT OR REPLACE INTO history (session, line, input) VALUES (?, ?, ?)`, e.Session, e.Line, e.Input)
	if err != nil {
		return fmt.Errorf("storing cell %d of session %d: %w", e.Line, e.Session, err)
	}
	return nil
}

// Tail returns the last n cells (all of them when n <= 0), ordered by
// session then line. It reads n cells, however long the history.
func (s *Store) Tail(n int) ([]kernel.HistoryEntry, error) {
	return s.newestFirst(tailQuery, n, false, limit(n))
}

// Range returns the cells of session with start <= line < stop (to the
// last one when stop <= 0), in line order. It reads those cells only.
func (s *Store) Range(session, start, stop int) ([]kernel.HistoryEntry, error) {
	if stop <= 0 {
		stop = math.MaxInt64
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.open()
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(rangeQuery, session, start, stop)
	if err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	return collect(rows, 0, false)
}

// Search returns the last n cells (all of them when n <= 0) whose input
// matches pattern, ordered by session then line: * matches any run of
// characters, ? one character, any other character itself. With unique,
// only the last cell of each input counts. It reads the cells from the
// newest and stops at the n-th match.
func (s *Store) Search(pattern string, n int, unique bool) ([]kernel.HistoryEntry, error) {
	lim := limit(n)
	if unique {
		lim = -1 // duplicates do not count; collect stops at n
	}
	return s.newestFirst(searchQuery, n, unique, sqliteGlob(pattern), lim)
}

// newestFirst runs a query that returns cells newest first and returns
// the first n of them (with unique, of distinct inputs) oldest first.
func (s *Store) newestFirst(query string, n int, unique bool, args ...any) ([]kernel.HistoryEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, err := s.open()
	if err != nil {
		return nil, err
	}
	rows, err := db.Query(query, args...)
	if err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	out, err := collect(rows, n, unique)
	slices.Reverse(out)
	return out, err
}

// collect reads cells from rows until it has n of them (all when n <= 0),
// skipping, with unique, an input it has already read.
func collect(rows *sql.Rows, n int, unique bool) ([]kernel.HistoryEntry, error) {
	defer rows.Close()
	out := []kernel.HistoryEntry{}
	seen := map[string]bool{}
	for (n <= 0 || len(out) < n) && rows.Next() {
		var e kernel.HistoryEntry
		if err := rows.Scan(&e.Session, &e.Line, &e.Input); err != nil {
			return nil, fmt.Errorf("reading the history: %w", err)
		}
		if unique {
			if seen[e.Input] {
				continue
			}
			seen[e.Input] = true
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the history: %w", err)
	}
	return out, nil
}

// limit is SQL's LIMIT for n cells, all of them when n <= 0.
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// sqliteGlob turns a pattern where only * and ? are special into one for
// SQLite's GLOB, where [ starts a character class.
func sqliteGlob(pattern string) string {
	return strings.ReplaceAll(pattern, "[", "[[]")
}

// Close marks the sessions this Store started as ended and closes the
// file. The Store cannot be used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.db == nil {
		return nil
	}
	var errs []error
	for _, id := range s.sessions {
		if _, err := s.db.Exec(`UPDATE sessions SET ended = ? WHERE session = ?`, now(), id); err != nil {
			errs = append(errs, fmt.Errorf("ending history session %d: %w", id, err))
		}
	}
	errs = append(errs, s.db.Close())
	return errors.Join(errs...)
}

// now is the time stamp of a session's start or end.
func now() string { return time.Now().UTC().Format(time.RFC3339) }
