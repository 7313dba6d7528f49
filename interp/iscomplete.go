package interp

import (
	"go/scanner"
	"strings"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/magic"
	"github.com/goawait/goawait/language"
)

// IsComplete tells whether code is ready to run (language.Interpreter):
// "complete" when it parses, "incomplete" when the parser stopped at the
// end of the text or brackets are still open (the indent is one tab per
// open bracket), "invalid" otherwise.
func (s *Session) IsComplete(code string) language.Completeness {
	code, magicOnly := magic.Completeness(code)
	if magicOnly || strings.TrimSpace(code) == "" {
		return language.Completeness{Status: "complete"}
	}
	depth := cell.OpenBrackets(code)
	if depth > 0 || strings.HasSuffix(strings.TrimRight(code, " \t"), "\\") {
		// Four spaces a level, as IPython: consoles show a tab as ^I.
		return language.Completeness{Status: "incomplete", Indent: strings.Repeat("    ", depth)}
	}
	if _, err := cell.Parse("cell", code); err != nil {
		if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
			lines := strings.Count(code, "\n") + 1
			if list[0].Pos.Line > lines || strings.Contains(list[0].Msg, "EOF") || strings.Contains(list[0].Msg, "not terminated") {
				return language.Completeness{Status: "incomplete"}
			}
		}
		return language.Completeness{Status: "invalid"}
	}
	return language.Completeness{Status: "complete"}
}
