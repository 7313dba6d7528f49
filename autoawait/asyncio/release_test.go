package asyncio

import (
	"runtime"
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
