package capture

import (
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/goawait/goawait/language"
)

// recorder is a publisher that keeps the streamed messages.
type recorder struct {
	language.Publisher // the methods the tests do not call
	mu                 sync.Mutex
	msgs               []string
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	r.msgs = append(r.msgs, name+":"+text)
	r.mu.Unlock()
}

func (r *recorder) messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}

// text is what was streamed, all messages together, each of which must
// be on stream name.
func (r *recorder) text(name string) string {
	all := ""
	for _, m := range r.messages() {
		if !strings.HasPrefix(m, name+":") {
			return "a message on another stream: " + m
		}
		all += strings.TrimPrefix(m, name+":")
	}
	return all
}

// TestConsumeHoldsACharacterCutShort: the first byte of a two-byte
// character waits for the second, so no message holds half of it.
func TestConsumeHoldsACharacterCutShort(t *testing.T) {
	rec := &recorder{}
	var route Router
	route.Set(rec)
	p := &Pipe{name: "stdout", route: &route, marker: markerStart + "token:", waiting: map[string]chan struct{}{}}
	rest := p.consume([]byte("h\xc3"), false)
	if string(rest) != "\xc3" {
		t.Fatalf("held %q, want %q", rest, "\xc3")
	}
	rest = p.consume(append(rest, "\xa9!"...), false)
	if len(rest) != 0 {
		t.Fatalf("held %q after the whole character", rest)
	}
	if got, want := rec.messages(), []string{"stdout:h", "stdout:é!"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("messages %q, want %q", got, want)
	}
}

// newPipe captures a stream into a recorder, until the test ends.
func newPipe(t *testing.T, name string, onPanicLine func(string)) (*Pipe, *recorder) {
	t.Helper()
	rec := &recorder{}
	route := &Router{}
	route.Set(rec)
	p, err := New(name, route, onPanicLine)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p, rec
}

// TestForgedMarkerIsOrdinaryOutput: text that looks like a flush marker
// but lacks the capture's token is forwarded as it is, and Flush returns
// once it has been.
func TestForgedMarkerIsOrdinaryOutput(t *testing.T) {
	p, rec := newPipe(t, "stdout", nil)
	forged := markerStart + "00000000000000000000000000000000:1\x00after"
	if _, err := io.WriteString(p.File(), forged); err != nil {
		t.Fatal(err)
	}
	p.Flush()
	if got := rec.text("stdout"); got != forged {
		t.Fatalf("forwarded %q, want %q", got, forged)
	}
}

// TestPanicLinesAreDiverted: on stderr, yaegi's panic lines go to
// onPanicLine, the other lines to the publisher.
func TestPanicLinesAreDiverted(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	p, rec := newPipe(t, "stderr", func(l string) {
		mu.Lock()
		lines = append(lines, l)
		mu.Unlock()
	})
	if _, err := io.WriteString(p.File(), "12:3: panic: main.f(...)\nreal output\n"); err != nil {
		t.Fatal(err)
	}
	p.Flush()
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"12:3: panic: main.f(...)"}; !reflect.DeepEqual(lines, want) {
		t.Fatalf("panic lines %q, want %q", lines, want)
	}
	if got, want := rec.text("stderr"), "real output\n"; got != want {
		t.Fatalf("forwarded %q, want %q", got, want)
	}
}
