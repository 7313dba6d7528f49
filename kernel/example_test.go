package kernel_test

import (
	"context"
	"log/slog"
	"os"
	"strconv"

	"github.com/goawait/goawait/kernel"
	"github.com/goawait/goawait/language"
)

// This is how a main package runs a kernel for a connection file given
// by Jupyter.
func Example() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	info, err := kernel.ReadConnectionFile("kernel-1234.json")
	if err != nil {
		logger.Error("cannot start", "err", err)
		os.Exit(1)
	}
	// Keep history in memory; goawait's main keeps it in a database
	// (package internal/historydb).
	history := kernel.NewMemoryHistory()
	defer history.Close()
	parent, _ := strconv.Atoi(os.Getenv("JPY_PARENT_PID"))
	var interp language.Interpreter // e.g. interp.New(...) from package interp
	k, err := kernel.New(kernel.Config{
		Connection:            info,
		Interpreter:           interp,
		Logger:                logger,
		Implementation:        "goawait",
		ImplementationVersion: "0.1.0",
		History:               history,
		WatchParentPID:        parent,
		HandleSignals:         true,
	})
	if err != nil {
		logger.Error("cannot start", "err", err)
		os.Exit(1)
	}
	restart, err := k.Serve(context.Background())
	if err != nil {
		logger.Error("kernel stopped with an error", "err", err)
	}
	logger.Info("bye", "restart requested", restart)
	// Exit 0 either way: on restart, Jupyter starts a new process.
}
