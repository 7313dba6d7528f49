package modload

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// ConflictError says that the packages a cell imports need a version of
// a module other than the one this process already runs. A Go process
// holds one version of a package, and neither the kernel's own packages
// nor a loaded plugin can be replaced.
type ConflictError struct {
	Imports []string // what the cell imports
	Needed  Module   // the module as those imports need it
	Running Module   // the module as the process runs it
	// RunningFor lists the imports whose plugin loaded Running; none
	// when Running is linked into the kernel itself.
	RunningFor []string
	// RequiredBy lists the modules (path@version) whose go.mod asks for
	// Needed, when known.
	RequiredBy []string
}

func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: needs %s %s", strings.Join(e.Imports, ", "), e.Needed.Path, version(e.Needed))
	if len(e.RequiredBy) > 0 {
		fmt.Fprintf(&b, " (required by %s)", strings.Join(e.RequiredBy, ", "))
	}
	fmt.Fprintf(&b, ", but this kernel runs %s %s", e.Running.Path, version(e.Running))
	if len(e.RunningFor) == 0 {
		fmt.Fprintf(&b, ", linked into goawait itself. A process runs one version of a package: ")
		fmt.Fprintf(&b, "use versions of the imported modules that work with %s %s (%%go get module@version), ", e.Running.Path, version(e.Running))
		fmt.Fprintf(&b, "or rebuild goawait with %s %s (go get %s@%s in goawait's source, then go install)", e.Needed.Path, version(e.Needed), e.Needed.Path, e.Needed.Version)
	} else {
		fmt.Fprintf(&b, ", loaded for %s. A process runs one version of a package, and a loaded one stays: ", strings.Join(e.RunningFor, ", "))
		fmt.Fprintf(&b, "restart the kernel to load %s %s, or use versions that work with %s (%%go get module@version)", e.Needed.Path, version(e.Needed), version(e.Running))
	}
	return b.String()
}

// version is how a message names the version of m.
func version(m Module) string {
	v := m.Version
	if m.Replace != nil {
		v += " (replaced by " + m.Replace.String() + ")"
	}
	return strings.TrimSpace(v)
}

// conflict returns the first module of mods that this process runs at
// another version, with the kernel's modules first; nil if none.
//
// The comparison is by module, not package: two versions of a module
// whose packages the kernel and the plugin share would make the plugin
// fail to load, and telling them apart would need the kernel's package
// list, which a binary does not record.
func (l *Loader) conflict(mods []Module, imports []string) *ConflictError {
	running := runningModules()
	for _, m := range mods {
		if k, ok := l.host.linked(m.Path); ok && !k.same(m) {
			return &ConflictError{Imports: imports, Needed: m, Running: k}
		}
	}
	for _, m := range mods {
		if r, ok := running[m.Path]; ok && !r.same(m) {
			return &ConflictError{Imports: imports, Needed: m, Running: r.Module, RunningFor: r.imports}
		}
	}
	return nil
}

// requiredBy returns the modules of the work module's graph that require
// m, best effort (it only makes a message better).
func requiredBy(ctx context.Context, g *goCmd, w *workModule, m Module) []string {
	out, err := g.run(ctx, w.dir, "mod", "graph")
	if err != nil {
		return nil
	}
	target := m.Path + "@" + m.Version
	var by []string
	for _, line := range strings.Split(string(out), "\n") {
		from, to, ok := strings.Cut(line, " ")
		if !ok || to != target || from == workModulePath {
			continue
		}
		if p, v, _ := strings.Cut(from, "@"); v == notebookPseudo {
			from = p + " (the notebook's go.mod)"
		}
		by = append(by, from)
	}
	return by
}

// Get runs `go get` in the work module, for arguments of the form
// path@version (or path, for its latest version): the version later
// imports of path get. Asking for another version of a module this
// process runs already (linked into the kernel, or loaded) is a
// *ConflictError, and leaves the work module as it was. Get returns
// the modules the arguments name, at their versions after it.
func (l *Loader) Get(ctx context.Context, args ...string) ([]Module, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(args) == 0 {
		return nil, fmt.Errorf("go get: name a module, as path@version")
	}
	running := runningModules()
	for _, a := range args {
		if strings.HasPrefix(a, "-") || a == "" {
			return nil, fmt.Errorf("go get: %q: give modules as path@version; flags are not taken", a)
		}
		// A module the process runs cannot go; its requirement stays.
		p, v, _ := strings.Cut(a, "@")
		_, kernel := l.host.linked(p)
		if _, loaded := running[p]; v == "none" && (kernel || loaded) {
			return nil, fmt.Errorf("go get %s: this kernel runs module %s, which cannot be removed from it", a, p)
		}
	}
	unlock, err := l.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := l.prepare(ctx); err != nil {
		return nil, err
	}
	mod, sum, err := l.work.state()
	if err != nil {
		return nil, fmt.Errorf("read the work module: %w", err)
	}
	mods, err := l.get(ctx, args)
	if err != nil {
		if rerr := l.work.restore(mod, sum); rerr != nil {
			return nil, fmt.Errorf("%w (and %v)", err, rerr)
		}
		return nil, err
	}
	return mods, nil
}

// get is Get once the work module is locked and saved.
func (l *Loader) get(ctx context.Context, args []string) ([]Module, error) {
	if _, err := l.g.run(ctx, l.work.dir, append([]string{"get"}, args...)...); err != nil {
		return nil, err
	}
	var paths []string
	for _, a := range args {
		p, _, _ := strings.Cut(a, "@")
		paths = append(paths, p)
	}
	out, err := l.g.run(ctx, l.work.dir, "list", "-m", "-f", "{{.Path}}\t{{.Version}}\t{{with .Replace}}{{.Path}}\t{{.Version}}{{end}}", "all")
	if err != nil {
		return nil, err
	}
	all := map[string]Module{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		m := Module{Path: f[0], Version: f[1]}
		if len(f) >= 4 && f[2] != "" {
			m.Replace = &Module{Path: f[2], Version: f[3]}
		}
		all[m.Path] = m
	}
	var mods []Module
	for _, p := range paths {
		// p names a module, or a package in one: the longest module path
		// that p starts with.
		for q := p; q != "." && q != "/"; q = path.Dir(q) {
			if m, ok := all[q]; ok {
				mods = append(mods, m)
				break
			}
		}
	}
	if cerr := l.conflict(mods, paths); cerr != nil {
		return nil, cerr
	}
	return mods, nil
}
