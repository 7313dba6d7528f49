package kernel

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/goawait/goawait/kernel/internal/zmqtransport"
)

// handlerFunc answers one request. An error it returns is sent to the
// client as an error reply (when the message is a request that has not
// been answered yet).
type handlerFunc func(r *request) error

// mux maps msg_type to its handler, as http.ServeMux maps paths.
type mux map[string]handlerFunc

// defaultMux is the table of every message type the kernel understands.
func defaultMux() mux {
	return bindMethods(map[string]methodHandler{
		"kernel_info_request": (*Kernel).handleKernelInfo,
		"execute_request":     (*Kernel).handleExecute,
		"is_complete_request": (*Kernel).handleIsComplete,
		"complete_request":    (*Kernel).handleComplete,
		"inspect_request":     (*Kernel).handleInspect,
		"history_request":     (*Kernel).handleHistory,
		"comm_info_request":   (*Kernel).handleCommInfo,
		"comm_open":           (*Kernel).handleCommOpen,
		"comm_msg":            (*Kernel).handleCommIgnored,
		"comm_close":          (*Kernel).handleCommIgnored,
		"shutdown_request":    (*Kernel).handleShutdown,
		"interrupt_request":   (*Kernel).handleInterrupt,
		"usage_request":       (*Kernel).handleUsage,
	})
}

// controlTypes are the message types served on the control channel.
// They run while a cell runs, so they must not enter the interpreter
// (which is used by one goroutine at a time).
var controlTypes = []string{
	"kernel_info_request", "shutdown_request", "interrupt_request",
	"comm_info_request", "history_request", "usage_request",
}

// only returns the part of m that handles the given types.
func (m mux) only(types ...string) mux {
	sub := make(mux, len(types))
	for _, t := range types {
		if h, ok := m[t]; ok {
			sub[t] = h
		}
	}
	return sub
}

// bindMethods turns Kernel methods into handlers.
func bindMethods(methods map[string]methodHandler) mux {
	m := make(mux, len(methods))
	for t, f := range methods {
		m[t] = func(r *request) error { return f(r.k, r) }
	}
	return m
}

// methodHandler is a handler written as a Kernel method.
type methodHandler = func(*Kernel, *request) error

// request is one incoming message being handled.
type request struct {
	k       *Kernel
	channel *zmqtransport.Router
	msg     Message
	replied bool
}

// decode unmarshals the request's content into v.
func (r *request) decode(v any) error {
	if err := json.Unmarshal(r.msg.Content, v); err != nil {
		return fmt.Errorf("bad %s content: %w", r.msg.Header.MsgType, err)
	}
	return nil
}

// reply sends msgType with content on the request's channel, to the
// request's sender, with the request's header as parent.
func (r *request) reply(msgType string, content any) {
	r.replied = true
	out := outgoing{
		identities: r.msg.Identities,
		header:     newHeader(r.k.session, msgType),
		parent:     r.msg.RawHeader,
		content:    content,
	}
	frames, err := encodeMessage(out, r.k.signer)
	if err != nil {
		r.k.log.Error("cannot encode reply", "msg_type", msgType, "err", err)
		return
	}
	if _, err := r.channel.Send(frames); err != nil {
		r.k.log.Error("cannot send reply", "msg_type", msgType, "err", err)
	}
}

// replyType is the reply type of a request type ("x_request" -> "x_reply").
func replyType(msgType string) (string, bool) {
	prefix, ok := strings.CutSuffix(msgType, "_request")
	return prefix + "_reply", ok
}

// replyError answers the request with status error.
func (r *request) replyError(ename, evalue string) {
	rt, ok := replyType(r.msg.Header.MsgType)
	if !ok || r.replied {
		return
	}
	r.reply(rt, map[string]any{
		"status":    "error",
		"ename":     ename,
		"evalue":    evalue,
		"traceback": []string{ename + ": " + evalue},
	})
}

// dispatch handles one message, wrapped in iopub busy/idle, and never
// lets a handler panic escape.
func (k *Kernel) dispatch(c *zmqtransport.Router, handlers mux, m Message) {
	r := &request{k: k, channel: c, msg: m}
	k.publish(m.RawHeader, "status", map[string]any{"execution_state": "busy"})
	defer k.publish(m.RawHeader, "status", map[string]any{"execution_state": "idle"})
	defer func() {
		if p := recover(); p != nil {
			k.log.Error("handler panicked", "msg_type", m.Header.MsgType, "panic", p, "stack", string(debug.Stack()))
			r.replyError("InternalError", fmt.Sprint(p))
		}
	}()
	if m.decodeErr != nil {
		r.replyError("BadRequest", m.decodeErr.Error())
		return
	}
	h, ok := handlers[m.Header.MsgType]
	if !ok {
		k.log.Warn("unknown message type", "msg_type", m.Header.MsgType, "socket", c.Name())
		r.replyError("UnknownMessageType", "unknown message type "+m.Header.MsgType+" on "+c.Name())
		return
	}
	if err := h(r); err != nil {
		k.log.Warn("request failed", "msg_type", m.Header.MsgType, "err", err)
		r.replyError("BadRequest", err.Error())
	}
}
