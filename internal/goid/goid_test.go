package goid

import "testing"

func TestCurrentDiffersBetweenGoroutinesAndIsStable(t *testing.T) {
	here := Current()
	if here == 0 || Current() != here {
		t.Fatalf("Current() = %d, then %d", here, Current())
	}
	other := make(chan uint64)
	go func() { other <- Current() }()
	if id := <-other; id == here || id == 0 {
		t.Fatalf("another goroutine has id %d, this one %d", id, here)
	}
}
