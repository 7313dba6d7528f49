package modload

import (
	"bytes"
	"context"
	"errors"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// workState returns the work module's go.mod and go.sum.
func workState(t *testing.T, l *Loader) (mod, sum []byte) {
	t.Helper()
	mod, sum, err := l.work.state()
	if err != nil {
		t.Fatal(err)
	}
	return mod, sum
}

// failLoad loads paths, which must fail with an error of type *E (a
// *GoError or a *ConflictError) whose message has each of wants; it
// checks that the failure left the work module and the Loader as they
// were, and returns the error.
func failLoad[E error](t *testing.T, l *Loader, paths []string, wants ...string) E {
	t.Helper()
	mod, sum := workState(t, l)
	loaded := l.Loaded()
	_, err := l.Load(context.Background(), paths)
	return checkFailure[E](t, l, err, mod, sum, loaded, wants)
}

// failGet is failLoad for Get.
func failGet[E error](t *testing.T, l *Loader, args []string, wants ...string) E {
	t.Helper()
	mod, sum := workState(t, l)
	loaded := l.Loaded()
	_, err := l.Get(context.Background(), args...)
	return checkFailure[E](t, l, err, mod, sum, loaded, wants)
}

// failInstantiate is failLoad for Instantiate.
func failInstantiate[E error](t *testing.T, l *Loader, instances []Instance, wants ...string) E {
	t.Helper()
	mod, sum := workState(t, l)
	loaded := l.Loaded()
	_, err := l.Instantiate(context.Background(), instances)
	return checkFailure[E](t, l, err, mod, sum, loaded, wants)
}

func checkFailure[E error](t *testing.T, l *Loader, err error, mod, sum []byte, loaded []Package, wants []string) E {
	t.Helper()
	var e E
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T), want a %T", err, err, e)
	}
	t.Logf("the error: %v", err)
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the error does not say %q", w)
		}
	}
	if m, s := workState(t, l); !bytes.Equal(m, mod) || !bytes.Equal(s, sum) {
		t.Errorf("the failure changed the work module:\n%s\nwas\n%s", m, mod)
	}
	if got := l.Loaded(); len(got) != len(loaded) {
		t.Errorf("the failure changed what is loaded: %v, was %v", got, loaded)
	}
	return e
}

// readyLoader returns a Loader whose work module exists.
func readyLoader(t *testing.T, opt Options) *Loader {
	t.Helper()
	l := newLoader(t, opt)
	if err := l.prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestModuleNotFound(t *testing.T) {
	l := readyLoader(t, Options{})
	p := "github.com/goawait-test-no-such-owner/no-such-module"
	failLoad[*GoError](t, l, []string{p}, p)
}

func TestPackageNotInModule(t *testing.T) {
	l := readyLoader(t, Options{})
	p := "github.com/google/uuid/nosuchpackage"
	failLoad[*GoError](t, l, []string{p}, p)
}

func TestVersionNotFound(t *testing.T) {
	l := readyLoader(t, Options{})
	failGet[*GoError](t, l, []string{"github.com/google/btree@v1.99.0"}, "github.com/google/btree", "v1.99.0")
}

func TestNoNetwork(t *testing.T) {
	l := readyLoader(t, Options{Env: append(os.Environ(), "GOPROXY=off")})
	p := "github.com/goawait-test-no-such-owner/offline"
	failLoad[*GoError](t, l, []string{p}, p, "GOPROXY=off")
}

func TestNoGoCommand(t *testing.T) {
	_, err := New(Options{CacheDir: t.TempDir(), BuildInfo: testBuildInfo(t), Env: []string{"PATH=" + t.TempDir()}})
	if err == nil || !strings.Contains(err.Error(), "go command was not found") {
		t.Fatalf("New without go in PATH: %v", err)
	}
	t.Logf("the error: %v", err)
}

func TestBuildFailure(t *testing.T) {
	l := readyLoader(t, Options{GoMod: notebookGoMod(t)})
	// The go command's own message: file, line and what is wrong.
	failLoad[*GoError](t, l, []string{"example.com/notebook/broken"}, "broken.go:6", `"two"`)
}

// TestCgo loads a package that uses cgo, and has the go command fail
// to find a C compiler.
func TestCgo(t *testing.T) {
	noCC := readyLoader(t, Options{GoMod: notebookGoMod(t), Env: append(os.Environ(), "CC=/nonexistent/cc")})
	failLoad[*GoError](t, noCC, []string{"example.com/notebook/cgosum"}, "/nonexistent/cc")

	l := newLoader(t, Options{GoMod: notebookGoMod(t)})
	res := load(t, l, "example.com/notebook/cgosum")
	i := interpreter(t, res)
	eval(t, i, `import "example.com/notebook/cgosum"`)
	if got := eval(t, i, `cgosum.Add(40, 2)`).Int(); got != 42 {
		t.Errorf("cgosum.Add(40, 2) = %d", got)
	}
}

// kernelWith returns the test binary's build information as if it also
// linked module path at version.
func kernelWith(t *testing.T, path, version string) *debug.BuildInfo {
	bi := testBuildInfo(t)
	bi.Deps = append(bi.Deps, &debug.Module{Path: path, Version: version})
	return bi
}

// TestConflictWithKernel asks for another version of a module the kernel
// links, by `go get` and by the notebook's go.mod.
func TestConflictWithKernel(t *testing.T) {
	bi := kernelWith(t, "github.com/google/btree", "v1.0.0")
	l := readyLoader(t, Options{BuildInfo: bi})
	e := failGet[*ConflictError](t, l, []string{"github.com/google/btree@v1.1.3"}, "github.com/google/btree", "v1.1.3", "v1.0.0", "goawait itself")
	if e.Needed.Version != "v1.1.3" || e.Running.Version != "v1.0.0" || len(e.RunningFor) != 0 {
		t.Errorf("conflict %+v", e)
	}

	mod, sum := workState(t, l)
	if _, err := l.Get(context.Background(), "github.com/google/btree@none"); err == nil || !strings.Contains(err.Error(), "cannot be removed") {
		t.Errorf("go get of a kernel module @none: %v", err)
	}
	if m, s := workState(t, l); !bytes.Equal(m, mod) || !bytes.Equal(s, sum) {
		t.Errorf("a refused go get changed the work module")
	}

	nb := readyLoader(t, Options{BuildInfo: bi, GoMod: notebookGoMod(t)})
	e = failLoad[*ConflictError](t, nb, []string{"github.com/google/btree"}, "github.com/google/btree", "v1.1.3", "v1.0.0", "required by example.com/notebook (the notebook's go.mod)")
	if e.Needed.Version != "v1.1.3" || e.Running.Version != "v1.0.0" {
		t.Errorf("conflict %+v", e)
	}
}

// TestConflictWithLoaded loads btree v1.1.3, then asks another Loader of
// the same process for v1.1.2: the loaded one stays.
func TestConflictWithLoaded(t *testing.T) {
	l := newLoader(t, Options{})
	if _, err := l.Get(context.Background(), "github.com/google/btree@v1.1.3"); err != nil {
		t.Fatal(err)
	}
	load(t, l, "github.com/google/btree")
	other := readyLoader(t, Options{})
	e := failGet[*ConflictError](t, other, []string{"github.com/google/btree@v1.1.2"}, "v1.1.2", "v1.1.3", "restart the kernel")
	if len(e.RunningFor) != 1 || e.RunningFor[0] != "github.com/google/btree" {
		t.Errorf("conflict %+v", e)
	}
}

// TestInterrupted cancels a Load: the go command stops, and the error
// says why.
func TestInterrupted(t *testing.T) {
	l := readyLoader(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mod, sum := workState(t, l)
	_, err := l.Load(ctx, []string{"github.com/google/btree"})
	checkFailure[*GoError](t, l, err, mod, sum, nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want one that is context.Canceled", err)
	}
}
