// Package historytest checks that a kernel.HistoryStore behaves as
// package kernel documents, so that every store (in memory, in a
// database) answers history requests the same way.
package historytest

import (
	"fmt"
	"testing"

	"github.com/goawait/goawait/kernel"
)

// Run checks the store that open returns (a new, empty one per call) with
// subtests: session numbers, and the cells tail, range and search return.
func Run(t *testing.T, open func(t *testing.T) kernel.HistoryStore) {
	t.Run("sessions", func(t *testing.T) { sessions(t, open(t)) })
	t.Run("queries", func(t *testing.T) { queries(t, open(t)) })
	t.Run("glob", func(t *testing.T) { glob(t, open(t)) })
}

// sessions checks that session numbers grow.
func sessions(t *testing.T, s kernel.HistoryStore) {
	last := 0
	for range 3 {
		n, err := s.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if n <= last {
			t.Errorf("session %d after session %d", n, last)
		}
		last = n
	}
}

// queries stores two sessions and checks tail, range and search.
func queries(t *testing.T, s kernel.HistoryStore) {
	s1, s2 := mustSession(t, s), mustSession(t, s)
	cells := []kernel.HistoryEntry{
		{Session: s1, Line: 1, Input: "a := 1"},
		{Session: s1, Line: 2, Input: "fmt.Println(a)"},
		{Session: s2, Line: 1, Input: "a := 1"},
		{Session: s1, Line: 3, Input: "b := 2"}, // stored late: tail still orders by session
		{Session: s2, Line: 2, Input: "fmt.Print(b)"},
	}
	for _, e := range cells {
		if err := s.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, want []string) func([]kernel.HistoryEntry, error) {
		return func(got []kernel.HistoryEntry, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			var g []string
			for _, e := range got {
				g = append(g, fmt.Sprintf("%d.%d %s", e.Session-s1+1, e.Line, e.Input))
			}
			if fmt.Sprint(g) != fmt.Sprint(want) {
				t.Errorf("%s = %q, want %q", what, g, want)
			}
		}
	}
	all := []string{"1.1 a := 1", "1.2 fmt.Println(a)", "1.3 b := 2", "2.1 a := 1", "2.2 fmt.Print(b)"}
	check("tail 2", all[3:])(s.Tail(2))
	check("tail all", all)(s.Tail(0))
	check("tail more than stored", all)(s.Tail(100))
	check("range of session 1 from 2", all[1:3])(s.Range(s1, 2, 0))
	check("range of session 1, 1..3", all[:2])(s.Range(s1, 1, 3))
	check("range of session 2", all[3:])(s.Range(s2, 0, 0))
	check("range of no session", nil)(s.Range(s2+1, 0, 0))
	check("search", []string{"1.2 fmt.Println(a)", "2.2 fmt.Print(b)"})(s.Search("fmt.Print*", 0, false))
	check("search ?", []string{"1.1 a := 1", "1.3 b := 2", "2.1 a := 1"})(s.Search("? := ?", 0, false))
	check("search unique", []string{"1.3 b := 2", "2.1 a := 1"})(s.Search("? := ?", 0, true))
	check("search unique n", []string{"2.1 a := 1"})(s.Search("? := ?", 1, true))
	check("search n", all[3:])(s.Search("*", 2, false))
	check("search none", nil)(s.Search("zzz*", 0, false))

	if err := s.Append(kernel.HistoryEntry{Session: s2, Line: 2, Input: "again"}); err != nil {
		t.Fatal(err)
	}
	check("a line stored again", []string{"2.2 again"})(s.Range(s2, 2, 0))
}

// glob checks which inputs a search pattern matches.
func glob(t *testing.T, s kernel.HistoryStore) {
	for i, tc := range []struct {
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
		{"ABC", "abc", false},
		{"[ab]", "a", false},
		{"[ab]", "[ab]", true},
		{"x[*", "x[yz", true},
		{"%_", "ab", false},
		{"%_", "%_", true},
	} {
		session := mustSession(t, s)
		if err := s.Append(kernel.HistoryEntry{Session: session, Line: 1, Input: tc.s}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Search(tc.pattern, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		matched := len(got) == 1 && got[0].Session == session
		if matched != tc.want {
			t.Errorf("case %d: pattern %q matches %q: %v, want %v", i, tc.pattern, tc.s, matched, tc.want)
		}
	}
}

func mustSession(t *testing.T, s kernel.HistoryStore) int {
	t.Helper()
	n, err := s.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	return n
}
