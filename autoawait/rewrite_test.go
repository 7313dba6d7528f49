package autoawait

import (
	"strings"
	"testing"
)

// Each cell is preceded by `import ("fmt"; "time")`; want is the printed
// cell after its imports.
var rewriteCases = []struct{ name, src, want string }{
	{"async func with several results", `async func fetch(u string) (int, error) {
	await asyncio.Sleep(time.Second)
	return len(u), nil
}`,
		`func fetch(u string) *asyncio.Coroutine {
	return asyncio.NewCoroutine("fetch", "cell[1]:2", func() []any {
		var __goawait_res0 int
		var __goawait_res1 error
		asyncio.Await(asyncio.Sleep(time.Second))
		{
			__goawait_res0 = len(u)
			return []any{__goawait_res0, __goawait_res1}
		}
	})
}`},
	{"async func without results", `async func hello() {
	fmt.Println("hello")
}`,
		`func hello() *asyncio.Coroutine {
	return asyncio.NewCoroutine("hello", "cell[1]:2", func() []any {
		fmt.Println("hello")
		return nil
	})
}`},
	{"async func ending in an await: a tail coroutine", `async func nap(d time.Duration) {
	if d < 0 {
		return
	}
	fmt.Println("nap")
	await asyncio.Sleep(d)
}`,
		`func nap(d time.Duration) *asyncio.Coroutine {
	return asyncio.NewTailCoroutine("nap", "cell[1]:2", "", func() any {
		if d < 0 {
			return nil
		}
		fmt.Println("nap")
		return asyncio.Sleep(d)
	})
}`},
	{"return await of the result's own type: a tail coroutine", `async func two() int { return 2 }
async func one(skip bool) int {
	if skip {
		return 1
	}
	return await two()
}
async func direct() int { return await two() }`,
		`func two() *asyncio.Coroutine {
	return asyncio.NewCoroutine("two", "cell[1]:2", func() []any {
		var __goawait_res0 int
		{
			__goawait_res0 = 2
			return []any{__goawait_res0}
		}
	})
}
func one(skip bool) *asyncio.Coroutine {
	return asyncio.NewTailReturnCoroutine("one", "cell[1]:3", "", func() any {
		var __goawait_res0 int
		if skip {
			{
				__goawait_res0 = 1
				return []any{__goawait_res0}
			}
		}
		return two()
	})
}
func direct() *asyncio.Coroutine {
	return asyncio.NewTailReturnCoroutine("direct", "cell[1]:9", "", func() any { return two() })
}`},
	{"not tail coroutines: another result type, a defer, a non-pointer, an await not last", `async func one() any { return await two() }
async func two() int { return 2 }
async func deferring() {
	defer fmt.Println("after")
	await asyncio.Sleep(1)
}
async func iface(f asyncio.FutureLike) { await f }
async func notLast() {
	await asyncio.Sleep(1)
	fmt.Println("done")
}`,
		`func one() *asyncio.Coroutine {
	return asyncio.NewCoroutine("one", "cell[1]:2", func() []any {
		var __goawait_res0 any
		{
			__goawait_res0 = asyncio.Await(two())[0].(int)
			return []any{__goawait_res0}
		}
	})
}
func two() *asyncio.Coroutine {
	return asyncio.NewCoroutine("two", "cell[1]:3", func() []any {
		var __goawait_res0 int
		{
			__goawait_res0 = 2
			return []any{__goawait_res0}
		}
	})
}
func deferring() *asyncio.Coroutine {
	return asyncio.NewCoroutine("deferring", "cell[1]:4", func() []any {
		defer fmt.Println("after")
		asyncio.Await(asyncio.Sleep(1))
		return nil
	})
}
func iface(f asyncio.FutureLike) *asyncio.Coroutine {
	return asyncio.NewCoroutine("iface", "cell[1]:8", func() []any { asyncio.Await(f); return nil })
}
func notLast() *asyncio.Coroutine {
	return asyncio.NewCoroutine("notLast", "cell[1]:9", func() []any {
		asyncio.Await(asyncio.Sleep(1))
		fmt.Println("done")
		return nil
	})
}`},
	{"named results and defer", `async func div(a, b int) (q int, err error) {
	defer func() { err = nil }()
	return a / b, nil
}`,
		`func div(a, b int) *asyncio.Coroutine {
	return asyncio.NewCoroutine("div", "cell[1]:2", func() []any {
		__goawait_res0, __goawait_res1 := func() (q int, err error) {
			defer func() { err = nil }()
			return a / b, nil
		}()
		return []any{__goawait_res0, __goawait_res1}
	})
}`},
	{"async methods", `type T struct{ n int }
async func (t *T) Inc() int { t.n++; return t.n }
async func (t T) Get() int { return t.n }`,
		`type T struct{ n int }

func (t *T) Inc() *asyncio.Coroutine {
	return asyncio.NewCoroutine("(*T).Inc", "cell[1]:3", func() []any {
		var __goawait_res0 int
		t.n++
		{
			__goawait_res0 = t.n
			return []any{__goawait_res0}
		}
	})
}
func (t T) Get() *asyncio.Coroutine {
	return asyncio.NewCoroutine("T.Get", "cell[1]:4", func() []any {
		var __goawait_res0 int
		{
			__goawait_res0 = t.n
			return []any{__goawait_res0}
		}
	})
}`},
	{"async func literals", `f := async func(x int) string { return fmt.Sprint(x) }
g := async func() {}`,
		`func __goawait_stmts0() {
	f := func(x int) *asyncio.Coroutine {
		return asyncio.NewCoroutine("func1", "cell[1]:2", func() []any {
			var __goawait_res0 string
			{
				__goawait_res0 = fmt.Sprint(x)
				return []any{__goawait_res0}
			}
		})
	}
	g := func() *asyncio.Coroutine {
		return asyncio.NewCoroutine("func2", "cell[1]:3", func() []any { return nil })
	}
}`},
	{"await as statement, define, assign, call, binary, composite", `async func one() int { return 1 }
await one()
v := await one()
v = await one()
fmt.Println(await one(), await one()+2, []int{await one()})`,
		`func one() *asyncio.Coroutine {
	return asyncio.NewCoroutine("one", "cell[1]:2", func() []any {
		var __goawait_res0 int
		{
			__goawait_res0 = 1
			return []any{__goawait_res0}
		}
	})
}
func __goawait_stmts0() {
	asyncio.Await(one())
	v := asyncio.Await(one())[0].(int)
	v = asyncio.Await(one())[0].(int)
	fmt.Println(asyncio.Await(one())[0].(int), asyncio.Await(one())[0].(int)+2, []int{asyncio.Await(one())[0].(int)})
}`},
	{"multi-value define, assign, var, return forwarding", `async func two() (int, error) { return 2, nil }
n, err := await two()
n, err = await two()
var a, b = await two()
async func fwd() (int, error) { return await two() }`,
		`func two() *asyncio.Coroutine {
	return asyncio.NewCoroutine("two", "cell[1]:2", func() []any {
		var __goawait_res0 int
		var __goawait_res1 error
		{
			__goawait_res0 = 2
			return []any{__goawait_res0, __goawait_res1}
		}
	})
}
func __goawait_stmts0() {
	n, err := func() (int, error) {
		__goawait_r := asyncio.Await(two())
		var __goawait_v1 error
		if __goawait_r[1] != nil {
			__goawait_v1 = __goawait_r[1].(error)
		}
		return __goawait_r[0].(int), __goawait_v1
	}()
	n, err = func() (int, error) {
		__goawait_r := asyncio.Await(two())
		var __goawait_v1 error
		if __goawait_r[1] != nil {
			__goawait_v1 = __goawait_r[1].(error)
		}
		return __goawait_r[0].(int), __goawait_v1
	}()
}

var a, b = func() (int, error) {
	__goawait_r := asyncio.Await(two())
	var __goawait_v1 error
	if __goawait_r[1] != nil {
		__goawait_v1 = __goawait_r[1].(error)
	}
	return __goawait_r[0].(int), __goawait_v1
}()

func fwd() *asyncio.Coroutine {
	return asyncio.NewCoroutine("fwd", "cell[1]:6", func() []any {
		var __goawait_res0 int
		var __goawait_res1 error
		{
			__goawait_res0, __goawait_res1 = func() (int, error) {
				__goawait_r := asyncio.Await(two())
				var __goawait_v1 error
				if __goawait_r[1] != nil {
					__goawait_v1 = __goawait_r[1].(error)
				}
				return __goawait_r[0].(int), __goawait_v1
			}()
			return []any{__goawait_res0, __goawait_res1}
		}
	})
}`},
	{"await in conditions and range", `async func ok() bool { return true }
async func list() []string { return nil }
if await ok() {
	for _, s := range await list() {
		fmt.Println(s)
	}
}`,
		`func ok() *asyncio.Coroutine {
	return asyncio.NewCoroutine("ok", "cell[1]:2", func() []any {
		var __goawait_res0 bool
		{
			__goawait_res0 = true
			return []any{__goawait_res0}
		}
	})
}
func list() *asyncio.Coroutine {
	return asyncio.NewCoroutine("list", "cell[1]:3", func() []any {
		var __goawait_res0 []string
		{
			return []any{__goawait_res0}
		}
	})
}
func __goawait_stmts0() {
	if asyncio.Await(ok())[0].(bool) {
		for _, s := range asyncio.Await(list())[0].([]string) {
			fmt.Println(s)
		}
	}
}`},
	{"nested await", `async func inner() int { return 1 }
async func outer() *asyncio.Coroutine { return inner() }
x := await (await outer())`,
		`func inner() *asyncio.Coroutine {
	return asyncio.NewCoroutine("inner", "cell[1]:2", func() []any {
		var __goawait_res0 int
		{
			__goawait_res0 = 1
			return []any{__goawait_res0}
		}
	})
}
func outer() *asyncio.Coroutine {
	return asyncio.NewCoroutine("outer", "cell[1]:3", func() []any {
		var __goawait_res0 *asyncio.Coroutine
		{
			__goawait_res0 = inner()
			return []any{__goawait_res0}
		}
	})
}
func __goawait_stmts0() {
	x := asyncio.Await((asyncio.Await(outer())[0].(*asyncio.Coroutine)))[0]
}`},
	{"interface results tolerate nil", `async func e() error { return nil }
async func s() fmt.Stringer { return nil }
async func a() any { return nil }
err := await e()
st := await s()
v := await a()`,
		`func e() *asyncio.Coroutine {
	return asyncio.NewCoroutine("e", "cell[1]:2", func() []any {
		var __goawait_res0 error
		{
			return []any{__goawait_res0}
		}
	})
}
func s() *asyncio.Coroutine {
	return asyncio.NewCoroutine("s", "cell[1]:3", func() []any {
		var __goawait_res0 fmt.Stringer
		{
			return []any{__goawait_res0}
		}
	})
}
func a() *asyncio.Coroutine {
	return asyncio.NewCoroutine("a", "cell[1]:4", func() []any {
		var __goawait_res0 any
		{
			return []any{__goawait_res0}
		}
	})
}
func __goawait_stmts0() {
	err := func() error {
		var __goawait_v error
		if __goawait_r := asyncio.Await(e())[0]; __goawait_r != nil {
			__goawait_v = __goawait_r.(error)
		}
		return __goawait_v
	}()
	st := func() fmt.Stringer {
		var __goawait_v fmt.Stringer
		if __goawait_r := asyncio.Await(s())[0]; __goawait_r != nil {
			__goawait_v = __goawait_r.(fmt.Stringer)
		}
		return __goawait_v
	}()
	v := asyncio.Await(a())[0]
}`},
	{"unknown operand types fall back to any", `var c any
x := await c
y, z := await c`,
		`var c any

func __goawait_stmts0() {
	x := asyncio.Await(c)[0]
	y, z := func() (any, any) { __goawait_r := asyncio.Await(c); return __goawait_r[0], __goawait_r[1] }()
}`},
	{"tasks and library awaitables", `async func data() map[string]int { return nil }
t := asyncio.CreateTask(data())
v := await t
r := await asyncio.Gather(t, t)
done, pending := await asyncio.Wait([]*asyncio.Task{t})`,
		`func data() *asyncio.Coroutine {
	return asyncio.NewCoroutine("data", "cell[1]:2", func() []any {
		var __goawait_res0 map[string]int
		{
			return []any{__goawait_res0}
		}
	})
}
func __goawait_stmts0() {
	t := asyncio.CreateTask(data())
	v := asyncio.Await(t)[0].(map[string]int)
	r := asyncio.Await(asyncio.Gather(t, t))[0].([]any)
	done, pending := func() ([]asyncio.FutureLike, []asyncio.FutureLike) {
		__goawait_r := asyncio.Await(asyncio.Wait([]*asyncio.Task{t}))
		return __goawait_r[0].([]asyncio.FutureLike), __goawait_r[1].([]asyncio.FutureLike)
	}()
}`},
}

func TestRewritePrintsPlainGo(t *testing.T) {
	for _, tc := range rewriteCases {
		t.Run(tc.name, func(t *testing.T) {
			c, out := rewriteCell(t, newTestRewriter(), "cell[1]", "import (\"fmt\"; \"time\")\n"+tc.src)
			if got := body(out); got != tc.want {
				t.Errorf("cell:\n%s\ngot:\n%s\nwant:\n%s", tc.src, got, tc.want)
			}
			for _, err := range checkEmitted(t, c) {
				if !strings.Contains(err.Error(), "imported and not used") {
					t.Errorf("emitted code does not type-check: %v", err)
				}
			}
		})
	}
}
