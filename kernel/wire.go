package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// delimiter separates routing identities from the message proper.
var delimiter = []byte("<IDS|MSG>")

// decodeMessage parses the frames of one multipart message and checks its
// signature.
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
	if err := jsonObject("header", header, &m.Header); err != nil {
		return m, err
	}
	if m.Header.MsgType == "" {
		return m, errors.New("malformed message: header has no msg_type")
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
	m.RawHeader = json.RawMessage(header)
	m.ParentHeader = json.RawMessage(parent)
	m.Content = json.RawMessage(content)
	m.Buffers = rest[5:]
	return m, nil
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
