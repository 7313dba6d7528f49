package interp

import (
	"runtime"
	"strings"

	"github.com/goawait/goawait/language"
)

// Info describes the language (language.Interpreter).
func (s *Session) Info() language.LanguageInfo {
	v := strings.TrimPrefix(runtime.Version(), "go")
	return language.LanguageInfo{
		Name:           "go",
		Version:        v,
		Mimetype:       "text/x-go",
		FileExtension:  ".go",
		PygmentsLexer:  "go",
		CodemirrorMode: "go",
		Banner: "goawait: Go " + v + " interpreted by yaegi, with async/await.\n" +
			"Mix imports, declarations and statements in a cell; the last expression is shown.",
		HelpLinks: []language.HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "yaegi", URL: "https://github.com/traefik/yaegi"},
		},
	}
}
