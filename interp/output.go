package interp

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/goawait/goawait/language"
)

// markerStart opens a flush marker written into a capture pipe; the marker
// is markerStart + id + "\x00". Markers never reach the front end.
const markerStart = "\x00goawait-flush:"

// panicLine matches the lines yaegi prints to its stderr for every panic
// ("12:3: panic: main.f(...)", possibly prefixed by a file name).
var panicLine = regexp.MustCompile(`^(?:[^\s:]*:)?\d+:\d+: panic: .*\(\.\.\.\)$`)

// router holds the publisher that captured output currently goes to.
type router struct {
	mu  sync.Mutex
	pub language.Publisher
}

func (r *router) set(p language.Publisher) {
	r.mu.Lock()
	r.pub = p
	r.mu.Unlock()
}

func (r *router) get() language.Publisher {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pub
}

// capture is one captured stream: the write end given to the interpreter
// and a goroutine that reads the other end and forwards to the router.
type capture struct {
	name  string // "stdout" or "stderr"
	w     *os.File
	r     *os.File
	route *router
	// onPanicLine receives yaegi's panic trace lines (stderr only).
	onPanicLine func(line string)

	mu      sync.Mutex
	nextID  int
	waiting map[string]chan struct{}
	done    chan struct{}
}

func newCapture(name string, route *router, onPanicLine func(string)) (*capture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", name, err)
	}
	c := &capture{name: name, w: w, r: r, route: route, onPanicLine: onPanicLine,
		waiting: map[string]chan struct{}{}, done: make(chan struct{})}
	go c.read()
	return c, nil
}

// flush returns once every byte written to the pipe before the call has
// been handed to the publisher current at that point.
func (c *capture) flush() {
	c.mu.Lock()
	c.nextID++
	id := strconv.Itoa(c.nextID)
	ch := make(chan struct{})
	c.waiting[id] = ch
	c.mu.Unlock()
	if _, err := io.WriteString(c.w, markerStart+id+"\x00"); err != nil {
		return // closed: nothing more will come
	}
	select {
	case <-ch:
	case <-c.done:
	}
}

// closeWait bounds how long close waits for the reader to see the end
// of the pipe: a process the session started that is still running (one
// that escaped killStrays) holds a copy of the write end, and the end
// never comes.
const closeWait = 500 * time.Millisecond

func (c *capture) close() {
	c.w.Close()
	select {
	case <-c.done:
	case <-time.After(closeWait):
	}
	c.r.Close() // unblocks a pending Read: pipes are pollable
	select {
	case <-c.done:
	case <-time.After(closeWait):
	}
}

// read forwards what the interpreter writes, strips markers and, on
// stderr, diverts yaegi's panic lines.
func (c *capture) read() {
	defer close(c.done)
	buf := make([]byte, 32*1024)
	var pending []byte
	for {
		n, err := c.r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = c.consume(pending, err != nil)
		if err != nil {
			return
		}
	}
}

// consume forwards the complete part of data and returns what must wait
// for more bytes (a marker or, on stderr, a possible panic line cut short).
func (c *capture) consume(data []byte, final bool) []byte {
	var out bytes.Buffer
	for len(data) > 0 {
		i := bytes.Index(data, []byte(markerStart))
		if i < 0 {
			keep := 0
			if !final {
				keep = partialSuffix(data, markerStart)
			}
			out.Write(data[:len(data)-keep])
			data = data[len(data)-keep:]
			break
		}
		end := bytes.IndexByte(data[i+len(markerStart):], 0)
		if end < 0 {
			out.Write(data[:i])
			data = data[i:]
			if final {
				data = nil
			}
			break
		}
		out.Write(data[:i])
		id := string(data[i+len(markerStart) : i+len(markerStart)+end])
		data = data[i+len(markerStart)+end+1:]
		c.send(&out, true)
		c.mu.Lock()
		if ch, ok := c.waiting[id]; ok {
			delete(c.waiting, id)
			close(ch)
		}
		c.mu.Unlock()
	}
	rest := c.send(&out, final)
	return append(rest, data...)
}

// send hands out's text to the publisher. On stderr, yaegi's panic lines
// are diverted and a last line that could still become one is held back
// (returned) unless all is true.
func (c *capture) send(out *bytes.Buffer, all bool) []byte {
	text := out.Bytes()
	var held []byte
	if c.onPanicLine != nil {
		var kept bytes.Buffer
		for len(text) > 0 {
			nl := bytes.IndexByte(text, '\n')
			if nl < 0 {
				if !all && mayBePanicLine(text) {
					held = append(held, text...)
				} else {
					kept.Write(text)
				}
				break
			}
			line := text[:nl]
			if panicLine.Match(line) {
				c.onPanicLine(string(line))
			} else {
				kept.Write(text[:nl+1])
			}
			text = text[nl+1:]
		}
		text = kept.Bytes()
	}
	if len(text) > 0 {
		if p := c.route.get(); p != nil {
			p.Stream(c.name, string(text))
		}
	}
	out.Reset()
	return held
}

// mayBePanicLine tells whether an unfinished line could be the start of a
// yaegi panic line: it starts with a digit or a cell name.
func mayBePanicLine(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] >= '0' && b[0] <= '9' {
		return len(b) < 4096
	}
	return bytes.HasPrefix(b, []byte("cell[")) && len(b) < 4096
}

// partialSuffix returns the length of the longest suffix of data that is a
// proper prefix of marker.
func partialSuffix(data []byte, marker string) int {
	for k := min(len(marker)-1, len(data)); k > 0; k-- {
		if bytes.HasSuffix(data, []byte(marker[:k])) {
			return k
		}
	}
	return 0
}
