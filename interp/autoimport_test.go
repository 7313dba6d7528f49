package interp

import (
	"strings"
	"testing"
)

func TestAutoImportStandardPackageSaysSoOnce(t *testing.T) {
	r := newRunner(t)
	p := r.ok(`strings.ToUpper("go")`)
	if got := p.result(); got != `"GO"` {
		t.Fatalf("result = %q", got)
	}
	if got := p.out("stderr"); got != "(auto-imported \"strings\")\n" {
		t.Fatalf("stderr = %q", got)
	}
	p = r.ok(`strings.Repeat("a", 3)`)
	if p.out("stderr") != "" || p.result() != `"aaa"` {
		t.Fatalf("second use: stderr %q result %q", p.out("stderr"), p.result())
	}
	// An explicit import afterwards is accepted (not imported twice).
	r.ok("import \"strings\"\nstrings.ToLower(\"X\")")
}

func TestAutoImportSeveralPackagesInDeclarationsAndStatements(t *testing.T) {
	r := newRunner(t)
	p := r.ok("func half(d time.Duration) string { return fmt.Sprint(d / 2) }\nx := filepath.Base(\"/a/b.go\")\nfmt.Println(x, half(time.Second))\ndisplay.Text(x)")
	if got := p.out("stdout"); got != "b.go 500ms\n" || len(p.displays) != 1 || p.displays[0].Data["text/plain"] != "b.go" {
		t.Fatalf("stdout = %q", got)
	}
	if got := p.out("stderr"); got != "(auto-imported \"fmt\", \"goawait/display\", \"path/filepath\", \"time\")\n" {
		t.Fatalf("stderr = %q", got)
	}
}

func TestAutoImportSourcePackages(t *testing.T) {
	r := newRunner(t)
	p := r.ok(`slices.Contains([]int{1, 2}, 2)`)
	if p.result() != "true" || !strings.Contains(p.out("stderr"), `"slices"`) {
		t.Fatalf("result %q stderr %q", p.result(), p.out("stderr"))
	}
}

func TestAutoImportNeverTakesAUsersName(t *testing.T) {
	r := newRunner(t)
	// A session variable called like a package.
	r.ok("type L struct{ n int }\nfunc (l L) Len() int { return l.n }\nlist := L{3}")
	if p := r.ok("list.Len()"); p.result() != "3" || p.out("stderr") != "" {
		t.Fatalf("list.Len(): result %q stderr %q", p.result(), p.out("stderr"))
	}
	// Local names: parameters, := and range variables.
	p := r.ok("func f(url L) int { return url.Len() }\nfor _, path := range []L{{1}} { fmt.Println(path.Len(), f(path)) }")
	if got := p.out("stderr"); got != "(auto-imported \"fmt\")\n" {
		t.Fatalf("stderr = %q", got)
	}
	// An aliased import of the same package stays what the user wrote.
	p = r.ok("import str \"strings\"\nstr.TrimSpace(\" x \")")
	if p.out("stderr") != "" || p.result() != `"x"` {
		t.Fatalf("alias: stderr %q result %q", p.out("stderr"), p.result())
	}
}

func TestAutoImportSkipsAmbiguousAndUnknownNames(t *testing.T) {
	r := newRunner(t)
	// rand is math/rand, math/rand/v2 and crypto/rand: not guessed.
	_, err := r.fails(`rand.Intn(3)`)
	if !strings.Contains(err.Value, "undefined: rand") {
		t.Fatalf("err = %+v", err)
	}
	// A member the package does not have: not imported.
	_, err = r.fails(`strings.NoSuchThing()`)
	if !strings.Contains(err.Value, "undefined: strings") {
		t.Fatalf("err = %+v", err)
	}
}

func TestAutoImportInAsyncCells(t *testing.T) {
	r := newRunner(t)
	p := r.ok("async func shout(s string) string {\n\tawait asyncio.Sleep(time.Millisecond)\n\treturn strings.ToUpper(s)\n}\nawait shout(\"hey\")")
	if p.result() != `"HEY"` || p.out("stderr") != "(auto-imported \"strings\", \"time\")\n" {
		t.Fatalf("result %q stderr %q", p.result(), p.out("stderr"))
	}
}
