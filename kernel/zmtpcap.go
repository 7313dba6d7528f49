package kernel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// zmq4 v0.17.0 allocates a buffer of whatever size a peer announces in a
// ZMTP frame header before reading the frame (conn.go, Conn.read), and
// keeps appending frames while their MORE flag is set. Any local process
// that can reach a port could therefore make the kernel allocate 2**50
// bytes and die, without knowing the key: the framing layer comes before
// any signature check. The kernel's sockets listen through the transports
// below instead of zmq4's own "tcp" and "ipc". They are the same network
// listeners, but every accepted connection is read through a cappedConn,
// which follows the ZMTP byte stream as it passes and closes the
// connection when a peer announces more than maxWireMessageSize for one
// message, before zmq4 sees the complete size.

// maxWireMessageSize bounds the frame sizes a peer may announce for one
// ZMTP message (a frame and the frames before it that had the MORE flag
// set). It is a multiple of maxMessageSize so that a message somewhat over
// the kernel's limit (identities, delimiter and signature are not counted
// by that limit) still arrives and is answered with an error reply by
// decodeMessage; only sizes no client would send close the connection.
// Memory spent on one connection's incoming message stays below it.
const maxWireMessageSize = 2 * maxMessageSize

// Names of the transports registered with zmq4 for the kernel's sockets:
// zmq4's "tcp" and "ipc" with a cap on announced frame sizes. zmq4 takes
// everything before "://" of an endpoint as the transport name.
const (
	cappedTCP = "tcp+capped"
	cappedIPC = "ipc+capped"
)

// ZMTP 3.x framing (https://rfc.zeromq.org/spec/23/).
const (
	zmtpGreetingLen = 64   // signature, version, mechanism, as-server, filler
	zmtpFlagMore    = 0x01 // more frames of the same message follow
	zmtpFlagLong    = 0x02 // the size is 8 bytes (big-endian), not 1
	// Flag 0x04 marks a command (as READY in the handshake); commands are
	// framed like message data, and zmq4 reads them alike.
)

var (
	registerOnce sync.Once
	registerErr  error
)

// registerCappedTransports registers cappedTCP and cappedIPC with zmq4.
// zmq4's registry is global and refuses duplicates, so this is done once
// per process; the cap and the log of each socket travel in the context
// the socket was created with (see withZMTPLimits), not in the transport.
func registerCappedTransports() error {
	registerOnce.Do(func() {
		for _, t := range []struct{ name, network string }{{cappedTCP, "tcp"}, {cappedIPC, "unix"}} {
			if err := zmq4.RegisterTransport(t.name, cappedTransport{inner: transport.New(t.network)}); err != nil {
				registerErr = errors.Join(registerErr, fmt.Errorf("registering zmq4 transport %s: %w", t.name, err))
			}
		}
	})
	return registerErr
}

// cappedEndpoint turns a "tcp://" or "ipc://" endpoint into the same
// address on the capped transport.
func cappedEndpoint(ep string) (string, error) {
	scheme, addr, ok := strings.Cut(ep, "://")
	if !ok {
		return "", fmt.Errorf("endpoint %q has no transport", ep)
	}
	switch scheme {
	case "tcp":
		return cappedTCP + "://" + addr, nil
	case "ipc":
		return cappedIPC + "://" + addr, nil
	}
	return "", fmt.Errorf("endpoint %q: no capped transport for %q", ep, scheme)
}

// zmtpLimits is what the connections of one socket are held to, and where
// refusals are reported.
type zmtpLimits struct {
	socket string       // for the log
	limit  uint64       // see maxWireMessageSize
	log    *slog.Logger // where refusals are reported (nil: nowhere)
	// handshake is how long a new peer has to send its greeting and
	// first command; 0 means handshakeTimeout.
	handshake time.Duration
}

type zmtpLimitsKey struct{}

// withZMTPLimits returns ctx carrying lim. zmq4 passes the context a
// socket was created with to the transport's Listen and Dial.
func withZMTPLimits(ctx context.Context, lim *zmtpLimits) context.Context {
	return context.WithValue(ctx, zmtpLimitsKey{}, lim)
}

// zmtpLimitsFrom returns the limits in ctx, or the default cap with no
// log for a socket created without them.
func zmtpLimitsFrom(ctx context.Context) *zmtpLimits {
	if lim, ok := ctx.Value(zmtpLimitsKey{}).(*zmtpLimits); ok && lim != nil {
		return lim
	}
	return &zmtpLimits{limit: maxWireMessageSize}
}

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

// cappedTransport is a zmq4 transport whose connections are capped
// cappedConns over the connections of inner.
type cappedTransport struct {
	inner transport.Transport
}

var _ transport.Transport = cappedTransport{}

// Dial connects through the inner transport; reads from the connection
// are capped as those of accepted ones. (zmq4 wraps the error with the
// endpoint.)
func (t cappedTransport) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := t.inner.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return capped(c, zmtpLimitsFrom(ctx), false), nil
}

// Listen listens through the inner transport. (zmq4 wraps the error with
// the endpoint.)
func (t cappedTransport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := t.inner.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &cappedListener{Listener: l, limits: zmtpLimitsFrom(ctx)}, nil
}

// Addr resolves an endpoint address as the inner transport does.
func (t cappedTransport) Addr(ep string) (string, error) { return t.inner.Addr(ep) }

// cappedListener hands out its connections as cappedConns.
type cappedListener struct {
	net.Listener
	limits *zmtpLimits
}

// Accept waits for the next connection.
func (l *cappedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	// A peer that connects and says nothing would hold zmq4's accept
	// loop (it runs the handshake before accepting the next connection):
	// it gets handshakeTimeout to send its greeting and first command.
	wait := l.limits.handshake
	if wait == 0 {
		wait = handshakeTimeout
	}
	if err := c.SetReadDeadline(time.Now().Add(wait)); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("setting the handshake deadline: %w", err)
	}
	return capped(c, l.limits, true), nil
}

// handshakeTimeout is how long a new peer has to send its ZMTP greeting
// and its first command (READY, for the NULL mechanism).
const handshakeTimeout = 10 * time.Second

// cappedConn is a net.Conn whose incoming ZMTP stream is followed by a
// zmtpTracker. Bytes pass through unchanged and uncopied: Read reads into
// the caller's buffer and only looks at the bytes of greeting and frame
// headers. When the peer announces too much, the connection is closed
// and this and every later Read fail with a *frameTooLargeError. Reads
// must not be concurrent (zmq4 reads a connection from one goroutine at
// a time).
type cappedConn struct {
	net.Conn
	zmtp      zmtpTracker
	limits    *zmtpLimits
	err       error // once refused
	deadlined bool  // a handshake deadline was set (Accept)
	handshook bool  // the peer sent its greeting and first command
}

// capped wraps c, with deadlined telling whether Accept set a handshake
// deadline. A *net.TCPConn or *net.UnixConn is wrapped in a type that
// embeds it, not just the net.Conn interface: zmq4 writes the frames of a
// message with net.Buffers.WriteTo, whose one writev system call is found
// through a method of the concrete connection that embedding promotes.
// Behind the interface alone, every header and frame became a write of
// its own (14 for a Jupyter message), which cost 0.2–0.3 ms a round trip.
func capped(c net.Conn, lim *zmtpLimits, deadlined bool) net.Conn {
	r := newCappedConn(c, lim)
	r.deadlined = deadlined
	switch conn := c.(type) {
	case *net.TCPConn:
		return &cappedTCPConn{TCPConn: conn, r: r}
	case *net.UnixConn:
		return &cappedUnixConn{UnixConn: conn, r: r}
	}
	return r
}

// cappedTCPConn is a TCP connection read through a cappedConn.
type cappedTCPConn struct {
	*net.TCPConn
	r *cappedConn
}

// Read reads through the cap.
func (c *cappedTCPConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// cappedUnixConn is a Unix socket connection read through a cappedConn.
type cappedUnixConn struct {
	*net.UnixConn
	r *cappedConn
}

// Read reads through the cap.
func (c *cappedUnixConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func newCappedConn(c net.Conn, lim *zmtpLimits) *cappedConn {
	return &cappedConn{Conn: c, zmtp: newZMTPTracker(lim.limit), limits: lim}
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
			// A silent peer ran out of time (or the handshake failed):
			// zmq4 does not close it.
			_ = c.Conn.Close()
		}
		return n, err
	}
	c.err = fmt.Errorf("ZMTP peer %s: %w", addrString(c.RemoteAddr()), terr)
	c.limits.refused(c.RemoteAddr(), terr)
	// zmq4 does not close a connection whose handshake fails, so close it
	// here (after the report: the peer sees the end once it is logged).
	// Its error would hide the refusal, and zmq4 drops it anyway.
	_ = c.Conn.Close()
	return ok, c.err
}

// frameTooLargeError is a peer's announcement of a frame that would take
// its message over the cap. It is a net.Error (not a timeout), which
// makes zmq4 mark the connection closed and forget it.
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
}

func newZMTPTracker(limit uint64) zmtpTracker {
	return zmtpTracker{limit: limit, state: inGreeting, need: zmtpGreetingLen}
}

// track advances over b, the next bytes of the stream. On a refusal it
// returns how many bytes of b come before the one that completed the
// offending size (those may be handed on), and a *frameTooLargeError;
// the tracker must not be used after that.
func (t *zmtpTracker) track(b []byte) (int, error) {
	for i := 0; i < len(b); {
		switch t.state {
		case inGreeting, inBody:
			if left := uint64(len(b) - i); left < t.need {
				t.need -= left
				return len(b), nil
			}
			i += int(t.need)
			t.need = 0
			if t.state == inBody {
				t.frames++
			}
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
	if t.flags&zmtpFlagMore != 0 {
		t.total += t.size
	} else {
		t.total = 0
	}
	t.need = t.size
	t.state = inBody
	return nil
}
