package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"syscall"
	"time"
)

// Kernel is what the gateway's requests act on.
type Kernel interface {
	// Interrupt interrupts the running cell.
	Interrupt()
	// Shutdown stops the kernel; it may return before the kernel has stopped.
	Shutdown()
}

// Request is one request on the communication port: a JSON object with a
// signal number, a shutdown flag, or both.
type Request struct {
	// Signal is the signal to act on, or nil. 0 is the gateway's liveness
	// poll: an answer on the port is all it needs.
	Signal *int
	// Shutdown asks the kernel to stop and the port to close.
	Shutdown bool
}

// ParseRequest reads a request as the gateway sends it: {"signum": n}
// and/or {"shutdown": 1}. As in the gateway's own launchers, a signal
// number may also be a numeric string, and shutdown is whatever JSON value
// is not false, 0, "" or null.
func ParseRequest(data []byte) (Request, error) {
	var raw struct {
		Signum   any `json:"signum"`
		Shutdown any `json:"shutdown"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Request{}, fmt.Errorf("request %q is not a JSON object: %w", data, err)
	}
	var r Request
	switch v := raw.Signum.(type) {
	case nil:
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			return Request{}, fmt.Errorf("signum %s is not an integer", v)
		}
		s := int(n)
		r.Signal = &s
	case string:
		var n int
		if _, err := fmt.Sscan(v, &n); err != nil {
			return Request{}, fmt.Errorf("signum %q is not an integer", v)
		}
		r.Signal = &n
	default:
		return Request{}, fmt.Errorf("signum %v is not an integer", v)
	}
	switch v := raw.Shutdown.(type) {
	case nil:
	case bool:
		r.Shutdown = v
	case json.Number:
		f, err := v.Float64()
		r.Shutdown = err != nil || f != 0
	case string:
		r.Shutdown = v != ""
	default:
		r.Shutdown = true
	}
	return r, nil
}

// Limits on one request: the gateway sends a few bytes and closes.
const (
	maxRequestSize = 64 << 10
	requestTimeout = 10 * time.Second
)

// ServeRequests answers the gateway's requests on the communication port
// l, one connection at a time, until a shutdown request arrives or ctx is
// done. It closes l before it returns.
//
// A signal request acts as the signal would on a local kernel: SIGINT
// interrupts the cell, SIGTERM shuts the kernel down, 0 (the liveness
// poll) does nothing, and any other signal is sent to this process (so
// SIGKILL kills it), as the gateway's own launchers do.
func ServeRequests(ctx context.Context, l net.Listener, k Kernel, log *slog.Logger) error {
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	defer l.Close()
	for {
		conn, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("communication port: %w", err)
		}
		req, err := readRequest(conn)
		if err != nil {
			log.Warn("communication port: ignoring a request", "from", conn.RemoteAddr(), "err", err)
			continue
		}
		if act(req, k, log) {
			return nil
		}
	}
}

// readRequest reads one request, which ends when the gateway closes the
// connection, and closes it.
func readRequest(conn net.Conn) (Request, error) {
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(requestTimeout))
	data, err := io.ReadAll(io.LimitReader(conn, maxRequestSize+1))
	if err != nil && !errors.Is(err, io.EOF) {
		return Request{}, err
	}
	if len(data) > maxRequestSize {
		return Request{}, fmt.Errorf("request longer than %d bytes", maxRequestSize)
	}
	return ParseRequest(data)
}

// act carries out a request and reports whether it asked to shut down.
func act(req Request, k Kernel, log *slog.Logger) (shutdown bool) {
	if req.Signal != nil {
		switch n := *req.Signal; n {
		case 0:
		case int(syscall.SIGINT):
			log.Info("communication port: interrupt")
			k.Interrupt()
		case int(syscall.SIGTERM):
			log.Info("communication port: SIGTERM, shutting down")
			k.Shutdown()
		default:
			log.Info("communication port: signal", "signum", n)
			if err := signalSelf(n); err != nil {
				log.Warn("communication port: signal not delivered", "signum", n, "err", err)
			}
		}
	}
	if req.Shutdown {
		log.Info("communication port: shutdown")
		k.Shutdown()
	}
	return req.Shutdown
}
