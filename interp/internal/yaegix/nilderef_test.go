package yaegix

import (
	"strings"
	"testing"
)

func TestCalledByInterpreter(t *testing.T) {
	yaegiFn := yaegiPkgPath + ".getPtrIndexSeq.func2"
	for _, tc := range []struct {
		funcs []string
		want  bool
	}{
		{[]string{"runtime/debug.Stack", "panic", yaegiPkgPath + ".runCfg.func1", "panic", "reflect.Value.Field", "reflect.Value.FieldByIndex", yaegiFn}, true},
		{[]string{"panic", "reflect.flag.mustBeExportedSlow", "reflect.flag.mustBeExported", "reflect.Value.Set", yaegiFn}, true},
		{[]string{"panic", "reflect.Value.Field", "reflect.Value.call", "reflect.Value.Call", yaegiFn}, false},  // the cell's own call
		{[]string{"panic", "reflect.Value.Field", "encoding/json.(*encodeState).reflectValue", yaegiFn}, false}, // a host package's
		{[]string{"panic", "reflect.flag.mustBe", yaegiFn}, false},                                              // no method
		{[]string{"reflect.Value.Field", yaegiFn}, false},                                                       // no panic
		{[]string{"panic", "reflect.Value.Field"}, false},                                                       // cut short
	} {
		if got := calledByInterpreter(tc.funcs, zeroValueMethods, func(f string) bool { return strings.HasPrefix(f, "reflect.flag.") }); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.funcs, got, tc.want)
		}
	}
}

func TestStackFuncs(t *testing.T) {
	stack := "goroutine 7 [running]:\nruntime/debug.Stack()\n\t/go/src/runtime/debug/stack.go:26 +0x5e\n" +
		"panic({0xfe5a60?, 0x35a8d01d6078?})\n\t/go/src/runtime/panic.go:860 +0x13a\n" +
		"github.com/traefik/yaegi/interp.(*Interpreter).run(0x1, 0x2)\n\t/x/run.go:1 +0x1\n" +
		"reflect.Value.Field(...)\n\t/go/src/reflect/value.go:1 +0x1\n" +
		"created by net/http.(*Server).Serve in goroutine 15\n\t/x/server.go:3464 +0x485\n"
	got := strings.Join(stackFuncs([]byte(stack)), " ")
	want := "runtime/debug.Stack panic github.com/traefik/yaegi/interp.(*Interpreter).run reflect.Value.Field"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
