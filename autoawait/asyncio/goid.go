package asyncio

import (
	"bytes"
	"runtime"
	"strconv"
)

// goid returns the calling goroutine's id (parsed from its stack header).
// It is used only around AbandonCell, never on hot paths.
func goid() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
