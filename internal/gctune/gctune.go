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
package gctune

import (
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
// process ends. It returns the GOGC it set first.
func Start() int {
	samples := make([]metrics.Sample, len(liveMetrics))
	for i, name := range liveMetrics {
		samples[i].Name = name
	}
	p := Percent(live(samples))
	debug.SetGCPercent(p)
	watch(samples)
	return p
}

// watch re-arms itself on a sentinel that each collection finalizes.
func watch(samples []metrics.Sample) {
	sentinel := new([16]byte)
	runtime.SetFinalizer(sentinel, func(*[16]byte) {
		debug.SetGCPercent(Percent(live(samples)))
		watch(samples)
	})
}
