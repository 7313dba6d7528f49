package interp

import (
	"strings"
	"testing"
)

func TestGoexitInACellIsAnErrorNotAHang(t *testing.T) {
	r := newRunner(t)
	r.ok("kept := 5")
	_, err := r.fails("import \"runtime\"\nruntime.Goexit()")
	if err.Name != "Goexit" || !strings.Contains(err.Value, "runtime.Goexit called") {
		t.Fatalf("error = %s: %s", err.Name, err.Value)
	}
	p := r.ok("import (\n\t\"fmt\"\n\t\"sync\"\n)\nvar wg sync.WaitGroup\nwg.Add(1)\ngo func() { defer wg.Done(); runtime.Goexit() }()\nwg.Wait()\nfmt.Println(kept)")
	if got := p.out("stdout"); got != "5\n" {
		t.Fatalf("stdout = %q", got)
	}
	if got := p.out("stderr"); got != "" {
		t.Fatalf("a goroutine ending with Goexit reported %q", got)
	}
}

func TestGoStatementWithAMethodOfAHostValue(t *testing.T) {
	r := newRunner(t)
	p := r.ok(`import (
	"fmt"
	"net"
	"net/http"
)
ln, _ := net.Listen("tcp", "127.0.0.1:0")
srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "pong") })}
go srv.Serve(ln)
resp, err := http.Get("http://" + ln.Addr().String())
if err != nil {
	panic(err)
}
buf := make([]byte, 4)
resp.Body.Read(buf)
resp.Body.Close()
srv.Close()
fmt.Println(string(buf))`)
	if got := p.out("stdout"); got != "pong\n" {
		t.Fatalf("stdout = %q, stderr %q", got, p.out("stderr"))
	}
}
