// Package modload makes packages of any Go module importable by cells.
// The interpreter cannot run a module's source at compiled speed, and
// Go cannot load a package into a running program except as a plugin: so
// for the import paths a cell wants, a Loader has the user's go command
// find the modules (through GOPROXY, as `go build` would), compiles the
// packages into a plugin together with a table of their exported
// functions, variables, constants and types, opens it, and returns that
// table in the shape the interpreter's Use takes.
//
// A plugin only loads into the binary it was built for: same toolchain,
// same build flags, same version of every package both contain. The
// Loader reads them from the kernel's build information, pins the modules
// the kernel links to the kernel's versions, and says which module and
// versions are at odds when a package needs another one. Built plugins
// are cached under the user's cache directory, so the same imports in
// another kernel load in milliseconds.
//
// A generic function or type has no compiled form until it has type
// arguments: Load lists those of a package (Package.Generic), and
// Instantiate builds the instances a cell needs, such as
// btree.NewOrderedG[int].
package modload

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
)

// Options configure a Loader. The zero value suits a kernel.
type Options struct {
	// CacheDir holds the work modules and the built plugins; empty:
	// goawait/modules in the user's cache directory.
	CacheDir string
	// GoMod is the path of a go.mod (a notebook's) whose requirements,
	// replacements and exclusions the imports honour, and whose own
	// packages cells can import; empty: none.
	GoMod string
	// Env is the go command's environment; nil: this process's. GOPROXY,
	// GOPRIVATE, GONOSUMDB, GOFLAGS and the rest work as they do for the
	// go command, except the build settings a plugin must share with the
	// kernel (GOARCH, CGO_ENABLED, ...), GOTOOLCHAIN (the kernel's) and
	// GOWORK (off).
	Env []string
	// Go is the go command; empty: "go" in the PATH of Env.
	Go string
	// Progress, when set, gets the go command's progress lines
	// ("go: downloading example.com/m v1.2.0") as they come.
	Progress func(line string)
	// BuildInfo describes the binary the plugins are for; nil: this
	// process's (debug.ReadBuildInfo).
	BuildInfo *debug.BuildInfo
}

// Module is a Go module at a version.
type Module struct {
	Path    string
	Version string  `json:",omitempty"` // empty for a directory
	Sum     string  `json:",omitempty"` // checksum (go.sum's h1:), when known
	Replace *Module `json:",omitempty"` // what replaces it, if something does
}

// String returns "path version", followed by " => " and the replacement
// for a replaced module.
func (m Module) String() string {
	s := m.Path
	if m.Version != "" {
		s += " " + m.Version
	}
	if m.Replace != nil {
		s += " => " + m.Replace.String()
	}
	return s
}

// same tells whether m and o are the same code: path, version and
// replacement.
func (m Module) same(o Module) bool {
	if m.Path != o.Path || m.Version != o.Version || (m.Replace == nil) != (o.Replace == nil) {
		return false
	}
	if m.Replace == nil {
		return true
	}
	rv := func(v string) string { return strings.TrimPrefix(v, "(devel)") }
	return m.Replace.Path == o.Replace.Path && rv(m.Replace.Version) == rv(o.Replace.Version)
}

// Package is a package a Loader made importable.
type Package struct {
	Path   string // import path
	Name   string // package name
	Module Module
	// Generic lists the exported generic functions and types, and the
	// type constraints, of the package. The table has no entry for them:
	// compiled code holds a generic function only as instances for
	// given type arguments, and a plugin has only those its own code
	// used. A cell naming one gets the interpreter's "has no symbol".
	Generic []string `json:",omitempty"`
}

// Result is what Load made importable.
type Result struct {
	// Symbols holds the tables of the packages asked for, keyed as the
	// interpreter's Use wants them ("import/path/name").
	Symbols map[string]map[string]reflect.Value
	// Packages describes them, in the order asked.
	Packages []Package
	// Instances lists the generic instances Instantiate made available.
	Instances []LoadedInstance
	// Built tells whether a plugin was compiled; false when one came
	// from the cache (or was open in this process already).
	Built bool
}

// A Loader makes module packages importable in this process. Its methods
// may be called from several goroutines; they run one at a time.
type Loader struct {
	opt   Options
	host  *host
	nb    *notebookMod
	cache pluginCache
	work  *workModule
	g     *goCmd

	mu        sync.Mutex
	toolchain bool                      // the go command's version was checked
	loaded    []Package                 // packages loaded through this Loader, in order
	plugins   map[string]*openedPlugin  // the plugin of each package of loaded, by path
	insts     map[string]loadedInstance // instances loaded, by canonical form
}

// New returns a Loader, or an error saying what is missing: plugins on
// this platform, cgo, the go command, the kernel's build information.
func New(opt Options) (*Loader, error) {
	if err := supported(); err != nil {
		return nil, err
	}
	bi := opt.BuildInfo
	if bi == nil {
		bi, _ = debug.ReadBuildInfo() // nil when there is none
	}
	h, err := hostFrom(bi)
	if err != nil {
		return nil, err
	}
	if opt.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("find a directory for goawait's module cache: %w", err)
		}
		opt.CacheDir = filepath.Join(dir, "goawait", "modules")
	}
	if opt.Env == nil {
		opt.Env = os.Environ()
	}
	l := &Loader{opt: opt, host: h, cache: pluginCache{dir: opt.CacheDir},
		plugins: map[string]*openedPlugin{}, insts: map[string]loadedInstance{}}
	if opt.GoMod != "" {
		if l.nb, err = readNotebookMod(opt.GoMod); err != nil {
			return nil, err
		}
	}
	l.work = workModuleFor(opt.CacheDir, h, l.nb)
	if opt.Go != "" {
		if _, err := os.Stat(opt.Go); err != nil {
			return nil, fmt.Errorf("the go command %s: %w", opt.Go, err)
		}
	}
	if l.g, err = newGoCmd(opt.Go, opt.Env, h, opt.Progress); err != nil {
		return nil, err
	}
	return l, nil
}

// Load makes the packages at paths importable: it returns their symbol
// tables, loading the plugin that holds them (from the cache, or built).
// Paths this Loader loaded before come back without a new plugin.
//
// Every failure leaves the Loader and the work module as they were; the
// error carries the go command's own message (a *GoError) for a module
// or version that does not exist, a build that fails, no network; a
// *ConflictError when a package needs another version of a module than
// the one this process runs.
func (l *Loader) Load(ctx context.Context, paths []string) (*Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	res := &Result{Symbols: map[string]map[string]reflect.Value{}}
	var want []string
	seen := map[string]bool{}
	for _, p := range paths {
		if seen[p] {
			continue
		}
		seen[p] = true
		if p == workModulePath || strings.HasPrefix(p, workModulePath+"/") {
			return nil, fmt.Errorf("import %q: goawait's own work module cannot be imported", p)
		}
		// A package this Loader loaded comes back as it is. One that
		// another Loader of the process loaded is resolved again, so that
		// a version this work module would not pick is a conflict.
		if op := l.plugins[p]; op != nil {
			addPackage(res, op, p)
			continue
		}
		want = append(want, p)
	}
	if len(want) > 0 {
		sort.Strings(want)
		op, built, err := l.loadPlugin(ctx, request{paths: want})
		if err != nil {
			return nil, err
		}
		res.Built = built
		for _, pkg := range op.manifest.Packages {
			if l.plugins[pkg.Path] == nil {
				l.plugins[pkg.Path] = op
				l.loaded = append(l.loaded, pkg)
			}
			addPackage(res, op, pkg.Path)
		}
	}
	order := map[string]int{}
	for i, p := range paths {
		if _, ok := order[p]; !ok {
			order[p] = i
		}
	}
	sort.SliceStable(res.Packages, func(i, j int) bool { return order[res.Packages[i].Path] < order[res.Packages[j].Path] })
	return res, nil
}

// addPackage puts the package at path p, which plugin op holds, into res.
func addPackage(res *Result, op *openedPlugin, p string) {
	for _, pkg := range op.manifest.Packages {
		if pkg.Path == p {
			key := pkg.Path + "/" + pkg.Name
			res.Symbols[key] = op.symbols[key]
			res.Packages = append(res.Packages, pkg)
			return
		}
	}
}

// Loaded returns the packages Load made importable, in the order loaded.
func (l *Loader) Loaded() []Package {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Package(nil), l.loaded...)
}

// LoadedInstances returns the generic instances Instantiate made
// available, sorted.
func (l *Loader) LoadedInstances() []LoadedInstance {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LoadedInstance, 0, len(l.insts))
	for _, li := range l.insts {
		out = append(out, li.inst)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].canonical() < out[j].canonical() })
	return out
}

// KernelModules returns the modules linked into the kernel itself: their
// packages load at these versions only.
func (l *Loader) KernelModules() []Module {
	return append([]Module(nil), l.host.deps...)
}
