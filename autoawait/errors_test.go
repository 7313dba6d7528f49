package autoawait

import (
	"go/scanner"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

func TestAwaitOutsideAsyncIsAnErrorAtTheUsersPosition(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"plain func", "import \"fmt\"\nasync func f() int { return 1 }\nfunc g() {\n\tfmt.Println(await f())\n}",
			"cell[4]:4:14: " + errAwaitPlace},
		{"plain literal in a cell", "async func f() int { return 1 }\nx := 1\ngo func() {\n  await f()\n}()",
			"cell[4]:4:3: " + errAwaitPlace},
		{"plain literal in an async func", "async func f() int { return 1 }\nasync func g() {\n\th := func() int { return await f() }\n\t_ = h\n}",
			"cell[4]:3:27: " + errAwaitPlace},
		{"method", "type T struct{}\nasync func f() {}\nfunc (T) M() { await f() }",
			"cell[4]:3:16: " + errAwaitPlace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cell.Parse("cell[4]", tc.src)
			if err != nil {
				t.Fatal(err)
			}
			err = newTestRewriter().Rewrite(c)
			if err == nil {
				t.Fatal("no error")
			}
			if _, ok := err.(scanner.ErrorList); !ok {
				t.Errorf("error is %T, want scanner.ErrorList", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error = %q\nwant    %q", err, tc.want)
			}
		})
	}
}

func TestEveryMisplacedAwaitIsReported(t *testing.T) {
	c, err := cell.Parse("cell[2]", "async func f() {}\nfunc a() { await f() }\nfunc b() { await f() }")
	if err != nil {
		t.Fatal(err)
	}
	err = newTestRewriter().Rewrite(c)
	list, ok := err.(scanner.ErrorList)
	if !ok || len(list) != 2 {
		t.Fatalf("error = %v, want 2 errors", err)
	}
	if p := list[1].Pos; p.Filename != "cell[2]" || p.Line != 3 || p.Column != 12 {
		t.Errorf("second error at %v, want cell[2]:3:12", p)
	}
}

func TestAwaitOfNoValueUsedAsValue(t *testing.T) {
	c, err := cell.Parse("cell[5]", "async func f() {}\nx := await f()")
	if err != nil {
		t.Fatal(err)
	}
	err = newTestRewriter().Rewrite(c)
	if want := "cell[5]:2:6: await f() (no value) used as value"; err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %s", err, want)
	}
}

func TestAwaitIsAllowedAtTopLevelAndInAsyncBodies(t *testing.T) {
	src := "async func f() int { return 1 }\nvar v = await f()\nasync func g() int {\n\th := async func() int { return await f() }\n\treturn await h()\n}\nfmt.Println(await g())"
	c, err := cell.Parse("cell[1]", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := newTestRewriter().Rewrite(c); err != nil {
		t.Fatal(err)
	}
}

func TestWrongReturnCountsOfAsyncFuncsAreErrorsAtTheReturn(t *testing.T) {
	tests := []struct{ src, want string }{
		{"async func f() int {\n\treturn\n}", "cell[4]:2:2: not enough return values: want (int)"},
		{"async func f() (int, error) {\n\treturn 1\n}", "cell[4]:2:2: not enough return values: want (int, error)"},
		{"async func f() int {\n\treturn 1, 2\n}", "cell[4]:2:2: too many return values: want (int)"},
		{"async func f() {\n\treturn 1\n}", "cell[4]:2:2: too many return values: want ()"},
		{"f := async func() (a, b int) {\n\treturn 1\n}", "cell[4]:2:2: not enough return values: want (int, int)"},
	}
	for _, tc := range tests {
		c, err := cell.Parse("cell[4]", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		err = newTestRewriter().Rewrite(c)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: error = %v\nwant %q", tc.src, err, tc.want)
		}
	}
	// What may give several values, and returns that are not f's own.
	for _, src := range []string{
		"async func two() (int, error) { return 2, nil }\nasync func f() (int, error) { return await two() }",
		"import \"strconv\"\nasync func f() (int, error) { return strconv.Atoi(\"1\") }",
		"async func f() (n int, err error) { n = 1; return }",
		"async func f() int { g := func() { return }; g(); return 1 }",
	} {
		c, err := cell.Parse("cell[4]", src)
		if err != nil {
			t.Fatal(err)
		}
		if err := newTestRewriter().Rewrite(c); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// An await that gives another number of values than its context wants is
// reported as Go reports the same mistake with a call, when the awaited
// type is known; it used to fail at run time with "reflect: slice index
// out of range".
func TestAwaitArityMismatch(t *testing.T) {
	r := newTestRewriter()
	rewriteCell(t, r, "cell[1]", "async func one() int { return 1 }\nasync func two() (int, error) { return 2, nil }\nasync func none() {}")
	for _, tc := range []struct{ src, want string }{
		{"a, b := await one()", "cell[2]:1:9: assignment mismatch: 2 variables but await one() returns 1 value"},
		{"a, b, c := await two()", "cell[2]:1:12: assignment mismatch: 3 variables but await two() returns 2 values"},
		{"var a, b = await asyncio.Gather(one())", "cell[2]:1:12: assignment mismatch: 2 variables but await asyncio.Gather(one()) returns 1 value"},
		{"a, b := await none()", "cell[2]:1:9: await none() (no value) used as value"},
		{"async func r() (int, error) { return await one() }", "cell[2]:1:38: not enough return values: await one() returns 1 value, want 2"},
		{"async func r() (int, error, bool) { return await two() }", "cell[2]:1:44: not enough return values: await two() returns 2 values, want 3"},
	} {
		c, err := cell.Parse("cell[2]", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		err = r.Rewrite(c)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v\nwant %s", tc.src, err, tc.want)
		}
	}
	for _, ok := range []string{"a, b := await two()", "t := asyncio.CreateTask(two())\na, b := await t", "async func f() (int, error) { return await two() }"} {
		if _, err := cell.Parse("cell[3]", ok); err != nil {
			t.Fatal(err)
		}
		rewriteCell(t, r, "cell[3]", ok)
	}
}

// Gather(xs...) with a slice other than []any is Go's compile error at the
// user's line; yaegi let it through to a run-time "reflect: CallSlice"
// panic (issue 13). A []any spreads as before.
func TestSpreadOfAnotherSliceIntoAnyIsAnError(t *testing.T) {
	r := newTestRewriter()
	rewriteCell(t, r, "cell[1]", "async func one(i int) int { return i }")
	for _, tc := range []struct{ src, want string }{
		{"xs := []*asyncio.Coroutine{one(1), one(2)}\nys := await asyncio.Gather(xs...)",
			"cell[2]:2:28: cannot use xs (value of type []*asyncio.Coroutine) as []any value in argument to asyncio.Gather"},
		{"ts := []*asyncio.Task{asyncio.CreateTask(one(1))}\nawait asyncio.GatherReturnExceptions(ts...)",
			"cell[2]:2:38: cannot use ts (value of type []*asyncio.Task) as []any value in argument to asyncio.GatherReturnExceptions"},
	} {
		c, err := cell.Parse("cell[2]", tc.src)
		if err != nil {
			t.Fatal(err)
		}
		err = r.Rewrite(c)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want+":") {
			t.Errorf("%q: error %v\nwant %s: ...", tc.src, err, tc.want)
		}
	}
	rewriteCell(t, r, "cell[3]", "xs := []any{one(1), one(2)}\nys := await asyncio.Gather(xs...)")
}
