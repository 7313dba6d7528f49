package kernel

import "encoding/json"

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
