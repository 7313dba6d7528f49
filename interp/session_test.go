package interp

import (
	"strings"
	"testing"

	"github.com/goawait/goawait/language"
)

func TestMixedCellOutputAndLastValue(t *testing.T) {
	r := newRunner(t)
	p := r.ok("import \"fmt\"\nx := 20\nfunc fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\nfmt.Println(\"x is\", x)\nfib(10)")
	if got := p.out("stdout"); got != "x is 20\n" {
		t.Fatalf("stdout = %q", got)
	}
	if got := p.result(); got != "55" {
		t.Fatalf("result = %q, want 55", got)
	}
	p = r.ok("import \"fmt\"\nx++\nfmt.Println(x)")
	if got := p.out("stdout"); got != "21\n" {
		t.Fatalf("stdout = %q, want 21", got)
	}
	if got := p.result(); got != "" {
		t.Fatalf("Println should show no value, got %q", got)
	}
}

func TestLastValueFormats(t *testing.T) {
	r := newRunner(t)
	r.ok("import (\n\t\"errors\"\n\t\"fmt\"\n\t\"strconv\"\n)\ntype P struct {\n\tName string\n\tAge  int\n}\ntype S int\nfunc (s S) String() string { return \"S!\" }")
	for code, want := range map[string]string{
		`"hello"`:                 `"hello"`,
		`P{"Ann", 3}`:             `{Name:Ann Age:3}`,
		`map[string]int{"a": 1}`:  `map[a:1]`,
		`[]int{1, 2, 3}`:          `[1 2 3]`,
		`errors.New("bad")`:       `bad`,
		`S(1)`:                    `S!`,
		`strconv.Atoi("x")`:       `strconv.Atoi: parsing "x": invalid syntax`,
		`fmt.Println("printed")`:  ``,
		`x := 3`:                  ``,
		`func f() {}`:             ``,
		`strconv.Itoa(12)`:        `"12"`,
		`func() int { return 4 }`: `func() int`,
		"var e error\ne":          ``,
		"1 + 1":                   `2`,
	} {
		if got := r.ok(code).result(); got != want {
			t.Errorf("%s: result %q, want %q", code, got, want)
		}
	}
}

func TestMainIsRenamedAndCallable(t *testing.T) {
	r := newRunner(t)
	p := r.ok("func main() {\n\tprintln(\"in main\")\n}\nmain()")
	if got := p.out("stdout") + p.out("stderr"); got != "in main\n" {
		t.Fatalf("output = %q", got)
	}
	// Later cells must not run main again.
	if got := r.ok("x := 1").out("stdout"); got != "" {
		t.Fatalf("main ran again: %q", got)
	}
}

func TestRedefinition(t *testing.T) {
	r := newRunner(t)
	r.ok("func g() int { return 1 }\nfunc h() int { return g() * 10 }")
	r.expect("h()", "10")
	r.ok("func g() int { return 2 }")
	r.expect("h()", "20")
	typ := "type T struct{ A int }\nfunc (t T) Get() int { return t.A }"
	r.ok(typ)
	r.ok(typ) // re-running the same cell is fine
	_, err := r.fails("type T struct{ B string }")
	if !strings.Contains(err.Value, "type T is already defined in cell[") || !strings.Contains(err.Value, "restart the kernel") {
		t.Fatalf("error = %s", err.Value)
	}
	_, err = r.fails("func (t T) Get() int { return 2 * t.A }")
	if !strings.Contains(err.Value, "method T.Get is already defined") {
		t.Fatalf("error = %s", err.Value)
	}
	r.ok("v := 1")
	r.ok("v := \"now a string\"")
	r.expect("v", `"now a string"`)
	r.ok("counter := 5")
	r.expect("var w = counter\nw", "5")
}

func TestModernGo(t *testing.T) {
	r := newRunner(t)
	r.ok("import (\n\t\"maps\"\n\t\"slices\"\n\t\"strings\"\n)")
	for code, want := range map[string]string{
		"min(3, 1, 2)": "1",
		"max(2.5, 1)":  "2.5",
		"m := map[int]int{1: 1}\nclear(m)\nlen(m)":                                           "0",
		"n := 0\nfor i := range 4 {\n\tn += i\n}\nn":                                         "6",
		"s := []int{3, 1, 2}\nslices.Sort(s)\ns":                                             "[1 2 3]",
		"slices.Sorted(maps.Keys(map[string]int{\"b\": 1, \"a\": 2}))":                       "[a b]",
		"ks := \"\"\nfor k := range maps.Keys(map[string]int{\"q\": 1}) {\n\tks += k\n}\nks": `"q"`,
		"ls := 0\nfor l := range strings.Lines(\"a\\nb\\n\") {\n\tls += len(l)\n}\nls":       "4",
		"slices.Index([]int{5, 6}, 6)":                                                       "1",
	} {
		if got := r.ok(code).result(); got != want {
			t.Errorf("%s: result %q, want %q", code, got, want)
		}
	}
}

func TestErrorsArePositionedAndSurvivable(t *testing.T) {
	r := newRunner(t)
	_, err := r.fails("x := 1\ny := x + undefinedThing\n_ = y")
	if err.Name != "CompileError" || !strings.HasPrefix(err.Value, "cell[1]:2:10: undefined: undefinedThing") {
		t.Fatalf("compile error = %s: %s", err.Name, err.Value)
	}
	if tb := strings.Join(err.Traceback, "\n"); !strings.Contains(tb, "    y := x + undefinedThing\n             ^") {
		t.Fatalf("traceback lacks the line and caret:\n%s", tb)
	}
	_, err = r.fails("func f(a []int) int {\n\tpanic(\"boom\")\n}\nf(nil)")
	if err.Name != "panic" || err.Value != "boom" {
		t.Fatalf("panic error = %s: %s", err.Name, err.Value)
	}
	if tb := strings.Join(err.Traceback, "\n"); !strings.Contains(tb, "cell[2], line 2, in f\n    \tpanic(\"boom\")") {
		t.Fatalf("traceback lacks the frame of f:\n%s", tb)
	}
	_, err = r.fails("import \"os\"\nos.Exit(3)")
	if err.Value != "os.Exit(3) called" {
		t.Fatalf("os.Exit error = %s", err.Value)
	}
	p, err := r.fails("import \"log\"\nlog.Fatal(\"fatal boom\")")
	if !strings.Contains(err.Value, "fatal boom") || !strings.Contains(p.out("stderr"), "fatal boom") {
		t.Fatalf("log.Fatal: %s, stderr %q", err.Value, p.out("stderr"))
	}
	p = r.ok("import \"time\"\ngo func() {\n\tpanic(\"in goroutine\")\n}()\ntime.Sleep(200 * time.Millisecond)")
	if !strings.Contains(p.out("stderr"), "panic in goroutine: in goroutine") {
		t.Fatalf("goroutine panic not reported: stderr %q", p.out("stderr"))
	}
	r.expect("x := 41\nx + 1", "42")
}

func TestOutputCapture(t *testing.T) {
	r := newRunner(t)
	r.ok("import (\n\t\"fmt\"\n\t\"os\"\n\t\"os/exec\"\n\t\"sync\"\n)")
	p := r.ok("fmt.Print(\"a\")\nfmt.Fprintln(os.Stdout, \"b\")\nos.Stdout.Write([]byte(\"c\\n\"))\nfmt.Fprintln(os.Stderr, \"err\")")
	var out strings.Builder
	out.WriteString(p.out("stdout"))
	out.WriteString(r.ok("var wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n\tdefer wg.Done()\n\tfmt.Println(\"from goroutine\")\n}()\nwg.Wait()").out("stdout"))
	out.WriteString(r.ok("cmd := exec.Command(\"echo\", \"child\")\ncmd.Stdout = os.Stdout\ncmd.Run()").out("stdout"))
	if got := out.String(); got != "ab\nc\nfrom goroutine\nchild\n" {
		t.Fatalf("stdout = %q", got)
	}
	if got := p.out("stderr"); got != "err\n" {
		t.Fatalf("stderr = %q", got)
	}
}
func TestStdin(t *testing.T) {
	r := newRunner(t)
	r.n++
	p := newPub()
	p.inputs = []string{"Ann 3", "line two"}
	res := r.s.Execute(language.Cell{Code: "import (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n)\nvar name string\nvar age int\nfmt.Scanln(&name, &age)\nline, _ := bufio.NewReader(os.Stdin).ReadString('\\n')\nfmt.Printf(\"%s/%d/%q\", name, age, line)", ExecutionCount: r.n, AllowStdin: true}, p)
	if res.Err != nil {
		t.Fatal(res.Err.Value)
	}
	if got := p.out("stdout"); got != `Ann/3/"line two\n"` {
		t.Fatalf("stdout = %q", got)
	}
	r.n++
	p = newPub()
	res = r.s.Execute(language.Cell{Code: "_, err := fmt.Scanln(&name)\nerr", ExecutionCount: r.n, AllowStdin: false}, p)
	if res.Err != nil || !strings.Contains(p.result(), "does not allow input") {
		t.Fatalf("without stdin: err %v, result %q", res.Err, p.result())
	}
}
