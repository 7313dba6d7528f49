package interp

import (
	"fmt"
	"strings"

	"github.com/goawait/goawait/autoawait"
	"github.com/goawait/goawait/autoawait/asyncio"
	"github.com/goawait/goawait/language"
)

// enableAsync gives the session goawait's async dialect: the rewriter
// turns async/await into plain Go before a cell is compiled, and every cell
// runs as a task of one event loop that lives as long as the session.
// Options set by the caller win, so tests can run a bare session.
func (s *Session) enableAsync() error {
	if s.opt.NoAsync {
		return nil
	}
	rt := asyncio.NewRuntime(asyncio.Options{
		// Output of a task goes to the cell that created it.
		Switch: s.SetOutput,
		Report: func(owner any, text string) {
			if p, ok := owner.(language.Publisher); ok {
				if !strings.HasSuffix(text, "\n") {
					text += "\n"
				}
				p.Stream("stderr", text)
			}
		},
		// The frame of a tail coroutine a failure left without passing
		// through it: written as yaegi writes the frames a panic passes,
		// into the same pipe, so that tracebacks keep their order.
		TailFrame: func(name, at string) {
			fmt.Fprintf(s.stderr.File(), "%s:1: panic: main.%s(...)\n", at, name)
		},
	})
	s.loop = rt
	if s.opt.Rewrite == nil {
		s.opt.Rewrite = autoawait.NewRewriter(autoawait.Options{Sites: true}).Rewrite
	}
	if s.opt.Run == nil {
		s.opt.Run = rt.RunCellOn
	}
	if s.opt.OnInterrupt == nil {
		s.opt.OnInterrupt = rt.InterruptCell
	}
	if s.opt.OnAbandon == nil {
		s.opt.OnAbandon = rt.AbandonCell
	}
	return s.Use(rt.Exports())
}
