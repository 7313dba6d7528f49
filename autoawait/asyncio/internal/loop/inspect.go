package asyncio

import "github.com/goawait/goawait/autoawait/asyncio/timeline"

// What the asyncio library's tests read of the loop's state.

// AbandonedCells returns how many cells were abandoned (AbandonCell).
func AbandonedCells(rt *Runtime) int { return int(rt.abandonedN.Load()) }

// PendingTimers returns how many timers l holds.
func PendingTimers(l *EventLoop) int { return len(l.timers) }

// IdleWorkers returns how many finished tasks' goroutines wait for a new
// task, and the most that may wait.
func IdleWorkers(rt *Runtime) (idle, most int) { return len(rt.idle), maxIdleWorkers }

// Recordings returns the timeline recording of the cell running now and
// that of the last completed cell (nil when none).
func Recordings(rt *Runtime) (now, last *timeline.Recording) { return rt.tl, rt.lastTL }

// SetQuiet stops c from being reported as never awaited.
func SetQuiet(c *Coroutine) { c.quiet = true }
