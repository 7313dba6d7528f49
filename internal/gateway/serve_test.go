package gateway

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/goawait/goawait/kernel"
	"github.com/goawait/goawait/language"
)

// stillInterp is an interpreter that runs nothing and records the
// interrupt and the shutdown it receives.
type stillInterp struct {
	interrupted, shutdown chan struct{}
}

func (s stillInterp) Info() language.LanguageInfo { return language.LanguageInfo{Name: "none"} }
func (s stillInterp) Execute(language.Cell, language.Publisher) language.ExecuteResult {
	return language.ExecuteResult{}
}
func (s stillInterp) Complete(string, int) language.Completion     { return language.Completion{} }
func (s stillInterp) Inspect(string, int, int) language.Inspection { return language.Inspection{} }
func (s stillInterp) IsComplete(string) language.Completeness {
	return language.Completeness{Status: "complete"}
}
func (s stillInterp) Interrupt() { s.interrupted <- struct{}{} }
func (s stillInterp) Shutdown()  { close(s.shutdown) }

func TestServeReportsPortsInRangeAndTakesRequests(t *testing.T) {
	l, priv := testLaunch(t)
	l.Ports = PortRange{Low: 43000, High: 43999}
	gw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer gw.Close()
	l.ResponseAddress = gw.Addr().String()
	in := stillInterp{interrupted: make(chan struct{}, 1), shutdown: make(chan struct{})}
	served := make(chan error, 1)
	go func() {
		served <- l.Serve(context.Background(), kernel.Config{Interpreter: in, Logger: slog.New(slog.DiscardHandler)})
	}()

	c, err := gw.Accept()
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := io.ReadAll(c)
	c.Close()
	info := unseal(t, priv, payload)
	if info["ip"] != ListenIP || info["transport"] != "tcp" || info["signature_scheme"] != "hmac-sha256" ||
		info["key"] == "" || info["kernel_id"] != l.KernelID {
		t.Errorf("report %v", info)
	}
	seen := map[int]bool{}
	for _, name := range []string{"shell_port", "control_port", "stdin_port", "iopub_port", "hb_port", "comm_port"} {
		p := int(info[name].(float64))
		if !l.Ports.Contains(p) || seen[p] {
			t.Errorf("%s %d is outside %v or repeated", name, p, l.Ports)
		}
		seen[p] = true
	}
	shell, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(int(info["shell_port"].(float64))))
	if err != nil {
		t.Fatalf("the reported shell port does not listen: %v", err)
	}
	shell.Close()

	comm := "127.0.0.1:" + strconv.Itoa(int(info["comm_port"].(float64)))
	send(t, comm, `{"signum": 0}`)
	send(t, comm, `{"signum": 2}`)
	<-in.interrupted
	send(t, comm, `{"shutdown": 1}`)
	<-in.shutdown
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if c, err := net.Dial("tcp", comm); err == nil {
		c.Close()
		t.Error("the communication port still answers after Serve returned")
	}
}

func TestServeFailsWhenTheGatewayIsGone(t *testing.T) {
	l, _ := testLaunch(t)
	gw, _ := net.Listen("tcp", "127.0.0.1:0")
	l.ResponseAddress = gw.Addr().String()
	gw.Close()
	in := stillInterp{interrupted: make(chan struct{}, 1), shutdown: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := l.Serve(ctx, kernel.Config{Interpreter: in}); err == nil {
		t.Fatal("Serve succeeded with no gateway to report to")
	}
	select {
	case <-in.shutdown:
	default:
		t.Error("the kernel was not shut down")
	}
}

// newKernel retries on InUse: the kernel's bind errors must say so.
func TestKernelBindErrorOfATakenPortIsInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	in := stillInterp{interrupted: make(chan struct{}, 1), shutdown: make(chan struct{})}
	k, err := kernel.New(kernel.Config{
		Connection:  kernel.ConnectionInfo{Transport: "tcp", IP: ListenIP, Key: "k", ShellPort: taken.Addr().(*net.TCPAddr).Port},
		Interpreter: in,
	})
	if err == nil {
		t.Fatalf("kernel bound a taken port: %+v", k.Connection())
	}
	if !InUse(err) {
		t.Errorf("InUse(%v) = false", err)
	}
}
