// Package stackguard turns runaway recursion into a panic a program can
// recover from. Go ends the whole process when a goroutine's stack would
// pass its limit (a fatal error, not a panic); a function that calls a
// Guard's Check on entry panics well before that instead, so a
// kernel whose cell recursed without end reports an error in the cell
// and keeps its state.
//
// Check reads the bounds of the calling goroutine's stack from the Go
// runtime's goroutine descriptor (see g.go); where that is not possible
// (an architecture without the small assembly it needs) Check does
// nothing and Supported is false.
package stackguard

import (
	"fmt"
	"unsafe"
)

// DefaultLimit is the stack a goroutine of a kernel may use: about 7,000
// levels of a small interpreted function. A panic unwinds the
// interpreter's frames in time that grows with the square of their
// number (each level recovers and panics again), so a limit 4 times
// higher makes the error 16 times slower to arrive (1.7 s at 4 MiB, 44 s
// at 16 MiB, measured on a 2-core machine).
const DefaultLimit = 4 << 20

// TooDeepError is the value Check panics with.
type TooDeepError struct {
	Limit uintptr // the guard's limit in bytes
}

func (e *TooDeepError) Error() string {
	return fmt.Sprintf("stack overflow: the goroutine's stack passed %d KiB (runaway recursion?)", e.Limit>>10)
}

// Guard checks stacks against a limit.
type Guard struct {
	// Limit is the stack in bytes a goroutine may use before Check
	// panics; it must stay well below 512 MiB, where the next doubling of
	// a stack passes Go's 1 GB maximum.
	Limit uintptr
}

// Check panics with a *TooDeepError when the calling goroutine uses more
// than g.Limit bytes of stack.
func (g Guard) Check() {
	if used() > g.Limit {
		panic(&TooDeepError{Limit: g.Limit})
	}
}

// used returns how many bytes of its stack the calling goroutine uses (0
// when unknown).
//
//go:nosplit
func used() uintptr {
	lo, hi := bounds()
	var here byte
	sp := uintptr(unsafe.Pointer(&here))
	if sp < lo || sp > hi {
		return 0
	}
	return hi - sp
}
