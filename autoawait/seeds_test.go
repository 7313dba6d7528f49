package autoawait

import (
	_ "embed"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/goawait/goawait/internal/cell"
)

// Go twins of the programs of five asyncio tutorials (the ones the notebooks
// twin: promises, asyncio basics, going async, async programming, the
// notebook primer), each pasted as one cell.
var seedPrograms = []struct{ name, src string }{
	{"000 promise", `import ("fmt"; "time")
async func returnHello() string {
	fmt.Println("executes once")
	await asyncio.Sleep(2 * time.Second)
	return "hello_world"
}
eventLoop := asyncio.NewEventLoop()
asyncio.SetEventLoop(eventLoop)
task := asyncio.EnsureFuture(returnHello())
fmt.Println("runs before anything else")
hello := asyncio.GetEventLoop().RunUntilComplete(task)
fmt.Println(hello)
if hello != "hello_world" {
	panic("assert")
}`},
	{"001 speak later", `import ("fmt"; "time")
async func speak() string {
	fmt.Println("C")
	await asyncio.Sleep(3 * time.Second)
	return "D"
}
async func run() {
	willSpeak := asyncio.EnsureFuture(speak())
	await asyncio.Sleep(time.Second)
	fmt.Println("A")
	fmt.Println("B")
	fmt.Println(await willSpeak)
}
loop := asyncio.GetEventLoop()
loop.RunUntilComplete(run())`},
	{"001 order mucking and enumerate", `import ("fmt"; "time")
async func meow(number int) {
	fmt.Printf("starting %d\n", number)
	await asyncio.Sleep(time.Second)
	fmt.Printf("stopping %d\n", number)
}
async func run() {
	a, b, c, d, e := meow(1), meow(2), meow(3), meow(4), meow(5)
	await c
	await a
	await e
	await b
	await d
	var f []*asyncio.Coroutine
	for x := 1; x < 6; x++ {
		f = append(f, meow(x))
	}
	for x, y := range f {
		if x%2 == 0 {
			await y
		}
	}
	await asyncio.Wait(f)
}
asyncio.GetEventLoop().RunUntilComplete(run())`},
	{"001 gather and promise", `import ("fmt"; "time")
async func meow(number int) int {
	await asyncio.Sleep(time.Second)
	return number
}
async func newFuture(n int) int {
	fmt.Println("future", n)
	await asyncio.Sleep(3 * time.Second)
	fmt.Println("future done", n)
	return n
}
async func run() {
	var f []any
	for x := 1; x < 6; x++ {
		f = append(f, asyncio.EnsureFuture(meow(x)))
	}
	x := await asyncio.Gather(f...)
	fmt.Println(x)
	results := asyncio.EnsureFuture(newFuture(1))
	fmt.Println(results)
	fmt.Println(await results)
	fmt.Println(await results)
	coro := newFuture(2)
	fmt.Println(coro)
	fmt.Println(await coro + 1)
	fmt.Println(await coro)
}
asyncio.GetEventLoop().RunUntilComplete(run())`},
	{"002 fib", `import "fmt"
func fib(n int) int {
	if n == 0 || n == 1 {
		return n
	}
	return fib(n-1) + fib(n-2)
}
async func asyncFib(n int) int {
	if n == 0 || n == 1 {
		return n
	}
	return await asyncFib(n-1) + await asyncFib(n-2)
}
fmt.Println(fib(10))
loop := asyncio.GetEventLoop()
toRun := asyncFib(10)
result := loop.RunUntilComplete(toRun)
fmt.Println(result)`},
	{"003 tasks", `import ("fmt"; "time")
async func fetchData() map[string]int {
	fmt.Println("Start fetching")
	await asyncio.Sleep(2 * time.Second)
	fmt.Println("Done fetching")
	return map[string]int{"data": 1}
}
async func printNumbers() {
	for i := range 10 {
		fmt.Println(i)
		await asyncio.Sleep(250 * time.Millisecond)
	}
}
async func main() {
	task1 := asyncio.CreateTask(fetchData())
	task2 := asyncio.CreateTask(printNumbers())
	value := await task1
	fmt.Println(value["data"])
	await task2
}
fmt.Println(main())
asyncio.Run(main())`},
	{"004 notebook", `import "fmt"
async func foo() {
	fmt.Println("text")
	await asyncio.Sleep(1)
}
async func main() {
	fmt.Println("hello there!")
	task := asyncio.CreateTask(foo())
	await asyncio.Sleep(2)
	fmt.Println("All done!")
	_ = task
}
await main()`},
}

//go:embed testdata/asyncio_plain.go.txt
var plainRuntime string

// checkEmitted type-checks the emitted code of one cell against the runtime
// as cells see it, with its statement runs joined as the session joins
// them, and returns the errors.
func checkEmitted(t *testing.T, c *cell.Cell) []error {
	t.Helper()
	fset := token.NewFileSet()
	rt, err := parser.ParseFile(fset, "asyncio.go", plainRuntime, 0)
	if err != nil {
		t.Fatal(err)
	}
	std := sharedImporter()
	rtPkg, err := (&types.Config{Importer: std}).Check("asyncio", fset, []*ast.File{rt}, nil)
	if err != nil {
		t.Fatalf("plain runtime: %v", err)
	}
	src := printCell(t, c)
	f, err := parser.ParseFile(fset, "cell.go", "package main\n"+src, 0)
	if err != nil {
		t.Fatalf("emitted code: %v\n%s", err, src)
	}
	var first *ast.FuncDecl
	var decls []ast.Decl
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && isStmtsFunc(fd) {
			if first != nil {
				first.Body.List = append(first.Body.List, fd.Body.List...)
				continue
			}
			first = fd
		}
		decls = append(decls, d)
	}
	f.Decls = decls
	var errs []error
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "asyncio" {
				return rtPkg, nil
			}
			return std.Import(path)
		}),
		Error: func(err error) {
			if !strings.Contains(err.Error(), "func main must have no arguments") &&
				!strings.Contains(err.Error(), "declared and not used") {
				errs = append(errs, err)
			}
		},
	}
	conf.Check("main", fset, []*ast.File{f}, nil)
	if len(errs) > 0 {
		t.Logf("emitted code:\n%s", src)
	}
	return errs
}

func TestSeedProgramsRewriteToCodeThatTypeChecks(t *testing.T) {
	for _, p := range seedPrograms {
		t.Run(p.name, func(t *testing.T) {
			c, _ := rewriteCell(t, newTestRewriter(), "cell[1]", p.src)
			for _, err := range checkEmitted(t, c) {
				t.Error(err)
			}
		})
	}
}
