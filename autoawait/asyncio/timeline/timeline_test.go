package timeline

import (
	"slices"
	"testing"
	"time"
)

func TestShortDuration(t *testing.T) {
	for d, s := range map[time.Duration]string{
		250 * time.Millisecond:  "250ms",
		1500 * time.Millisecond: "1.5s",
		2 * time.Second:         "2s",
		80 * time.Microsecond:   "80µs",
		time.Hour:               "1h0m0s",
		12 * time.Nanosecond:    "12ns",
	} {
		if got := shortDuration(d); got != s {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, s)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	ticks, unit, name := timeTicks(230 * time.Millisecond)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tickText(tk, unit, name, ticks))
	}
	want(t, labels, "0", "50ms", "100ms", "150ms", "200ms", "250ms")
	ticks, unit, name = timeTicks(2500 * time.Millisecond)
	labels = nil
	for _, tk := range ticks {
		labels = append(labels, tickText(tk, unit, name, ticks))
	}
	want(t, labels, "0", "0.5s", "1.0s", "1.5s", "2.0s", "2.5s")
}

func TestFitLabel(t *testing.T) {
	for _, c := range []struct {
		label string
		w     float64
		want  string
	}{
		{"sleep 20ms", 100, "sleep 20ms"},
		{"sleep 20ms", 40, "sleep"},
		{"sleep 20ms", 20, ""},
		{"gather", 30, ""},
	} {
		if got := fitLabel(c.label, c.w); got != c.want {
			t.Errorf("fitLabel(%q, %v) = %q, want %q", c.label, c.w, got, c.want)
		}
	}
}

func TestChunks(t *testing.T) {
	var c chunks[int]
	for i := range 3*chunkLen + 5 {
		*c.add() = i
	}
	if c.n != 3*chunkLen+5 || len(c.list) != 4 {
		t.Fatalf("n %d, %d chunks", c.n, len(c.list))
	}
	for i := range c.n {
		if *c.at(i) != i {
			t.Fatalf("at(%d) = %d", i, *c.at(i))
		}
	}
}

// A cell that makes more than MaxTasks tasks drops its recording and the
// memory it held.
func TestDroppedRecordingKeepsNothing(t *testing.T) {
	r := Start(named("Cell-1"))
	for i := range MaxTasks + 1 {
		if _, ok := r.Add(named("Task"), "w"); !ok && i < MaxTasks-1 && r.On() {
			t.Fatalf("task %d not recorded", i)
		}
	}
	if r.events.list != nil || r.rows.list != nil {
		t.Fatalf("dropped recording keeps %d events, %d rows", r.events.n, r.rows.n)
	}
}

type named string

func (n named) Name() string { return string(n) }

// want fails unless got is the lines of want.
func want(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
