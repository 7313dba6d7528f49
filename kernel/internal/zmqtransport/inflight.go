package zmqtransport

import (
	"runtime/debug"
	"sync"
)

// InFlight caps the bytes that the peers of all the sockets sharing it
// may have announced for messages they have not finished sending. Each
// socket also caps one message (Options.MaxMessage); without a shared
// cap, n peers could make the kernel hold n such messages at once. A peer
// whose announcement does not fit is disconnected, and the others go on.
//
// When a connection ends in the middle of a message of which at least
// GiveBackAtLeast bytes had arrived, the memory its buffers took is
// returned to the operating system (see GiveBack).
type InFlight struct {
	limit uint64
	// free returns freed memory to the system (debug.FreeOSMemory); a
	// field so tests can watch it.
	free func()

	mu   sync.Mutex
	used uint64

	returning sync.Mutex
	running   bool // a goroutine is calling free
	again     bool // free must run once more when it ends
}

// GiveBackAtLeast is how many bytes of an abandoned message must have
// arrived for InFlight to return memory to the system; it is also the
// size of message after which the kernel calls GiveBack.
const GiveBackAtLeast = 16 << 20

// NewInFlight returns a budget of limit bytes.
func NewInFlight(limit uint64) *InFlight {
	return &InFlight{limit: limit, free: debug.FreeOSMemory}
}

// reserve takes n bytes of the budget if they fit; it returns what was
// in use before.
func (f *InFlight) reserve(n uint64) (used uint64, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n > f.limit-f.used {
		return f.used, false
	}
	f.used += n
	return f.used - n, true
}

// release gives n reserved bytes back.
func (f *InFlight) release(n uint64) {
	if n == 0 {
		return
	}
	f.mu.Lock()
	f.used -= n
	f.mu.Unlock()
}

// inUse reports the bytes reserved now.
func (f *InFlight) inUse() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.used
}

// abandon gives back the reservation of a message whose connection
// ended before it did, received bytes of which had arrived, and returns
// memory to the system if that was a lot.
func (f *InFlight) abandon(reserved, received uint64) {
	f.release(reserved)
	if received >= GiveBackAtLeast {
		f.GiveBack()
	}
}

// GiveBack returns memory the Go runtime holds but no longer uses to the
// system, on a goroutine of its own; calls that come while it runs make
// it run once more, not once each. Call it once a large message has been
// dropped: the runtime would otherwise keep its memory for reuse, and the
// kernel's resident size would stay up.
func (f *InFlight) GiveBack() {
	f.returning.Lock()
	defer f.returning.Unlock()
	if f.running {
		f.again = true
		return
	}
	f.running = true
	go func() {
		for {
			f.free()
			f.returning.Lock()
			if !f.again {
				f.running = false
				f.returning.Unlock()
				return
			}
			f.again = false
			f.returning.Unlock()
		}
	}()
}
