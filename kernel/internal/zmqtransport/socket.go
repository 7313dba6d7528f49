// Package zmqtransport is the ZeroMQ side of the kernel: the sockets a
// Jupyter front end connects to, written for what a kernel needs and
// nothing else. A Router (shell, control, stdin) receives requests and
// sends replies to the peer that asked; a Pub (iopub) sends every message
// to every subscriber; a Heartbeat echoes what it receives.
//
// Front ends use libzmq, so the sockets speak ZMTP 3 over tcp:// or
// ipc:// with the NULL mechanism. zmq4 does the handshake (greeting and
// READY); reading and writing frames is done here, so that no peer can
// hold up another: each peer is read by its own goroutine, a message is
// written in one system call, a subscriber that does not read only loses
// its own messages, and what peers announce is capped per message and in
// total before any memory is taken for it.
package zmqtransport

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/security/null"
	"github.com/google/uuid"
)

// Options configure a socket.
type Options struct {
	// Name names the socket in the log ("shell", "iopub", ...).
	Name string
	// Log receives refused peers (at Warn) and failed handshakes (at
	// Debug); nil discards them.
	Log *slog.Logger
	// MaxMessage caps the bytes a peer may announce for one message;
	// a peer that announces more is disconnected before anything is
	// allocated for it. It must not be 0.
	MaxMessage uint64
	// InFlight, shared by several sockets, caps what all their peers
	// may have announced and not yet sent; nil means no shared cap.
	InFlight *InFlight
	// Handshake is how long a new peer has to send its greeting and
	// first command; 0 means 10 s.
	Handshake time.Duration
	// WriteTimeout is how long a Router or Heartbeat waits for a peer to
	// take a message before it disconnects the peer; 0 means 10 s. (A
	// Pub never waits: see Pub.)
	WriteTimeout time.Duration
	// Stall (Pub only) is how long a subscriber may take nothing, while
	// messages wait for it, before it no longer counts in Pub.Backlog;
	// 0 means it always counts.
	Stall time.Duration
	// Welcome (Pub only), when not nil, gives the message a subscriber is
	// sent, before any other, when it subscribes to a topic it had not
	// (Jupyter's iopub_welcome); nil frames send nothing. It must not
	// call the Pub.
	Welcome func(topic []byte) [][]byte
}

// defaultWriteTimeout is Options.WriteTimeout when it is 0.
const defaultWriteTimeout = 10 * time.Second

// noWriteTimeout, as Options.WriteTimeout, lets writes wait for as long
// as it takes.
const noWriteTimeout = -1

// handshakeFrameLimit caps the frames of the handshake (greeting and
// READY): zmq4 allocates what they announce before it reads them.
const handshakeFrameLimit = 64 << 10

// ErrClosed is returned by Router.Recv once the socket is closed.
var ErrClosed = errors.New("zmqtransport: socket closed")

// socket is what the kernel's sockets share: a listener, the handshake
// of every peer that connects, and the connections to close at the end.
type socket struct {
	opts  Options
	typ   zmq4.SocketType
	id    zmq4.SocketIdentity
	lim   *zmtpLimits
	ln    net.Listener
	serve func(*peer) // runs while the peer is connected

	done      chan struct{} // closed by close
	closeOnce sync.Once
	wg        sync.WaitGroup // the accept loop and every connection

	mu    sync.Mutex
	conns map[net.Conn]bool // open connections
}

// listen starts a socket of type typ on endpoint ("tcp://host:port" or
// "ipc://path"); serve is run for each peer once its handshake is done.
func listen(endpoint string, typ zmq4.SocketType, opts Options, serve func(*peer)) (*socket, error) {
	if opts.MaxMessage == 0 {
		return nil, errors.New("zmqtransport: Options.MaxMessage is 0")
	}
	if opts.WriteTimeout == 0 {
		opts.WriteTimeout = defaultWriteTimeout
	}
	network, addr, err := parseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", endpoint, err)
	}
	s := &socket{
		opts:  opts,
		typ:   typ,
		id:    zmq4.SocketIdentity(uuid.NewString()),
		lim:   &zmtpLimits{socket: opts.Name, limit: opts.MaxMessage, log: opts.Log, inFlight: opts.InFlight, handshake: opts.Handshake},
		ln:    ln,
		serve: serve,
		done:  make(chan struct{}),
		conns: map[net.Conn]bool{},
	}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// parseEndpoint turns a ZeroMQ endpoint into a network and an address
// for net.Listen ("*" as host or port means any, as in libzmq).
func parseEndpoint(ep string) (network, addr string, err error) {
	scheme, addr, ok := strings.Cut(ep, "://")
	if !ok {
		return "", "", fmt.Errorf("endpoint %q has no transport", ep)
	}
	switch scheme {
	case "ipc":
		if addr == "" {
			return "", "", fmt.Errorf("endpoint %q has no path", ep)
		}
		return "unix", addr, nil
	case "tcp":
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return "", "", fmt.Errorf("endpoint %q: %w", ep, err)
		}
		if host == "*" {
			host = ""
		}
		if port == "*" || port == "" {
			port = "0"
		}
		return "tcp", net.JoinHostPort(host, port), nil
	}
	return "", "", fmt.Errorf("endpoint %q: transport %q is not tcp or ipc", ep, scheme)
}

// Addr returns the address the socket listens on.
func (s *socket) Addr() net.Addr { return s.ln.Addr() }

// Port returns the TCP port the socket listens on, or 0.
func (s *socket) Port() int {
	if a, ok := s.ln.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}

// Name returns Options.Name.
func (s *socket) Name() string { return s.opts.Name }

// close stops listening, disconnects every peer and waits for their
// goroutines to end.
func (s *socket) close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	if err != nil {
		return fmt.Errorf("closing %s: %w", s.opts.Name, err)
	}
	return nil
}

// closed reports whether close was called.
func (s *socket) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

func (s *socket) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if s.closed() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors, say: wait a little for some.
			s.debug("accept failed", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !s.track(c) {
			_ = c.Close()
			return
		}
		s.wg.Add(1)
		go s.connected(c)
	}
}

// track records an open connection; it reports false once the socket
// is closed.
func (s *socket) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed() {
		return false
	}
	s.conns[c] = true
	return true
}

func (s *socket) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// connected runs the handshake of a new connection, then serves the
// peer until the connection ends. Each connection has its own
// goroutine: a peer that says nothing holds up no other.
func (s *socket) connected(raw net.Conn) {
	defer s.wg.Done()
	defer s.untrack(raw)
	wait := s.lim.handshake
	if wait == 0 {
		wait = handshakeTimeout
	}
	c := newCappedConn(raw, s.lim)
	defer c.Close()
	if err := raw.SetReadDeadline(time.Now().Add(wait)); err != nil {
		s.debug("setting the handshake deadline", "err", err)
		return
	}
	c.deadlined = true
	c.zmtp.limit = min(handshakeFrameLimit, s.lim.limit)
	zc, err := handshake(c, s.typ, s.id)
	if err != nil {
		s.debug("ZMTP handshake failed", "remote", addrString(raw.RemoteAddr()), "err", err)
		return
	}
	c.zmtp.limit = s.lim.limit
	p := &peer{
		conn:         c,
		identity:     zc.Peer.Meta["Identity"],
		in:           newFrameReader(c),
		writeTimeout: s.opts.WriteTimeout,
	}
	if err := p.extendDeadline(); err != nil {
		s.debug("setting the write deadline", "err", err)
		return
	}
	s.serve(p)
}

// handshake runs zmq4's side of the ZMTP handshake as a server. zmq4
// v0.17.0 panics on a READY whose metadata is cut short (it indexes past
// the end): that is the peer's failure, not the kernel's.
func handshake(c net.Conn, typ zmq4.SocketType, id zmq4.SocketIdentity) (zc *zmq4.Conn, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("zmq4 panicked on the peer's handshake: %v", p)
		}
	}()
	return zmq4.Open(c, null.Security(), typ, id, true, nil)
}

func (s *socket) debug(msg string, args ...any) {
	if s.opts.Log != nil {
		s.opts.Log.Debug(msg, append([]any{"socket", s.opts.Name}, args...)...)
	}
}

// peer is one connection that completed its handshake.
type peer struct {
	conn     *cappedConn
	identity string // the Identity it announced (empty if none)
	in       *frameReader

	writeTimeout time.Duration // 0: writes wait for as long as it takes
	wmu          sync.Mutex    // one write at a time, and deadline
	deadline     time.Time     // the connection's write deadline
}

// write sends b, an encoded message, in one write. A write that fails or
// times out leaves the stream cut in the middle of a frame, so the
// connection is closed.
func (p *peer) write(b []byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	if err := p.extendDeadline(); err != nil {
		p.abort()
		return err
	}
	if _, err := p.conn.Conn.Write(b); err != nil {
		p.abort()
		return fmt.Errorf("peer %s: %w", addrString(p.conn.RemoteAddr()), err)
	}
	return nil
}

// extendDeadline makes sure a write may take between half the write
// timeout and all of it. The deadline is moved only when less than half
// is left: setting it costs a timer, which may wake the runtime's
// network poller (one more system call), so not on every write.
func (p *peer) extendDeadline() error {
	if p.writeTimeout <= 0 {
		return nil
	}
	now := time.Now()
	if p.deadline.Sub(now) >= p.writeTimeout/2 {
		return nil
	}
	p.deadline = now.Add(p.writeTimeout)
	return p.conn.Conn.SetWriteDeadline(p.deadline)
}

// abort closes the connection under the peer's reader, which then ends.
func (p *peer) abort() { _ = p.conn.Conn.Close() }

// command answers a command the peer sent after the handshake (a PING
// gets its PONG; others need no answer). It reports false if the
// connection failed.
func (p *peer) command(body []byte) bool {
	b := pong(body)
	return b == nil || p.write(b) == nil
}
