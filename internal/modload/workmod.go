package modload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The work module is the Go module in the cache where imports are
// resolved and plugins built. Its go.mod is the record of which version
// of each module the cells got: it persists, so a second kernel gets the
// same versions (and the same cached plugins) without asking the network.
const (
	workModulePath = "goawait.local/cells"
	resolveDir     = "resolve" // the package that imports what a cell wants
	pluginsDir     = "plugins" // the main packages of the plugins, one per cache key
	// notebookPseudo is the version by which the work module requires the
	// notebook's module (replaced by the notebook's directory).
	notebookPseudo = "v0.0.0-00010101000000-000000000000"
)

// notebookMod is a go.mod given by the user (a notebook's), whose
// requirements and replacements the work module honours.
type notebookMod struct {
	file    string // absolute path of the go.mod
	content []byte
}

// readNotebookMod reads the go.mod at path.
func readNotebookMod(path string) (*notebookMod, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("notebook go.mod %s: %w", path, err)
	}
	content, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("read the notebook's go.mod: %w", err)
	}
	return &notebookMod{file: abs, content: content}, nil
}

// workModule is the work module's directory.
type workModule struct {
	dir string
}

// workModuleFor names the work module of host h and notebook go.mod nb
// (nil: none): a kernel built differently, or a notebook whose go.mod
// changed, starts from a new one.
func workModuleFor(cacheDir string, h *host, nb *notebookMod) *workModule {
	sum := sha256.New()
	fmt.Fprintf(sum, "%s\n", h.fingerprint)
	if nb != nil {
		fmt.Fprintf(sum, "%s\n%s", nb.file, nb.content)
	}
	return &workModule{dir: filepath.Join(cacheDir, "work", hex.EncodeToString(sum.Sum(nil))[:24])}
}

func (w *workModule) file(name string) string { return filepath.Join(w.dir, name) }

// state returns the bytes of go.mod and go.sum (nil when absent).
func (w *workModule) state() (mod, sum []byte, err error) {
	mod, err = os.ReadFile(w.file("go.mod"))
	if err != nil {
		return nil, nil, err
	}
	sum, err = os.ReadFile(w.file("go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	return mod, sum, nil
}

// restore puts go.mod and go.sum back as state returned them, after a
// failed import or `go get`.
func (w *workModule) restore(mod, sum []byte) error {
	if err := os.WriteFile(w.file("go.mod"), mod, 0o644); err != nil {
		return fmt.Errorf("restore the work module's go.mod: %w", err)
	}
	if sum == nil {
		err := os.Remove(w.file("go.sum"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("restore the work module's go.sum: %w", err)
		}
		return nil
	}
	if err := os.WriteFile(w.file("go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("restore the work module's go.sum: %w", err)
	}
	return nil
}

// exists tells whether the work module was made already.
func (w *workModule) exists() bool {
	_, err := os.Stat(w.file("go.mod"))
	return err == nil
}

// create writes the work module's go.mod and go.sum unless a kernel did
// already. Another kernel may create the same module at the same moment:
// each writes a directory of its own and renames it into place.
func (w *workModule) create(ctx context.Context, g *goCmd, h *host, nb *notebookMod) error {
	if w.exists() {
		return nil
	}
	mod, sum, err := workFiles(ctx, g, h, nb)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(w.dir), 0o755); err != nil {
		return fmt.Errorf("make the module cache of goawait: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(w.dir), ".new-")
	if err != nil {
		return fmt.Errorf("make the work module: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), mod, 0o644); err != nil {
		return fmt.Errorf("write the work module's go.mod: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("write the work module's go.sum: %w", err)
	}
	// The go command trusts a go.mod to require every module at the
	// version the whole graph selects, and reads the graph only when it
	// is not. The kernel's pins can be lower than what the notebook's
	// module requires: listing all modules once settles go.mod.
	if _, err := g.run(ctx, tmp, "list", "-mod=mod", "-m", "all"); err != nil {
		return fmt.Errorf("make the work module: %w", err)
	}
	if err := os.Rename(tmp, w.dir); err != nil && !w.exists() {
		return fmt.Errorf("make the work module: %w", err)
	}
	return nil
}

// modFile is the part of `go mod edit -json` goawait reads.
type modFile struct {
	Module  struct{ Path string }
	Require []struct {
		Path, Version string
	}
	Exclude []struct {
		Path, Version string
	}
	Replace []struct {
		Old, New struct{ Path, Version string }
	}
}

// workFiles returns the first go.mod and go.sum of the work module: the
// kernel's modules required at the kernel's versions (and their checksums,
// so the plugin gets byte for byte the code the kernel was built from),
// and the notebook's module, required and replaced by its directory so
// that its packages can be imported and its requirements count.
func workFiles(ctx context.Context, g *goCmd, h *host, nb *notebookMod) (mod, sum []byte, err error) {
	var m, s bytes.Buffer
	fmt.Fprintf(&m, "// The modules that goawait's cells import. goawait writes this file:\n")
	fmt.Fprintf(&m, "// the modules linked into the kernel are required at its own versions.\n")
	fmt.Fprintf(&m, "module %s\n\n", workModulePath)
	if v := h.goDirective(); v != "" {
		fmt.Fprintf(&m, "go %s\n\n", v)
	}
	for _, d := range h.deps {
		fmt.Fprintf(&m, "require %s %s // linked into the kernel\n", d.Path, d.Version)
		if d.Sum != "" && d.Replace == nil {
			fmt.Fprintf(&s, "%s %s %s\n", d.Path, d.Version, d.Sum)
		}
		if r := d.Replace; r != nil {
			if r.Version != "" && r.Version != "(devel)" {
				fmt.Fprintf(&m, "replace %s %s => %s %s\n", d.Path, d.Version, r.Path, r.Version)
				if r.Sum != "" {
					fmt.Fprintf(&s, "%s %s %s\n", r.Path, r.Version, r.Sum)
				}
			} else if filepath.IsAbs(r.Path) {
				fmt.Fprintf(&m, "replace %s => %s\n", d.Path, strconv.Quote(r.Path))
			}
		}
	}
	if nb != nil {
		if err := notebookLines(ctx, g, h, nb, &m, &s); err != nil {
			return nil, nil, err
		}
	}
	return m.Bytes(), s.Bytes(), nil
}

// notebookLines writes the notebook's lines of the work module's go.mod
// and go.sum.
func notebookLines(ctx context.Context, g *goCmd, h *host, nb *notebookMod, m, s *bytes.Buffer) error {
	dir := filepath.Dir(nb.file)
	out, err := g.run(ctx, dir, "mod", "edit", "-json", nb.file)
	if err != nil {
		return fmt.Errorf("read the notebook's go.mod %s: %w", nb.file, err)
	}
	var f modFile
	if err := json.Unmarshal(out, &f); err != nil {
		return fmt.Errorf("read the notebook's go.mod %s: %w", nb.file, err)
	}
	if f.Module.Path == "" {
		return fmt.Errorf("the notebook's go.mod %s has no module line", nb.file)
	}
	fmt.Fprintf(m, "\n// The notebook's module, %s.\n", nb.file)
	fmt.Fprintf(m, "require %s %s\n", f.Module.Path, notebookPseudo)
	fmt.Fprintf(m, "replace %s => %s\n", f.Module.Path, strconv.Quote(dir))
	for _, r := range f.Replace {
		if k, ok := h.linked(r.Old.Path); ok {
			return fmt.Errorf("the notebook's go.mod replaces %s, which the kernel links itself (%s): a process holds one version of a package, so remove that replace line or rebuild goawait with it", r.Old.Path, k.Version)
		}
		old := r.Old.Path
		if r.Old.Version != "" {
			old += " " + r.Old.Version
		}
		target := r.New.Path
		if r.New.Version != "" {
			target += " " + r.New.Version
		} else {
			if !filepath.IsAbs(target) {
				target = filepath.Join(dir, target)
			}
			target = strconv.Quote(target)
		}
		fmt.Fprintf(m, "replace %s => %s\n", old, target)
	}
	for _, e := range f.Exclude {
		fmt.Fprintf(m, "exclude %s %s\n", e.Path, e.Version)
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read the notebook's go.sum: %w", err)
	}
	known := map[string]bool{}
	for _, l := range strings.Split(s.String(), "\n") {
		known[l] = true
	}
	for _, l := range strings.Split(string(sum), "\n") {
		if l = strings.TrimSpace(l); l != "" && !known[l] {
			known[l] = true
			fmt.Fprintf(s, "%s\n", l)
		}
	}
	return nil
}
