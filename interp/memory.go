package interp

import (
	"fmt"
	"reflect"
	"runtime/debug"
)

// TooLargeError is the panic of a make whose slice or channel could
// never fit under the process's memory limit (GOMEMLIMIT; the kernel sets
// one below the machine's or its cgroup's memory).
type TooLargeError struct {
	Bytes uint64 // what the make asked for (at least)
	Limit int64  // the memory limit
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("make: %d bytes is more than the kernel's memory limit (%d bytes; set GOMEMLIMIT to change it)", e.Bytes, e.Limit)
}

// makeLen is what lowered makes call with each size (reserved.MakeLen):
// elem is a nil pointer to the element type. Without a memory limit it
// checks nothing.
func makeLen(elem any, n int) int {
	if n <= 0 {
		return n
	}
	limit := debug.SetMemoryLimit(-1)
	size := uint64(reflect.TypeOf(elem).Elem().Size())
	if size > 0 && uint64(n) > uint64(limit)/size {
		panic(&TooLargeError{Bytes: uint64(n) * size, Limit: limit})
	}
	return n
}
