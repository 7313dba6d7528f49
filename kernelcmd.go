package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"runtime/trace"

	"github.com/goawait/goawait/internal/gctune"
	"github.com/goawait/goawait/interp"
	"github.com/goawait/goawait/kernel"
)

// serveKernel runs the kernel for one connection file until Jupyter shuts
// it down. A restart is a new process, started by Jupyter, so both end the
// same way here.
func serveKernel(ctx context.Context, connectionFile string, logger *slog.Logger) error {
	if os.Getenv("GOGC") == "" {
		logger.Debug("garbage collector tuned", "gogc", gctune.Start())
	}
	if path := os.Getenv("GOAWAIT_CPUPROFILE"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			logger.Warn("no CPU profile", "err", err)
		} else {
			defer stop()
		}
	}
	if path := os.Getenv("GOAWAIT_TRACE"); path != "" {
		stop, err := startTrace(path)
		if err != nil {
			logger.Warn("no execution trace", "err", err)
		} else {
			defer stop()
		}
	}
	// The Go session starts (≈10 ms) while the sockets are bound, so the
	// ports listen a few milliseconds after the process starts and a
	// front end's first connection attempt succeeds.
	type started struct {
		session *interp.Session
		err     error
	}
	ready := make(chan started, 1)
	go func() {
		s, err := interp.New(interp.Options{})
		ready <- started{s, err}
	}()
	info, err := kernel.ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	historyFile, err := kernel.DefaultHistoryFile()
	if err != nil {
		logger.Warn("history is kept in memory only", "err", err)
	}
	k, err := kernel.New(kernel.Config{
		Connection: info,
		NewInterpreter: func() (kernel.Interpreter, error) {
			s := <-ready
			if s.err != nil {
				return nil, fmt.Errorf("starting the Go session: %w", s.err)
			}
			return s.session, nil
		},
		Logger:                logger,
		Implementation:        "goawait",
		ImplementationVersion: version,
		HistoryFile:           historyFile,
		WatchParentPID:        parentPID(),
		HandleSignals:         true,
	})
	if err != nil {
		return err
	}
	restart, err := k.Serve(ctx)
	logger.Debug("kernel stopped", "restart", restart)
	return err
}

// startCPUProfile writes a CPU profile of the kernel to path (with
// GOAWAIT_CPUPROFILE set: see bench/README.md) until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// startTrace writes a Go execution trace to path (the kernel runs with
// GOAWAIT_TRACE set: see bench/README.md) until stop is called.
func startTrace(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the execution trace: %w", err)
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the execution trace: %w", err)
	}
	return func() {
		trace.Stop()
		f.Close()
	}, nil
}
