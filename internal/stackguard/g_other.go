//go:build !amd64 && !arm64

package stackguard

// Supported tells whether Check can read the stack's bounds here.
const Supported = false

// bounds returns no bounds: Check does nothing here.
func bounds() (lo, hi uintptr) { return 0, 0 }
