package magic

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goawait/goawait/language"
)

func TestSplitMagicsKeepsGoLinesInPlace(t *testing.T) {
	segs, ok := splitMagics("x := 1\n%who\nf(a,\n!b)\n!echo hi")
	if !ok || len(segs) != 4 {
		t.Fatalf("segments = %+v", segs)
	}
	if segs[0].text != "x := 1" || !segs[1].magic || segs[2].text != "\n\nf(a,\n!b)" || segs[3].text != "!echo hi" || segs[3].line != 5 {
		t.Fatalf("segments = %+v", segs)
	}
	if _, ok := splitMagics("a := !b"); ok {
		t.Fatal("a Go line with ! is not a magic")
	}
	if _, ok := splitMagics("s := `\n%d items\n!\n`\n/*\n%x\n*/"); ok {
		t.Fatal("lines inside a raw string or a comment are not magics")
	}
}

func TestFormatDuration(t *testing.T) {
	for ns, want := range map[float64]string{12: "12.0ns", 1234: "1.23µs", 45_600_000: "45.6ms", 2.5e9: "2.50s", 0.5: "0.50ns", 999: "999ns"} {
		if got := formatDuration(ns); got != want {
			t.Errorf("formatDuration(%v) = %s, want %s", ns, got, want)
		}
	}
}

// fakeSession records what magics ask of a session. Its Go takes
// perLoop for each iteration of a timing loop (the stopwatch's lap).
type fakeSession struct {
	calls   []string
	perLoop time.Duration
	watch   Stopwatch
	vars    []Variable
	mods    Modules
}

var loopCount = regexp.MustCompile(`< (\d+);`)

func (f *fakeSession) RunGo(cell, code string) *language.ExecError {
	f.calls = append(f.calls, "go "+cell+" "+strconv.Quote(code))
	if m := loopCount.FindStringSubmatch(code); m != nil {
		n, _ := strconv.Atoi(m[1])
		f.watch.lap = time.Duration(n) * f.perLoop
	}
	return nil
}

func (f *fakeSession) DropResult()           { f.calls = append(f.calls, "drop") }
func (f *fakeSession) Variables() []Variable { return f.vars }
func (f *fakeSession) Stopwatch() *Stopwatch { return &f.watch }
func (f *fakeSession) Modules() Modules      { return f.mods }
func (f *fakeSession) RunShell(shell, script string) (string, *language.ExecError) {
	f.calls = append(f.calls, "shell "+shell+" "+strconv.Quote(script))
	return "exit status 3", nil
}

// fakePub records a magic's output.
type fakePub struct{ out strings.Builder }

func (p *fakePub) Stream(name, text string)           { p.out.WriteString(name + ": " + text) }
func (p *fakePub) Display(d language.Display)         {}
func (p *fakePub) ClearOutput(bool)                   {}
func (p *fakePub) Input(string, bool) (string, error) { return "", nil }

func TestRunCutsTheCellIntoGoAndMagicsInOrder(t *testing.T) {
	s := &fakeSession{}
	p := &fakePub{}
	var res language.ExecuteResult
	if err := Standard().Run(s, "cell[4]", "x := 1\n%who\n!echo hi\ny := 2", p, &res); err != nil {
		t.Fatal(err)
	}
	want := []string{`go cell[4] "x := 1"`, "drop", "drop", `shell sh "echo hi"`, `go cell[4] "\n\n\ny := 2"`}
	if !slices.Equal(s.calls, want) {
		t.Errorf("calls %q, want %q", s.calls, want)
	}
	if got := p.out.String(); got != "stdout: no variables\nstderr: (exit status 3)\n" {
		t.Errorf("output %q", got)
	}
	s.calls = nil
	if err := Standard().Run(s, "cell[5]", "%%bash\necho a\necho b", p, &res); err != nil {
		t.Fatal(err)
	}
	if want := []string{"drop", `shell bash "echo a\necho b"`}; !slices.Equal(s.calls, want) {
		t.Errorf("calls %q, want %q", s.calls, want)
	}
	err := Standard().Run(s, "cell[6]", "%nope", p, &res)
	if err == nil || err.Name != "UsageError" || !strings.HasPrefix(err.Value, "unknown magic %nope; known magics: %cd, %env, %help,") {
		t.Errorf("err = %v", err)
	}
}

func TestRegisterAddsAndReplaces(t *testing.T) {
	r := NewRegistry(Magic{Name: "a", Usage: "%a"}, Magic{Name: "a", Cell: true, Usage: "%%a"})
	ran := ""
	r.Register(Magic{Name: "b", Run: func(c *Call) *language.ExecError { ran = "b " + c.Arg; return nil }},
		Magic{Name: "a", Usage: "%a x", Run: func(c *Call) *language.ExecError { ran = "new a"; return nil }})
	if got, want := strings.Join(r.Names(), " "), "%a %b !command %%a"; got != want {
		t.Errorf("names %s, want %s", got, want)
	}
	var res language.ExecuteResult
	s := &fakeSession{}
	for code, want := range map[string]string{"%b  one two ": "b one two", "%a": "new a"} {
		if err := r.Run(s, "cell[1]", code, &fakePub{}, &res); err != nil || ran != want {
			t.Errorf("%q ran %q (%v), want %q", code, ran, err, want)
		}
	}
}

// TestTimeitLoopsAndReport: how many loops and runs %timeit makes, and its
// report, for statements of several durations (the fake session's clock).
func TestTimeitLoopsAndReport(t *testing.T) {
	for _, tc := range []struct {
		perLoop time.Duration
		report  string
		runs    int // RunGo calls
	}{
		{time.Microsecond, "1.00µs ± 0.00ns per loop (mean ± std. dev. of 5 runs, 200000 loops each)\n", 6},
		{30 * time.Millisecond, "30.0ms ± 0.00ns per loop (mean ± std. dev. of 5 runs, 10 loops each)\n", 6},
		{250 * time.Millisecond, "250ms ± 0.00ns per loop (mean ± std. dev. of 3 runs, 1 loop each)\n", 4},
		{3 * time.Second, "3.00s ± 0.00ns per loop (mean ± std. dev. of 1 runs, 1 loop each)\n", 1},
	} {
		s := &fakeSession{perLoop: tc.perLoop}
		p := &fakePub{}
		var res language.ExecuteResult
		if err := Standard().Run(s, "cell[1]", "%timeit f()", p, &res); err != nil {
			t.Fatal(err)
		}
		if got := p.out.String(); got != "stdout: "+tc.report {
			t.Errorf("%v a loop: report %q, want %q", tc.perLoop, got, tc.report)
		}
		runs := 0
		for _, c := range s.calls {
			if strings.HasPrefix(c, "go ") {
				runs++
			}
		}
		if runs != tc.runs {
			t.Errorf("%v a loop: %d runs of Go, want %d", tc.perLoop, runs, tc.runs)
		}
	}
	if got := timeitReport([]float64{1e6, 3e6}, 2); got != "2.00ms ± 1.41ms per loop (mean ± std. dev. of 2 runs, 2 loops each)\n" {
		t.Errorf("report %q", got)
	}
}

// fakeModules records what %go asks of a session's module loading.
type fakeModules struct{ calls []string }

func (f *fakeModules) Get(args []string) ([]string, error) {
	f.calls = append(f.calls, "get "+strings.Join(args, " "))
	if args[0] == "bad@v9" {
		return nil, errors.New("go: bad@v9: no such version")
	}
	return []string{"example.com/m v1.2.0"}, nil
}

func (f *fakeModules) List() ([]string, error) {
	f.calls = append(f.calls, "list")
	return []string{"example.com/m\texample.com/m v1.2.0"}, nil
}

func (f *fakeModules) UseGoMod(path string) error {
	f.calls = append(f.calls, "mod "+path)
	return nil
}

func TestGoMagic(t *testing.T) {
	mods := &fakeModules{}
	s := &fakeSession{mods: mods}
	r := NewRegistry(Go())
	run := func(code string) (*fakePub, *language.ExecError) {
		p := &fakePub{}
		var res language.ExecuteResult
		return p, r.Run(s, "cell[1]", code, p, &res)
	}
	if p, err := run("%go get example.com/m@v1.2.0"); err != nil || p.out.String() != "stdout: example.com/m v1.2.0\n" {
		t.Errorf("%%go get: %v, output %q", err, p.out.String())
	}
	if p, err := run("%go list"); err != nil || p.out.String() != "stdout: example.com/m\texample.com/m v1.2.0\n" {
		t.Errorf("%%go list: %v, output %q", err, p.out.String())
	}
	if _, err := run("%go mod ../go.mod"); err != nil {
		t.Errorf("%%go mod: %v", err)
	}
	if _, err := run("%go get bad@v9"); err == nil || err.Name != "GoError" || err.Value != "go: bad@v9: no such version" {
		t.Errorf("%%go get of a bad version: %v", err)
	}
	for _, bad := range []string{"%go", "%go frob", "%go list x", "%go get"} {
		if _, err := run(bad); err == nil || err.Name != "UsageError" {
			t.Errorf("%s: %v, want a usage error", bad, err)
		}
	}
	want := []string{"get example.com/m@v1.2.0", "list", "mod ../go.mod", "get bad@v9"}
	if !slices.Equal(mods.calls, want) {
		t.Errorf("calls %q, want %q", mods.calls, want)
	}
	s.mods = nil
	if _, err := run("%go list"); err == nil || !strings.Contains(err.Value, "cannot import modules") {
		t.Errorf("%%go without modules: %v", err)
	}
}
