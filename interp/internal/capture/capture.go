// Package capture carries what the interpreted code writes to its
// standard output and standard error to the notebook, as it comes.
//
// Each stream is an operating-system pipe: the interpreter, compiled
// packages and child processes all write to its write end, and a
// goroutine reads the other end and hands the text to the front end
// currently chosen (through a Router). The reader never cuts a character
// in two, can be asked to Flush (wait until everything written so far
// has been handed on), and on stderr takes out the lines yaegi prints
// for every panic so that the session can report them its own way.
package capture

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/goawait/goawait/language"
)

// markerStart opens a flush marker written into a capture pipe; the
// marker is markerStart + the capture's token + ":" + id + "\x00".
// Markers never reach the front end.
//
// The marker travels in the pipe because only there is it ordered after
// the bytes written before the flush (by fmt, a child process, anything
// holding the descriptor). What makes it unforgeable is the token: 128
// random bits drawn when the capture is made and kept in the capture,
// which cells cannot reach. Output that merely resembles a marker (the
// prefix, a made-up token, a NUL) is ordinary output and is forwarded
// as such.
const markerStart = "\x00goawait-flush:"

// panicLine matches the lines yaegi prints to its stderr for every panic
// ("12:3: panic: main.f(...)", possibly prefixed by a file name).
var panicLine = regexp.MustCompile(`^(?:[^\s:]*:)?\d+:\d+: panic: .*\(\.\.\.\)$`)

// Router holds the publisher that captured output currently goes to.
// Its zero value sends output nowhere.
type Router struct {
	mu  sync.Mutex
	pub language.Publisher
}

// Set makes p the publisher of what is captured from now on (nil: none).
func (r *Router) Set(p language.Publisher) {
	r.mu.Lock()
	r.pub = p
	r.mu.Unlock()
}

// Get returns the current publisher, or nil.
func (r *Router) Get() language.Publisher {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pub
}

// Pipe is one captured stream: the write end given to the interpreter
// and a goroutine that reads the other end and forwards to the router.
type Pipe struct {
	name  string // "stdout" or "stderr"
	w     *os.File
	r     *os.File
	route *Router
	// onPanicLine receives yaegi's panic trace lines (stderr only).
	onPanicLine func(line string)
	// marker is what opens this capture's flush markers: markerStart,
	// the random token, ":".
	marker string

	mu      sync.Mutex
	nextID  int
	waiting map[string]chan struct{}
	done    chan struct{}
}

// New starts capturing a stream named name ("stdout" or "stderr"): what
// is written to the returned pipe's File goes to route's publisher,
// under that name. onPanicLine, if not nil, receives yaegi's panic trace
// lines, which are then not forwarded. Close ends the capture.
func New(name string, route *Router, onPanicLine func(string)) (*Pipe, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", name, err)
	}
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return nil, fmt.Errorf("capture %s: flush token: %w", name, err)
	}
	c := &Pipe{name: name, w: w, r: r, route: route, onPanicLine: onPanicLine,
		marker:  markerStart + hex.EncodeToString(token) + ":",
		waiting: map[string]chan struct{}{}, done: make(chan struct{})}
	go c.read()
	return c, nil
}

// File is the write end of the pipe, for the interpreter's and child
// processes' output.
func (c *Pipe) File() *os.File { return c.w }

// Flush returns once every byte written to the pipe before the call has
// been handed to the publisher current at that point.
func (c *Pipe) Flush() {
	c.mu.Lock()
	c.nextID++
	id := strconv.Itoa(c.nextID)
	ch := make(chan struct{})
	c.waiting[id] = ch
	c.mu.Unlock()
	if _, err := io.WriteString(c.w, c.marker+id+"\x00"); err != nil {
		return // closed: nothing more will come
	}
	select {
	case <-ch:
	case <-c.done:
	}
}

// closeWait bounds how long Close waits for the reader to see the end
// of the pipe: a process the session started that is still running (one
// that escaped being killed at shutdown) holds a copy of the write end, and the end
// never comes.
const closeWait = 500 * time.Millisecond

// Close closes the pipe and waits, for a bounded time, until what was
// written to it has been forwarded.
func (c *Pipe) Close() {
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
func (c *Pipe) read() {
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
// for more bytes (a marker, the start of a character cut short or, on
// stderr, a possible panic line cut short).
func (c *Pipe) consume(data []byte, final bool) []byte {
	var out bytes.Buffer
	marker := c.marker
	for len(data) > 0 {
		i := bytes.Index(data, []byte(marker))
		if i < 0 {
			keep := 0
			if !final {
				keep = partialSuffix(data, marker)
			}
			out.Write(data[:len(data)-keep])
			data = data[len(data)-keep:]
			break
		}
		end := bytes.IndexByte(data[i+len(marker):], 0)
		if end < 0 {
			out.Write(data[:i])
			data = data[i:]
			if final {
				data = nil
			}
			break
		}
		out.Write(data[:i])
		id := string(data[i+len(marker) : i+len(marker)+end])
		data = data[i+len(marker)+end+1:]
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
// (returned) unless all is true. Unless all is true, a character whose
// first bytes end the text waits (is returned) for the rest, so that no
// message carries half a character; bytes that are not UTF-8 at all
// are forwarded as they are, as Go would write them (the front end's
// JSON then shows each as U+FFFD).
func (c *Pipe) send(out *bytes.Buffer, all bool) []byte {
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
	if k := partialRune(text); !all && len(held) == 0 && k > 0 {
		held = append(held, text[len(text)-k:]...)
		text = text[:len(text)-k]
	}
	if len(text) > 0 {
		if p := c.route.Get(); p != nil {
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

// partialRune returns the length of the first bytes of a UTF-8 encoded
// character that end b without the rest of it (0 if none).
func partialRune(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return 0
			}
			return len(b) - i
		}
	}
	return 0
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
