package interp

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestInterrupt(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"time\"\nkept := 7")
	for _, code := range []string{
		"for {\n}",
		"time.Sleep(time.Hour)",
		"<-make(chan int)",
		"n := 0\nfor {\n\tfunc() {\n\t\tdefer func() { recover() }()\n\t\tn++\n\t}()\n}",
	} {
		timer := time.AfterFunc(300*time.Millisecond, r.s.Interrupt)
		start := time.Now()
		_, err := r.fails(code)
		timer.Stop()
		if err.Name != "Interrupted" {
			t.Errorf("%q: error %s: %s", code, err.Name, err.Value)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q: interrupt took %v", code, d)
		}
	}
	r.expect("kept", "7")
}

func TestIsComplete(t *testing.T) {
	s := newSession(t)
	for code, want := range map[string]string{
		"x := 1":               "complete",
		"func f() {":           "incomplete",
		"for i := range 3 {\n": "incomplete",
		"x := )":               "invalid",
		"":                     "complete",
	} {
		if got := s.IsComplete(code); got.Status != want {
			t.Errorf("IsComplete(%q) = %s, want %s", code, got.Status, want)
		}
	}
	if got := s.IsComplete("func f() {"); got.Indent != "    " {
		t.Errorf("indent = %q", got.Indent)
	}
}

func TestCompleteAndInspect(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"strings\"\n// greeting says hello.\nfunc greeting(name string) string { return \"hi \" + name }\ncounterValue := 3")
	c := r.s.Complete("strings.ToUp", 12)
	if len(c.Matches) != 2 || c.Matches[0] != "strings.ToUpper" || c.CursorStart != 0 || c.CursorEnd != 12 {
		t.Fatalf("completion = %+v", c)
	}
	c = r.s.Complete("s := «x» + strings.ToUp", 23)
	if len(c.Matches) != 2 || c.Matches[0] != "strings.ToUpper" || c.CursorStart != 11 || c.CursorEnd != 23 {
		t.Fatalf("completion = %+v", c)
	}
	c = r.s.Complete("é := gree", 9)
	if len(c.Matches) == 0 || c.Matches[0] != "greeting" || c.CursorStart != 5 {
		t.Fatalf("completion = %+v", c)
	}
	c = r.s.Complete("counterV", 8)
	if len(c.Matches) != 1 || c.Matches[0] != "counterValue" {
		t.Fatalf("completion = %+v", c)
	}
	in := r.s.Inspect("greeting(\"x\")", 3, 0)
	if text, _ := in.Data["text/plain"].(string); !in.Found || !strings.Contains(text, "func greeting(name string) string") || !strings.Contains(text, "greeting says hello.") {
		t.Fatalf("inspect greeting = %+v", in)
	}
	in = r.s.Inspect("strings.ToUpper", 10, 0)
	if text, _ := in.Data["text/plain"].(string); !in.Found || !strings.Contains(text, "func ToUpper(s string) string") || !strings.Contains(text, "upper case") {
		t.Fatalf("inspect strings.ToUpper = %+v", in)
	}
	in = r.s.Inspect("counterValue", 2, 0)
	if text, _ := in.Data["text/plain"].(string); !in.Found || !strings.Contains(text, "value: 3") {
		t.Fatalf("inspect counterValue = %+v", in)
	}
}

func TestDisplayAndInfo(t *testing.T) {
	r := newRunner(t)
	p := r.ok("import \"goawait/display\"\ndisplay.HTML(\"<b>hi</b>\")\nh := display.NewHandle()\nh.Display(display.TextOutput(\"0%\"))\nh.Update(display.TextOutput(\"100%\"))")
	if len(p.displays) != 3 {
		t.Fatalf("displays = %+v", p.displays)
	}
	if p.displays[0].Data["text/html"] != "<b>hi</b>" || p.displays[2].Data["text/plain"] != "100%" || !p.displays[2].Update ||
		p.displays[1].Transient["display_id"] != p.displays[2].Transient["display_id"] {
		t.Fatalf("displays = %+v", p.displays)
	}
	info := r.s.Info()
	if info.Name != "go" || info.Mimetype != "text/x-go" || strings.HasPrefix(info.Version, "go") {
		t.Fatalf("info = %+v", info)
	}
}

func TestHelpRequestOpensThePager(t *testing.T) {
	r := newRunner(t)
	_, res := r.run("import \"strings\"\nstrings.Cut?")
	if res.Err != nil || len(res.Payload) != 1 || res.Payload[0]["source"] != "page" {
		t.Fatalf("result = %+v", res)
	}
	text, _ := res.Payload[0]["data"].(map[string]any)["text/plain"].(string)
	if !strings.Contains(text, "func Cut(s, sep string) (before, after string, found bool)") {
		t.Fatalf("page text = %q", text)
	}
}

func TestPrintlnWritesToStderrLikeGo(t *testing.T) {
	r := newRunner(t)
	p := r.ok("println(\"d\", 1, true)\nprint(\"e\")")
	if got := p.out("stderr"); got != "d 1 true\ne" {
		t.Fatalf("stderr = %q", got)
	}
	if got := p.out("stdout"); got != "" {
		t.Fatalf("stdout = %q", got)
	}
}

// A background task that never awaits holds the event loop, so the
// interrupted cell's cancellation never gets its turn: the interrupt must
// stop that task too, and the task must not burn a core afterwards.
func TestInterruptStopsABackgroundTaskHoldingTheLoop(t *testing.T) {
	r := newRunner(t)
	// spinThenSleep and dozeThenSleep are tail coroutines (their last
	// statement is an await): they hold the loop in the statements before
	// it, on a reused worker goroutine.
	r.ok(`import "time"
kept := 7
spins := 0
async func spin() { for { spins++ } }
async func doze() { time.Sleep(time.Hour) }
async func spinThenSleep() {
	for spins >= 0 {
		spins++
	}
	await asyncio.Sleep(time.Millisecond)
}
async func dozeThenSleep() {
	time.Sleep(time.Hour)
	await asyncio.Sleep(time.Millisecond)
}`)
	for _, task := range []string{"spin", "doze", "spinThenSleep", "dozeThenSleep"} {
		timer := time.AfterFunc(300*time.Millisecond, r.s.Interrupt)
		start := time.Now()
		_, err := r.fails("t := asyncio.CreateTask(" + task + "())\nawait asyncio.Sleep(0)")
		timer.Stop()
		if err.Name != "Interrupted" {
			t.Errorf("%s: error %s: %s", task, err.Name, err.Value)
		}
		if strings.Contains(strings.Join(err.Traceback, "\n"), "abandoned") {
			t.Errorf("%s: the loop was abandoned instead of the task stopped: %q", task, err.Traceback)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: interrupt took %v", task, d)
		}
		r.expect("t.Done()", "true")
	}
	before := r.ok("spins").result()
	time.Sleep(100 * time.Millisecond)
	if after := r.ok("spins").result(); after != before {
		t.Errorf("the spinning task goes on after the interrupt: spins %s, then %s", before, after)
	}
	r.expect("kept", "7")
}

// An interrupt that arrives while a cell compiles stops it before its
// statements run. The interrupt comes once the cell is planned, when its
// code is handed to the event loop: yaegi then compiles it and the
// chunk's Publish sees the interrupt (a timer racing the compilation
// missed it on a busy machine).
func TestInterruptWhileCompiling(t *testing.T) {
	r := newRunner(t)
	r.ok("ran := false")
	var src strings.Builder
	for i := range 4000 {
		fmt.Fprintf(&src, "v%d := %d\n_ = v%d\n", i, i, i)
	}
	src.WriteString("ran = true")
	run := r.s.opt.Run
	r.s.opt.Run = func(owner any, self uintptr, fn func()) error {
		r.s.Interrupt()
		return run(owner, self, fn)
	}
	_, err := r.fails(src.String())
	r.s.opt.Run = run
	if err.Name != "Interrupted" {
		t.Errorf("error %s: %s", err.Name, err.Value)
	}
	r.expect("ran", "false")
}

// An interrupt_request can arrive after the cell it was meant for ended
// (two interrupts in a row: the first one stopped the cell). It must be a
// no-op, not a second close of the ended cell's interrupt channel.
func TestInterruptAfterTheInterruptedCellEnded(t *testing.T) {
	r := newRunState()
	r.begin()
	if !r.interrupt() {
		t.Fatal("the first interrupt of a running cell did not interrupt it")
	}
	r.end()
	if r.interrupt() {
		t.Error("an interrupt after the cell ended reported interrupting it")
	}
	r.begin()
	if r.interrupted.Load() {
		t.Error("the next cell starts interrupted")
	}
	if !r.interrupt() {
		t.Error("the next cell cannot be interrupted")
	}
}
