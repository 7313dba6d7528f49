package asyncio

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// unit is the time scale of the ported seed programs (a second there).
const unit = 40 * time.Millisecond

// out records what a program prints, with the owner Switch announced.
type out struct {
	mu      sync.Mutex
	owner   any
	lines   []string
	reports []string
}

func (o *out) say(a ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lines = append(o.lines, fmt.Sprint(a...))
}

// sayOwned records "owner: line" with the owner of the running code.
func (o *out) sayOwned(a ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.lines = append(o.lines, fmt.Sprintf("%v: %s", o.owner, fmt.Sprint(a...)))
}

func (o *out) got() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.lines...)
}

func (o *out) gotReports() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.reports...)
}

// newRT returns a runtime whose Switch and Report feed o, closed at the
// end of the test.
func newRT(t *testing.T) (*Runtime, *out) {
	t.Helper()
	o := &out{}
	rt := NewRuntime(Options{
		Switch: func(owner any) { o.owner = owner },
		Report: func(owner any, text string) {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.reports = append(o.reports, fmt.Sprintf("%v: %s", owner, text))
		},
	})
	t.Cleanup(func() {
		if err := rt.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return rt, o
}

// want fails unless got equals want line by line.
func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// panicOf runs f and returns what it panicked with (nil if it did not).
func panicOf(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// cell runs body as a cell of owner and fails the test on an error.
func cell(t *testing.T, rt *Runtime, owner any, body func()) {
	t.Helper()
	if err := rt.RunCell(owner, body); err != nil {
		t.Fatalf("RunCell(%v): %v", owner, err)
	}
}

// fetchAndNumbers returns the two coroutine makers of the seed program
// fetch_data + print_numbers: fetchData sleeps two units and returns
// map[data:1]; printNumbers prints 0..n-1, sleeping a quarter unit after
// each.
func fetchAndNumbers(rt *Runtime, o *out, u time.Duration, n int) (fetchData, printNumbers func() *Coroutine) {
	fetchData = func() *Coroutine {
		return rt.NewCoroutine("fetchData", "cell[1]:3", func() []any {
			o.say("Start fetching")
			rt.Await(rt.Sleep(2 * u))
			o.say("Done fetching")
			return []any{map[string]int{"data": 1}}
		})
	}
	printNumbers = func() *Coroutine {
		return rt.NewCoroutine("printNumbers", "cell[1]:9", func() []any {
			for i := 0; i < n; i++ {
				o.say(i)
				rt.Await(rt.Sleep(u / 4))
			}
			return nil
		})
	}
	return fetchData, printNumbers
}
