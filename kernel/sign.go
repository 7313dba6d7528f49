package kernel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
)

// replayWindow is how many recent signatures are remembered to detect
// replayed messages.
const replayWindow = 10000

// errBadSignature and errReplayed are the reasons a message is dropped.
var (
	errBadSignature = errors.New("invalid message signature")
	errReplayed     = errors.New("replayed message signature")
)

// signer signs and checks messages with HMAC-SHA256. An empty key means
// messages are neither signed nor checked.
type signer struct {
	key []byte

	mu    sync.Mutex
	seen  map[string]struct{}
	order []string // ring of remembered signatures, oldest at next
	next  int
}

func newSigner(key string) *signer {
	return &signer{key: []byte(key), seen: make(map[string]struct{})}
}

// enabled tells whether messages are signed.
func (s *signer) enabled() bool { return len(s.key) > 0 }

// sign returns the hex HMAC of the four signed frames (header, parent
// header, metadata, content), or "" when signing is off.
func (s *signer) sign(parts ...[]byte) string {
	if !s.enabled() {
		return ""
	}
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// verify checks sig against the signed frames and records it so that the
// same signature is refused next time.
func (s *signer) verify(sig []byte, parts ...[]byte) error {
	if !s.enabled() {
		return nil
	}
	want := s.sign(parts...)
	if !hmac.Equal([]byte(want), sig) {
		return errBadSignature
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.seen[want]; dup {
		return errReplayed
	}
	if len(s.order) < replayWindow {
		s.order = append(s.order, want)
	} else {
		delete(s.seen, s.order[s.next])
		s.order[s.next] = want
		s.next = (s.next + 1) % replayWindow
	}
	s.seen[want] = struct{}{}
	return nil
}
