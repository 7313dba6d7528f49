package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 400}, {4 << 20, 400}, {8 << 20, 400}, {16 << 20, 200}, {32 << 20, 100}, {1 << 30, 100},
	} {
		if got := Percent(c.live); got != c.want {
			t.Errorf("Percent(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// TestStartFollowsTheLiveHeap: GOGC is raised for a small heap, and goes
// back to 100 after a collection finds a big one.
func TestStartFollowsTheLiveHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	runtime.GC()
	if p := Start(); p != 400 {
		t.Fatalf("a test's small heap got GOGC=%d, want 400", p)
	}
	big := make([][]byte, 0, 256)
	for range 256 {
		big = append(big, make([]byte, 1<<20)) // 256 MiB live
	}
	runtime.GC()
	runtime.GC() // the sentinel's finalizer runs after the first
	deadline := time.Now().Add(5 * time.Second)
	for current() != 100 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := current(); p != 100 {
		t.Errorf("with 256 MiB live, GOGC=%d, want 100", p)
	}
	runtime.KeepAlive(big)
	big = nil
	for current() != 400 && time.Now().Before(deadline.Add(5*time.Second)) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := current(); p != 400 {
		t.Errorf("after the heap shrank, GOGC=%d, want 400", p)
	}
}

// current reads GOGC without setting it (the tuner would take a set for
// the user's choice).
func current() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}

// TestTheUsersGOGCStays: once something else sets GOGC, the tuner puts
// it back if it raced with it, and stops.
func TestTheUsersGOGCStays(t *testing.T) {
	gogc := 250
	set := func(p int) int { prev := gogc; gogc = p; return prev }
	tu := &tuner{samples: []metrics.Sample{{Name: liveMetrics[0]}, {Name: liveMetrics[1]}}, last: 250, set: set}
	if !tu.step() {
		t.Fatal("the tuner stopped while GOGC was its own")
	}
	if gogc != tu.last || gogc < 100 || gogc > 400 {
		t.Fatalf("the tuner set GOGC=%d (last %d)", gogc, tu.last)
	}
	gogc = 37 // a cell's debug.SetGCPercent(37)
	if tu.step() {
		t.Error("the tuner goes on after the user set GOGC")
	}
	if gogc != 37 {
		t.Errorf("GOGC = %d after the user set 37", gogc)
	}
}
