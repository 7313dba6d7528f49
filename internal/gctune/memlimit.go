package gctune

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// LimitShare is the share of the memory available to the process (the
// machine's, or its cgroup's when lower) that SetMemoryLimit gives Go as
// its soft memory limit: the rest is for what Go does not count (the
// kernel's own mappings, child processes) before the system kills the
// process.
const LimitShare = 0.9

// SetMemoryLimit sets Go's soft memory limit to LimitShare of the memory
// available to the process, unless the GOMEMLIMIT environment variable
// set one (Go applies it itself). It returns the limit in effect, or
// Go's default (no limit) when the available memory cannot be read.
// With a limit, the collector works harder as the heap nears it, and a
// kernel can refuse, as a cell's error, an allocation that could never
// fit under it (Go's runtime would end the process instead).
func SetMemoryLimit() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1)
	}
	avail, err := AvailableMemory()
	if err != nil {
		return debug.SetMemoryLimit(-1)
	}
	limit := int64(float64(avail) * LimitShare)
	debug.SetMemoryLimit(limit)
	return limit
}

// AvailableMemory returns the memory the process may use: the machine's
// total, or the limit of its cgroup (v2 memory.max or v1
// memory.limit_in_bytes) when that is lower.
func AvailableMemory() (uint64, error) {
	total, err := memTotal("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if n, ok := cgroupLimit(path); ok && n < total {
			total = n
		}
	}
	return total, nil
}

// memTotal reads MemTotal from a /proc/meminfo file.
func memTotal(path string) (uint64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("machine memory: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			kb, err := strconv.ParseUint(f[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("machine memory: %s: %w", path, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("machine memory: no MemTotal in %s", path)
}

// cgroupLimit reads a cgroup memory limit file ("max", or a number of
// bytes; v1 writes a huge number for none).
func cgroupLimit(path string) (uint64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || n == 0 || n >= 1<<62 {
		return 0, false
	}
	return n, true
}
