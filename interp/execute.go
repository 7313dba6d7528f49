package interp

import (
	"fmt"
	"go/parser"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/internal/goid"
	"github.com/goawait/goawait/interp/internal/lookup"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/plan"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/interp/internal/yaegix"
	"github.com/goawait/goawait/language"
)

// start compiles the prelude once, before the first cell (after the
// event loop had its chance to Use its symbols).
func (s *Session) start() error {
	if s.started {
		return nil
	}
	if err := s.in.Eval(lower.Prelude); err != nil {
		return fmt.Errorf("compile goawait prelude: %w", err)
	}
	s.state.Imports[reserved.Runtime] = reserved.RuntimePath
	s.started = true
	return nil
}

// Execute runs one cell (language.Interpreter).
func (s *Session) Execute(kc language.Cell, out language.Publisher) language.ExecuteResult {
	s.SetOutput(out)
	s.route.Set(out)
	s.stdin.setAllow(kc.AllowStdin)
	if err := s.start(); err != nil {
		return language.ExecuteResult{Err: &language.ExecError{Name: "InternalError", Value: err.Error(), Traceback: []string{err.Error()}}}
	}
	// From here an interrupt is this cell's, also one that arrives while
	// it is parsed, rewritten or compiled (runChunks and each chunk's
	// Publish check it before any statement runs).
	s.run.begin()
	defer s.run.end()
	name := fmt.Sprintf("cell[%d]", kc.ExecutionCount)
	s.sources[name] = kc.Code
	res := language.ExecuteResult{}
	code, helpName, detail := lookup.SplitHelp(kc.Code)
	if strings.TrimSpace(code) != "" {
		if execErr := s.magics.Run(magicHost{s}, name, code, out, &res); execErr != nil {
			res.Err = execErr
			return res
		}
	}
	if helpName != "" {
		res.Payload = lookup.Help(symbolView{s}, &s.docs, helpName, detail, out)
		return res
	}
	if text, ok := s.takeResult(); ok && !kc.Silent {
		out.Display(language.Display{Data: s.rich.Take(text), Metadata: map[string]any{}, Result: true})
	}
	if len(kc.UserExpressions) > 0 {
		res.UserExpressions = s.userExpressions(kc.UserExpressions)
	}
	return res
}

// execute parses, transforms and runs a cell's code; the returned error
// is what the user sees.
func (s *Session) execute(name, code string) *language.ExecError {
	c, err := cell.Parse(name, code)
	if err != nil {
		return s.compileError(err)
	}
	if err := s.lines.Place(c); err != nil {
		return s.compileError(err)
	}
	auto := plan.AutoImport(c, s.state, symbolView{s})
	if e := s.loadModules(c); e != nil {
		return e
	}
	if s.opt.Rewrite != nil {
		if err := s.opt.Rewrite(c); err != nil {
			return s.compileError(err)
		}
	}
	if err := lower.Embed(c.File, c.Fset); err != nil {
		return s.compileError(err)
	}
	lower.Transform(c.File, s.state.Names(c))
	chunks, err := plan.Plan(c, s.state, symbolView{s})
	if err != nil {
		return s.compileError(err)
	}
	s.takeResult()
	if name != userExprCell {
		s.announceImports(auto)
	}
	defer s.in.Release()
	return s.runChunks(chunks)
}

// announceImports tells the user which packages a cell imported
// automatically, once, on stderr.
func (s *Session) announceImports(paths []string) {
	if len(paths) == 0 {
		return
	}
	q := make([]string, len(paths))
	for i, p := range paths {
		q[i] = strconv.Quote(p)
	}
	if p := s.route.Get(); p != nil {
		p.Stream("stderr", fmt.Sprintf("(auto-imported %s)\n", strings.Join(q, ", ")))
	}
}

// userExprCell is the cell name of user_expressions, which announce
// nothing.
const userExprCell = "user_expressions"

// runChunks runs the chunks on a goroutine of their own (through the Run
// hook) and waits for them, or for an interrupt and its grace period.
func (s *Session) runChunks(chunks []plan.Chunk) *language.ExecError {
	if len(chunks) == 0 {
		return nil
	}
	if s.run.interrupted.Load() {
		return interruptedError("")
	}
	s.takePanicLines()
	owner := s.route.Get()
	done := make(chan *language.ExecError, 1)
	s.onRunner(func(self uintptr) {
		var execErr *language.ExecError
		fn := func() {
			s.run.self.Store(self)
			// An abandoned cell that ends later must not forget the running one.
			defer s.run.self.CompareAndSwap(self, 0)
			execErr = s.evalChunks(chunks, self)
		}
		var runErr error
		if s.opt.Run != nil {
			runErr = s.opt.Run(owner, self, fn)
		} else {
			fn()
		}
		if execErr == nil && runErr != nil {
			execErr = s.runtimeError(runErr)
		}
		s.flushOutput()
		done <- execErr
	})
	select {
	case e := <-done:
		return e
	case code := <-s.run.exitChan():
		s.abandon()
		return exitError(code)
	case <-s.run.interruptChan():
	}
	t := time.NewTimer(gracePeriod)
	defer t.Stop()
	nudge := time.NewTimer(stuckAfter)
	defer nudge.Stop()
	select {
	case e := <-done:
		return e
	case <-nudge.C:
		s.run.markStuck()
	}
	for {
		select {
		case e := <-done:
			if e == nil && s.run.stoppedTask.Load() {
				// The interrupt hit the task that held the event loop; the
				// cell then went on, but the user asked it to stop.
				e = interruptedError("a background task held the event loop (it never awaited): it was stopped")
			}
			return e
		case <-t.C:
		}
		// A cell still compiling stops at its chunk's publish once the
		// compile ends: wait for it rather than abandon it mid-compile.
		if !s.run.compiling.Load() {
			break
		}
		t.Reset(gracePeriod)
	}
	s.abandon()
	return interruptedError("the cell did not stop within " + gracePeriod.String() + " (blocked in a channel operation, lock or I/O, or running compiled code, which no checkpoint reaches); its goroutine was abandoned and may still be running")
}

// abandon leaves the running cell's goroutine parked for good: the next
// cell runs on a new one.
func (s *Session) abandon() {
	s.run.acquire()
	s.dropRunner()
	if s.opt.OnAbandon != nil {
		s.opt.OnAbandon()
	}
	s.flushOutput()
}

// cellRunner is the goroutine cells run on, one after the other. Its
// stack has grown to hold the interpreter's frames, which a fresh
// goroutine per cell would copy again each time, and its goid.Self token
// is read once (it costs microseconds where goid.Fast is false). A cell abandoned after an interrupt
// keeps its runner parked; the next cell gets a new one.
type cellRunner struct {
	jobs chan func(self uintptr)
	dead atomic.Bool // the goroutine ended (runtime.Goexit in a cell)
}

// onRunner runs job on the cell runner, starting one if there is none.
// The send never blocks (the previous cell's job was taken: it finished,
// or its runner was dropped) and happens under s.mu, so that it cannot
// meet stopRunner's close.
func (s *Session) onRunner(job func(self uintptr)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.runner
	if r == nil || r.dead.Load() {
		r = &cellRunner{jobs: make(chan func(uintptr), 1)}
		go r.loop()
		s.runner = r
	}
	r.jobs <- job
}

func (r *cellRunner) loop() {
	defer r.dead.Store(true)
	self := goid.Self()
	for job := range r.jobs {
		job(self)
	}
}

// stopRunner ends the cell runner (at shutdown).
func (s *Session) stopRunner() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.runner != nil {
		close(s.runner.jobs)
		s.runner = nil
	}
}

// dropRunner forgets the runner of an abandoned cell: it stays parked.
func (s *Session) dropRunner() {
	s.mu.Lock()
	s.runner = nil
	s.mu.Unlock()
}

// evalChunks evaluates chunks in order and stops at the first error. self
// is the calling goroutine's goid.Self token: the cell's, until the cell
// is abandoned.
func (s *Session) evalChunks(chunks []plan.Chunk, self uintptr) *language.ExecError {
	for _, ch := range chunks {
		var before map[string]reflect.Value
		if ch.Redecl != nil {
			s.takeMarks()
			before = s.in.Slots(ch.Redecl.Names)
		}
		s.setSeeds(before)
		temps := s.in.MarkTemps()
		err := s.evalPublished(ch.Src)
		for _, alt := range ch.Alts {
			if err == nil || yaegix.IsPanic(err) {
				break
			}
			err = s.evalPublished(alt)
		}
		// A chunk abandoned after an interrupt may end while later cells
		// run: it leaves the interpreter alone.
		current := s.run.self.Load() == self
		if current && (err == nil || yaegix.IsPanic(err)) {
			s.in.ClearTemps(temps)
		}
		if err != nil {
			if current && ch.Redecl != nil {
				_ = s.afterRedecl(ch.Redecl, before, false)
			} else if current && !yaegix.IsPanic(err) {
				s.in.RepairFrame()
			}
			if yaegix.IsPanic(err) {
				e := s.runtimeError(err)
				if s.loop != nil {
					s.cellFrameAt(e, s.loop.CellAwaitSite())
				}
				return e
			}
			if yaegix.IsDefinitionLoop(err) && strings.HasPrefix(ch.Src, ";") {
				// yaegi reports an undefined name in a global := as a
				// definition loop: compile the statements in a function
				// (not run) for the real message.
				if derr := s.in.Diagnose(ch.Src[1:]); derr != nil {
					err = derr
				}
			}
			return s.compileError(err)
		}
		if ch.Commit != nil {
			ch.Commit()
		}
		if current && ch.Redecl != nil {
			if err := s.afterRedecl(ch.Redecl, before, true); err != nil {
				return s.compileError(err)
			}
		}
	}
	return nil
}

// afterRedecl settles the names a chunk declared again and recompiles the
// earlier functions that use them or that call the functions it
// redefined; ok tells whether the chunk succeeded (it was committed).
// Declarations that ran before a chunk failed still replaced their
// variables: the functions using them are recompiled too, and an error
// doing so becomes a note on stderr.
func (s *Session) afterRedecl(rd *plan.Redecl, before map[string]reflect.Value, ok bool) error {
	changed := s.settle(rd, before, ok)
	if ok {
		changed = append(changed, rd.Redefined...)
	}
	if len(changed) == 0 {
		return nil
	}
	err := s.recompile(changed, rd)
	if err != nil && !ok {
		fmt.Fprintf(s.stderr.File(), "note: %s\n", s.lines.Positions(err.Error()))
		return nil
	}
	return err
}

// evalPublished evaluates a chunk's source (see published), telling the
// session while a statement chunk compiles (runState.compileStarts).
func (s *Session) evalPublished(src string) error {
	if strings.HasPrefix(src, ";") {
		s.run.compileStarts()
		defer s.run.compileEnds()
	}
	return s.in.Eval(published(src))
}

// published makes a statement chunk call the runtime's Publish before its
// own code: a cell abandoned while stuck in that code (a channel
// operation, a lock, I/O) never gives the interpreter back, so what its
// goroutine wrote compiling the chunk and preparing its frame must be
// released before the chunk's code runs, for the session to acquire it
// before later cells compile (runState.acquire). Declaration chunks run
// no statements of the cell.
func published(src string) string {
	rest, ok := strings.CutPrefix(src, ";")
	if !ok {
		return src
	}
	// yaegi wraps the chunk in a main function and places a panic's frame
	// in it at its first statement: the directive of the chunk's first
	// line goes first too, so that the frame names the cell, not
	// yaegi's wrapper.
	return cell.LeadingDirective(rest) + ";" + reserved.Runtime + "." + reserved.Publish + "();" + rest
}

// Interrupt stops the running cell (language.Interpreter).
func (s *Session) Interrupt() {
	if s.opt.OnInterrupt != nil {
		s.opt.OnInterrupt()
	}
	s.run.interrupt()
}

// userExpressions evaluates user_expressions after a successful cell.
// Each must be one Go expression (go/parser.ParseExpr): a statement
// (x = 99, x := 1, a declaration) is an error for that key and does not
// run, since the protocol asks for values, not effects.
func (s *Session) userExpressions(exprs map[string]string) map[string]any {
	out := map[string]any{}
	for key, code := range exprs {
		if _, err := parser.ParseExpr(code); err != nil {
			msg := "not an expression: " + err.Error()
			out[key] = map[string]any{"status": "error", "ename": "SyntaxError", "evalue": msg, "traceback": []string{msg}}
			continue
		}
		execErr := s.execute(userExprCell, code)
		text, ok := s.takeResult()
		switch {
		case execErr != nil:
			out[key] = map[string]any{"status": "error", "ename": execErr.Name, "evalue": execErr.Value, "traceback": execErr.Traceback}
		case ok:
			out[key] = map[string]any{"status": "ok", "data": map[string]any{"text/plain": text}, "metadata": map[string]any{}}
		default:
			out[key] = map[string]any{"status": "ok", "data": map[string]any{}, "metadata": map[string]any{}}
		}
	}
	return out
}
