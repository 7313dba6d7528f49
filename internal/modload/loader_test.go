package modload

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime/debug"
	"testing"
	"time"

	"github.com/goawait/goawait/internal/modload/modloadtest"

	"github.com/google/uuid"
	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// newLoader returns a Loader of this test binary with a cache of its own
// (unless opt names one).
func newLoader(t *testing.T, opt Options) *Loader {
	t.Helper()
	if opt.CacheDir == "" {
		opt.CacheDir = t.TempDir()
	}
	if opt.BuildInfo == nil {
		opt.BuildInfo = testBuildInfo(t)
	}
	opt.Progress = func(line string) { t.Log(line) }
	l, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testBuildInfo returns the build information of the test binary, with
// its modules.
func testBuildInfo(t *testing.T) *debug.BuildInfo {
	t.Helper()
	bi, err := modloadtest.BuildInfo()
	if err != nil {
		t.Fatal(err)
	}
	return bi
}

// load loads paths, failing the test on an error, and logs how long it took.
func load(t *testing.T, l *Loader, paths ...string) *Result {
	t.Helper()
	start := time.Now()
	res, err := l.Load(context.Background(), paths)
	if err != nil {
		t.Fatalf("Load(%v): %v", paths, err)
	}
	t.Logf("Load(%v): %v (built: %v)", paths, time.Since(start), res.Built)
	return res
}

// interpreter returns a yaegi interpreter with the standard library and
// the symbols of res.
func interpreter(t *testing.T, res *Result) *yaegi.Interpreter {
	t.Helper()
	i := yaegi.New(yaegi.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(res.Symbols); err != nil {
		t.Fatal(err)
	}
	return i
}

// eval evaluates src in i and returns its value.
func eval(t *testing.T, i *yaegi.Interpreter, src string) reflect.Value {
	t.Helper()
	v, err := i.Eval(src)
	if err != nil {
		t.Fatalf("eval %q: %v", src, err)
	}
	return v
}

// TestLoadModuleTheKernelLinks imports github.com/google/uuid, which the
// test binary (like the kernel) links itself: the plugin must use the
// binary's version, and its package must be the binary's (same types).
func TestLoadModuleTheKernelLinks(t *testing.T) {
	l := newLoader(t, Options{})
	res := load(t, l, "github.com/google/uuid")
	if len(res.Packages) != 1 || res.Packages[0].Name != "uuid" {
		t.Fatalf("packages: %+v", res.Packages)
	}
	k, _ := l.host.linked("github.com/google/uuid")
	if got := res.Packages[0].Module; !got.same(k) {
		t.Errorf("module %s, want the binary's %s", got, k)
	}
	tbl := res.Symbols["github.com/google/uuid/uuid"]
	if tbl == nil {
		t.Fatalf("no table for uuid in %v", res.Symbols)
	}
	if got := tbl["UUID"].Type().Elem(); got != reflect.TypeOf(uuid.UUID{}) {
		t.Errorf("the plugin's uuid.UUID is %v of %s, not the binary's", got, got.PkgPath())
	}
	i := interpreter(t, res)
	eval(t, i, `import "github.com/google/uuid"`)
	s := eval(t, i, `uuid.NewString()`).String()
	if _, err := uuid.Parse(s); err != nil {
		t.Errorf("uuid.NewString() in the interpreter = %q: %v", s, err)
	}
	if got := l.Loaded(); len(got) != 1 || got[0].Path != "github.com/google/uuid" {
		t.Errorf("Loaded() = %+v", got)
	}
}

// cachedChildEnv names, in the environment of a child process of this
// test binary, the cache directory it loads uuid from (TestMain).
const cachedChildEnv = "MODLOAD_TEST_CACHED_CHILD"

// TestMain runs the second kernel of TestSecondKernelLoadsFromCache when
// the test binary is started as one.
func TestMain(m *testing.M) {
	if dir := os.Getenv(cachedChildEnv); dir != "" {
		os.Exit(cachedChild(dir))
	}
	os.Exit(m.Run())
}

// cachedChild is a new process that loads uuid from the cache at dir. It
// prints how long Load took and whether it built, and fails if it did.
func cachedChild(dir string) int {
	bi, err := modloadtest.BuildInfo()
	if err != nil {
		fmt.Println(err)
		return 1
	}
	l, err := New(Options{CacheDir: dir, BuildInfo: bi})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	start := time.Now()
	res, err := l.Load(context.Background(), []string{"github.com/google/uuid"})
	if err != nil {
		fmt.Println(err)
		return 1
	}
	elapsed := time.Since(start)
	tbl := res.Symbols["github.com/google/uuid/uuid"]
	if tbl == nil {
		fmt.Println("no symbols for uuid")
		return 1
	}
	s := tbl["NewString"].Call(nil)[0].String()
	fmt.Printf("second kernel: Load(uuid) %v, built %v, uuid.NewString() = %s\n", elapsed, res.Built, s)
	if res.Built {
		return 1
	}
	return 0
}

// TestSecondKernelLoadsFromCache loads uuid, then has a new Loader of the
// same cache, and a new process, load it again: neither builds.
func TestSecondKernelLoadsFromCache(t *testing.T) {
	dir := t.TempDir()
	first := newLoader(t, Options{CacheDir: dir})
	if res := load(t, first, "github.com/google/uuid"); len(res.Packages) != 1 {
		t.Fatalf("packages: %+v", res.Packages)
	}
	again := newLoader(t, Options{CacheDir: dir})
	if res := load(t, again, "github.com/google/uuid"); res.Built {
		t.Error("a second Loader of the same cache built the plugin again")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), cachedChildEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the second kernel: %v", err)
	}
}
