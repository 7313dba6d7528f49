package autoawait

import "testing"

func TestEmittedCodeRunsInYaegi(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"seed002 recursion", `import "fmt"
async func asyncFib(n int) int {
	if n == 0 || n == 1 {
		return n
	}
	return await asyncFib(n-1) + await asyncFib(n-2)
}
fmt.Println(await asyncFib(10))`, "55\n"},
		{"multi results, named, defer", `import ("fmt"; "errors")
async func div(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.New(fmt.Sprint("recovered: ", r))
		}
	}()
	return a / b, nil
}
q, err := await div(7, 2)
fmt.Println(q, err)
q, err = await div(1, 0)
fmt.Println(q, err)`, "3 <nil>\n0 recovered: runtime error: integer divide by zero\n"},
		{"task promise and map result", `import "fmt"
async func fetchData() map[string]int {
	fmt.Println("Start fetching")
	await asyncio.Sleep(0)
	return map[string]int{"data": 1}
}
t := asyncio.CreateTask(fetchData())
v := await t
w := await t
fmt.Println(v["data"]+w["data"], len(v))`, "Start fetching\n2 1\n"},
		{"returns everywhere keep the result types", `import ("fmt"; "errors")
async func half(x int) float64 {
	switch {
	case x < 0:
		return -1
	}
	for i := 0; i < 3; i++ {
		if i == x {
			return 0.5
		}
	}
	f := func() int { return 7 } // a literal's return is its own
	if x == 100 {
		return float64(f())
	}
done:
	return float64(x) / 2
	goto done
}
async func pair(ok bool) (fmt.Stringer, error) {
	if !ok {
		return nil, errors.New("no")
	}
	return nil, nil
}
async func fwd() (fmt.Stringer, error) { return await pair(false) }
async func early(x int) {
	if x > 0 {
		fmt.Println("early")
		return
	}
	fmt.Println("late")
}
fmt.Println(await half(-3), await half(2), await half(100), await half(9))
s, err := await pair(true)
fmt.Println(s == nil, err)
s, err = await fwd()
fmt.Println(s == nil, err)
await early(1)
await early(0)`, "-1 0.5 7 4.5\ntrue <nil>\ntrue no\nearly\nlate\n"},
		{"no results, falls off the end", `import "fmt"
async func speak() {
	fmt.Println("Hey!")
}
async func run() {
	await speak()
}
await run()`, "Hey!\n"},
		{"await in call, binary, composite, condition, range", `import "fmt"
async func n(x int) int { return x }
async func ok() bool { return true }
async func list() []string { return []string{"a", "b"} }
if await ok() {
	fmt.Println(await n(1)+await n(2), []int{await n(3), 4})
}
for i, s := range await list() {
	fmt.Println(i, s)
}`, "3 [3 4]\n0 a\n1 b\n"},
		{"async literal, method, nil error", `import "fmt"
type Counter struct{ n int }
async func (c *Counter) Inc() int { c.n++; return c.n }
async func (c Counter) Get() (int, error) { return c.n, nil }
c := &Counter{}
await c.Inc()
f := async func(x int) error { return nil }
e := await f(1)
g, err := await c.Get()
fmt.Println(e == nil, g, err)`, "true 1 <nil>\n"},
		{"nested await and return forwarding", `import "fmt"
async func inner() string { return "in" }
async func outer() *asyncio.Coroutine { return inner() }
async func pair() (string, int) { return "p", 2 }
async func fwd() (string, int) { return await pair() }
s := await (await outer())
a, b := await fwd()
fmt.Println(s, a, b)`, "in p 2\n"},
		{"gather and wait", `import "fmt"
async func meow(n int) int { await asyncio.Sleep(0); return n }
var f []*asyncio.Task
for x := 1; x < 4; x++ {
	f = append(f, asyncio.CreateTask(meow(x)))
}
x := await asyncio.Gather(f[0], f[1], f[2])
done, pending := await asyncio.Wait(f)
fmt.Println(x, len(done), len(pending))`, "[1 2 3] 3 0\n"},
		{"await in async literal inside plain code", `import "fmt"
async func greet() string { return "hi" }
run := func() *asyncio.Coroutine {
	return async func() string { return await greet() }()
}
fmt.Println(await run())`, "hi\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := runInYaegi(t, tc.src); got != tc.want {
				t.Errorf("printed %q, want %q", got, tc.want)
			}
		})
	}
}
