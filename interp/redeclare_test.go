package interp

import (
	"strings"
	"testing"
	"time"

	"github.com/goawait/goawait/interp/internal/lower"
)

// httpPanicCell serves a handler that panics on /boom, requests /boom then
// /ok, and stops the server (tests/test_hardening.py's HTTP_SERVER and
// HTTP_REQUESTS).
const httpPanicCell = `import (
	"fmt"
	"io"
	"net"
	"net/http"
)
ln, _ := net.Listen("tcp", "127.0.0.1:0")
srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/boom" {
		panic("handler panic 7731")
	}
	fmt.Fprint(w, "fine")
})}
go func() { srv.Serve(ln) }()
url := "http://" + ln.Addr().String()
_, err := http.Get(url + "/boom")
fmt.Println("boom:", err != nil)
resp, err := http.Get(url + "/ok")
body, _ := io.ReadAll(resp.Body)
resp.Body.Close()
fmt.Println("ok:", string(body))
srv.Close()`

// The handler did panic every time: what went wrong on the second run was
// that fmt.Println read the err of the later `resp, err :=`.
func TestHandlerThatPanickedStillPanicsInALaterCell(t *testing.T) {
	r := newRunner(t)
	for i := 0; i < 3; i++ {
		p := r.ok(httpPanicCell)
		if got := p.out("stdout"); got != "boom: true\nok: fine\n" {
			t.Fatalf("run %d: stdout %q, stderr %q", i+1, got, p.out("stderr"))
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(p.out("stderr"), "handler panic 7731") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if !strings.Contains(p.out("stderr"), "handler panic 7731") {
			t.Fatalf("run %d: the handler's panic was not logged: %q", i+1, p.out("stderr"))
		}
	}
}

func TestRedeclarationInTheSameCellAssignsTheVariable(t *testing.T) {
	r := newRunner(t)
	r.ok("import (\n\t\"fmt\"\n\t\"strconv\"\n)")
	code := `_, err := strconv.Atoi("x")
fmt.Println(err != nil)
seen := func() error { return err }
v, err := strconv.Atoi("7")
fmt.Println(v, err, seen())`
	for i := 0; i < 3; i++ {
		// The first run declares err; the later ones redeclare it.
		if got := r.ok(code).out("stdout"); got != "true\n7 <nil> <nil>\n" {
			t.Fatalf("run %d: stdout %q", i+1, got)
		}
	}
	// The redeclared variable keeps its type; the temporaries stay hidden.
	r.expect("err == nil", "true")
	if _, ok := r.s.state.Decls[lower.TempPrefix+"1"]; ok {
		t.Fatalf("a temporary was recorded as the user's variable")
	}
}

func TestRedeclarationWithSeveralValues(t *testing.T) {
	r := newRunner(t)
	r.ok(`import "fmt"`)
	code := `var f float32
f, n := 2, 3
get := func() float32 { return f }
n, s := 4, "x"
f, k := f*2, n
n, m := func() int { return 9 }(), 1
fmt.Println(f, n, s, k, m, get())`
	for i := 0; i < 2; i++ {
		if got := r.ok(code).out("stdout"); got != "4 9 x 4 1 4\n" {
			t.Fatalf("run %d: stdout %q", i+1, got)
		}
	}
}
