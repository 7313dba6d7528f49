package lookup

import (
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/language"
)

// fakeSession is a session with a few names: a variable n of a cell type
// T with a method Get, a function f, strings imported and fmt available.
type fakeSession struct {
	decls   map[string]Decl
	globals map[string]reflect.Value
}

type T struct{ Field int }

func newFake() *fakeSession {
	return &fakeSession{
		decls: map[string]Decl{
			"n":     {Kind: lower.Var, Sig: "n := T{Field: 1}", Cell: "cell[1]", Line: 2},
			"f":     {Kind: lower.Func, Sig: "func f() int", Doc: "f answers.\n", Cell: "cell[2]", Line: 1},
			"T":     {Kind: lower.Type, Sig: "type T struct{ Field int }", Cell: "cell[1]", Line: 1},
			"T.Get": {Kind: lower.Method, Sig: "func (t T) Get() int", Cell: "cell[1]", Line: 3},
		},
		globals: map[string]reflect.Value{"n": reflect.ValueOf(T{Field: 1})},
	}
}

func (f *fakeSession) Decls() iter.Seq2[string, Decl] { return maps.All(f.decls) }
func (f *fakeSession) Decl(name string) (Decl, bool) {
	d, ok := f.decls[name]
	return d, ok
}
func (f *fakeSession) Globals() map[string]reflect.Value { return f.globals }
func (f *fakeSession) Import(name string) (string, bool) {
	if name == "strings" {
		return "strings", true
	}
	return "", false
}
func (f *fakeSession) HostPackages() map[string]map[string]reflect.Value {
	return map[string]map[string]reflect.Value{
		"strings": {"Cut": reflect.ValueOf(strings.Cut), "Builder": reflect.ValueOf((*strings.Builder)(nil))},
		"fmt":     {"Println": reflect.ValueOf(fakePrintln)},
	}
}
func (f *fakeSession) PackageName(p string) string { return p }
func (f *fakeSession) Magics() []string {
	return []string{"%time", "%timeit", "%who", "!command", "%%html"}
}

func fakePrintln(a ...any) (int, error) { return 0, nil }

func matches(c language.Completion) string { return strings.Join(c.Matches, " ") }

func TestCompleteFromTheSessionsNames(t *testing.T) {
	s := newFake()
	for _, tc := range []struct {
		code, want string
		start      int
	}{
		{"x := strings.C", "strings.Cut", 5},
		{"strings.b", "strings.Builder", 0},
		{"n.", "n.Field n.Get", 0},
		{"%ti", "%time %timeit", 0},
		{"fm", "fmt", 0},
	} {
		c := Complete(s, tc.code, len([]rune(tc.code)))
		if got := matches(c); got != tc.want || c.CursorStart != tc.start {
			t.Errorf("Complete(%q) = %q from %d, want %q from %d", tc.code, got, c.CursorStart, tc.want, tc.start)
		}
	}
	c := Complete(s, "", 0)
	for _, want := range []string{"n", "f", "T", "strings", "fmt", "func", "append", "await"} {
		if !slices.Contains(c.Matches, want) {
			t.Errorf("the empty word does not offer %s", want)
		}
	}
	if slices.Contains(c.Matches, "T.Get") {
		t.Error("a method is offered as a name")
	}
}

func TestInspectASessionName(t *testing.T) {
	s := newFake()
	in := Inspect(s, &Docs{}, "f()", 1, 0)
	text, _ := in.Data["text/plain"].(string)
	if !in.Found || !strings.Contains(text, "func f() int\n// defined in cell[2] line 1") || !strings.Contains(text, "f answers.") {
		t.Errorf("Inspect f: %+v", in)
	}
	in = Inspect(s, &Docs{}, "n", 1, 0)
	if text, _ := in.Data["text/plain"].(string); !strings.Contains(text, "// type: lookup.T\n// value: {Field:1}") {
		t.Errorf("Inspect n: %q", text)
	}
	if in := Inspect(s, &Docs{}, "nothing", 3, 0); in.Found {
		t.Errorf("Inspect of an unknown name: %+v", in)
	}
}

func TestSplitHelp(t *testing.T) {
	for _, tc := range []struct{ code, rest, name string }{
		{"fmt.Println?", "", "fmt.Println"},
		{"x := 1\n?strings.Cut\n", "x := 1\n", "strings.Cut"},
		{"a ? b", "a ? b", ""},
		{"x := 1", "x := 1", ""},
	} {
		rest, name, _ := SplitHelp(tc.code)
		if rest != tc.rest || name != tc.name {
			t.Errorf("SplitHelp(%q) = %q, %q; want %q, %q", tc.code, rest, name, tc.rest, tc.name)
		}
	}
}
