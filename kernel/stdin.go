package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// errInputInterrupted is returned by Input when the kernel is interrupted
// while waiting for the front end.
var errInputInterrupted = errors.New("input interrupted")

// stdinChannel runs input_request / input_reply round trips, one at a
// time.
type stdinChannel struct {
	k *Kernel

	turn sync.Mutex // one input request at a time

	mu      sync.Mutex
	waiting *inputWait // the request in flight, or nil
}

// inputWait is one input request waiting for its reply.
type inputWait struct {
	msgID   string
	reply   chan string
	stopped chan struct{} // closed on interrupt
}

func newStdinChannel(k *Kernel) *stdinChannel { return &stdinChannel{k: k} }

// request sends input_request to identities (the sender of the cell's
// execute_request, whose stdin socket shares its identity) and waits for
// the matching input_reply.
func (s *stdinChannel) request(identities [][]byte, parent json.RawMessage, prompt string, password bool) (string, error) {
	s.turn.Lock()
	defer s.turn.Unlock()

	header := newHeader(s.k.session, "input_request")
	w := &inputWait{msgID: header.MsgID, reply: make(chan string, 1), stopped: make(chan struct{})}
	s.mu.Lock()
	s.waiting = w
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting = nil
		s.mu.Unlock()
	}()

	frames, err := encodeMessage(outgoing{
		identities: identities,
		header:     header,
		parent:     parent,
		content:    map[string]any{"prompt": prompt, "password": password},
	}, s.k.signer)
	if err != nil {
		return "", fmt.Errorf("input request: %w", err)
	}
	if _, err := s.k.socks.stdin.Send(frames); err != nil {
		return "", fmt.Errorf("input request: %w", err)
	}
	select {
	case v := <-w.reply:
		return v, nil
	case <-w.stopped:
		return "", errInputInterrupted
	case <-s.k.stopping:
		return "", errInputInterrupted
	}
}

// deliver takes a message that arrived on the stdin socket.
func (s *stdinChannel) deliver(m Message) {
	if m.Header.MsgType != "input_reply" {
		s.k.log.Warn("unexpected message on stdin", "msg_type", m.Header.MsgType)
		return
	}
	var content struct {
		Value string `json:"value"`
	}
	if err := json.Unmarshal(m.Content, &content); err != nil {
		s.k.log.Warn("bad input_reply", "err", err)
		return
	}
	var parent struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.ParentHeader, &parent) // checked by decodeMessage to be an object
	s.mu.Lock()
	w := s.waiting
	s.mu.Unlock()
	if w == nil || (parent.MsgID != "" && parent.MsgID != w.msgID) {
		s.k.log.Warn("input_reply nobody waits for", "parent_msg_id", parent.MsgID)
		return
	}
	select {
	case w.reply <- content.Value:
	default: // already answered
	}
}

// interrupt makes a pending request fail.
func (s *stdinChannel) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waiting != nil {
		select {
		case <-s.waiting.stopped:
		default:
			close(s.waiting.stopped)
		}
	}
}
