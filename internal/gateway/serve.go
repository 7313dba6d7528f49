package gateway

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/goawait/goawait/kernel"
)

// ListenIP is where a remotely launched kernel listens: every interface,
// since the gateway connects from another host or from outside the pod.
// It reports this address; the gateway replaces it with the host's.
const ListenIP = "0.0.0.0"

// announceTimeout bounds reaching the gateway, which waits for the report
// for its launch timeout (30 s by default) and then gives up.
const announceTimeout = 30 * time.Second

// Serve runs a kernel for the gateway until the gateway shuts it down or
// ctx is done. It binds the kernel's sockets and the communication port
// in the launch's port range with a fresh signing key (cfg.Connection is
// replaced), starts serving, sends the report to the response address,
// and answers the gateway's requests on the communication port.
func (l Launch) Serve(ctx context.Context, cfg kernel.Config) error {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	comm, err := l.Ports.Listen(ListenIP)
	if err != nil {
		return fmt.Errorf("communication port: %w", err)
	}
	defer comm.Close()
	k, err := l.newKernel(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() {
		// A restart is a new process the gateway starts, so a restart
		// request ends this one like a shutdown.
		_, err := k.Serve(ctx)
		served <- err
	}()
	report := l.NewReport(k.Connection(), comm.Addr().(*net.TCPAddr).Port)
	log.Info("reporting to Enterprise Gateway", "address", l.ResponseAddress, "kernel_id", l.KernelID,
		"connection", k.Connection(), "comm_port", report.CommPort)
	actx, acancel := context.WithTimeout(ctx, announceTimeout)
	err = l.Announce(actx, report)
	acancel()
	if err != nil {
		cancel()
		return errors.Join(err, <-served)
	}
	go func() {
		if err := ServeRequests(ctx, comm, control{k, cancel}, log); err != nil {
			log.Error("communication port stopped; the gateway cannot interrupt the kernel", "err", err)
		}
	}()
	return <-served
}

// control is the kernel as the communication port's requests see it.
type control struct {
	k    *kernel.Kernel
	stop context.CancelFunc
}

func (c control) Interrupt() { c.k.Interrupt() }
func (c control) Shutdown()  { c.stop() }

// bindAttempts is how many sets of free ports newKernel tries when
// another process takes one of them between the choice and the bind.
const bindAttempts = 5

// newKernel binds a kernel to free ports of the range, on ListenIP, with
// a fresh signing key.
func (l Launch) newKernel(cfg kernel.Config) (*kernel.Kernel, error) {
	cfg.Connection = kernel.ConnectionInfo{Transport: "tcp", IP: ListenIP, Key: rand.Text(), SignatureScheme: "hmac-sha256"}
	var err error
	for range bindAttempts {
		var ports []int
		if ports, err = l.Ports.FreePorts(ListenIP, 5); err != nil {
			return nil, fmt.Errorf("kernel ports: %w", err)
		}
		c := &cfg.Connection
		c.ShellPort, c.ControlPort, c.StdinPort, c.IOPubPort, c.HBPort = ports[0], ports[1], ports[2], ports[3], ports[4]
		var k *kernel.Kernel
		if k, err = kernel.New(cfg); err == nil || !InUse(err) {
			return k, err
		}
	}
	return nil, err
}
