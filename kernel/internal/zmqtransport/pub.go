package zmqtransport

import (
	"bytes"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Pub is a PUB socket: a message goes to every subscriber whose
// subscriptions match its first frame (Jupyter clients subscribe to
// everything). Send never waits: each subscriber has its own queue and a
// goroutine that writes it, and a subscriber whose queue is full (one
// that reads slowly or not at all) loses the messages that do not fit,
// as libzmq's high-water mark drops them. The others get every message.
//
// Backlog tells how far behind the subscribers are, so that the kernel
// can slow cell output down to the speed of the front ends (see Gate).
type Pub struct {
	sock    *socket
	stall   time.Duration
	welcome func(topic []byte) [][]byte

	mu   sync.Mutex
	subs map[*subscriber]bool
}

// A subscriber's queue holds at most subscriberMaxQueued messages; more
// are dropped for that subscriber, as libzmq's high-water mark drops them.
// Bytes are bounded too, not counting the message being written (a cell's
// result of 60 MB is one message, and the idle after it must still go):
// a subscriber that has taken nothing for the Pub's stall time keeps at
// most subscriberMaxQueuedBytes behind it, one that reads keeps at most
// subscriberMaxLiveBytes (cell output is held back at gateMaxQueued
// messages of at most ~96 KiB of text for subscribers that read, so only
// results and displays ever queue much).
const (
	subscriberMaxQueued      = 1000
	subscriberMaxQueuedBytes = 16 << 20
	subscriberMaxLiveBytes   = 256 << 20
)

// pubWriteChunk is how much of a message is written to a subscriber at
// a time: a subscriber that reads slowly, but reads, shows it has taken
// something at least every pubWriteChunk bytes, however long its
// messages (see Backlog).
const pubWriteChunk = 16 << 10

// subscriber is one peer of a Pub. Its fields are guarded by Pub.mu.
type subscriber struct {
	p      *peer
	topics map[string]bool

	queue   [][]byte  // encoded messages; the first is being written
	bytes   int       // in queue
	since   time.Time // of the last chunk written, or when the queue filled from empty
	dropped int       // messages that did not fit

	wake chan struct{} // a message was queued (capacity 1)
}

// ListenPub starts a PUB socket on endpoint.
func ListenPub(endpoint string, opts Options) (*Pub, error) {
	pub := &Pub{stall: opts.Stall, welcome: opts.Welcome, subs: map[*subscriber]bool{}}
	// Writes to a subscriber wait for as long as it takes: one that does
	// not read only loses its own messages.
	opts.WriteTimeout = noWriteTimeout
	s, err := listen(endpoint, zmq4.Pub, opts, pub.serve)
	if err != nil {
		return nil, err
	}
	pub.sock = s
	return pub, nil
}

// Addr returns the address the socket listens on.
func (pub *Pub) Addr() net.Addr { return pub.sock.Addr() }

// Port returns the TCP port the socket listens on, or 0.
func (pub *Pub) Port() int { return pub.sock.Port() }

// Close disconnects every subscriber and stops listening; what their
// queues hold is dropped (see Drain).
func (pub *Pub) Close() error { return pub.sock.close() }

// Send queues a message (frames[0] is its topic) for every subscriber
// whose subscriptions match, and returns at once.
func (pub *Pub) Send(frames [][]byte) {
	if len(frames) == 0 {
		return
	}
	var msg []byte // encoded once for all subscribers, when one wants it
	now := time.Now()
	pub.mu.Lock()
	defer pub.mu.Unlock()
	for s := range pub.subs {
		if !s.subscribed(frames[0]) {
			continue
		}
		if msg == nil {
			msg = appendFrames(make([]byte, 0, framesSize(frames)), frames)
		}
		if !s.fits(len(msg), now, pub.stall) {
			s.dropped++
			continue
		}
		s.push(msg, now)
	}
}

// fits tells whether a message of size bytes may join the queue (see
// subscriberMaxQueued); Pub.mu is held.
func (s *subscriber) fits(size int, now time.Time, stall time.Duration) bool {
	if len(s.queue) >= subscriberMaxQueued {
		return false
	}
	if len(s.queue) == 0 {
		return true
	}
	behind := s.bytes - len(s.queue[0]) + size
	stalled := stall > 0 && now.Sub(s.since) >= stall
	return behind <= subscriberMaxLiveBytes && (!stalled || behind <= subscriberMaxQueuedBytes)
}

// push queues an encoded message; Pub.mu is held.
func (s *subscriber) push(msg []byte, now time.Time) {
	if len(s.queue) == 0 {
		s.since = now
	}
	s.queue = append(s.queue, msg)
	s.bytes += len(msg)
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// subscribed reports whether a subscription of s is a prefix of topic.
func (s *subscriber) subscribed(topic []byte) bool {
	for t := range s.topics {
		if bytes.HasPrefix(topic, []byte(t)) {
			return true
		}
	}
	return false
}

// Backlog returns the number of messages queued for the subscriber that
// is furthest behind, among those that have taken something within
// Options.Stall (or have nothing queued). A subscriber that has taken
// nothing for that long no longer holds the others back; when every
// subscriber is in that state, Backlog counts them all.
func (pub *Pub) Backlog() int {
	now := time.Now()
	pub.mu.Lock()
	defer pub.mu.Unlock()
	live, all, anyLive := 0, 0, len(pub.subs) == 0
	for s := range pub.subs {
		n := len(s.queue)
		all = max(all, n)
		if n == 0 || pub.stall <= 0 || now.Sub(s.since) < pub.stall {
			anyLive = true
			live = max(live, n)
		}
	}
	if anyLive {
		return live
	}
	return all
}

// Drain waits until every subscriber that takes messages has taken what
// is queued for it, or until timeout has passed.
func (pub *Pub) Drain(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for pub.Backlog() > 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// serve reads a subscriber's subscriptions until its connection ends,
// while another goroutine writes its queue.
func (pub *Pub) serve(p *peer) {
	s := &subscriber{p: p, topics: map[string]bool{}, wake: make(chan struct{}, 1)}
	pub.mu.Lock()
	pub.subs[s] = true
	pub.mu.Unlock()
	written := make(chan struct{})
	go func() {
		defer close(written)
		pub.write(s)
	}()
	defer func() {
		pub.mu.Lock()
		delete(pub.subs, s)
		s.queue, s.bytes = nil, 0
		pub.mu.Unlock()
		p.abort() // ends a write in progress
		close(s.wake)
		<-written
	}()
	for {
		frames, command, err := p.in.next()
		if err != nil {
			return
		}
		pub.subscription(s, frames, command)
	}
}

// subscription applies a subscription message (ZMTP 3.0: one frame, 1 or
// 0 then the topic) or command (ZMTP 3.1: SUBSCRIBE or CANCEL), and
// answers a PING. A new subscription gets the Welcome message.
func (pub *Pub) subscription(s *subscriber, frames [][]byte, command bool) {
	var topic []byte
	var on bool
	switch {
	case command:
		name, data, err := parseCommand(frames[0])
		if err != nil {
			return
		}
		switch name {
		case cmdSubscribe, cmdCancel:
			topic, on = data, name == cmdSubscribe
		case cmdPing:
			if b := pong(frames[0]); b != nil {
				pub.mu.Lock()
				s.push(b, time.Now())
				pub.mu.Unlock()
			}
			return
		default:
			return
		}
	case len(frames) == 1 && len(frames[0]) > 0 && frames[0][0] <= 1:
		topic, on = frames[0][1:], frames[0][0] == 1
	default:
		return // a PUB ignores other messages
	}
	var welcome [][]byte
	if on && pub.welcome != nil {
		welcome = pub.welcome(topic) // outside the lock: it encodes and signs
	}
	pub.mu.Lock()
	defer pub.mu.Unlock()
	if on {
		if !s.topics[string(topic)] && welcome != nil {
			s.push(appendFrames(make([]byte, 0, framesSize(welcome)), welcome), time.Now())
		}
		s.topics[string(topic)] = true
	} else {
		delete(s.topics, string(topic))
	}
}

// write writes a subscriber's queue until its connection ends.
func (pub *Pub) write(s *subscriber) {
	for range s.wake {
		for {
			pub.mu.Lock()
			if len(s.queue) == 0 {
				pub.mu.Unlock()
				break
			}
			msg := s.queue[0]
			pub.mu.Unlock()
			for rest := msg; len(rest) > 0; {
				chunk := rest[:min(len(rest), pubWriteChunk)]
				rest = rest[len(chunk):]
				if s.p.write(chunk) != nil {
					return
				}
				pub.mu.Lock()
				s.since = time.Now()
				if len(rest) == 0 && len(s.queue) > 0 { // not cleared by serve
					s.queue[0] = nil
					s.queue = s.queue[1:]
					s.bytes -= len(msg)
				}
				pub.mu.Unlock()
			}
		}
	}
}
