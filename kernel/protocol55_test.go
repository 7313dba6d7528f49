package kernel

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// TestIOPubWelcome: a new iopub subscriber's first message is a signed
// iopub_welcome without parent that names its subscription (protocol 5.5).
func TestIOPubWelcome(t *testing.T) {
	h := startKernel(t)
	sub := zmq4.NewSub(context.Background())
	defer sub.Close()
	if err := sub.Dial(h.k.Connection().endpoint(h.k.Connection().IOPubPort)); err != nil {
		t.Fatal(err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	got := make(chan zmq4.Msg, 1)
	go func() {
		if m, err := sub.Recv(); err == nil {
			got <- m
		}
	}()
	var raw zmq4.Msg
	select {
	case raw = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no message on a new subscription")
	}
	m, err := decodeMessage(raw.Frames, newSigner(testKey))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "msg_type", m.Header.MsgType, "iopub_welcome")
	mustEqual(t, "parent", string(m.ParentHeader), "{}")
	mustEqual(t, "subscription", content(t, m)["subscription"], "")
	mustEqual(t, "version", m.Header.Version, "5.5")
}

// TestUsageRequestOnControl: usage_request, as jupyter-resource-usage
// sends it, is answered on control with this process's figures.
func TestUsageRequestOnControl(t *testing.T) {
	h := startKernel(t)
	reply, iopub := h.c.request(h.c.control, "usage_request", map[string]any{})
	mustEqual(t, "reply type", reply.Header.MsgType, "usage_reply")
	c := content(t, reply)
	mustEqual(t, "pid", c["pid"], float64(os.Getpid()))
	mustEqual(t, "cpu_count", c["cpu_count"], float64(runtime.NumCPU()))
	host, _ := os.Hostname()
	mustEqual(t, "hostname", c["hostname"], host)
	if cpu, ok := c["kernel_cpu"].(float64); !ok || cpu < 0 {
		t.Errorf("kernel_cpu = %v", c["kernel_cpu"])
	}
	if _, err := os.Stat("/proc/self/status"); err == nil {
		if mem, ok := c["kernel_memory"].(float64); !ok || mem <= 0 {
			t.Errorf("kernel_memory = %v", c["kernel_memory"])
		}
		vm, _ := c["host_virtual_memory"].(map[string]any)
		if total, ok := vm["total"].(float64); !ok || total <= 0 {
			t.Errorf("host_virtual_memory = %v", c["host_virtual_memory"])
		}
	}
	mustEqual(t, "iopub", len(iopub), 2) // busy, idle
}
