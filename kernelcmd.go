package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/goawait/goawait/interp"
	"github.com/goawait/goawait/kernel"
)

// serveKernel runs the kernel for one connection file until Jupyter shuts
// it down. A restart is a new process, started by Jupyter, so both end the
// same way here.
func serveKernel(ctx context.Context, connectionFile string, logger *slog.Logger) error {
	info, err := kernel.ReadConnectionFile(connectionFile)
	if err != nil {
		return err
	}
	session, err := interp.New(interp.Options{})
	if err != nil {
		return fmt.Errorf("starting the Go session: %w", err)
	}
	historyFile, err := kernel.DefaultHistoryFile()
	if err != nil {
		logger.Warn("history is kept in memory only", "err", err)
	}
	k, err := kernel.New(kernel.Config{
		Connection:            info,
		Interpreter:           session,
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
