package zmqtransport

import (
	"net"

	"github.com/go-zeromq/zmq4"
)

// Heartbeat is the kernel's heartbeat socket: a REP socket that sends
// every message back, unchanged, to the connection it came from (a REQ
// peer's envelope included). Each connection is echoed by its own
// goroutine, so a peer that sends and never reads stops only its own
// echoes; it is disconnected once a write has waited
// Options.WriteTimeout.
type Heartbeat struct {
	sock *socket
}

// ListenHeartbeat starts a heartbeat socket on endpoint; it answers
// until closed.
func ListenHeartbeat(endpoint string, opts Options) (*Heartbeat, error) {
	h := &Heartbeat{}
	s, err := listen(endpoint, zmq4.Rep, opts, h.serve)
	if err != nil {
		return nil, err
	}
	h.sock = s
	return h, nil
}

// Addr returns the address the socket listens on.
func (h *Heartbeat) Addr() net.Addr { return h.sock.Addr() }

// Port returns the TCP port the socket listens on, or 0.
func (h *Heartbeat) Port() int { return h.sock.Port() }

// Close disconnects every peer and stops listening.
func (h *Heartbeat) Close() error { return h.sock.close() }

func (h *Heartbeat) serve(p *peer) {
	var buf []byte
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
		buf = appendFrames(buf[:0], frames)
		if p.write(buf) != nil {
			return
		}
	}
}
