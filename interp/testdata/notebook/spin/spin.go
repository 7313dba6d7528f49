// Package spin runs a compiled loop no checkpoint can interrupt.
package spin

import "sync/atomic"

var stop, started atomic.Bool

// Until spins until Stop is called; Started tells whether it began.
func Until() int {
	n := 0
	started.Store(true)
	for !stop.Load() {
		n++
	}
	return n
}

// Started tells whether Until began spinning.
func Started() bool { return started.Load() }

// Stop ends Until.
func Stop() { stop.Store(true) }
