package modload

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// goCmd runs the user's go command with the user's environment, plus what
// makes its packages match the kernel's.
type goCmd struct {
	path     string
	env      []string
	progress func(string)
}

// newGoCmd finds the go command (goPath, or "go" in the PATH of env) and
// prepares its environment: env with the kernel's build environment on
// top, the kernel's toolchain, and no go.work.
func newGoCmd(goPath string, env []string, h *host, progress func(string)) (*goCmd, error) {
	if goPath == "" {
		p, err := lookPath("go", env)
		if err != nil {
			return nil, fmt.Errorf("the go command was not found in PATH: install Go %s to import modules (the standard library and goawait's packages still work): %w", h.goVersion, err)
		}
		goPath = p
	}
	full := append([]string(nil), env...)
	full = append(full, h.env...)
	// A plugin must be built by the kernel's own toolchain. Naming it in
	// GOTOOLCHAIN lets the go command switch to it (downloading it as it
	// does for a go.mod's toolchain line) when PATH has another release.
	if h.goDirective() != "" {
		full = append(full, "GOTOOLCHAIN="+h.goVersion)
	} else {
		full = append(full, "GOTOOLCHAIN=local")
	}
	// The work module is on its own, whatever go.work the user has.
	full = append(full, "GOWORK=off")
	return &goCmd{path: goPath, env: full, progress: progress}, nil
}

// lookPath finds an executable file named name in the PATH of env.
func lookPath(name string, env []string) (string, error) {
	pathList := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathList = v
		}
	}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
}

// GoError is a failure of the go command; Output is its own message.
type GoError struct {
	Args   []string // the go command's arguments ("list", "-deps", ...)
	Output string   // what it said on stderr, without progress lines
	Err    error    // how it ended (an *exec.ExitError, or the context's error)
}

func (e *GoError) Error() string {
	if e.Output == "" {
		return fmt.Sprintf("go %s: %v", e.Args[0], e.Err)
	}
	return e.Output
}

func (e *GoError) Unwrap() error { return e.Err }

// run runs go with args in dir and returns its standard output. Progress
// lines ("go: downloading ...") go to the progress callback as they come;
// the other lines of stderr make the error.
func (g *goCmd) run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, g.path, args...)
	cmd.Dir = dir
	cmd.Env = g.env
	var stdout bytes.Buffer
	stderr := &lineWriter{progress: g.progress}
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	err := cmd.Run()
	stderr.flush()
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, &GoError{Args: args, Output: stderr.message(), Err: err}
	}
	return stdout.Bytes(), nil
}

// lineWriter splits the go command's stderr into progress lines and the
// lines of its message.
type lineWriter struct {
	progress func(string)
	partial  []byte
	lines    []string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.line(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
}

func (w *lineWriter) flush() {
	if len(w.partial) > 0 {
		w.line(string(w.partial))
		w.partial = nil
	}
}

// progressPrefixes start the lines by which the go command tells what it
// is doing rather than what went wrong.
var progressPrefixes = []string{"go: downloading ", "go: finding module for package ", "go: found ", "go: added ", "go: upgraded ", "go: downgraded ", "go: removed "}

func (w *lineWriter) line(s string) {
	for _, p := range progressPrefixes {
		if strings.HasPrefix(s, p) {
			if w.progress != nil {
				w.progress(s)
			}
			return
		}
	}
	w.lines = append(w.lines, s)
}

// message is the go command's message: its lines once each, without the
// position in goawait's generated file that the go command puts before
// an import it could not resolve.
func (w *lineWriter) message() string {
	seen := map[string]bool{}
	var out []string
	for _, l := range w.lines {
		l = stripGeneratedPos(l)
		if l == "" || seen[l] || strings.HasPrefix(l, "# "+workModulePath+"/") {
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// stripGeneratedPos removes "resolve/imports.go:3:8: " (also after the
// import path the go command may put first) from l: the user never saw
// that file, and the session points at the cell's own import line.
func stripGeneratedPos(l string) string {
	for _, dir := range []string{resolveDir + "/", pluginsDir + "/"} {
		i := strings.Index(l, dir)
		if i < 0 || (i > 0 && !strings.HasSuffix(l[:i], ": ")) {
			continue
		}
		if j := strings.Index(l[i:], ": "); j >= 0 {
			return l[i+j+2:]
		}
	}
	return l
}
