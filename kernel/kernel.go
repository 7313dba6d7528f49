// Package kernel is a Jupyter messaging protocol server (protocol 5.5)
// over ZeroMQ. It knows nothing about the language it serves: it drives
// any Interpreter.
package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goawait/goawait/internal/usage"
	"github.com/goawait/goawait/kernel/internal/zmqtransport"
	"github.com/goawait/goawait/language"

	"github.com/google/uuid"
)

// Config configures a Kernel.
type Config struct {
	// Connection says where to listen and how to sign (see
	// ReadConnectionFile). A port of 0 picks a free TCP port.
	Connection ConnectionInfo
	// Interpreter runs the cells. Set it or NewInterpreter, not both.
	Interpreter language.Interpreter
	// NewInterpreter, when Interpreter is nil, is called by Serve once the
	// sockets listen and their readers run. A front end connects the
	// moment it has started the process; an interpreter that takes a
	// while to start no longer makes its first connection attempt fail
	// (and wait out libzmq's reconnect interval). Messages that arrive
	// meanwhile are queued and answered once it returns.
	NewInterpreter func() (language.Interpreter, error)
	// Logger receives the kernel's own log; nil discards it. The key is
	// never logged.
	Logger *slog.Logger
	// Implementation and ImplementationVersion go into kernel_info_reply.
	Implementation        string
	ImplementationVersion string
	// History stores the cells' input across kernel sessions, for
	// history_request; nil keeps it in memory for this kernel only. The
	// kernel does not touch it before the first cell or history request,
	// and does not close it.
	History HistoryStore
	// WatchParentPID, when not 0, makes the kernel shut down once that
	// process is gone (checked every second).
	WatchParentPID int
	// HandleSignals makes SIGINT interrupt the running cell instead of
	// killing the process, and SIGTERM shut the kernel down cleanly.
	HandleSignals bool
}

// Kernel serves the Jupyter protocol for one Interpreter.
type Kernel struct {
	cfg     Config
	interp  language.Interpreter
	log     *slog.Logger
	signer  *signer
	session string
	conn    ConnectionInfo // with the ports actually bound

	ctx        context.Context // lives as long as the sockets
	cancel     context.CancelFunc
	socks      *sockets
	shellMux   mux // every message type
	controlMux mux // what may run beside a cell
	history    *history
	stdin      *stdinChannel
	usage      *usage.Sampler     // for usage_request
	gate       *zmqtransport.Gate // back-pressure on cell output
	output     outputTurn         // which cell's publisher holds pending text

	// Shell state, touched only by the shell goroutine.
	count       int       // last execution count shown
	abortBefore time.Time // execute_requests received before this are aborted

	stopOnce sync.Once
	stopping chan struct{} // closed when the kernel must stop
	restart  bool          // set before stopping is closed
	served   atomic.Bool
}

// New checks cfg and binds the sockets. Call Serve to start answering.
func New(cfg Config) (*Kernel, error) {
	if (cfg.Interpreter == nil) == (cfg.NewInterpreter == nil) {
		return nil, errors.New("kernel: set exactly one of Config.Interpreter and Config.NewInterpreter")
	}
	if err := cfg.Connection.Validate(); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Implementation == "" {
		cfg.Implementation = "goawait"
	}
	hist := newHistory(cfg.History, cfg.Logger)
	ctx, cancel := context.WithCancel(context.Background())
	stall := iopubStall(cfg.Logger)
	signer, session := newSigner(cfg.Connection.Key), uuid.NewString()
	socks, err := bindSockets(cfg.Connection, stall, cfg.Logger, welcome(session, signer, cfg.Logger))
	if err != nil {
		cancel()
		hist.close()
		return nil, fmt.Errorf("kernel: %w", err)
	}
	k := &Kernel{
		cfg:      cfg,
		interp:   cfg.Interpreter,
		log:      cfg.Logger,
		signer:   signer,
		session:  session,
		conn:     cfg.Connection,
		ctx:      ctx,
		cancel:   cancel,
		socks:    socks,
		history:  hist,
		usage:    usage.NewSampler(),
		stopping: make(chan struct{}),
	}
	if cfg.Connection.Transport == "tcp" {
		k.conn.ShellPort = socks.shell.Port()
		k.conn.ControlPort = socks.control.Port()
		k.conn.StdinPort = socks.stdin.Port()
		k.conn.IOPubPort = socks.iopub.Port()
		k.conn.HBPort = socks.hb.Port()
	}
	k.stdin = newStdinChannel(k)
	k.gate = socks.iopub.Gate(stall, k.stopping)
	k.shellMux = defaultMux()
	k.controlMux = k.shellMux.only(controlTypes...)
	return k, nil
}

// Connection returns the connection info with the ports actually bound.
func (k *Kernel) Connection() ConnectionInfo { return k.conn }

// Serve answers clients until a shutdown_request arrives, ctx is
// cancelled, SIGTERM arrives (with HandleSignals) or the watched parent
// dies. It reports whether a restart was requested. Serve may be called
// once; it closes the sockets before returning.
func (k *Kernel) Serve(ctx context.Context) (restart bool, err error) {
	if !k.served.CompareAndSwap(false, true) {
		return false, errors.New("kernel: Serve called twice")
	}
	k.log.Info("kernel starting", "connection", k.conn.String(), "session", k.session)

	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	shellQueue := make(chan Message, 4096)
	controlQueue := make(chan Message, 256)
	go k.socks.readLoop(k.socks.shell, k.signer, k.log, func(m Message) {
		select {
		case shellQueue <- m:
		case <-k.ctx.Done():
		}
	})
	go k.socks.readLoop(k.socks.control, k.signer, k.log, func(m Message) {
		select {
		case controlQueue <- m:
		case <-k.ctx.Done():
		}
	})
	go k.socks.readLoop(k.socks.stdin, k.signer, k.log, k.stdin.deliver)
	if k.interp == nil {
		interp, err := k.cfg.NewInterpreter()
		if err != nil {
			k.cancel()
			k.socks.close()
			k.history.close()
			return false, fmt.Errorf("kernel: starting the interpreter: %w", err)
		}
		k.interp = interp
	}
	if k.cfg.HandleSignals {
		stopSignals := k.handleSignals()
		defer stopSignals()
	}
	run(func() { k.serveQueue(k.socks.shell, k.shellMux, shellQueue) })
	run(func() { k.serveQueue(k.socks.control, k.controlMux, controlQueue) })

	if k.cfg.WatchParentPID != 0 {
		go k.watchParent(k.cfg.WatchParentPID)
	}

	k.publish(nil, "status", map[string]any{"execution_state": "starting"})

	select {
	case <-ctx.Done():
		k.log.Info("context done, shutting down", "err", ctx.Err())
		k.stop(false)
	case <-k.stopping:
	}
	return k.restart, k.shutdown(&wg)
}

// stop asks Serve to end. The first call decides restart.
func (k *Kernel) stop(restart bool) {
	k.stopOnce.Do(func() {
		k.restart = restart
		close(k.stopping)
	})
}

// shutdown interrupts what runs, waits a little for the handlers to
// finish, stops the interpreter and closes the sockets.
func (k *Kernel) shutdown(wg *sync.WaitGroup) error {
	k.interrupt()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		k.log.Warn("handlers still running at shutdown")
	}
	k.interp.Shutdown()
	// Let the subscribers take what is queued (the last idle).
	k.socks.iopub.Drain(100 * time.Millisecond)
	k.cancel()
	err := k.socks.close()
	k.history.close()
	k.log.Info("kernel stopped", "restart", k.restart)
	return err
}

// interrupt interrupts the running cell and any pending input request.
func (k *Kernel) interrupt() {
	k.stdin.interrupt()
	k.interp.Interrupt()
}

// serveQueue handles the messages of one channel in order until the
// kernel stops.
func (k *Kernel) serveQueue(c *zmqtransport.Router, m mux, queue <-chan Message) {
	for {
		select {
		case <-k.stopping:
			return
		case msg := <-queue:
			k.dispatch(c, m, msg)
			if msg.large {
				k.socks.inFlight.GiveBack()
			}
		}
	}
}

// iopubStallDefault is how long cell output waits for front ends that
// read nothing before it is dropped (see zmqtransport.Gate).
// GOAWAIT_IOPUB_STALL (a Go duration) overrides it.
const iopubStallDefault = 10 * time.Second

// iopubStall returns the stall time: GOAWAIT_IOPUB_STALL or the default.
func iopubStall(log *slog.Logger) time.Duration {
	s := os.Getenv("GOAWAIT_IOPUB_STALL")
	if s == "" {
		return iopubStallDefault
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		log.Warn("ignoring GOAWAIT_IOPUB_STALL", "value", s)
		return iopubStallDefault
	}
	return d
}
