// Package install writes goawait's kernelspec (kernel.json and logos) where
// Jupyter looks for kernels.
package install

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/goawait/goawait/kernel"
)

// Where says which Jupyter data directory receives the kernelspec.
type Where int

// The places a kernelspec can go.
const (
	User      Where = iota // the user's Jupyter data dir (JUPYTER_DATA_DIR or the platform default)
	SysPrefix              // the active Python environment's share/jupyter
	Prefix                 // DIR/share/jupyter for a given DIR
)

// Options says what to install and where.
type Options struct {
	Where       Where
	Prefix      string // the DIR of Prefix
	Name        string // the kernelspec's directory name, default "goawait"
	DisplayName string // default "Go (goawait)"
	// Executable is the absolute path of the goawait binary written into
	// kernel.json's argv; default: the running executable.
	Executable string
}

// Result says where the kernelspec went.
type Result struct {
	Dir string // the kernelspec directory, e.g. ~/.local/share/jupyter/kernels/goawait
	// OnSearchPath tells whether Jupyter will find it there.
	OnSearchPath bool
	// SearchPath is the list of data directories Jupyter searches.
	SearchPath []string
}

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
	// KernelProtocolVersion is the messaging protocol version the kernel
	// speaks (kernelspec field of protocol 5.5): clients need not ask the
	// kernel first.
	KernelProtocolVersion string `json:"kernel_protocol_version"`
}

// NewSpec returns the kernelspec that runs executable.
func NewSpec(executable, displayName string) Spec {
	return Spec{
		Argv:          []string{executable, "kernel", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "go",
		InterruptMode: "message",
		Env:           map[string]string{},
		Metadata:      map[string]any{"debugger": false},

		KernelProtocolVersion: kernel.ProtocolVersion,
	}
}

// Install writes the kernelspec. Running it again replaces the spec.
func Install(opts Options) (Result, error) {
	if opts.Name == "" {
		opts.Name = "goawait"
	}
	if strings.ContainsAny(opts.Name, `/\ `) {
		return Result{}, fmt.Errorf("kernel name %q: use letters, digits, '-', '_' or '.'", opts.Name)
	}
	if opts.DisplayName == "" {
		opts.DisplayName = "Go (goawait)"
	}
	if opts.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return Result{}, fmt.Errorf("finding the goawait executable: %w", err)
		}
		opts.Executable = exe
	}
	exe, err := filepath.Abs(opts.Executable)
	if err != nil {
		return Result{}, fmt.Errorf("absolute path of %s: %w", opts.Executable, err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}

	data, err := dataDir(opts)
	if err != nil {
		return Result{}, err
	}
	dir := filepath.Join(data, "kernels", opts.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("creating %s: %w", dir, err)
	}
	spec, err := json.MarshalIndent(NewSpec(exe, opts.DisplayName), "", "  ")
	if err != nil {
		return Result{}, fmt.Errorf("encoding kernel.json: %w", err)
	}
	files := map[string][]byte{
		"kernel.json":    append(spec, '\n'),
		"logo-svg.svg":   []byte(LogoSVG),
		"logo-32x32.png": LogoPNG(32),
		"logo-64x64.png": LogoPNG(64),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return Result{}, fmt.Errorf("writing %s: %w", name, err)
		}
	}
	search := SearchPath()
	res := Result{Dir: dir, SearchPath: search}
	for _, p := range search {
		if samePath(p, data) {
			res.OnSearchPath = true
		}
	}
	return res, nil
}

func samePath(a, b string) bool {
	ca, errA := filepath.Abs(a)
	cb, errB := filepath.Abs(b)
	if errA != nil || errB != nil {
		return a == b
	}
	if ra, err := filepath.EvalSymlinks(ca); err == nil {
		ca = ra
	}
	if rb, err := filepath.EvalSymlinks(cb); err == nil {
		cb = rb
	}
	return ca == cb
}

// dataDir is the Jupyter data directory chosen by opts.
func dataDir(opts Options) (string, error) {
	switch opts.Where {
	case User:
		return UserDataDir()
	case SysPrefix:
		prefix, err := PythonPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(prefix, "share", "jupyter"), nil
	case Prefix:
		if opts.Prefix == "" {
			return "", errors.New("--prefix needs a directory")
		}
		return filepath.Join(opts.Prefix, "share", "jupyter"), nil
	}
	return "", fmt.Errorf("unknown install location %d", opts.Where)
}

// UserDataDir is the user's Jupyter data directory, as jupyter_core
// computes it: JUPYTER_DATA_DIR, else the platform's default.
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home directory: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if appdata := os.Getenv("APPDATA"); appdata != "" {
			return filepath.Join(appdata, "jupyter"), nil
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
		return filepath.Join(xdg, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// PythonPrefix is sys.prefix of the active Python environment: the
// virtual environment or conda environment if one is active, else the
// prefix of the python3 on PATH.
func PythonPrefix() (string, error) {
	for _, v := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if d := os.Getenv(v); d != "" {
			return d, nil
		}
	}
	for _, py := range []string{"python3", "python"} {
		out, err := exec.Command(py, "-c", "import sys; print(sys.prefix)").Output()
		if err == nil {
			return strings.TrimSpace(string(out)), nil
		}
	}
	return "", errors.New("--sys-prefix: no active Python environment (VIRTUAL_ENV, CONDA_PREFIX) and no python3 on PATH")
}

// SearchPath lists the data directories where Jupyter looks for
// kernelspecs, in its order. It asks `jupyter --paths --json` when Jupyter
// is installed, and otherwise computes jupyter_core's defaults.
func SearchPath() []string {
	if out, err := exec.Command("jupyter", "--paths", "--json").Output(); err == nil {
		var paths struct {
			Data []string `json:"data"`
		}
		if json.Unmarshal(out, &paths) == nil && len(paths.Data) > 0 {
			return paths.Data
		}
	}
	var dirs []string
	if p := os.Getenv("JUPYTER_PATH"); p != "" {
		dirs = append(dirs, filepath.SplitList(p)...)
	}
	if d, err := UserDataDir(); err == nil {
		dirs = append(dirs, d)
	}
	if prefix, err := PythonPrefix(); err == nil {
		dirs = append(dirs, filepath.Join(prefix, "share", "jupyter"))
	}
	if runtime.GOOS != "windows" {
		dirs = append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
	}
	return dirs
}
