package interp

import "testing"

// A top-level loop that starts goroutines runs in a function of its own
// (internal/lower: spawnsInBlock): each goroutine still sees its own
// iteration's variable, and the loop still reads and writes the cell's
// variables, those declared before it in the same cell included.
func TestGoroutinesOfATopLevelLoop(t *testing.T) {
	r := newRunner(t)
	r.ok("base := 10")
	r.expect(`results := make(chan int, 3)
started := 0
for i := 0; i < 3; i++ {
	go func() { results <- i * base }()
	started++
}
sum := 0
for range started {
	sum += <-results
}
sum + started`, "33")
	r.expect("started", "3")
}
