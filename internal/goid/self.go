package goid

// Self returns a token of the calling goroutine: the same on every call
// from one goroutine, different from the token of every other goroutine
// alive at the same time (a goroutine that has ended may pass its token
// on to a new one). Where Fast is true it reads a register and costs
// about a nanosecond, so that a hot path can ask "is this the goroutine
// I recorded?"; elsewhere it is Current, with Current's cost.
func Self() uintptr { return self() }
