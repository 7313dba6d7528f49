package interp

import (
	"runtime"
	"strings"
	"testing"
)

// An async func that ends in an await runs as a tail coroutine (see
// asyncio.NewTailCoroutine): these cells check, through the interpreter,
// that its tasks behave as any other while they hold no goroutine.

func TestTailTasksInACell(t *testing.T) {
	r := newRunner(t)
	r.ok(`import "time"

async func nap(name string, d time.Duration) {
	if d < 0 {
		fmt.Println(name, "skips")
		return
	}
	fmt.Println(name, "starts")
	await asyncio.Sleep(d)
}`)
	before := runtime.NumGoroutine()
	p := r.ok(`var naps []*asyncio.Task
for i := 0; i < 500; i++ {
	naps = append(naps, asyncio.CreateTask(nap("n", time.Hour)))
}
first := asyncio.CreateTask(nap("first", 20*time.Millisecond))
skip := asyncio.CreateTask(nap("skip", -1))
await asyncio.Sleep(0)
fmt.Println(naps[0])`)
	if extra := runtime.NumGoroutine() - before; extra > 50 {
		t.Errorf("%d more goroutines with 500 tail tasks waiting, want a few", extra)
	}
	out := p.out("stdout")
	if !strings.HasPrefix(out, "n starts\n") || !strings.Contains(out, "first starts\nskip skips\n") ||
		!strings.HasSuffix(out, "<Task pending name='Task-1' coro=<nap() running at cell[1]:9>>\n") {
		t.Errorf("stdout:\n%s", out)
	}
	r.expect(`await first
fmt.Sprint(first.Done(), first.Cancelled(), skip.Done())`, `"true false true"`)
	r.expect(`naps[0].Cancel("stop")
res := await asyncio.GatherReturnExceptions(naps[0])
fmt.Sprint(naps[0].Cancelled(), res)`, `"true [stop]"`)
	r.expect(`for _, t := range naps[1:] {
	t.Cancel()
}
await asyncio.Sleep(0)
n := 0
for _, t := range naps {
	if t.Cancelled() {
		n++
	}
}
n`, "500")
}

func TestTailTaskFailureShowsTheAwaitedFailure(t *testing.T) {
	r := newRunner(t)
	r.ok(`async func boom() int { panic("boom") }
async func relay() { await asyncio.CreateTask(boom()) }
async func outer() { await relay() }`)
	// The failure never passes through relay's or outer's body (both had
	// returned what they await), yet the traceback shows their frames, in
	// order, as it does for a function with code after its await.
	want := []string{"cell[1], line 1, in boom", "cell[1], line 2, in relay", "cell[1], line 3, in outer"}
	for _, code := range []string{"await relay()", "await asyncio.CreateTask(relay())", "await outer()", "await asyncio.CreateTask(outer())"} {
		_, e := r.fails(code)
		if e.Value != "boom" {
			t.Errorf("%s: error %s: %q, want the awaited task's panic", code, e.Name, e.Value)
		}
		var frames []string
		for _, l := range e.Traceback {
			if strings.HasPrefix(l, "  cell[1], line") {
				frames = append(frames, strings.TrimSpace(l))
			}
		}
		n := 2
		if strings.Contains(code, "outer") {
			n = 3
		}
		if strings.Join(frames, "\n") != strings.Join(want[:n], "\n") {
			t.Errorf("%s: frames\n%s\nwant\n%s", code, strings.Join(frames, "\n"), strings.Join(want[:n], "\n"))
		}
	}
}

func TestTailReturnAwaitInACell(t *testing.T) {
	r := newRunner(t)
	r.ok(`import (
	"errors"
	"time"
)

async func two() int {
	await asyncio.Sleep(time.Millisecond)
	return 2
}
async func one(skip bool) int {
	if skip {
		return 1
	}
	return await two()
}
async func check(fail bool) error {
	if fail {
		return errors.New("bad")
	}
	return nil
}
async func relay(fail bool) error { return await check(fail) }`)
	r.expect("await one(false) + await one(true)", "3")
	r.expect(`res := await asyncio.Gather(one(false), one(true), asyncio.CreateTask(one(false)))
fmt.Sprint(res)`, `"[2 1 2]"`)
	r.expect(`e1, e2 := await relay(false), await relay(true)
fmt.Sprint(e1 == nil, e2)`, `"true bad"`)
	r.expect(`t := asyncio.CreateTask(relay(true))
err := await t
msg := err.Error()
msg`, `"bad"`)

	r.ok("async func boomInt() int { panic(\"boom\") }\nasync func relayInt() int { return await boomInt() }")
	for _, code := range []string{"await relayInt()", "await asyncio.CreateTask(relayInt())"} {
		_, e := r.fails(code)
		if tb := strings.Join(e.Traceback, "\n"); e.Value != "boom" || !strings.Contains(tb, "in boomInt") || !strings.Contains(tb, ", line 2, in relayInt") {
			t.Errorf("%s: %s: %s\n%s", code, e.Name, e.Value, tb)
		}
	}
}
