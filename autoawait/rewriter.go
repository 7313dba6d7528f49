package autoawait

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/goawait/goawait/internal/cell"
)

// Options configure a Rewriter.
type Options struct {
	// Importer resolves the packages that cells import, for type
	// inference. Nil means a new Importer of this Rewriter's own; an
	// *Importer may be shared by several Rewriters.
	Importer types.Importer
	// Sites makes the emitted code record the user's lines: each await
	// where it waits, as asyncio.AwaitAt(x, "cell[N]:L"), for tasks'
	// String(); each call that makes a coroutine without awaiting it where
	// it made it, as asyncio.CreatedAt(call, "cell[N]:L"), for the report
	// of a coroutine never awaited. A cell without async or await that
	// calls an async function of an earlier cell is then type-checked to
	// find those calls.
	Sites bool
}

// Rewriter rewrites the cells of one session. It remembers what earlier
// cells declared, to know the types of later awaits. It is not safe for
// concurrent use.
type Rewriter struct {
	opts Options
	imp  types.Importer
	mem  *memory
}

// NewRewriter returns a Rewriter for a new session. When the importer is
// an *Importer (its own, or one given in opts), it starts warming it
// (Importer.Warm), so that the session's first async cell does not wait
// for the model's type check.
func NewRewriter(opts Options) *Rewriter {
	imp := opts.Importer
	if imp == nil {
		imp = NewImporter()
	}
	if im, ok := imp.(*Importer); ok {
		im.Warm()
	}
	return &Rewriter{opts: opts, imp: imp, mem: newMemory()}
}

// Rewrite turns the async dialect of c into plain Go, in place: c.File and
// the declarations and bodies of c.Items (their Text is left as the user
// wrote it). A cell that uses the runtime gets `import "asyncio"` as a
// first Imports item when it does not import it itself. A cell without
// async or await is only remembered (and given the import if it names
// asyncio), unless it uses the value of a Run or, with Options.Sites, calls
// an async function of an earlier cell. Errors are a scanner.ErrorList with
// the user's positions.
func (r *Rewriter) Rewrite(c *cell.Cell) error {
	if len(c.Awaits) == 0 && len(c.Async) == 0 &&
		!(strings.Contains(c.Src, libRun) && hasRunValue(c.File)) &&
		!(r.opts.Sites && r.mem.callsMaker(c.File)) {
		(&learner{m: r.mem, fset: c.Fset}).learnFile(c.File)
		if strings.Contains(c.Src, StubPath) && usesAsyncio(c) {
			addAsyncioImport(c)
		}
		return nil
	}
	s := scanCell(c)
	if len(s.errs) > 0 {
		return s.errs
	}
	standIns(c, s)
	var swaps []*modelSwap
	for _, f := range s.funcs {
		swaps = append(swaps, swapToModel(f))
	}
	chk := r.check(c)
	(&learner{m: r.mem, fset: c.Fset, info: chk.info}).learnFile(c.File)
	for _, sw := range swaps {
		sw.restore()
	}
	l := &lowerer{c: c, chk: chk, sites: r.opts.Sites}
	var made map[*ast.CallExpr]bool
	if r.opts.Sites {
		made = l.creations(s)
	}
	l.lowerAwaits(s)
	l.lowerRuns(s.runs)
	if len(l.errs) > 0 {
		return l.errs
	}
	l.markCreated(made)
	for _, f := range s.funcs {
		l.lowerFunc(f)
	}
	if len(s.awaits) > 0 || len(s.funcs) > 0 || len(made) > 0 || usesAsyncio(c) {
		addAsyncioImport(c)
	}
	return nil
}
