// Package gctune lets a small Go heap grow further between collections.
//
// A kernel's heap is small (tens of MB) while every cell allocates a few
// hundred kB compiling it, so with GOGC=100 a collection runs every few
// dozen cells; its mark workers take one of the few cores while a reply is
// on its way, which is what the slowest round trips measure. Start raises
// GOGC while the live heap is small, so that the heap may grow by up to
// Headroom beyond it (GOGC at most 400), and
// falls back to GOGC=100 as the live heap grows past Headroom: big
// sessions (100,000 parked tasks, large data) keep Go's usual bound of
// twice their live memory.
//
// The user's choice wins: when the GOGC environment variable is set,
// Start tunes nothing, and once anything else in the process (a cell's
// debug.SetGCPercent) sets a value other than the one Start last set,
// tuning stops and that value stays.
package gctune

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Headroom is how much a small heap may grow between collections.
const Headroom = 32 << 20

// Percent returns the GOGC that lets a heap of live bytes grow by
// Headroom: between 100 (Go's default) and 400.
func Percent(live uint64) int {
	if live == 0 {
		return 400
	}
	p := int(Headroom * 100 / live)
	return min(400, max(100, p))
}

// liveMetrics are the live heap and the goroutine stacks, what Go's pacer
// counts.
var liveMetrics = []string{"/gc/heap/live:bytes", "/gc/scan/stack:bytes"}

// live returns the live heap plus the stacks, as of the last collection.
func live(samples []metrics.Sample) uint64 {
	metrics.Read(samples)
	var n uint64
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			n += s.Value.Uint64()
		}
	}
	return n
}

// Start sets GOGC now and again after every collection, until the
// process ends or someone else sets GOGC. It returns the GOGC in effect
// after it (the environment's when GOGC is set, and then it tunes
// nothing).
func Start() int {
	if os.Getenv("GOGC") != "" {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	t := &tuner{samples: make([]metrics.Sample, len(liveMetrics)), set: debug.SetGCPercent}
	for i, name := range liveMetrics {
		t.samples[i].Name = name
	}
	t.last = Percent(live(t.samples))
	debug.SetGCPercent(t.last)
	t.watch()
	return t.last
}

// tuner sets GOGC from the live heap after each collection.
type tuner struct {
	samples []metrics.Sample
	last    int             // the GOGC the tuner set last
	set     func(p int) int // debug.SetGCPercent
}

// step sets GOGC for the live heap, unless GOGC is no longer the value
// the tuner set: then it puts back that value and tells it to stop.
func (t *tuner) step() (keep bool) {
	p := Percent(live(t.samples))
	if prev := t.set(p); prev != t.last {
		t.set(prev)
		return false
	}
	t.last = p
	return true
}

// watch re-arms itself on a sentinel that each collection finalizes.
func (t *tuner) watch() {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		if t.step() {
			t.watch()
		}
	})
}
