package asyncio

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// A finished coroutine that a cell keeps (in a slice of coroutines, say)
// must not keep what its body held: in the kernel that is the
// interpreter's frames, about a kilobyte a coroutine.
func TestAFinishedCoroutineReleasesItsBody(t *testing.T) {
	rt, _ := newRT(t)
	freed := make(chan struct{})
	var kept *Coroutine
	cell(t, rt, "c1", func() {
		big := new([1 << 20]byte)
		runtime.SetFinalizer(big, func(*[1 << 20]byte) { close(freed) })
		kept = rt.NewCoroutine("holder", "cell[1]:1", func() []any { return []any{len(big) + int(big[0])} })
		if got := rt.Await(kept); got[0] != 1<<20 {
			t.Errorf("result = %v", got)
		}
	})
	deadline := time.After(5 * time.Second)
	for {
		runtime.GC()
		select {
		case <-freed:
			if kept.String() != "<coroutine object holder at cell[1]:1>" {
				t.Errorf("the coroutine itself changed: %s", kept)
			}
			return
		case <-deadline:
			t.Fatal("the coroutine's body is still reachable after it finished")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// forcedGCs is the number of garbage collections the program forced
// (runtime.GC, debug.FreeOSMemory) so far.
func forcedGCs() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// The cell that brings the number of tasks made since memory was last
// given back to Options.FreeMemoryAfter gives it back when it is done
// (debug.FreeOSMemory, a forced collection); a cell below it does not.
func TestALargeCellGivesFreeMemoryBack(t *testing.T) {
	rt := NewRuntime(Options{FreeMemoryAfter: 3})
	t.Cleanup(func() { _ = rt.Close() })
	gather := func(n int) func() {
		return func() {
			xs := make([]any, n)
			for i := range xs {
				xs[i] = rt.CreateTask(rt.Sleep(0))
			}
			rt.Await(rt.Gather(xs...))
		}
	}
	cell(t, rt, "warm", func() {})
	before := forcedGCs()
	cell(t, rt, "two tasks", gather(2))
	if n := forcedGCs() - before; n != 0 {
		t.Fatalf("a cell below the threshold forced %d collections", n)
	}
	cell(t, rt, "two more", gather(2))
	if n := forcedGCs() - before; n != 1 {
		t.Fatalf("the cell that reached the threshold forced %d collections, want 1", n)
	}
	cell(t, rt, "after", gather(1))
	if n := forcedGCs() - before; n != 1 {
		t.Fatalf("the count did not start again after memory was given back: %d collections", n)
	}
}
