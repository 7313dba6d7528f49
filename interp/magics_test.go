package interp

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCompletenessOfMagicLines(t *testing.T) {
	s := newSession(t)
	for code, want := range map[string]string{
		"%time x := 1":         "complete",
		"!ls -l":               "complete",
		"%%html\n<b>x</b>":     "complete",
		"%who":                 "complete",
		"%time f()\nfor {":     "incomplete",
		"x := 1\n%who\ny := 2": "complete",
	} {
		if got := s.IsComplete(code).Status; got != want {
			t.Errorf("IsComplete(%q) = %s, want %s", code, got, want)
		}
	}
}

var durationRE = `\d+(\.\d+)?(ns|µs|ms|s)`

func TestTimeMagicRunsTheStatementAndShowsItsValue(t *testing.T) {
	r := newRunner(t)
	p := r.ok("%time x := 40 + 2")
	if !regexp.MustCompile(`^Wall time: ` + durationRE + `\n$`).MatchString(p.out("stdout")) {
		t.Fatalf("stdout = %q", p.out("stdout"))
	}
	p = r.ok("%time x")
	if p.result() != "42" {
		t.Fatalf("result = %q", p.result())
	}
	p = r.ok("%%time\ny := x * 2\nfmt.Println(y)")
	if out := p.out("stdout"); !strings.HasPrefix(out, "84\nWall time: ") {
		t.Fatalf("stdout = %q", out)
	}
	_, err := r.fails("%time undefinedThing()")
	if !strings.Contains(err.Value, "cell[4]:1") || !strings.Contains(err.Value, "undefined: undefinedThing") {
		t.Fatalf("err = %+v", err)
	}
}

// TestTimeitMagic checks what %timeit runs and what it reports, not the
// times it measures (the machine may be busy): a quick statement runs
// once, then in 5 runs of a number of loops the report gives; one that
// takes at least the 200 ms target (a sleep of 250 ms cannot take less)
// runs once, then 3 times.
func TestTimeitMagic(t *testing.T) {
	r := newRunner(t)
	r.ok("n := 0")
	p := r.ok("%timeit n++")
	re := regexp.MustCompile(`^` + durationRE + ` ± ` + durationRE + ` per loop \(mean ± std\. dev\. of 5 runs, (\d+) loops each\)\n$`)
	m := re.FindStringSubmatch(p.out("stdout"))
	if m == nil {
		t.Fatalf("stdout = %q", p.out("stdout"))
	}
	r.expect("n > 1000", "true")
	r.expect("n", strconv.Itoa(1+5*atoi(t, m[len(m)-1])))
	r.ok("naps := 0\nfunc nap() {\n\tnaps++\n\ttime.Sleep(250 * time.Millisecond)\n}")
	p = r.ok("%timeit nap()")
	if !regexp.MustCompile(`^` + durationRE + ` ± ` + durationRE + ` per loop \(mean ± std\. dev\. of 3 runs, 1 loop each\)\n$`).MatchString(p.out("stdout")) {
		t.Fatalf("stdout = %q", p.out("stdout"))
	}
	r.expect("naps", "4")
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestWhoAndWhos(t *testing.T) {
	r := newRunner(t)
	if got := r.ok("%who").out("stdout"); got != "no variables\n" {
		t.Fatalf("empty who = %q", got)
	}
	r.ok("name := \"gopher\"\ncount := 3\nfunc f() {}")
	if got := r.ok("%who").out("stdout"); got != "count\tname\n" {
		t.Fatalf("who = %q", got)
	}
	got := r.ok("%whos").out("stdout")
	if !regexp.MustCompile(`Variable\s+Type\s+Value\n`).MatchString(got) ||
		!regexp.MustCompile(`count\s+int\s+3\n`).MatchString(got) || !regexp.MustCompile(`name\s+string\s+"gopher"\n`).MatchString(got) {
		t.Fatalf("whos = %q", got)
	}
}

func TestEnvMagic(t *testing.T) {
	r := newRunner(t)
	t.Setenv("GOAWAIT_TEST_ENV", "")
	if got := r.ok("%env GOAWAIT_TEST_ENV=hello world").out("stdout"); got != "env: GOAWAIT_TEST_ENV=hello world\n" {
		t.Fatalf("set = %q", got)
	}
	if got := r.ok("%env GOAWAIT_TEST_ENV").out("stdout"); got != "hello world\n" {
		t.Fatalf("get = %q", got)
	}
	r.expect("import \"os\"\nos.Getenv(\"GOAWAIT_TEST_ENV\")", `"hello world"`)
	if got := r.ok("%env").out("stdout"); !strings.Contains(got, "GOAWAIT_TEST_ENV=hello world\n") {
		t.Fatalf("list lacks the variable")
	}
	if _, err := r.fails("%env GOAWAIT_NOT_SET_ANYWHERE"); !strings.Contains(err.Value, "not set") {
		t.Fatalf("err = %+v", err)
	}
}

func TestCdMagicAndShellCommands(t *testing.T) {
	wd, _ := os.Getwd()
	t.Cleanup(func() { _ = os.Chdir(wd) })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hi there\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newRunner(t)
	real, _ := filepath.EvalSymlinks(dir)
	if got := r.ok("%cd " + dir).out("stdout"); got != dir+"\n" && got != real+"\n" {
		t.Fatalf("cd = %q", got)
	}
	p := r.ok("!cat hello.txt\n!echo oops >&2")
	if p.out("stdout") != "hi there\n" || p.out("stderr") != "oops\n" {
		t.Fatalf("stdout %q stderr %q", p.out("stdout"), p.out("stderr"))
	}
	p = r.ok("!exit 3")
	if p.out("stderr") != "(exit status 3)\n" {
		t.Fatalf("stderr = %q", p.out("stderr"))
	}
	p = r.ok("%%bash\nfor i in 1 2; do echo line $i; done")
	if p.out("stdout") != "line 1\nline 2\n" {
		t.Fatalf("bash = %q", p.out("stdout"))
	}
	// Go and commands in one cell run in order.
	p = r.ok("fmt.Println(\"go first\")\n!echo then shell\nfmt.Println(\"go again\")")
	if p.out("stdout") != "go first\nthen shell\ngo again\n" {
		t.Fatalf("mixed = %q", p.out("stdout"))
	}
}

func TestShellCommandIsKilledOnInterrupt(t *testing.T) {
	r := newRunner(t)
	go func() {
		time.Sleep(300 * time.Millisecond)
		r.s.Interrupt()
	}()
	start := time.Now()
	_, err := r.fails("!echo started; sleep 30; echo never")
	if err.Name != "Interrupted" || time.Since(start) > 5*time.Second {
		t.Fatalf("err = %+v after %v", err, time.Since(start))
	}
	// The kernel goes on.
	r.expect("1 + 1", "2")
}

func TestCellMagicsDisplay(t *testing.T) {
	r := newRunner(t)
	p := r.ok("%%html\n<b>bold</b>")
	if len(p.displays) != 1 || p.displays[0].Data["text/html"] != "<b>bold</b>" || p.displays[0].Data["text/plain"] != "bold" {
		t.Fatalf("html = %+v", p.displays)
	}
	p = r.ok("%%markdown\n# Title")
	if len(p.displays) != 1 || p.displays[0].Data["text/markdown"] != "# Title" || p.displays[0].Data["text/plain"] != "# Title" {
		t.Fatalf("markdown = %+v", p.displays)
	}
}

func TestUnknownMagicResetAndHelp(t *testing.T) {
	r := newRunner(t)
	_, err := r.fails("%frobnicate now")
	if err.Name != "UsageError" || !strings.Contains(err.Value, "unknown magic %frobnicate") || !strings.Contains(err.Value, "%timeit") || !strings.Contains(err.Value, "%%html") {
		t.Fatalf("err = %+v", err)
	}
	if _, err := r.fails("%%nope\nx"); !strings.Contains(err.Value, "unknown magic %%nope") {
		t.Fatalf("err = %+v", err)
	}
	p := r.ok("%reset")
	if !strings.Contains(p.out("stderr"), "restart the kernel") {
		t.Fatalf("reset = %q", p.out("stderr"))
	}
	p, res := r.run("%help")
	if res.Err != nil || len(res.Payload) != 1 || res.Payload[0]["source"] != "page" {
		t.Fatalf("help = %+v", res)
	}
	text := res.Payload[0]["data"].(map[string]any)["text/plain"].(string)
	for _, want := range []string{"%timeit <statement>", "!command", "%%markdown", "display.Progress(total)", "display.LineChart"} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	_ = p
}
