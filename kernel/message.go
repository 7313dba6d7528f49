package kernel

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// ProtocolVersion is the Jupyter messaging protocol version this kernel
// speaks; it goes into every header and into kernel_info_reply.
const ProtocolVersion = "5.5"

// Header is a Jupyter message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message.
type Message struct {
	// Identities are the ZeroMQ routing frames before the delimiter.
	Identities [][]byte
	Header     Header
	// RawHeader is the header exactly as received; replies use it as
	// their parent_header so that fields this kernel does not know survive.
	RawHeader json.RawMessage
	// ParentHeader is the parent header as received ({} when none).
	ParentHeader json.RawMessage
	Metadata     map[string]any
	// Content is the message content as received (a JSON object).
	Content json.RawMessage
	// Buffers are the extra binary frames after content.
	Buffers [][]byte
	// received is when the kernel read the message off its socket.
	received time.Time
	// large is set for a message whose memory the kernel gives back to
	// the system once it is handled (see isLarge).
	large bool
	// decodeErr says why a signed request with a good header could not be
	// decoded (its parent_header, metadata or content); only Identities,
	// Header and RawHeader are set then.
	decodeErr error
}

// newHeader makes the header of a message this kernel sends.
func newHeader(session, msgType string) Header {
	return Header{
		MsgID:    uuid.NewString(),
		Session:  session,
		Username: "kernel",
		Date:     time.Now().Format(time.RFC3339Nano),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// outgoing is a message this kernel is about to send.
type outgoing struct {
	identities [][]byte
	header     Header
	parent     json.RawMessage // raw parent header; nil means {}
	metadata   map[string]any
	content    any
	buffers    [][]byte
}
