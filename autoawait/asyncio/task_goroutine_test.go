package asyncio

import "testing"

func TestOnTaskGoroutine(t *testing.T) {
	if OnTaskGoroutine() {
		t.Fatal("a test's goroutine is not a task's")
	}
	rt := NewRuntime(Options{})
	defer rt.Close()
	var shallow, deep bool
	var recurse func(n int) bool
	recurse = func(n int) bool {
		if n == 0 {
			return OnTaskGoroutine()
		}
		return recurse(n - 1)
	}
	mainOf(rt, func() {
		shallow = OnTaskGoroutine()
		deep = recurse(1000) // the bottom frame is 1,000 frames down
	})
	if !shallow || !deep {
		t.Fatalf("on a task: %t, 1,000 frames deeper: %t", shallow, deep)
	}
	other := make(chan bool)
	mainOf(rt, func() {
		go func() { other <- OnTaskGoroutine() }()
	})
	if <-other {
		t.Fatal("a goroutine started by a task is not a task's")
	}
}
