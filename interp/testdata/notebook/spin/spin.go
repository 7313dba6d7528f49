// Package spin runs a compiled loop no checkpoint can interrupt.
package spin

import "sync/atomic"

var stop, started atomic.Bool

// Until spins until Stop is called; Started tells whether it began. Each
// call spins anew (the package stays loaded across tests run -count=N).
func Until() int {
	n := 0
	stop.Store(false)
	started.Store(true)
	for !stop.Load() {
		n++
	}
	return n
}

// Started tells whether Until began spinning.
func Started() bool { return started.Load() }

// Stop ends Until; Started is false again until the next Until.
func Stop() {
	started.Store(false)
	stop.Store(true)
}
