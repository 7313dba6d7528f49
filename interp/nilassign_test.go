package interp

import "testing"

func TestParallelAssignmentOfNil(t *testing.T) {
	r := newRunner(t)
	r.ok("import \"fmt\"\nvar naps, res []any\nnaps, res = []any{1}, []any{2}")
	for code, want := range map[string]string{
		"naps, res = nil, nil\nfmt.Println(naps == nil, res == nil)":                                                   "true true\n",
		"func() { var e, f error = fmt.Errorf(\"x\"), nil; e, f = nil, nil; fmt.Println(e, f) }()":                     "<nil> <nil>\n",
		"func() { a, b := []int{1}, []int{2}; a, b = b, nil; fmt.Println(a, b == nil) }()":                             "[2] true\n",
		"func() { var p *int; var m map[string]int; q := 1; p, m, q = nil, nil, 2; fmt.Println(p, m, q) }()":           "<nil> map[] 2\n",
		"func() {\n\tswitch {\n\tdefault:\n\t\tvar a, b []int\n\t\ta, b = nil, (nil)\n\t\tfmt.Println(a, b)\n\t}\n}()": "[] []\n",
	} {
		if got := r.ok(code).out("stdout"); got != want {
			t.Errorf("%q: stdout %q, want %q", code, got, want)
		}
	}
}
