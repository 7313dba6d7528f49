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
	"sort"
	"strings"
)

// request is what one plugin holds: the tables of whole packages, or
// instances of generic functions and types.
type request struct {
	paths     []string   // packages, sorted
	instances []Instance // sorted by their canonical form
}

// imports returns every import path the plugin's source names, sorted.
func (r request) imports() []string {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range r.paths {
		add(p)
	}
	for _, in := range r.instances {
		add(in.Path)
		for _, p := range in.Imports {
			add(p)
		}
	}
	sort.Strings(out)
	return out
}

// names returns what the request is for, as a message names it.
func (r request) names() []string {
	out := append([]string(nil), r.paths...)
	for _, in := range r.instances {
		out = append(out, in.String())
	}
	return out
}

// describe writes the request's part of a cache key.
func (r request) describe(w io.Writer) {
	for _, p := range r.paths {
		fmt.Fprintf(w, "import %s\n", p)
	}
	for _, in := range r.instances {
		fmt.Fprintf(w, "instance %s\n", in.canonical())
	}
}

// loadPlugin returns the plugin that answers req (nothing of which is
// loaded yet), and whether it had to be built.
func (l *Loader) loadPlugin(ctx context.Context, req request) (*openedPlugin, bool, error) {
	// A second kernel asking what an earlier one asked, in a work module
	// in the same state, gets the same plugin without the go command.
	if op := l.fromRequest(req); op != nil {
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
	op, built, err := l.resolveAndOpen(ctx, req)
	if err != nil {
		if rerr := l.work.restore(mod, sum); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, false, err
	}
	if !op.manifest.Local {
		if mod, sum, err := l.work.state(); err == nil {
			// Best effort: without the record the next kernel resolves.
			_ = l.cache.recordRequest(l.requestKey(req, mod, sum), op.manifest.Key)
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

// requestKey identifies req made of the work module in state (mod, sum),
// by the kernel l is for.
func (l *Loader) requestKey(req request, mod, sum []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", symbolsFormat, l.host.fingerprint, l.work.dir)
	req.describe(h)
	fmt.Fprintf(h, "go.mod %d\n%s\ngo.sum %d\n%s", len(mod), mod, len(sum), sum)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// fromRequest returns the plugin an earlier kernel loaded for the same
// request, if the cache has it and it fits this process; nil otherwise.
func (l *Loader) fromRequest(req request) *openedPlugin {
	mod, sum, err := l.work.state()
	if err != nil {
		return nil
	}
	key := l.cache.request(l.requestKey(req, mod, sum))
	if key == "" {
		return nil
	}
	if op := openedKey(key); op != nil {
		return op
	}
	m, err := l.cache.manifest(key)
	if err != nil || m == nil || m.Local || l.conflict(m.Modules, req.names()) != nil {
		return nil
	}
	op, err := openCached(l.cache, m)
	if err != nil {
		return nil
	}
	return op
}

// resolveAndOpen resolves what req imports in the work module and opens
// its plugin, building it unless the cache has it.
func (l *Loader) resolveAndOpen(ctx context.Context, req request) (*openedPlugin, bool, error) {
	res, err := resolve(ctx, l.g, l.host, l.work, req.imports())
	if err != nil {
		return nil, false, err
	}
	if cerr := l.conflict(res.modules(), req.names()); cerr != nil {
		cerr.RequiredBy = requiredBy(ctx, l.g, l.work, cerr.Needed)
		return nil, false, cerr
	}
	key, err := res.key(l.host, req)
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
		if m, err = l.build(ctx, res, req, key); err != nil {
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

// build compiles the plugin of req, resolved as res, into the cache
// under key.
func (l *Loader) build(ctx context.Context, res *resolution, req request, key string) (*manifest, error) {
	typesOf, err := res.types(req.imports())
	if err != nil {
		return nil, err
	}
	var pkgs []*types.Package
	for _, p := range req.paths {
		pkgs = append(pkgs, typesOf[p])
	}
	src, generic, err := generateSymbols(pkgs, req.instances, typesOf)
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
	for _, tp := range pkgs {
		m.Packages = append(m.Packages, res.describe(tp, generic[tp.Path()]))
	}
	for _, in := range req.instances {
		m.Instances = append(m.Instances, LoadedInstance{Instance: in, Package: res.describe(typesOf[in.Path], nil)})
	}
	if err := l.cache.writeManifest(m); err != nil {
		return nil, fmt.Errorf("put the plugin in the cache: %w", err)
	}
	return m, nil
}

// types reads the types of the packages at paths from the export data
// of res, with one importer: the packages share their dependencies.
func (res *resolution) types(paths []string) (map[string]*types.Package, error) {
	imp := importer.ForCompiler(token.NewFileSet(), "gc", func(path string) (io.ReadCloser, error) {
		p := res.pkgs[path]
		if p == nil || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(p.Export)
	})
	typesOf := map[string]*types.Package{}
	for _, p := range paths {
		tp, err := imp.Import(p)
		if err != nil {
			return nil, fmt.Errorf("read the types of %s: %w", p, err)
		}
		typesOf[p] = tp
	}
	return typesOf, nil
}

// describe returns the Package of tp, whose generic names are generic.
func (res *resolution) describe(tp *types.Package, generic []string) Package {
	pkg := Package{Path: tp.Path(), Name: tp.Name(), Generic: generic}
	if lp := res.pkgs[tp.Path()]; lp != nil && lp.Module != nil {
		pkg.Module = lp.Module.module()
	}
	return pkg
}
