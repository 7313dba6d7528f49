package interp

import (
	"runtime"
	"strings"

	"github.com/goawait/goawait/kernel"
)

// Info describes the language (kernel.Interpreter).
func (s *Session) Info() kernel.LanguageInfo {
	v := strings.TrimPrefix(runtime.Version(), "go")
	return kernel.LanguageInfo{
		Name:           "go",
		Version:        v,
		Mimetype:       "text/x-go",
		FileExtension:  ".go",
		PygmentsLexer:  "go",
		CodemirrorMode: "go",
		Banner: "goawait: Go " + v + " interpreted by yaegi, with async/await.\n" +
			"Mix imports, declarations and statements in a cell; the last expression is shown.",
		HelpLinks: []kernel.HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "yaegi", URL: "https://github.com/traefik/yaegi"},
		},
	}
}
