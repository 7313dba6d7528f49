package goid

import (
	"sync"
	"testing"
)

// TestSelf is the probe of self_*.s: Self must be stable within a
// goroutine and tell apart goroutines that are alive together, also after
// they were moved between threads and their stacks grew.
func TestSelf(t *testing.T) {
	const n = 64
	tokens := make([]uintptr, n)
	var started, check sync.WaitGroup
	release := make(chan struct{})
	started.Add(n)
	check.Add(n)
	for i := range n {
		go func() {
			defer check.Done()
			first := Self()
			started.Done()
			<-release // every goroutine is alive until all have read theirs
			if again := grow(200); again != first {
				t.Errorf("goroutine %d: Self() = %#x, then %#x after its stack grew", i, first, again)
			}
			tokens[i] = first
		}()
	}
	started.Wait()
	close(release)
	check.Wait()
	seen := map[uintptr]int{}
	for i, tok := range tokens {
		if tok == 0 {
			t.Errorf("goroutine %d: Self() = 0", i)
		}
		if j, dup := seen[tok]; dup {
			t.Errorf("goroutines %d and %d, alive together, share token %#x", j, i, tok)
		}
		seen[tok] = i
	}
	if a, b := Self(), Self(); a != b {
		t.Error("Self differs between two calls on the test's goroutine")
	}
	if !Fast {
		return
	}
	if me := Self(); me == uintptr(Current()) {
		t.Errorf("Self() = %#x looks like a goroutine id where it should be the runtime's descriptor", me)
	}
}

// grow calls itself depth times with a frame large enough to make the
// goroutine's stack move, then returns Self.
func grow(depth int) uintptr {
	var pad [256]byte
	if depth == 0 {
		return Self()
	}
	pad[depth%len(pad)] = byte(depth)
	return grow(depth-1) + uintptr(pad[depth%len(pad)]) - uintptr(byte(depth))
}

// BenchmarkSelf is Self's cost (a register read where Fast).
func BenchmarkSelf(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Self()
	}
}
