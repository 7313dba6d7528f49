package asyncio

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	loop "github.com/goawait/goawait/autoawait/asyncio/internal/loop"
	"github.com/goawait/goawait/autoawait/asyncio/timeline"
)

// story tells one task's life in the timeline's words: "run" for a
// running span (consecutive ones merged), "[label]" for a wait, "ready"
// before its first run, then its end state.
func story(tk TimelineTask) string {
	var words []string
	for _, sp := range tk.Spans {
		w := "[" + sp.Label + "]"
		switch {
		case sp.Running:
			w = "run"
		case sp.Label == "ready":
			w = "ready"
		}
		if w == "run" && len(words) > 0 && words[len(words)-1] == "run" {
			continue
		}
		words = append(words, w)
	}
	return strings.Join(append(words, tk.State), " ")
}

// stories returns "name: story" for every task of tl.
func stories(tl *TaskTimeline) []string {
	var out []string
	for _, tk := range tl.Tasks {
		title := tk.Name
		if tk.Coro != "" {
			title += " " + tk.Coro + "()"
		}
		out = append(out, title+": "+story(tk))
	}
	return out
}

// checkSVG parses svg as XML and returns the text of its text elements
// (without their tooltips).
func checkSVG(t *testing.T, svg string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var texts []string
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && (x.Name.Local != "svg" || x.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root element = %v", x.Name)
			}
			if x.Name.Local == "script" || x.Name.Local == "image" || x.Name.Local == "foreignObject" {
				t.Fatalf("SVG has a <%s> element", x.Name.Local)
			}
			stack = append(stack, x.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 && stack[len(stack)-1] == "text" {
				if s := strings.TrimSpace(string(x)); s != "" {
					texts = append(texts, s)
				}
			}
		}
	}
	return texts
}

func count(xs []string, s string) int {
	n := 0
	for _, x := range xs {
		if x == s {
			n++
		}
	}
	return n
}

// The seed program fetch_data + print_numbers, as a notebook cell: the
// timeline has the cell and its two tasks, what each waited on, in order.
func TestTimelineFetchAndNumbers(t *testing.T) {
	rt, o := newRT(t)
	fetchData, printNumbers := fetchAndNumbers(rt, o, unit, 3)
	cell(t, rt, "c1", func() {
		task1 := rt.CreateTask(fetchData())
		task2 := rt.CreateTask(printNumbers())
		o.say(rt.Await(task1)[0])
		rt.Await(task2)
	})

	tl := rt.Timeline()
	if got := tl.String(); got != "Timeline: 3 tasks" {
		t.Fatalf("String() = %q", got)
	}
	want(t, stories(tl),
		"Cell-1: run [Task-1] run done", // Task-2 is done by then
		"Task-1 fetchData(): ready run [sleep 80ms] run done",
		"Task-2 printNumbers(): ready run [sleep 10ms] run [sleep 10ms] run [sleep 10ms] run done",
	)

	// The raw events: the cell is created and runs first; the tasks are
	// created (while the cell runs) before either starts.
	r := lastRecording(rt)
	var order []string
	for i := range 6 {
		_, row, kind := r.Event(i)
		order = append(order, tl.Tasks[row].Name+" "+kind)
	}
	want(t, order,
		"Cell-1 created", "Cell-1 running", "Task-1 created", "Task-2 created",
		"Cell-1 waiting", "Task-1 running")
	for i := 1; i < r.Len(); i++ {
		if at, _, _ := r.Event(i); at < func() time.Duration { at, _, _ := r.Event(i - 1); return at }() {
			t.Fatalf("event %d goes back in time", i)
		}
	}

	// Times are relative to the cell's start and add up.
	fetch := tl.Tasks[1]
	sleep := fetch.Spans[2]
	if d := sleep.End - sleep.Start; d < 2*unit || d > 2*unit+time.Second {
		t.Fatalf("the 80ms sleep lasted %v", d)
	}
	if tl.Length < fetch.End || fetch.End < 2*unit || tl.Tasks[0].End < fetch.End {
		t.Fatalf("length %v, fetchData ended %v, cell ended %v", tl.Length, fetch.End, tl.Tasks[0].End)
	}
	for _, tk := range tl.Tasks {
		for i := 1; i < len(tk.Spans); i++ {
			if tk.Spans[i].Start != tk.Spans[i-1].End {
				t.Fatalf("%s: span %d starts at %v, the one before ends at %v", tk.Name, i, tk.Spans[i].Start, tk.Spans[i-1].End)
			}
		}
	}

	texts := checkSVG(t, tl.SVG())
	for _, s := range []string{"Timeline of Cell-1: 3 tasks", "Cell-1", "Task-1 fetchData()", "Task-2 printNumbers()", "sleep 80ms", "0", "running", "done"} {
		if count(texts, s) == 0 {
			t.Errorf("SVG has no text %q; texts: %q", s, texts)
		}
	}
	if n := count(texts, "✓"); n != 3+1 { // three tasks done, and the legend
		t.Errorf("SVG has %d ✓ marks, want 4", n)
	}
	if !strings.Contains(tl.SVG(), "<title>Task-1 waiting on sleep 80ms: ") {
		t.Errorf("SVG has no tooltip for the sleep")
	}
}

// A cell that runs a program with Run: the cell waits on Run while the
// fresh loop's tasks (main and what it creates) run, and they are drawn.
func TestTimelineRunInCell(t *testing.T) {
	rt, _ := newRT(t)
	cell(t, rt, "c1", func() {
		rt.Run(co(rt, "main", func() []any {
			a := rt.CreateTask(sleeper(rt, nil, "a", unit/4, 1))
			b := rt.CreateTask(sleeper(rt, nil, "b", unit/2, 2))
			rt.Await(rt.Gather(a, b))
			return nil
		}))
	})
	tl := rt.Timeline()
	want(t, stories(tl),
		"Cell-1: run [Run] run done",
		"Task-1 main(): ready run [gather] run done",
		"Task-2 a(): ready run [sleep 10ms] run done",
		"Task-3 b(): ready run [sleep 20ms] run done",
	)
}

// Cancelled and failed tasks, and waits on a lock, a queue, an event and
// a plain future, are labelled; a task still pending at the end is drawn
// to the end of the recording.
func TestTimelineStatesAndWaits(t *testing.T) {
	rt, _ := newRT(t)
	var forever *Task
	cell(t, rt, "c1", func() {
		lock := rt.NewLock()
		q := rt.NewQueue(0)
		ev := rt.NewEvent()
		fut := rt.GetRunningLoop().CreateFuture()
		rt.Await(lock.Acquire())
		locker := rt.CreateTask(co(rt, "locker", func() []any {
			rt.Await(lock.Acquire())
			lock.Release()
			return nil
		}))
		getter := rt.CreateTask(co(rt, "getter", func() []any { return rt.Await(q.Get()) }))
		waiter := rt.CreateTask(co(rt, "waiter", func() []any { return rt.Await(ev.Wait()) }))
		futw := rt.CreateTask(co(rt, "futw", func() []any { return rt.Await(fut) }))
		failing := rt.CreateTask(co(rt, "failing", func() []any {
			rt.Await(rt.Sleep(0))
			panic(errors.New("boom"))
		}))
		victim := rt.CreateTask(co(rt, "victim", func() []any {
			rt.Await(rt.Sleep(time.Hour))
			return nil
		}))
		forever = rt.CreateTask(co(rt, "forever", func() []any {
			rt.Await(rt.Sleep(time.Hour))
			return nil
		}))
		rt.Await(rt.Sleep(0))
		lock.Release()
		q.PutNowait(1)
		ev.Set()
		fut.SetResult(2)
		victim.Cancel()
		rt.Await(rt.GatherReturnExceptions(locker, getter, waiter, futw, failing, victim))
	})
	tl := rt.Timeline()
	want(t, stories(tl),
		"Cell-1: run [yield] run [gather] run done",
		"Task-1 locker(): ready run [lock] run done",
		"Task-2 getter(): ready run [queue get] run done",
		"Task-3 waiter(): ready run [event] run done",
		"Task-4 futw(): ready run [future] run done",
		"Task-5 failing(): ready run [yield] run failed",
		"Task-6 victim(): ready run [sleep 1h0m0s] run cancelled",
		"Task-7 forever(): ready run [sleep 1h0m0s] pending",
	)
	if end := tl.Tasks[7].End; end != tl.Length {
		t.Fatalf("pending task ends at %v, the recording at %v", end, tl.Length)
	}
	texts := checkSVG(t, tl.SVG())
	for _, s := range []string{"✗", "⊘", "…", "failed", "cancelled"} {
		if count(texts, s) == 0 {
			t.Errorf("SVG has no %q", s)
		}
	}
	table := tl.Table()
	for _, s := range []string{"Timeline of Cell-1: 8 tasks\n", "task ", "Task-5  failing()", " failed ", " cancelled ", " pending ", "sleep 1h0m0s", "queue get"} {
		if !strings.Contains(table, s) {
			t.Errorf("Table() has no %q:\n%s", s, table)
		}
	}
	cell(t, rt, "c2", func() { forever.Cancel() })
}

// Only the last completed cell is shown: tasks of earlier cells that keep
// running are not in it, and a cell that asks for the timeline sees the
// one before it.
func TestTimelineLastCellOnly(t *testing.T) {
	rt, _ := newRT(t)
	if got := rt.Timeline().String(); got != "Timeline: no completed cell yet" {
		t.Fatalf("before any cell: %q", got)
	}
	var bg *Task
	cell(t, rt, "c1", func() {
		bg = rt.CreateTask(co(rt, "background", func() []any {
			for i := 0; i < 3; i++ {
				rt.Await(rt.Sleep(unit / 8))
			}
			return nil
		}))
	})
	cell(t, rt, "c2", func() {
		rt.Await(rt.Sleep(unit / 2))
		rt.Await(rt.CreateTask(co(rt, "mine", func() []any { return nil })))
	})
	var inCell string
	bgDone := false
	cell(t, rt, "c3", func() {
		inCell = strings.Join(stories(rt.Timeline()), "\n")
		// On a loaded machine the background task may still be sleeping.
		rt.Await(bg)
		bgDone = bg.Done()
	})
	want(t, strings.Split(inCell, "\n"),
		"Cell-2: run [sleep 20ms] run [Task-2] run done",
		"Task-2 mine(): ready run done",
	)
	if !bgDone {
		t.Fatal("background task not done")
	}
	if tl := rt.Timeline(); tl.String() != "Timeline: 1 task" || tl.Cell != "Cell-3" {
		t.Fatalf("after cell 3: %q of %q", tl, tl.Cell)
	}
}

// Awaiting a task of an earlier cell names it.
func TestTimelineAwaitOlderTask(t *testing.T) {
	rt, _ := newRT(t)
	var old *Task
	cell(t, rt, "c1", func() {
		old = rt.CreateTask(sleeper(rt, nil, "old", unit/4, 1), "oldie")
	})
	cell(t, rt, "c2", func() { rt.Await(old) })
	want(t, stories(rt.Timeline()), "Cell-2: run [oldie] run done")
}

// The recording is bounded: it stops after timeline.MaxEvents events (the
// picture says so) and is dropped when a cell makes more than
// timeline.MaxTasks tasks.
func TestTimelineLimits(t *testing.T) {
	rt, _ := newRT(t)
	spawn := func(n int) {
		xs := make([]any, n)
		for i := range xs {
			xs[i] = co(rt, "w", func() []any { rt.Await(rt.Sleep(0)); return nil })
		}
		rt.Await(rt.Gather(xs...))
	}
	cell(t, rt, "c1", func() { spawn(3000) })
	tl := rt.Timeline()
	if n := lastRecording(rt).Len(); n != timeline.MaxEvents {
		t.Fatalf("%d events kept, want %d", n, timeline.MaxEvents)
	}
	if !strings.HasSuffix(tl.String(), "(recording stopped after 10000 events)") {
		t.Fatalf("String() = %q", tl.String())
	}
	if len(tl.Tasks) > timeline.MaxEvents || len(tl.Tasks) < 1000 {
		t.Fatalf("%d tasks", len(tl.Tasks))
	}
	texts := checkSVG(t, tl.SVG())
	if count(texts, "Task-59 w()") != 1 || count(texts, "Task-60 w()") != 0 {
		t.Errorf("SVG should draw the cell and the first 59 tasks only")
	}
	if !strings.Contains(strings.Join(texts, "\n"), "more not drawn") {
		t.Errorf("SVG does not say that rows are missing")
	}

	cell(t, rt, "c2", func() { spawn(timeline.MaxTasks + 1) })
	tl = rt.Timeline()
	if tl.String() != "Timeline: 0 tasks (not recorded: the cell created more than 10000 tasks)" {
		t.Fatalf("String() = %q", tl.String())
	}
	if r := lastRecording(rt); r.Len() != 0 { // TestDroppedRecordingKeepsNothing checks its memory
		t.Fatalf("dropped recording keeps %d events", r.Len())
	}
	checkSVG(t, tl.SVG())
}

// Outside cells (Run from plain Go) nothing is recorded.
func TestTimelineOutsideCells(t *testing.T) {
	rt, _ := newRT(t)
	mainOf(rt, func() { rt.Await(rt.Sleep(0)) })
	now, last := loop.Recordings(rt.Runtime)
	if last != nil || now != nil {
		t.Fatal("Run outside a cell was recorded")
	}
	if _, ok := rt.Exports()[ExportPath]["Timeline"]; !ok {
		t.Fatal("Timeline is not exported")
	}
}

// lastRecording returns the timeline recording of rt's last completed cell.
func lastRecording(rt *Runtime) *timeline.Recording {
	_, last := loop.Recordings(rt.Runtime)
	return last
}
