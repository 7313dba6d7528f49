package timeline

import (
	"fmt"
	"strings"
	"time"
)

// TaskTimeline is what the tasks of one cell did over time, as
// asyncio's Timeline returns it. As a cell's last value it shows as an SVG
// picture (SVG), with String as its plain text; Table gives the text
// version of the picture.
type TaskTimeline struct {
	// Cell is the cell's task name ("Cell-5"); "" when no cell completed.
	Cell string
	// Tasks are the cell's task and the tasks made on its behalf, in
	// creation order.
	Tasks []TimelineTask
	// Length is how long the recording lasted (from the cell's start).
	Length time.Duration
	// Note says why the picture is partial or empty ("" if complete).
	Note string
}

// TimelineTask is one task of a TaskTimeline.
type TimelineTask struct {
	Name    string        // "Task-2", "Cell-5"
	Coro    string        // coroutine name, "" for a cell
	Created time.Duration // since the cell started
	Spans   []TimelineSpan
	// State is "done", "cancelled", "failed", or "pending" when the task
	// had not ended when the recording stopped.
	State string
	End   time.Duration // when it ended (Length if pending)
}

// TimelineSpan is a stretch of a task's life: running (holding the
// baton) or waiting on what Label says ("sleep 250ms", "Task-3",
// "gather", "lock", "queue get"...). A task that is created and not yet
// started waits with the label "ready".
type TimelineSpan struct {
	Start, End time.Duration
	Running    bool
	Label      string
}

// Timeline builds the TaskTimeline of a stopped recording.
func (r *Recording) Timeline() *TaskTimeline {
	tl := &TaskTimeline{Cell: r.cell.Name(), Length: r.stopAt}
	switch {
	case r.dropped:
		tl.Note = fmt.Sprintf("not recorded: the cell created more than %d tasks", MaxTasks)
		return tl
	case r.full:
		tl.Note = fmt.Sprintf("recording stopped after %d events", MaxEvents)
	}
	tasks := make([]TimelineTask, r.rows.n)
	open := make([]TimelineSpan, r.rows.n) // the span in progress
	for i := range tasks {
		row := r.rows.at(i)
		tasks[i] = TimelineTask{Name: row.task.Name(), Coro: row.coro, State: "pending"}
	}
	for i := 0; i < r.events.n; i++ {
		e := *r.events.at(i)
		tk, sp := &tasks[e.row], &open[e.row]
		closeSpan := func() {
			sp.End = e.at
			if sp.End > sp.Start || sp.Running {
				tk.Spans = append(tk.Spans, *sp)
			}
		}
		switch e.kind {
		case evCreated:
			tk.Created = e.at
			*sp = TimelineSpan{Start: e.at, Label: "ready"}
			if e.row == 0 { // the cell runs as soon as it is admitted
				sp.Running = true
			}
		case evRunning:
			closeSpan()
			*sp = TimelineSpan{Start: e.at, Running: true}
		case evWaiting:
			closeSpan()
			*sp = TimelineSpan{Start: e.at, Label: r.label(e, tasks)}
		case evDone, evCancelled, evFailed:
			closeSpan()
			*sp = TimelineSpan{}
			tk.End = e.at
			tk.State = [...]string{evDone: "done", evCancelled: "cancelled", evFailed: "failed"}[e.kind]
		}
	}
	for i := range tasks {
		if tasks[i].State == "pending" {
			sp := open[i]
			sp.End = r.stopAt
			tasks[i].Spans = append(tasks[i].Spans, sp)
			tasks[i].End = r.stopAt
		}
	}
	tl.Tasks = tasks
	return tl
}

// label is the text of a waiting event.
func (r *Recording) label(e event, tasks []TimelineTask) string {
	switch e.what {
	case OnSleep:
		return "sleep " + shortDuration(time.Duration(e.arg))
	case OnTask:
		if e.arg >= 0 {
			return tasks[e.arg].Name
		}
		return r.labels[-e.arg-1]
	}
	if int(e.what) < len(waitWords) {
		return waitWords[e.what]
	}
	return "?"
}

// shortDuration formats d compactly: "250ms", "1.5s", "80µs".
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Minute:
		return d.String()
	case d >= time.Second:
		return trimFloat(d.Seconds()) + "s"
	case d >= time.Millisecond:
		return trimFloat(float64(d)/float64(time.Millisecond)) + "ms"
	case d >= time.Microsecond:
		return trimFloat(float64(d)/float64(time.Microsecond)) + "µs"
	}
	return fmt.Sprintf("%dns", int64(d))
}

// trimFloat formats x with at most 3 significant decimals, no trailing
// zeros.
func trimFloat(x float64) string {
	s := fmt.Sprintf("%.3g", x)
	if strings.ContainsAny(s, "e") {
		s = fmt.Sprintf("%.0f", x)
	}
	return s
}

// String is the plain-text form, "Timeline: 3 tasks" (plus the note of a
// partial or empty timeline): what a cell's last value shows as
// text/plain, so that it does not change from run to run.
func (tl *TaskTimeline) String() string { return tl.summary("Timeline") }

// summary is "<head>: N tasks" with the note in parentheses.
func (tl *TaskTimeline) summary(head string) string {
	if tl.Cell == "" {
		return head + ": " + tl.Note
	}
	s := fmt.Sprintf("%s: %d task", head, len(tl.Tasks))
	if len(tl.Tasks) != 1 {
		s += "s"
	}
	if tl.Note != "" {
		s += " (" + tl.Note + ")"
	}
	return s
}

// title is the heading of the picture and the table: "Timeline of
// Cell-5: 3 tasks".
func (tl *TaskTimeline) title() string {
	if tl.Cell == "" {
		return tl.String()
	}
	return tl.summary("Timeline of " + tl.Cell)
}

// Table returns the timeline as a text table, one line per task: name,
// coroutine, created, ended, state, time running, and what it waited on.
func (tl *TaskTimeline) Table() string {
	var b strings.Builder
	b.WriteString(tl.title())
	b.WriteString("\n")
	if len(tl.Tasks) == 0 {
		return b.String()
	}
	rows := [][]string{{"task", "coroutine", "start", "end", "state", "running", "waited on"}}
	for _, tk := range tl.Tasks {
		var run time.Duration
		var waits []string
		seen := map[string]bool{}
		for _, sp := range tk.Spans {
			if sp.Running {
				run += sp.End - sp.Start
			} else if sp.Label != "ready" && !seen[sp.Label] {
				seen[sp.Label] = true
				waits = append(waits, sp.Label)
			}
		}
		coro := tk.Coro
		if coro != "" {
			coro += "()"
		}
		rows = append(rows, []string{tk.Name, coro, msText(tk.Created), msText(tk.End), tk.State, msText(run), strings.Join(waits, ", ")})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
	return b.String()
}

// msText formats d in milliseconds with one decimal: "250.3ms".
func msText(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}
