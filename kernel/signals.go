package kernel

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// handleSignals makes SIGINT interrupt the running cell (it never kills
// the kernel) and SIGTERM stop the kernel cleanly. The returned function
// restores the default behaviour.
func (k *Kernel) handleSignals() (stop func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s == syscall.SIGTERM {
					k.log.Info("SIGTERM: shutting down")
					k.stop(false)
					continue
				}
				k.log.Info("SIGINT: interrupting")
				k.interrupt()
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// watchParent stops the kernel once process pid is gone, checking every
// second until the kernel stops. A parent that died but was never reaped
// (a zombie) still answers kill(pid, 0), so the kernel also stops when it
// stops being the parent's child (its parent pid changes), as ipykernel
// does.
func (k *Kernel) watchParent(pid int) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	wasChild := os.Getppid() == pid
	for {
		select {
		case <-k.stopping:
			return
		case <-t.C:
			if !processAlive(pid) || (wasChild && os.Getppid() != pid) {
				k.log.Info("parent process is gone: shutting down", "pid", pid)
				k.stop(false)
				return
			}
		}
	}
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}
