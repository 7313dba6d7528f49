package autoawait

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/internal/cell"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// newYaegi returns an interpreter with the standard library and the
// asyncio library of rt, writing to out.
func newYaegi(rt *asyncio.Runtime, out *bytes.Buffer) (*interp.Interpreter, error) {
	i := interp.New(interp.Options{Stdout: out, Stderr: out})
	if err := i.Use(stdlib.Symbols); err != nil {
		return nil, err
	}
	if err := i.Use(rt.Exports()); err != nil {
		return nil, err
	}
	return i, nil
}

// runInYaegi rewrites src as one cell, runs it in yaegi with the asyncio
// library, each statement run as a cell of the runtime's loop (as the
// session runs them), and returns what it printed.
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
	rt := asyncio.NewRuntime(asyncio.Options{})
	t.Cleanup(func() {
		if err := rt.Close(); err != nil {
			t.Error(err)
		}
	})
	var out bytes.Buffer
	i, err := newYaegi(rt, &out)
	if err != nil {
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
		var evalErr error
		if err := rt.RunCell(t, func() { _, evalErr = i.Eval(name + "()") }); err != nil || evalErr != nil {
			t.Fatalf("running %s: %v %v\nprinted so far:\n%s\ncode:\n%s", name, err, evalErr, out.String(), code.String())
		}
	}
	return out.String()
}

// evalInYaegi evaluates code in a fresh interpreter with the asyncio
// library.
func evalInYaegi(code string) error {
	i, err := newYaegi(asyncio.NewRuntime(asyncio.Options{}), &bytes.Buffer{})
	if err != nil {
		return err
	}
	_, err = i.Eval(code)
	return err
}
