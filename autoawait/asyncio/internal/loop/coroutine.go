package asyncio

import "fmt"

type coroState uint8

const (
	coroCreated coroState = iota
	coroRunning
	coroDone
)

// Coroutine is what calling an async func returns: a body that runs only
// when awaited (inline, on the awaiting task) or wrapped in a task.
type Coroutine struct {
	name, site string
	body       func() []any
	tail       func() any // set instead of body by NewTailCoroutine
	tailAt     string     // where the tail await is ("cell[N]:L")
	tailResult bool       // its result is the tail await's (NewTailReturnCoroutine)
	state      coroState
	scheduled  bool   // wrapped in a task
	quiet      bool   // never reported as unawaited
	at         string // where it is suspended, if known (AwaitAt)
	created    string // where it was made, if known (CreatedAt)
}

// NewCoroutine makes the coroutine object of an async func: name as
// written ("fetchData", "(*T).Method", "func1"), site "cell[N]:L" of the
// declaration. Nothing runs until it is awaited or wrapped in a task.
func (rt *Runtime) NewCoroutine(name, site string, body func() []any) *Coroutine {
	c := &Coroutine{name: name, site: site, body: body}
	if t := rt.current; t != nil && t.cell != nil {
		t.cell.created = append(t.cell.created, c)
	}
	return c
}

// NewTailCoroutine makes the coroutine of an async func without results
// whose last statement is an await and that defers nothing: body runs the
// statements before that await and returns what it awaits, or nil when it
// returned early; at is the await's "cell[N]:L". Awaited inline, it is
// the same as the original body. Run as a task, the task gives up its
// goroutine while it waits on what body returned and ends, on the loop,
// when that does: a parked task then costs no stack. The rewriter makes
// these; the awaited value must have a pointer type (a nil interface
// would read as an early return).
func (rt *Runtime) NewTailCoroutine(name, site, at string, body func() any) *Coroutine {
	c := &Coroutine{name: name, site: site, tail: body, tailAt: at}
	if t := rt.current; t != nil && t.cell != nil {
		t.cell.created = append(t.cell.created, c)
	}
	return c
}

// NewTailReturnCoroutine is NewTailCoroutine for an async func with one
// result whose last statement is "return await x", x's value of the
// result's type: body returns what it awaits, or []any{v} when it returned
// v earlier, and the coroutine's result is the awaited one's.
func (rt *Runtime) NewTailReturnCoroutine(name, site, at string, body func() any) *Coroutine {
	c := rt.NewTailCoroutine(name, site, at, body)
	c.tailResult = true
	return c
}

// CreatedAt records site ("cell[N]:L") as where c was made, the call of
// an async func that returned it, and returns c. The rewriter wraps such
// calls with it, so that a coroutine never awaited is reported at the line
// that made it rather than where its function was declared. The first site
// recorded stays: a coroutine passed on through other calls keeps the one
// of the call that made it. A nil c is returned as is.
func (rt *Runtime) CreatedAt(c *Coroutine, site string) *Coroutine {
	if c != nil && c.created == "" {
		c.created = site
	}
	return c
}

// newLibCoroutine makes a coroutine of the library itself.
func (rt *Runtime) newLibCoroutine(name string, body func() []any) *Coroutine {
	return rt.NewCoroutine(name, "", body)
}

// Name returns the function name the coroutine was made from.
func (c *Coroutine) Name() string { return c.name }

// Site returns the "cell[N]:L" where its function was declared.
func (c *Coroutine) Site() string { return c.site }

// String returns "<coroutine object NAME at SITE>".
func (c *Coroutine) String() string {
	site := c.site
	if site == "" {
		site = "asyncio"
	}
	return fmt.Sprintf("<coroutine object %s at %s>", c.name, site)
}

// run executes the body inline on task t.
func (c *Coroutine) run(t *Task) []any {
	c.begin()
	parent := t.top
	t.top = c
	defer func() {
		c.end()
		t.top = parent
	}()
	if c.tail != nil {
		x := c.runPrefix(t)
		if rs, ok := x.([]any); ok {
			return rs // an earlier return's value
		}
		if x == nil {
			return nil
		}
		rs := t.awaitTail(x, c, nil)
		if !c.tailResult {
			return nil
		}
		return rs
	}
	return c.body()
}

// begin marks c running; a coroutine runs once.
func (c *Coroutine) begin() {
	if c.state != coroCreated {
		panic(&RuntimeError{Msg: "cannot reuse already awaited coroutine"})
	}
	c.state = coroRunning
}

// end marks c done and drops its body, and with it the interpreter's
// frames it holds, even while the coroutine object stays reachable (a
// slice of coroutines kept by a cell).
func (c *Coroutine) end() {
	c.state = coroDone
	c.body, c.tail = nil, nil
}

// runPrefix runs the statements of a tail coroutine before its last await
// and returns what that await waits on (nil: the body returned early).
// The task then shows as suspended at the tail await.
func (c *Coroutine) runPrefix(t *Task) any {
	x := c.tail()
	if x != nil && t.top == c {
		c.at = c.tailAt
	}
	return x
}

// unawaited reports whether the coroutine was neither awaited nor
// scheduled.
func (c *Coroutine) unawaited() bool {
	return c.state == coroCreated && !c.scheduled && !c.quiet
}

// neverAwaitedText is the report of a coroutine never awaited: it names
// the line that made it when CreatedAt recorded one, else the line that
// declared its function, else nothing (a library coroutine).
func (c *Coroutine) neverAwaitedText() string {
	switch {
	case c.created != "":
		return fmt.Sprintf("coroutine '%s' was never awaited (created at %s)", c.name, c.created)
	case c.site != "":
		return fmt.Sprintf("coroutine '%s' was never awaited (defined at %s)", c.name, c.site)
	}
	return fmt.Sprintf("coroutine '%s' was never awaited", c.name)
}
