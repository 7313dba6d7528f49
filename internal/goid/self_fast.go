//go:build (linux || darwin) && (amd64 || arm64)

package goid

// Fast tells that Self costs a register read on this platform.
const Fast = true

// self returns the address of the runtime's descriptor of the calling
// goroutine (self_amd64.s, self_arm64.s). The descriptor stays where it
// is while the goroutine lives; only its address is used, never what it
// holds. TestSelf checks that it tells goroutines apart.
func self() uintptr
