package stackguard

import (
	"errors"
	"testing"
	"unsafe"
)

// TestBounds is the probe of the runtime's layout: the bounds read from
// the goroutine's descriptor hold a local variable, on this goroutine
// and on a new one.
func TestBounds(t *testing.T) {
	if !Supported {
		t.Skip("no stack bounds on this architecture")
	}
	check := func() error {
		lo, hi := bounds()
		var here byte
		sp := uintptr(unsafe.Pointer(&here))
		if lo == 0 || !(lo < sp && sp < hi) || hi-lo > 1<<30 {
			return errors.New("bounds do not hold the stack")
		}
		return nil
	}
	if err := check(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- check() }()
	if err := <-done; err != nil {
		t.Fatal("new goroutine:", err)
	}
}

// recurse calls itself until g panics (a limit of 1 GB of frames would
// end the test process first: Go's own limit).
func recurse(g Guard, n int) int {
	g.Check()
	if n > 1<<20 {
		return n
	}
	var pad [1024]byte
	pad[n%1024] = byte(n)
	return recurse(g, n+1) + int(pad[0])
}

func TestRunawayRecursionPanicsWithErrTooDeep(t *testing.T) {
	if !Supported {
		t.Skip("no stack bounds on this architecture")
	}
	done := make(chan any)
	go func() {
		defer func() { done <- recover() }()
		recurse(Guard{Limit: DefaultLimit}, 0)
	}()
	if e, ok := (<-done).(*TooDeepError); !ok || e.Limit != DefaultLimit {
		t.Fatalf("recovered %v, want a *TooDeepError", e)
	}
	if used() > DefaultLimit/2 {
		t.Errorf("this goroutine uses %d bytes of stack", used())
	}
}
