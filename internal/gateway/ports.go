package gateway

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"strings"
	"syscall"
)

// PortRange is the range of TCP ports the gateway lets a kernel listen on,
// both ends included. As in Enterprise Gateway, a range whose ends are
// equal (its default 0..0) means any port the system chooses.
type PortRange struct {
	Low, High int
}

// ParsePortRange reads "LOW..HIGH". An empty string is the any-port range.
func ParsePortRange(s string) (PortRange, error) {
	if s == "" {
		return PortRange{}, nil
	}
	lo, hi, ok := strings.Cut(s, "..")
	if !ok {
		return PortRange{}, fmt.Errorf("%q is not LOW..HIGH", s)
	}
	low, errLow := strconv.Atoi(strings.TrimSpace(lo))
	high, errHigh := strconv.Atoi(strings.TrimSpace(hi))
	if err := errors.Join(errLow, errHigh); err != nil {
		return PortRange{}, fmt.Errorf("%q is not LOW..HIGH: %w", s, err)
	}
	r := PortRange{low, high}
	if r.Any() {
		return PortRange{}, nil
	}
	if low < 1 || high > 65535 || low > high {
		return PortRange{}, fmt.Errorf("%q: want 1 <= LOW <= HIGH <= 65535", s)
	}
	return r, nil
}

// Any reports whether the range lets the system choose the port.
func (r PortRange) Any() bool { return r.Low == r.High }

// String is the range as the gateway writes it.
func (r PortRange) String() string { return fmt.Sprintf("%d..%d", r.Low, r.High) }

// Contains reports whether port is in the range (any port is, for Any).
func (r PortRange) Contains(port int) bool {
	return r.Any() || (port >= r.Low && port <= r.High)
}

// Listen opens a TCP listener on ip at a free port of the range. It tries
// the range's ports from a random one on, so that kernels sharing a host
// and a range rarely try the same ports, and fails only when none is free.
func (r PortRange) Listen(ip string) (net.Listener, error) {
	if r.Any() {
		return net.Listen("tcp", net.JoinHostPort(ip, "0"))
	}
	size := r.High - r.Low + 1
	start := rand.IntN(size)
	for i := range size {
		port := r.Low + (start+i)%size
		l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err == nil {
			return l, nil
		}
		if !InUse(err) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no free port in %s on %s", r, ip)
}

// FreePorts returns n distinct ports of the range that are free on ip now.
// They are released before it returns: a caller that binds them later
// retries when InUse says another process took one meanwhile. For Any it
// returns n zeros, which ask the binder to choose.
func (r PortRange) FreePorts(ip string, n int) ([]int, error) {
	ports := make([]int, n)
	if r.Any() {
		return ports, nil
	}
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for i := range ports {
		l, err := r.Listen(ip)
		if err != nil {
			return nil, err
		}
		held = append(held, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports, nil
}

// InUse reports whether err says an address is taken (or not ours to
// take), the errors after which another port may work.
func InUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.EACCES)
}
