package gctune

import (
	"runtime"
	"runtime/debug"
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

func current() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}
