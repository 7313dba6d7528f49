package zmqtransport

import (
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/google/uuid"
)

// Router is a ROUTER socket: every message it receives is prefixed with
// the identity of the peer that sent it, and a message it sends goes to
// the peers whose identity is its first frame.
type Router struct {
	sock *socket
	in   chan [][]byte // received, identity first

	mu    sync.Mutex
	peers map[string][]*peer // by identity

	sendMu sync.Mutex // one Send at a time, for buf
	buf    []byte
}

// ListenRouter starts a ROUTER socket on endpoint.
func ListenRouter(endpoint string, opts Options) (*Router, error) {
	r := &Router{in: make(chan [][]byte, 16), peers: map[string][]*peer{}}
	s, err := listen(endpoint, zmq4.Router, opts, r.serve)
	if err != nil {
		return nil, err
	}
	r.sock = s
	return r, nil
}

// Name returns the socket's name (Options.Name).
func (r *Router) Name() string { return r.sock.Name() }

// Addr returns the address the socket listens on.
func (r *Router) Addr() net.Addr { return r.sock.Addr() }

// Port returns the TCP port the socket listens on, or 0.
func (r *Router) Port() int { return r.sock.Port() }

// Close disconnects every peer and stops listening.
func (r *Router) Close() error { return r.sock.close() }

// Recv returns the next message a peer sent, its identity first. It
// returns ErrClosed once the socket is closed.
func (r *Router) Recv() ([][]byte, error) {
	select {
	case m := <-r.in:
		return m, nil
	case <-r.sock.done:
		return nil, ErrClosed
	}
}

// Send sends frames[1:] to every connected peer whose identity is
// frames[0] (clients that share a session, as jupyter_client's
// KernelManager.client() does, connect with the same identity), each in
// one write. It reports whether there was such a peer: a message to a
// peer that is gone is dropped, as ZeroMQ drops it. A peer that does not
// take the message within Options.WriteTimeout is disconnected.
func (r *Router) Send(frames [][]byte) (bool, error) {
	if len(frames) == 0 {
		return false, errors.New("zmqtransport: Router.Send without an identity frame")
	}
	r.sendMu.Lock()
	defer r.sendMu.Unlock()
	r.mu.Lock()
	to := append([]*peer(nil), r.peers[string(frames[0])]...)
	r.mu.Unlock()
	if len(to) == 0 {
		return false, nil
	}
	r.buf = appendFrames(r.buf[:0], frames[1:])
	var errs []error
	for _, p := range to {
		if err := p.write(r.buf); err != nil {
			errs = append(errs, err)
		}
	}
	if cap(r.buf) > 1<<20 {
		r.buf = nil // keep no large reply around
	}
	if err := errors.Join(errs...); err != nil {
		return true, fmt.Errorf("sending on %s: %w", r.Name(), err)
	}
	return true, nil
}

// serve reads a peer's messages until its connection ends.
func (r *Router) serve(p *peer) {
	if p.identity == "" {
		// A peer that announced no identity gets one, so that it can
		// be answered.
		p.identity = uuid.NewString()
	}
	r.add(p)
	defer r.remove(p)
	id := []byte(p.identity)
	for {
		frames, command, err := p.in.next()
		if err != nil {
			return
		}
		if command {
			if !p.command(frames[0]) {
				return
			}
			continue
		}
		select {
		case r.in <- append([][]byte{id}, frames...):
		case <-r.sock.done:
			return
		}
	}
}

func (r *Router) add(p *peer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peers[p.identity] = append(r.peers[p.identity], p)
}

func (r *Router) remove(p *peer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ps := r.peers[p.identity]
	for i, q := range ps {
		if q == p {
			ps = append(ps[:i:i], ps[i+1:]...)
			break
		}
	}
	if len(ps) == 0 {
		delete(r.peers, p.identity)
	} else {
		r.peers[p.identity] = ps
	}
}
