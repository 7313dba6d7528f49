package kernel

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kernel.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadConnectionFile(t *testing.T) {
	p := writeFile(t, `{"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004,
		"hb_port": 5005, "ip": "127.0.0.1", "key": "abc", "transport": "tcp",
		"signature_scheme": "hmac-sha256", "kernel_name": "goawait"}`)
	info, err := ReadConnectionFile(p)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "shell endpoint", info.endpoint(info.ShellPort), "tcp://127.0.0.1:5001")
	mustEqual(t, "hb", info.HBPort, 5005)
	mustEqual(t, "key", info.Key, "abc")
	mustEqual(t, "kernel_name", info.KernelName, "goawait")
}

func TestReadConnectionFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"scheme", `{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"signature_scheme":"hmac-md5"}`, "only hmac-sha256"},
		{"json", `{"shell_port":`, "parsing connection file"},
		{"type", `{"shell_port":"5001"}`, "parsing connection file"},
		{"port", `{"shell_port":70000,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, "shell_port 70000"},
		{"transport", `{"transport":"udp","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}`, "unsupported transport"},
	} {
		_, err := ReadConnectionFile(writeFile(t, tc.content))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadConnectionFile(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestConnectionInfoNeverLogsKey(t *testing.T) {
	info := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "TOPSECRET"}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "conn", info)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "conn", info)
	if strings.Contains(buf.String(), "TOPSECRET") {
		t.Errorf("key logged: %s", buf.String())
	}
}
