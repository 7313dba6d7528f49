package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// delimiter separates routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// maxMessageSize bounds the bytes of a message after its delimiter. A
// message over it is refused (with an error reply when it is a signed
// request) instead of being parsed, executed, echoed on iopub and stored in
// the history, which costs about ten times its size. Browsers cannot send
// more than 10 MiB through Jupyter Server (Tornado's default websocket
// limit), so 64 MiB leaves room for any real cell or comm message.
const maxMessageSize = 64 << 20

// decodeMessage parses the frames of one multipart message and checks its
// signature. When the signature and the header are good but another frame
// is not, the error comes with a Message whose Identities, Header and
// RawHeader are set, so that the sender can be answered.
func decodeMessage(frames [][]byte, s *signer) (Message, error) {
	var m Message
	at := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			at = i
			break
		}
	}
	if at < 0 {
		return m, errors.New("malformed message: no <IDS|MSG> delimiter")
	}
	m.Identities = frames[:at]
	rest := frames[at+1:]
	if len(rest) < 5 {
		return m, fmt.Errorf("malformed message: %d frames after the delimiter, want at least 5 (signature, header, parent_header, metadata, content)", len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if err := s.verify(sig, header, parent, metadata, content); err != nil {
		return m, err
	}
	var h Header
	if err := jsonObject("header", header, &h); err != nil {
		return m, err
	}
	if h.MsgType == "" {
		return m, errors.New("malformed message: header has no msg_type")
	}
	// From here on the sender and the request are known: a caller may
	// answer a malformed message with an error reply.
	m.Header = h
	m.RawHeader = json.RawMessage(header)
	if n := framesSize(rest); n > maxMessageSize {
		return m, fmt.Errorf("malformed message: %d bytes, more than the limit of %d", n, maxMessageSize)
	}
	if err := jsonObject("parent_header", parent, new(map[string]any)); err != nil {
		return m, err
	}
	if err := jsonObject("metadata", metadata, &m.Metadata); err != nil {
		return m, err
	}
	if err := jsonObject("content", content, new(map[string]any)); err != nil {
		return m, err
	}
	m.ParentHeader = json.RawMessage(parent)
	m.Content = json.RawMessage(content)
	m.Buffers = rest[5:]
	return m, nil
}

// framesSize is the total length of frames.
func framesSize(frames [][]byte) int {
	n := 0
	for _, f := range frames {
		n += len(f)
	}
	return n
}

// jsonObject decodes a frame that must be a JSON object into v.
func jsonObject(name string, frame []byte, v any) error {
	trimmed := bytes.TrimSpace(frame)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return fmt.Errorf("malformed message: %s is not a JSON object", name)
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return fmt.Errorf("malformed message: %s: %w", name, err)
	}
	return nil
}

// encodeMessage turns a message into signed frames ready to send.
func encodeMessage(out outgoing, s *signer) ([][]byte, error) {
	header, err := json.Marshal(out.header)
	if err != nil {
		return nil, fmt.Errorf("encoding header: %w", err)
	}
	parent := []byte(out.parent)
	if len(parent) == 0 {
		parent = []byte("{}")
	}
	metadata := []byte("{}")
	if out.metadata != nil {
		if metadata, err = json.Marshal(out.metadata); err != nil {
			return nil, fmt.Errorf("encoding metadata of %s: %w", out.header.MsgType, err)
		}
	}
	content := []byte("{}")
	if out.content != nil {
		if content, err = json.Marshal(out.content); err != nil {
			return nil, fmt.Errorf("encoding content of %s: %w", out.header.MsgType, err)
		}
	}
	frames := make([][]byte, 0, len(out.identities)+6+len(out.buffers))
	frames = append(frames, out.identities...)
	frames = append(frames, delimiter, []byte(s.sign(header, parent, metadata, content)), header, parent, metadata, content)
	frames = append(frames, out.buffers...)
	return frames, nil
}
