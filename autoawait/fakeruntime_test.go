package autoawait

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/goawait/goawait/internal/cell"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// A tiny synchronous stand-in for the runtime: awaiting a coroutine runs
// it inline, a task runs its coroutine on its first await and keeps the
// results. It is enough to prove that yaegi accepts the emitted code.

type fakeCoroutine struct {
	name    string
	body    func() []any
	spent   bool
	created string // as given to CreatedAt
}

func (c *fakeCoroutine) String() string { return "<coroutine object " + c.name + ">" }

type fakeTask struct {
	coro    *fakeCoroutine
	done    bool
	results []any
}

// fakeFutureLike mirrors asyncio.FutureLike.
type fakeFutureLike interface{ Done() bool }

func (t *fakeTask) Done() bool { return t.done }

func fakeAwait(x any) []any {
	switch x := x.(type) {
	case *fakeCoroutine:
		if x.spent {
			panic(errors.New("cannot reuse already awaited coroutine"))
		}
		x.spent = true
		return x.body()
	case *fakeTask:
		if !x.done {
			x.results = fakeAwait(x.coro)
			x.done = true
		}
		return x.results
	}
	panic(fmt.Sprintf("not awaitable: %T", x))
}

func fakeExports() interp.Exports {
	return interp.Exports{"asyncio/asyncio": {
		"Coroutine":  reflect.ValueOf((*fakeCoroutine)(nil)),
		"Task":       reflect.ValueOf((*fakeTask)(nil)),
		"FutureLike": reflect.ValueOf((*fakeFutureLike)(nil)),
		"NewCoroutine": reflect.ValueOf(func(name, site string, body func() []any) *fakeCoroutine {
			return &fakeCoroutine{name: name, body: body}
		}),
		"NewTailCoroutine": reflect.ValueOf(func(name, site, at string, body func() any) *fakeCoroutine {
			return &fakeCoroutine{name: name, body: func() []any {
				if x := body(); x != nil {
					fakeAwait(x)
				}
				return nil
			}}
		}),
		"NewTailReturnCoroutine": reflect.ValueOf(func(name, site, at string, body func() any) *fakeCoroutine {
			return &fakeCoroutine{name: name, body: func() []any {
				switch x := body().(type) {
				case []any:
					return x
				case nil:
					return nil
				default:
					return fakeAwait(x)
				}
			}}
		}),
		"Await":   reflect.ValueOf(fakeAwait),
		"AwaitAt": reflect.ValueOf(func(x any, site string) []any { return fakeAwait(x) }),
		"CreatedAt": reflect.ValueOf(func(c *fakeCoroutine, site string) *fakeCoroutine {
			if c != nil && c.created == "" {
				c.created = site
			}
			return c
		}),
		"Sleep": reflect.ValueOf(func(d time.Duration) *fakeCoroutine {
			return &fakeCoroutine{name: "sleep", body: func() []any { return nil }}
		}),
		"CreateTask": reflect.ValueOf(func(c *fakeCoroutine, name ...string) *fakeTask { return &fakeTask{coro: c} }),
		"Run":        reflect.ValueOf(func(c *fakeCoroutine) any { return oneValue(fakeAwait(c)) }),
		"Gather": reflect.ValueOf(func(xs ...any) *fakeTask {
			return &fakeTask{coro: &fakeCoroutine{name: "gather", body: func() []any {
				var out []any
				for _, x := range xs {
					out = append(out, oneValue(fakeAwait(x)))
				}
				return []any{out}
			}}}
		}),
		"Wait": reflect.ValueOf(func(xs any, opts ...any) *fakeCoroutine {
			return &fakeCoroutine{name: "wait", body: func() []any {
				var done []fakeFutureLike
				for _, x := range xs.([]*fakeTask) {
					fakeAwait(x)
					done = append(done, x)
				}
				return []any{done, []fakeFutureLike(nil)}
			}}
		}),
	}}
}

// oneValue is how tasks' results read as one value.
func oneValue(rs []any) any {
	switch len(rs) {
	case 0:
		return nil
	case 1:
		return rs[0]
	}
	return rs
}

// runInYaegi rewrites src as one cell, runs it in yaegi with the fake
// runtime and returns what it printed.
func runInYaegi(t *testing.T, src string) string {
	t.Helper()
	c, err := cell.Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatalf("rewrite: %v", err)
	}
	emitted, err := c.Emit()
	if err != nil {
		t.Fatal(err)
	}
	code := bytes.NewBuffer(emitted)
	var out bytes.Buffer
	i := interp.New(interp.Options{Stdout: &out, Stderr: &out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(fakeExports()); err != nil {
		t.Fatal(err)
	}
	if _, err := i.Eval(code.String()); err != nil {
		t.Fatalf("yaegi rejects the emitted code: %v\n%s", err, code.String())
	}
	for k := 0; ; k++ {
		name := fmt.Sprintf("%s%d", cell.StmtsFunc, k)
		if !bytes.Contains(code.Bytes(), []byte("func "+name+"()")) {
			break
		}
		if _, err := i.Eval(name + "()"); err != nil {
			t.Fatalf("running %s: %v\nprinted so far:\n%s\ncode:\n%s", name, err, out.String(), code.String())
		}
	}
	return out.String()
}

// evalInYaegi evaluates code in a fresh interpreter with the fake runtime.
func evalInYaegi(code string) error {
	i := interp.New(interp.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	if err := i.Use(stdlib.Symbols); err != nil {
		return err
	}
	if err := i.Use(fakeExports()); err != nil {
		return err
	}
	_, err := i.Eval(code)
	return err
}
