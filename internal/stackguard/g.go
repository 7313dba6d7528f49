//go:build amd64 || arm64

package stackguard

import "unsafe"

// Supported tells whether Check can read the stack's bounds here.
const Supported = true

// getg returns the runtime's descriptor of the calling goroutine (its g),
// from the register or thread-local slot where the runtime keeps it.
func getg() unsafe.Pointer

// gStack mirrors the first field of the runtime's g, its stack bounds
// [lo, hi): unchanged since Go 1.4 (runtime/runtime2.go). TestBounds
// fails if that ever changes.
type gStack struct {
	lo, hi uintptr
}

// bounds returns the calling goroutine's stack bounds.
//
//go:nosplit
func bounds() (lo, hi uintptr) {
	s := (*gStack)(getg())
	return s.lo, s.hi
}
