// Package modloadtest completes the build information of a test binary,
// for tests that load module plugins into it. `go test` records no
// modules in a test binary, and a plugin must be pinned to the versions
// of the modules its host links.
package modloadtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
)

// BuildInfo returns the build information of the running test binary
// with the modules it links, as `go list -deps -test` reports them for
// the package in the current directory (where `go test` runs a test).
func BuildInfo() (*debug.BuildInfo, error) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, errors.New("the test binary has no build information")
	}
	out, err := exec.Command("go", "list", "-deps", "-test", "-json=Module").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("go list -deps -test: %w\n%s", err, ee.Stderr)
		}
		return nil, fmt.Errorf("go list -deps -test: %w", err)
	}
	info := *bi
	info.Deps = nil
	seen := map[string]bool{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			Module *struct {
				Path, Version, Sum string
				Main               bool
				Replace            *struct{ Path, Version, Sum string }
			}
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("read go list's output: %w", err)
		}
		m := p.Module
		if m == nil || m.Main || seen[m.Path] {
			continue
		}
		seen[m.Path] = true
		d := &debug.Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
		if r := m.Replace; r != nil {
			d.Replace = &debug.Module{Path: r.Path, Version: r.Version, Sum: r.Sum}
		}
		info.Deps = append(info.Deps, d)
	}
	sort.Slice(info.Deps, func(i, j int) bool { return info.Deps[i].Path < info.Deps[j].Path })
	return &info, nil
}
