package interp

import (
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/language"
)

// fakePub records what a cell sends.
type fakePub struct {
	mu       sync.Mutex
	streams  map[string]*strings.Builder
	displays []language.Display
	clears   int
	inputs   []string // answers given to Input, in order
	asked    int
}

func newPub() *fakePub {
	return &fakePub{streams: map[string]*strings.Builder{"stdout": {}, "stderr": {}}}
}

func (p *fakePub) Stream(name, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.streams[name].WriteString(text)
}

func (p *fakePub) Display(d language.Display) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.displays = append(p.displays, d)
}

func (p *fakePub) ClearOutput(wait bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clears++
}

func (p *fakePub) Input(prompt string, password bool) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asked >= len(p.inputs) {
		return "", errNoStdin
	}
	p.asked++
	return p.inputs[p.asked-1], nil
}

func (p *fakePub) out(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.streams[name].String()
}

// result returns the text/plain of the execute_result, or "" if none.
func (p *fakePub) result() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, d := range p.displays {
		if d.Result {
			return d.Data["text/plain"].(string)
		}
	}
	return ""
}

// newSession makes a session closed at the end of the test.
func newSession(t *testing.T) *Session {
	t.Helper()
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// runner runs cells with increasing execution counts.
type runner struct {
	t *testing.T
	s *Session
	n int
}

func newRunner(t *testing.T) *runner { return &runner{t: t, s: newSession(t)} }

// run executes code and returns its publisher and result.
func (r *runner) run(code string) (*fakePub, language.ExecuteResult) {
	r.n++
	p := newPub()
	res := r.s.Execute(language.Cell{Code: code, ExecutionCount: r.n, AllowStdin: true}, p)
	return p, res
}

// ok executes code, fails the test on error, and returns the publisher.
func (r *runner) ok(code string) *fakePub {
	r.t.Helper()
	p, res := r.run(code)
	if res.Err != nil {
		r.t.Fatalf("cell %d failed: %s: %s\n%s\nstderr: %s", r.n, res.Err.Name, res.Err.Value, strings.Join(res.Err.Traceback, "\n"), p.out("stderr"))
	}
	return p
}

// expect executes code and fails the test unless it succeeds with the
// value want (as text/plain shows it).
func (r *runner) expect(code, want string) {
	r.t.Helper()
	if got := r.ok(code).result(); got != want {
		r.t.Fatalf("cell %d:\n%s\nshows %s, want %s", r.n, code, got, want)
	}
}

// fails executes code and returns its error, failing the test if none.
func (r *runner) fails(code string) (*fakePub, *language.ExecError) {
	r.t.Helper()
	p, res := r.run(code)
	if res.Err == nil {
		r.t.Fatalf("cell %d succeeded, want an error; stdout %q", r.n, p.out("stdout"))
	}
	return p, res.Err
}
