package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// ConnectionInfo is the content of a Jupyter connection file: where the
// five sockets listen and how messages are signed.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name"`
}

// String describes the connection without revealing the key.
func (c ConnectionInfo) String() string {
	return fmt.Sprintf("%s://%s shell=%d control=%d stdin=%d iopub=%d hb=%d signed=%t",
		c.Transport, c.IP, c.ShellPort, c.ControlPort, c.StdinPort, c.IOPubPort, c.HBPort, c.Key != "")
}

// LogValue implements slog.LogValuer so that logging a ConnectionInfo,
// with any handler, never reveals the key.
func (c ConnectionInfo) LogValue() slog.Value { return slog.StringValue(c.String()) }

// ReadConnectionFile reads and checks a connection file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("reading connection file: %w", err)
	}
	var info ConnectionInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return ConnectionInfo{}, fmt.Errorf("parsing connection file %s: %w", path, err)
	}
	if err := info.Validate(); err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return info, nil
}

// Validate fills defaults (transport tcp, ip 127.0.0.1, scheme
// hmac-sha256) and reports what a kernel cannot work with.
func (c *ConnectionInfo) Validate() error {
	if c.Transport == "" {
		c.Transport = "tcp"
	}
	if c.IP == "" {
		c.IP = "127.0.0.1"
	}
	if c.Transport != "tcp" && c.Transport != "ipc" {
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", c.Transport)
	}
	scheme := strings.ToLower(c.SignatureScheme)
	if scheme == "" {
		scheme = "hmac-sha256"
	}
	if scheme != "hmac-sha256" {
		return fmt.Errorf("unsupported signature_scheme %q: only hmac-sha256 is supported", c.SignatureScheme)
	}
	c.SignatureScheme = scheme
	ports := []struct {
		name string
		port int
	}{{"shell_port", c.ShellPort}, {"control_port", c.ControlPort}, {"stdin_port", c.StdinPort}, {"iopub_port", c.IOPubPort}, {"hb_port", c.HBPort}}
	var errs []error
	for _, p := range ports {
		// Port 0 asks the kernel to pick a free port (tcp only).
		if p.port < 0 || p.port > 65535 || (p.port == 0 && c.Transport != "tcp") {
			errs = append(errs, fmt.Errorf("%s %d is not a valid port", p.name, p.port))
		}
	}
	return errors.Join(errs...)
}

// endpoint is the ZeroMQ address of one of the kernel's sockets.
func (c ConnectionInfo) endpoint(port int) string {
	if c.Transport == "ipc" {
		// Jupyter names ipc endpoints "<ip>-<port>".
		return fmt.Sprintf("ipc://%s-%d", c.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", c.IP, port)
}
