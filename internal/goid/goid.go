// Package goid tells which goroutine is running. goawait needs it where a
// host function called from interpreted code must know whether it runs on
// a cell's own goroutine (interrupt checkpoints, abandoned cells). Current,
// the goroutine's number, costs microseconds and stays off hot paths;
// Self, a token that only tells goroutines apart, costs a register read.
package goid

import (
	"bytes"
	"runtime"
	"strconv"
)

// Current returns the calling goroutine's id, parsed from the header of
// its stack trace ("goroutine 42 [running]:").
func Current() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
