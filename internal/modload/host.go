package modload

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"
)

// host is what a plugin must match to load into the running binary: its
// toolchain, the build flags that change compiled packages, and the
// version of every module linked into it.
type host struct {
	goVersion string   // "go1.26.8"
	main      Module   // the binary's own module ("(devel)" when built from source)
	deps      []Module // the modules linked into the binary
	flags     []string // go build/list flags that make packages the binary can share
	env       []string // environment (GOARCH, CGO_ENABLED...) of the same kind
	// fingerprint identifies all of the above, for cache keys.
	fingerprint string
}

// isEnvSetting tells whether a build setting recorded in debug.BuildInfo
// is an environment variable of the go command.
func isEnvSetting(key string) bool {
	return key == "CGO_ENABLED" || strings.HasPrefix(key, "CGO_") ||
		key == "GOOS" || key == "GOARCH" || key == "GOEXPERIMENT" ||
		key == "GOAMD64" || key == "GOARM" || key == "GOARM64" || key == "GO386" ||
		key == "GOMIPS" || key == "GOMIPS64" || key == "GOPPC64" || key == "GORISCV64" || key == "GOWASM"
}

// hostFrom reads bi, the build information of the binary plugins will be
// loaded into.
func hostFrom(bi *debug.BuildInfo) (*host, error) {
	if bi == nil {
		return nil, errors.New("the kernel binary carries no build information (built without module support?), so a plugin cannot be made to match it")
	}
	if len(bi.Deps) == 0 && strings.HasSuffix(bi.Path, ".test") {
		return nil, errors.New("the build information of a test binary lists no modules (go test records none), so a plugin cannot be pinned to them: pass Options.BuildInfo (modloadtest.BuildInfo)")
	}
	h := &host{goVersion: bi.GoVersion, main: Module{Path: bi.Main.Path, Version: bi.Main.Version}}
	for _, d := range bi.Deps {
		h.deps = append(h.deps, moduleOf(d))
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if c := settings["-compiler"]; c != "" && c != "gc" {
		return nil, fmt.Errorf("the kernel was built with the %s compiler; Go plugins need gc", c)
	}
	if settings["CGO_ENABLED"] != "1" {
		return nil, errors.New("the kernel was built with CGO_ENABLED=0, and Go plugins need cgo: rebuild goawait with CGO_ENABLED=1 and a C compiler on PATH to import modules (the standard library still works)")
	}
	// Flags are always given, also when false or empty, so that a GOFLAGS
	// of the user's (-race, -tags...) cannot make a plugin that differs.
	for _, b := range []string{"-race", "-msan", "-asan", "-trimpath"} {
		v := settings[b]
		if v == "" {
			v = "false"
		}
		h.flags = append(h.flags, b+"="+v)
	}
	for _, f := range []string{"-tags", "-gcflags", "-asmflags"} {
		h.flags = append(h.flags, f+"="+settings[f])
	}
	pgo := "off"
	if p := settings["-pgo"]; p != "" {
		if _, err := os.Stat(p); err == nil {
			pgo = p
		}
	}
	h.flags = append(h.flags, "-pgo="+pgo)
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if isEnvSetting(k) {
			h.env = append(h.env, k+"="+settings[k])
		}
	}
	sum := sha256.New()
	fmt.Fprintf(sum, "go %s\nmain %s\n", h.goVersion, h.main.Path)
	for _, d := range h.deps {
		fmt.Fprintf(sum, "dep %s %s\n", d, d.Sum)
	}
	for _, f := range append(append([]string(nil), h.flags...), h.env...) {
		fmt.Fprintf(sum, "flag %s\n", f)
	}
	h.fingerprint = hex.EncodeToString(sum.Sum(nil))
	return h, nil
}

// moduleOf converts a module of debug.BuildInfo.
func moduleOf(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version, Sum: m.Sum}
	if m.Replace != nil {
		out.Replace = &Module{Path: m.Replace.Path, Version: m.Replace.Version, Sum: m.Replace.Sum}
	}
	return out
}

// linked returns the module of the binary whose path is path.
func (h *host) linked(path string) (Module, bool) {
	if path == h.main.Path {
		return h.main, true
	}
	for _, d := range h.deps {
		if d.Path == path {
			return d, true
		}
	}
	return Module{}, false
}

// goDirective is the version for the go line of the work module's go.mod
// ("1.26.8" for go1.26.8), or "" for a development toolchain.
func (h *host) goDirective() string {
	v, ok := strings.CutPrefix(h.goVersion, "go")
	if !ok || strings.ContainsAny(v, " -+") {
		return ""
	}
	return v
}
