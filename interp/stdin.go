package interp

import (
	"errors"
	"fmt"
	"sync"

	"github.com/goawait/goawait/interp/internal/capture"
)

// errNoStdin is the error of a read from stdin when the request did not
// allow input.
var errNoStdin = errors.New("stdin is not available: this execute request does not allow input (allow_stdin is false)")

// stdinReader is the interpreter's stdin (fmt.Scan*, os.Stdin, which cells
// see as an io.Reader): each time it runs dry it asks the current
// publisher for a line.
type stdinReader struct {
	route *capture.Router

	mu    sync.Mutex
	allow bool
	buf   []byte
}

func (r *stdinReader) setAllow(allow bool) {
	r.mu.Lock()
	r.allow = allow
	r.buf = nil // what the last cell did not read is not for this one
	r.mu.Unlock()
}

// Read implements io.Reader.
func (r *stdinReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		if !r.allow {
			return 0, errNoStdin
		}
		pub := r.route.Get()
		if pub == nil {
			return 0, errNoStdin
		}
		line, err := pub.Input("", false)
		if err != nil {
			return 0, fmt.Errorf("read stdin: %w", err)
		}
		r.buf = append(r.buf, line...)
		r.buf = append(r.buf, '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}
