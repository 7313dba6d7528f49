package zmqtransport

import (
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Every connection a socket accepts is read through a cappedConn, which
// follows the ZMTP byte stream as it passes (greeting, then the flags and
// size of each frame; bodies are skipped by arithmetic, nothing is
// copied) and closes the connection when a peer announces more than the
// socket's cap for one message, or more than the room left in the
// sockets' shared InFlight budget, before the size is handed on. Any
// local process that can reach a port can announce sizes without knowing
// the key: the framing comes before any signature check.

// ZMTP 3.x framing (https://rfc.zeromq.org/spec/23/).
const (
	zmtpGreetingLen = 64   // signature, version, mechanism, as-server, filler
	zmtpFlagMore    = 0x01 // more frames of the same message follow
	zmtpFlagLong    = 0x02 // the size is 8 bytes (big-endian), not 1
	// zmtpFlagCommand marks a command (READY in the handshake, PING,
	// SUBSCRIBE...): framed like message data, never with more frames.
	zmtpFlagCommand = 0x04
)

// zmtpLimits is what the connections of one socket are held to, and where
// refusals are reported.
type zmtpLimits struct {
	socket string       // for the log
	limit  uint64       // bytes a peer may announce for one message
	log    *slog.Logger // where refusals are reported (nil: nowhere)
	// inFlight is the budget shared with the other sockets (nil: none).
	inFlight *InFlight
	// handshake is how long a new peer has to send its greeting and
	// first command; 0 means handshakeTimeout.
	handshake time.Duration
}

// handshakeTimeout is how long a new peer has to send its ZMTP greeting
// and its first command (READY, for the NULL mechanism).
const handshakeTimeout = 10 * time.Second

// refused logs that a connection of socket was closed for err (nil log:
// nowhere).
func (lim *zmtpLimits) refused(remote net.Addr, err error) {
	if lim.log == nil {
		return
	}
	lim.log.Warn("closed a ZMTP connection that announced an oversized frame",
		"socket", lim.socket, "remote", addrString(remote), "err", err)
}

// addrString is a.String(), or "unknown" for a nil address.
func addrString(a net.Addr) string {
	if a == nil {
		return "unknown"
	}
	return a.String()
}

// cappedConn is a net.Conn whose incoming ZMTP stream is followed by a
// zmtpTracker. Bytes pass through unchanged and uncopied: Read reads into
// the caller's buffer and only looks at the bytes of greeting and frame
// headers. When the peer announces too much, the connection is closed
// and this and every later Read fail with a *frameTooLargeError (or an
// *inFlightFullError). Reads must not be concurrent.
type cappedConn struct {
	net.Conn
	zmtp      zmtpTracker
	limits    *zmtpLimits
	err       error // once refused
	deadlined bool  // a handshake deadline was set
	handshook bool  // the peer sent its greeting and first command
	closeOnce sync.Once
}

func newCappedConn(c net.Conn, lim *zmtpLimits) *cappedConn {
	t := newZMTPTracker(lim.limit)
	t.inFlight = lim.inFlight
	return &cappedConn{Conn: c, zmtp: t, limits: lim}
}

// Read reads from the connection, refusing oversized frames.
func (c *cappedConn) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.Conn.Read(p)
	ok, terr := c.zmtp.track(p[:n])
	if terr == nil {
		if !c.handshook && c.zmtp.frames > 0 {
			c.handshook = true
			if !c.deadlined {
				return n, err
			}
			if derr := c.Conn.SetReadDeadline(time.Time{}); derr != nil && err == nil {
				err = fmt.Errorf("lifting the handshake deadline: %w", derr)
			}
		}
		if err != nil && !c.handshook && c.deadlined {
			// A silent peer ran out of time (or the handshake failed).
			_ = c.Conn.Close()
		}
		return n, err
	}
	c.err = fmt.Errorf("ZMTP peer %s: %w", addrString(c.RemoteAddr()), terr)
	c.limits.refused(c.RemoteAddr(), terr)
	// Close it here, after the report: the peer sees the end once it is
	// logged. Its error would hide the refusal.
	_ = c.Conn.Close()
	return ok, c.err
}

// Close closes the connection and gives back what its unfinished message
// held of the shared budget. Call it once nothing reads the connection
// any more (the reader's buffers are then garbage, and memory can be
// given back to the system); to end a connection from elsewhere, close
// c.Conn.
func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.closeOnce.Do(func() {
		if c.zmtp.inFlight != nil {
			c.zmtp.inFlight.abandon(c.zmtp.reserved, c.zmtp.received)
		}
		c.zmtp.reserved, c.zmtp.received = 0, 0
	})
	return err
}

// frameTooLargeError is a peer's announcement of a frame that would take
// its message over the cap. It is a net.Error that is not a timeout:
// the refusal is final.
type frameTooLargeError struct {
	announced uint64 // size of the frame
	earlier   uint64 // announced by the earlier frames of its message
	limit     uint64
}

// Error names the announced size, the message size if earlier frames
// count, and the cap.
func (e *frameTooLargeError) Error() string {
	if e.earlier == 0 {
		return fmt.Sprintf("announced a frame of %d bytes, over the cap of %d bytes per message", e.announced, e.limit)
	}
	message := e.earlier + e.announced
	if message < e.announced { // overflow
		message = ^uint64(0)
	}
	return fmt.Sprintf("announced a frame of %d bytes, making its message %d bytes, over the cap of %d bytes per message",
		e.announced, message, e.limit)
}

// Timeout reports false: the refusal is final.
func (e *frameTooLargeError) Timeout() bool { return false }

// Temporary reports false: the refusal is final.
func (e *frameTooLargeError) Temporary() bool { return false }

var _ net.Error = (*frameTooLargeError)(nil)

// inFlightFullError is a peer's announcement of a frame that fits its
// socket's cap but not the room left in the budget all sockets share.
type inFlightFullError struct {
	announced uint64 // size of the frame
	used      uint64 // held by all peers when it was announced
	limit     uint64 // of the budget
}

// Error names the announced size, what was in flight and the cap.
func (e *inFlightFullError) Error() string {
	return fmt.Sprintf("announced a frame of %d bytes while peers had %d bytes in flight, over the cap of %d bytes for all incoming messages",
		e.announced, e.used, e.limit)
}

// Timeout reports false: the refusal is final.
func (e *inFlightFullError) Timeout() bool { return false }

// Temporary reports false: the refusal is final.
func (e *inFlightFullError) Temporary() bool { return false }

var _ net.Error = (*inFlightFullError)(nil)

// zmtpState is the part of the ZMTP stream a zmtpTracker is in.
type zmtpState uint8

const (
	inGreeting zmtpState = iota // need: bytes left of the greeting
	inFlags                     // the next byte is a frame's flags
	inSize                      // need: bytes left of the size
	inBody                      // need: bytes left of the body
)

// zmtpTracker follows the ZMTP 3.x byte stream a peer sends: the
// greeting, then frames and commands (a flags byte, a size of 1 byte or,
// with the long flag, 8 bytes big-endian, and that many bytes of body).
// It checks every announced size before the byte that completes it is
// handed on. A zero zmtpTracker is not ready: use newZMTPTracker.
type zmtpTracker struct {
	limit  uint64
	state  zmtpState
	need   uint64 // see zmtpState
	flags  byte   // of the current frame
	size   uint64 // of the current frame, as far as read
	total  uint64 // announced by the earlier frames of the current message
	frames uint64 // frames and commands received whole

	inFlight *InFlight // shared budget (nil: none)
	reserved uint64    // held in inFlight for the current message
	received uint64    // body bytes of the current message passed on
}

func newZMTPTracker(limit uint64) zmtpTracker {
	return zmtpTracker{limit: limit, state: inGreeting, need: zmtpGreetingLen}
}

// track advances over b, the next bytes of the stream. On a refusal it
// returns how many bytes of b come before the one that completed the
// offending size (those may be handed on), and a *frameTooLargeError or
// *inFlightFullError; the tracker must not be used after that.
func (t *zmtpTracker) track(b []byte) (int, error) {
	for i := 0; i < len(b); {
		switch t.state {
		case inGreeting, inBody:
			if left := uint64(len(b) - i); left < t.need {
				t.need -= left
				if t.state == inBody {
					t.received += left
				}
				return len(b), nil
			}
			i += int(t.need)
			if t.state == inBody {
				t.received += t.need
				t.need = 0
				t.bodyDone()
				continue
			}
			t.need = 0
			t.state = inFlags
		case inFlags:
			t.flags = b[i]
			i++
			t.size = 0
			t.need = 1
			if t.flags&zmtpFlagLong != 0 {
				t.need = 8
			}
			t.state = inSize
		case inSize:
			t.size = t.size<<8 | uint64(b[i])
			i++
			if t.need--; t.need > 0 {
				continue
			}
			if err := t.announce(); err != nil {
				return i - 1, err
			}
		}
	}
	return len(b), nil
}

// announce checks the size just read and moves on to the body.
func (t *zmtpTracker) announce() error {
	if t.size > t.limit-t.total { // t.total <= t.limit always
		return &frameTooLargeError{announced: t.size, earlier: t.total, limit: t.limit}
	}
	if t.inFlight != nil {
		if used, ok := t.inFlight.reserve(t.size); !ok {
			return &inFlightFullError{announced: t.size, used: used, limit: t.inFlight.limit}
		}
		t.reserved += t.size
	}
	if t.flags&zmtpFlagMore != 0 {
		t.total += t.size
	} else {
		t.total = 0
	}
	t.need = t.size
	t.state = inBody
	if t.need == 0 {
		t.bodyDone()
	}
	return nil
}

// bodyDone ends a frame whose body has passed; the last frame of a
// message gives its reservation back.
func (t *zmtpTracker) bodyDone() {
	t.frames++
	t.state = inFlags
	if t.flags&zmtpFlagMore == 0 {
		if t.inFlight != nil {
			t.inFlight.release(t.reserved)
		}
		t.reserved, t.received = 0, 0
	}
}
