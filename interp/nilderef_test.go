package interp

import (
	"strings"
	"testing"
	"time"

	"github.com/goawait/goawait/interp/internal/yaegix"
)

const nilTypes = `type node struct {
	n    int
	next *node
}

func (p *node) get() int { return p.n }
func (p node) val() int  { return p.n }

type getter interface{ get() int }`

func TestNilDereferenceIsGosRuntimeError(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\n" + nilTypes)
	for _, tc := range []struct{ code, raw string }{
		{"var p *struct{ n int }\np.n", "Field"},          // read
		{"var p *node\np.n = 3", "Field"},                 // write
		{"var p *node\np.n++", "Field"},                   // increment
		{"p := &node{}\np.next.n", "Field"},               // nested
		{"var p *node\np.get()", "Field"},                 // pointer method using a field
		{"var p *node\np.val()", "Set"},                   // value method on a nil pointer
		{"var p *int\nx := *p\nx", "Set"},                 // *p
		{"var p *int\n*p = 1", "Set"},                     // *p =
		{"var p *int\nfmt.Println(*p)", "Interface"},      // *p to a host function
		{"var g getter\ng.get()", "Interface"},            // method of a nil interface
		{"var pp **node\n(*pp).n", "Elem"},                // through a nil pointer to a pointer
		{"var p *[3]int\np[1]", "Index"},                  // nil pointer to an array
		{"var f func() int\nf()", "call of nil function"}, // nil func
	} {
		_, err := r.fails(tc.code)
		tb := strings.Join(err.Traceback, "\n")
		if err.Name != "panic" || err.Value != yaegix.NilDerefMessage || !strings.HasPrefix(tb, "panic: "+yaegix.NilDerefMessage+"\n") {
			t.Errorf("%q: %s: %s\n%s", tc.code, err.Name, err.Value, tb)
		}
		if !strings.Contains(tb, "(the interpreter reported: reflect") || !strings.Contains(tb, tc.raw) {
			t.Errorf("%q: the traceback lost the interpreter's message (%s):\n%s", tc.code, tc.raw, tb)
		}
	}
}

func TestNilDereferenceKeepsTheTraceback(t *testing.T) {
	r := newRunner(t)
	r.ok(nilTypes)
	_, err := r.fails("func first(p *node) int {\n\treturn p.next.n\n}\nfirst(&node{})")
	tb := strings.Join(err.Traceback, "\n")
	// yaegi places a frame at its function's first statement.
	if err.Value != yaegix.NilDerefMessage || !strings.Contains(tb, "cell[2], line 2, in first\n    \treturn p.next.n\n  cell[2], line 4, in cell") {
		t.Fatalf("%s: %s\n%s", err.Name, err.Value, tb)
	}
	r.ok("func deep(p *node, n int) int {\n\tif n == 0 {\n\t\treturn p.n\n\t}\n\treturn deep(p, n-1)\n}")
	if _, err = r.fails("deep(nil, 15)"); err.Value != yaegix.NilDerefMessage {
		t.Fatalf("deep(nil, 15): %s: %s", err.Name, err.Value)
	}
	// Deeper, the panic's origin is in the frames Go's traceback elides
	// (it keeps 50 at each end): who called reflect cannot be told, and
	// the interpreter's message is kept.
	if _, err = r.fails("deep(nil, 100)"); err.Value != "reflect: call of reflect.Value.Field on zero Value" {
		t.Fatalf("deep(nil, 100): %s: %s", err.Name, err.Value)
	}
}

func TestReflectPanicsOfTheCellsOwnAreKept(t *testing.T) {
	r := newRunner(t)
	r.ok(`import "reflect"`)
	for code, want := range map[string]string{
		"reflect.ValueOf(nil).Field(0)":                  "reflect: call of reflect.Value.Field on zero Value",
		"var v reflect.Value\nv.Elem()":                  "reflect: call of reflect.Value.Elem on zero Value",
		"reflect.ValueOf((func())(nil)).Call(nil)":       "reflect.Value.Call: call of nil function",
		"reflect.New(reflect.TypeOf(1)).Elem().Field(0)": "reflect: call of reflect.Value.Field on int Value",
	} {
		_, err := r.fails(code)
		if err.Value != want {
			t.Errorf("%q: %s: %s, want %q", code, err.Name, err.Value, want)
		}
	}
}

func TestNilDereferenceInAGoroutine(t *testing.T) {
	r := newRunner(t)
	r.ok(nilTypes)
	p := r.ok("import \"time\"\ngo func() {\n\tvar p *node\n\tp.n = 1\n}()\ntime.Sleep(50 * time.Millisecond)")
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.out("stderr"), "panic in goroutine") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := p.out("stderr"); !strings.HasPrefix(got, "panic in goroutine: "+yaegix.NilDerefMessage+"\n") {
		t.Fatalf("stderr = %q", got)
	}
}
