package kernel

import (
	"encoding/json"
	"log/slog"
)

// publish sends a message on iopub with parent as parent_header (nil for
// none). It never waits: a subscriber that does not read loses the
// message (cell output waits at the gate before it gets here).
func (k *Kernel) publish(parent json.RawMessage, msgType string, content any) {
	out := outgoing{
		// The topic frame: subscribers filter on it; Jupyter clients
		// subscribe to everything.
		identities: [][]byte{[]byte("kernel." + k.session + "." + msgType)},
		header:     newHeader(k.session, msgType),
		parent:     parent,
		content:    content,
	}
	frames, err := encodeMessage(out, k.signer)
	if err != nil {
		k.log.Error("cannot encode iopub message", "msg_type", msgType, "err", err)
		return
	}
	k.socks.iopub.Send(frames)
}

// welcome returns the iopub_welcome message (protocol 5.5) for a new
// subscription to topic: no parent, content {"subscription": topic}, and
// the topic as its topic frame, so that the subscriber's filter lets it
// through. The kernel sends it to the new subscriber only, so a client
// that gets one knows its subscription is in place.
func welcome(session string, s *signer, log *slog.Logger) func(topic []byte) [][]byte {
	return func(topic []byte) [][]byte {
		frames, err := encodeMessage(outgoing{
			identities: [][]byte{topic},
			header:     newHeader(session, "iopub_welcome"),
			content:    map[string]any{"subscription": string(topic)},
		}, s)
		if err != nil {
			log.Error("cannot encode iopub_welcome", "err", err)
			return nil
		}
		return frames
	}
}
