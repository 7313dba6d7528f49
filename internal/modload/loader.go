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
package modload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
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
	// used. A cell naming one gets the interpreter's "undefined".
	Generic []string `json:",omitempty"`
}

// Result is what Load made importable.
type Result struct {
	// Symbols holds the tables of the packages asked for, keyed as the
	// interpreter's Use wants them ("import/path/name").
	Symbols map[string]map[string]reflect.Value
	// Packages describes them, in the order asked.
	Packages []Package
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
	toolchain bool      // the go command's version was checked
	loaded    []Package // through this Loader, in order
}

// New returns a Loader, or an error saying what is missing: plugins on
// this platform, cgo, the go command, the kernel's build information.
func New(opt Options) (*Loader, error) {
	if err := supported(); err != nil {
		return nil, err
	}
	bi := opt.BuildInfo
	if bi == nil {
		var ok bool
		if bi, ok = debug.ReadBuildInfo(); !ok {
			bi = nil
		}
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
	l := &Loader{opt: opt, host: h, cache: pluginCache{dir: opt.CacheDir}}
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
// Paths this process loaded before come back without a new plugin.
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
		// A package this Loader loaded was resolved in its own work
		// module; one that another Loader of the process loaded is
		// resolved again here, so that a version this work module would
		// not pick is a conflict, not a surprise.
		if op, pkg := openedPackage(p); op != nil && l.hasLoaded(p) {
			l.add(res, op, pkg)
			continue
		}
		want = append(want, p)
	}
	if len(want) > 0 {
		sort.Strings(want)
		op, built, err := l.loadPlugin(ctx, want)
		if err != nil {
			return nil, err
		}
		res.Built = built
		for _, pkg := range op.manifest.Packages {
			l.add(res, op, pkg)
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

// add puts package pkg of plugin op into res, and into what l loaded.
func (l *Loader) add(res *Result, op *openedPlugin, pkg Package) {
	key := pkg.Path + "/" + pkg.Name
	res.Symbols[key] = op.symbols[key]
	res.Packages = append(res.Packages, pkg)
	if !l.hasLoaded(pkg.Path) {
		l.loaded = append(l.loaded, pkg)
	}
}

// hasLoaded tells whether l loaded the package at import path p.
func (l *Loader) hasLoaded(p string) bool {
	for _, q := range l.loaded {
		if q.Path == p {
			return true
		}
	}
	return false
}

// Loaded returns the packages Load made importable, in the order loaded.
func (l *Loader) Loaded() []Package {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Package(nil), l.loaded...)
}

// loadPlugin returns the plugin holding paths (sorted, none loaded yet),
// and whether it had to be built.
func (l *Loader) loadPlugin(ctx context.Context, paths []string) (*openedPlugin, bool, error) {
	// A second kernel asking what an earlier one asked, in a work module
	// in the same state, gets the same plugin without the go command.
	if op := l.fromRequest(paths); op != nil {
		return op, false, nil
	}
	unlock, err := l.lock()
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	if err := l.prepare(ctx); err != nil {
		return nil, false, err
	}
	mod, sum, err := l.work.state()
	if err != nil {
		return nil, false, fmt.Errorf("read the work module: %w", err)
	}
	op, built, err := l.resolveAndOpen(ctx, paths)
	if err != nil {
		if rerr := l.work.restore(mod, sum); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, false, err
	}
	if !op.manifest.Local {
		if mod, sum, err := l.work.state(); err == nil {
			// Best effort: without the record the next kernel resolves.
			_ = l.cache.recordRequest(l.requestKey(paths, mod, sum), op.manifest.Key)
		}
	}
	return op, built, nil
}

// lock keeps other kernels out of the work module until the returned
// function is called.
func (l *Loader) lock() (func(), error) {
	if err := os.MkdirAll(filepath.Dir(l.work.dir), 0o755); err != nil {
		return nil, fmt.Errorf("make goawait's module cache: %w", err)
	}
	return lockFile(l.work.dir + ".lock")
}

// prepare checks the go command's version and makes the work module, the
// first time.
func (l *Loader) prepare(ctx context.Context) error {
	if !l.toolchain {
		out, err := l.g.run(ctx, l.opt.CacheDir, "env", "GOVERSION")
		if err != nil {
			return fmt.Errorf("run the go command: %w", err)
		}
		if v := strings.TrimSpace(string(out)); v != l.host.goVersion {
			return fmt.Errorf("the go command (%s) is %s, but the kernel was built with %s, and a plugin must be built by the same toolchain: put Go %s first in PATH, or rebuild goawait with %s", l.g.path, v, l.host.goVersion, l.host.goVersion, v)
		}
		l.toolchain = true
	}
	return l.work.create(ctx, l.g, l.host, l.nb)
}

// requestKey identifies a request for paths made of the work module in
// state (mod, sum), by the kernel l is for.
func (l *Loader) requestKey(paths []string, mod, sum []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", symbolsFormat, l.host.fingerprint, l.work.dir)
	for _, p := range paths {
		fmt.Fprintf(h, "import %s\n", p)
	}
	fmt.Fprintf(h, "go.mod %d\n%s\ngo.sum %d\n%s", len(mod), mod, len(sum), sum)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// fromRequest returns the plugin an earlier kernel loaded for the same
// request, if the cache has it and it fits this process; nil otherwise.
func (l *Loader) fromRequest(paths []string) *openedPlugin {
	mod, sum, err := l.work.state()
	if err != nil {
		return nil
	}
	key := l.cache.request(l.requestKey(paths, mod, sum))
	if key == "" {
		return nil
	}
	if op := openedKey(key); op != nil {
		return op
	}
	m, err := l.cache.manifest(key)
	if err != nil || m == nil || m.Local || l.conflict(m.Modules, paths) != nil {
		return nil
	}
	op, err := openCached(l.cache, m)
	if err != nil {
		return nil
	}
	return op
}

// resolveAndOpen resolves paths in the work module and opens their
// plugin, building it unless the cache has it.
func (l *Loader) resolveAndOpen(ctx context.Context, paths []string) (*openedPlugin, bool, error) {
	res, err := resolve(ctx, l.g, l.host, l.work, paths)
	if err != nil {
		return nil, false, err
	}
	if cerr := l.conflict(res.modules(), paths); cerr != nil {
		cerr.RequiredBy = requiredBy(ctx, l.g, l.work, cerr.Needed)
		return nil, false, cerr
	}
	key, err := res.key(l.host)
	if err != nil {
		return nil, false, err
	}
	// The process may have the plugin open from another cache (tests
	// use several); this cache gets it too, for the kernels to come.
	m, err := l.cache.manifest(key)
	if err != nil {
		return nil, false, err
	}
	built := false
	if m == nil {
		if m, err = l.build(ctx, res, key); err != nil {
			return nil, false, err
		}
		built = true
	}
	op, err := openCached(l.cache, m)
	if err != nil {
		return nil, false, err
	}
	return op, built, nil
}

// build compiles the plugin of res into the cache under key.
func (l *Loader) build(ctx context.Context, res *resolution, key string) (*manifest, error) {
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		p := res.pkgs[path]
		if p == nil || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(p.Export)
	})
	var pkgs []*types.Package
	for _, p := range res.paths {
		tp, err := imp.Import(p)
		if err != nil {
			return nil, fmt.Errorf("read the types of %s: %w", p, err)
		}
		pkgs = append(pkgs, tp)
	}
	src, generic, err := generateSymbols(pkgs)
	if err != nil {
		return nil, err
	}
	mainDir := filepath.Join(pluginsDir, "p"+key)
	if err := os.MkdirAll(l.work.file(mainDir), 0o755); err != nil {
		return nil, fmt.Errorf("write the plugin's source: %w", err)
	}
	if err := os.WriteFile(filepath.Join(l.work.file(mainDir), "symbols.go"), src, 0o644); err != nil {
		return nil, fmt.Errorf("write the plugin's source: %w", err)
	}
	dir := l.cache.pluginDir(key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("make the plugin cache: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".plugin-")
	if err != nil {
		return nil, fmt.Errorf("make the plugin cache: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	args := append([]string{"build", "-mod=mod", "-buildmode=plugin"}, l.host.flags...)
	args = append(args, "-o", tmp.Name(), "./"+mainDir)
	if _, err := l.g.run(ctx, l.work.dir, args...); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), l.cache.pluginFile(key)); err != nil {
		return nil, fmt.Errorf("put the plugin in the cache: %w", err)
	}
	m := &manifest{Key: key, Modules: res.modules(), Local: res.local()}
	for i, tp := range pkgs {
		lp := res.pkgs[res.paths[i]]
		pkg := Package{Path: tp.Path(), Name: tp.Name(), Generic: generic[tp.Path()]}
		if lp.Module != nil {
			pkg.Module = lp.Module.module()
		}
		m.Packages = append(m.Packages, pkg)
	}
	if err := l.cache.writeManifest(m); err != nil {
		return nil, fmt.Errorf("put the plugin in the cache: %w", err)
	}
	return m, nil
}
