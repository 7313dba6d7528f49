package zmqtransport

import (
	"sync/atomic"
	"time"
)

// Back-pressure on iopub.
//
// A Pub never waits, so a cell that prints 1 GB would be dropped for a
// front end that reads slower than the cell prints. Cell output
// (streams, display data, clear_output) therefore passes a Gate, which
// waits while a subscriber that reads has gateMaxQueued messages or more
// queued: the cell slows down to the speed of the front end (its capture
// pipes fill and its writes block). Status and reply-side messages are
// few and small and never wait, so a stalled front end cannot stop
// shutdown or interrupt.
//
// A front end that reads nothing (a stopped process, a client that
// subscribed and went away without closing) would hold the cell forever.
// Once it has taken nothing for Options.Stall it stops counting in
// Pub.Backlog, so the others go on at their speed. When no subscriber
// reads at all for the gate's stall time, the gate drops output until
// the queues have drained to half, and the kernel tells the cell how
// much was dropped.

// gateMaxQueued bounds the messages of cell output waiting for a
// subscriber that reads. A stream message holds at most ~96 KiB of text,
// so a queue holds a few MiB at most.
const gateMaxQueued = 32

// Gate holds cell output back while the subscribers of a Pub are behind.
type Gate struct {
	queued   func() int // messages queued (Pub.Backlog); nil: no back-pressure
	stall    time.Duration
	stopping <-chan struct{}
	dropping atomic.Bool // a stall happened and the queues have not drained yet
}

// Gate returns the gate for cell output on pub: it waits up to stall for
// front ends that read nothing before it drops output, and never once
// stopping is closed.
func (pub *Pub) Gate(stall time.Duration, stopping <-chan struct{}) *Gate {
	return &Gate{queued: pub.Backlog, stall: stall, stopping: stopping}
}

// Stall returns how long the gate waits for a front end that reads
// nothing before it drops output.
func (g *Gate) Stall() time.Duration { return g.stall }

// Admit waits until there is room for one more message of cell output.
// It returns false if the message must be dropped because no front end
// reads. During shutdown it never waits.
func (g *Gate) Admit() bool {
	if g.queued == nil {
		return true
	}
	if g.dropping.Load() {
		if g.queued() > gateMaxQueued/2 {
			return false
		}
		g.dropping.Store(false)
	}
	if g.queued() < gateMaxQueued {
		return true
	}
	deadline := time.Now().Add(g.stall)
	pause := 100 * time.Microsecond
	for {
		// The time is read before the queues: a subscriber that has
		// stalled by the deadline no longer counts in them then.
		late := time.Now().After(deadline)
		if g.queued() < gateMaxQueued {
			return true
		}
		select {
		case <-g.stopping:
			return true
		default:
		}
		if late {
			g.dropping.Store(true)
			return false
		}
		time.Sleep(pause)
		pause = min(2*pause, 5*time.Millisecond)
	}
}
