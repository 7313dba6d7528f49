package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"runtime/trace"
	"slices"

	"github.com/goawait/goawait/install"
	"github.com/goawait/goawait/internal/gateway"
	"github.com/goawait/goawait/internal/gctune"
	"github.com/goawait/goawait/internal/historydb"
	"github.com/goawait/goawait/internal/modload"
	"github.com/goawait/goawait/interp"
	"github.com/goawait/goawait/kernel"
	"github.com/goawait/goawait/language"
)

// serveKernel runs the kernel for one connection file until Jupyter shuts
// it down. A restart is a new process, started by Jupyter, so both end the
// same way here.
func serveKernel(ctx context.Context, connectionFile string, logger *slog.Logger) error {
	p := startKernelProcess(logger)
	defer p.close()
	info, err := kernel.ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	cfg := p.config()
	cfg.Connection = info
	cfg.WatchParentPID = parentPID()
	k, err := kernel.New(cfg)
	if err != nil {
		return err
	}
	restart, err := k.Serve(ctx)
	logger.Debug("kernel stopped", "restart", restart)
	return err
}

// serveGatewayKernel runs a kernel that Enterprise Gateway launched on
// this host or in this pod, until the gateway shuts it down. The gateway,
// not a parent process, decides how long it lives.
func serveGatewayKernel(ctx context.Context, launch gateway.Launch, logger *slog.Logger) error {
	p := startKernelProcess(logger)
	defer p.close()
	return launch.Serve(ctx, p.config())
}

// kernelProcess is what a kernel process holds besides its sockets: the
// Go session, started at once in the background, the history store and
// the profiles it records.
type kernelProcess struct {
	logger  *slog.Logger
	session chan startedSession
	history kernel.HistoryStore
	stops   []func()
}

// startedSession is the Go session, or why it did not start.
type startedSession struct {
	session *interp.Session
	err     error
}

// startKernelProcess starts what every kernel process needs.
func startKernelProcess(logger *slog.Logger) *kernelProcess {
	if os.Getenv("GOGC") == "" {
		logger.Debug("garbage collector tuned", "gogc", gctune.Start())
	}
	logger.Debug("memory limit", "bytes", gctune.SetMemoryLimit())
	p := &kernelProcess{logger: logger, session: make(chan startedSession, 1)}
	// Profiles for developers (bench/README.md), written until shutdown.
	for _, r := range []recording{
		{"GOAWAIT_CPUPROFILE", "CPU profile", pprof.StartCPUProfile, pprof.StopCPUProfile},
		{"GOAWAIT_TRACE", "execution trace", trace.Start, trace.Stop},
	} {
		if path := os.Getenv(r.env); path != "" {
			stop, err := r.begin(path)
			if err != nil {
				logger.Warn("no "+r.what, "err", err)
			} else {
				p.stops = append(p.stops, stop)
			}
		}
	}
	// The Go session starts (≈10 ms) while the sockets are bound, so the
	// ports listen a few milliseconds after the process starts and a
	// front end's first connection attempt succeeds.
	go func() {
		s, err := interp.New(interp.Options{Modules: moduleOptions(logger)})
		p.session <- startedSession{s, err}
	}()
	p.history = historyStore(logger)
	return p
}

// config is the kernel's configuration but for where it listens.
func (p *kernelProcess) config() kernel.Config {
	return kernel.Config{
		NewInterpreter: func() (language.Interpreter, error) {
			s := <-p.session
			if s.err != nil {
				return nil, fmt.Errorf("starting the Go session: %w", s.err)
			}
			return s.session, nil
		},
		Logger:                p.logger,
		Implementation:        "goawait",
		ImplementationVersion: version,
		History:               p.history,
		HandleSignals:         true,
	}
}

// close closes the history and ends the recordings.
func (p *kernelProcess) close() {
	if err := p.history.Close(); err != nil {
		p.logger.Warn("closing the history", "err", err)
	}
	for _, stop := range slices.Backward(p.stops) {
		stop()
	}
}

// moduleOptions lets cells import any module: the go.mod in the kernel's
// working directory (Jupyter starts a kernel in the notebook's directory)
// is the notebook's, which imports honour.
func moduleOptions(logger *slog.Logger) *modload.Options {
	opt := &modload.Options{}
	if wd, err := os.Getwd(); err == nil {
		if gomod := filepath.Join(wd, "go.mod"); fileExists(gomod) {
			opt.GoMod = gomod
			logger.Debug("imports honour the notebook's go.mod", "path", gomod)
		}
	}
	return opt
}

func fileExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// historyStore is where the kernel keeps the code of the cells: a SQLite
// database shared by every goawait kernel of the user, in the Jupyter
// data dir (goawait/history.sqlite), or memory when that dir is unknown.
// Nothing is opened here: the kernel's first cell opens the database.
func historyStore(logger *slog.Logger) kernel.HistoryStore {
	dir, err := install.UserDataDir()
	if err != nil {
		logger.Warn("history is kept in memory only", "err", err)
		return kernel.NewMemoryHistory()
	}
	return historydb.New(filepath.Join(dir, "goawait", "history.sqlite"))
}

// recording is a profile the kernel writes to the file named by env.
type recording struct {
	env, what string
	start     func(w io.Writer) error
	stop      func()
}

// begin starts the recording into path; stop ends it and closes the file.
func (r recording) begin(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the %s: %w", r.what, err)
	}
	if err := r.start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the %s: %w", r.what, err)
	}
	return func() {
		r.stop()
		f.Close()
	}, nil
}
