package interp

import (
	"go/scanner"
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goawait/goawait/internal/cell"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
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

// goKeywords and goBuiltins are offered as completions.
var goKeywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
	"return", "select", "struct", "switch", "type", "var", "async", "await"}

var goBuiltins = []string{"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len",
	"make", "max", "min", "new", "panic", "print", "println", "real", "recover",
	"any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64",
	"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
	"uint64", "uintptr", "true", "false", "iota", "nil"}

// Complete proposes completions at cursor, counted in Unicode code points
// (language.Interpreter): magic names after a line's `%`, a variable's
// fields and methods after `v.`, members after `pkg.`, otherwise session
// names, packages, keywords and builtins. Names that start with the typed
// word come first, then those that do ignoring case.
func (s *Session) Complete(code string, cursor int) language.Completion {
	if res, ok := completeMagic(code, cursor, s.magics.Names()); ok {
		return res
	}
	byteCur := byteOffset(code, cursor)
	start := byteCur
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isIdentRune(r) {
			break
		}
		start -= n
	}
	word := code[start:byteCur]
	type cand = member
	var cands []cand
	// qualifier is "pkg." when completing a package member: matches are
	// then the qualified names and replace the whole "pkg.Pre" (as
	// IPython does for "os.pa"), so front ends show "fmt.Println".
	qualifier, replaceFrom := "", start
	if start > 0 && code[start-1] == '.' {
		q := start - 1
		qs := q
		for qs > 0 {
			r, n := utf8.DecodeLastRuneInString(code[:qs])
			if !isIdentRune(r) {
				break
			}
			qs -= n
		}
		pkgName := code[qs:q]
		_, imported := s.state.imports[pkgName]
		if ms, ok := s.valueMembers(pkgName); ok && !imported {
			// A variable's fields and methods.
			qualifier, replaceFrom = pkgName+".", qs
			cands = append(cands, ms...)
		} else if p, ok := s.packageByName(pkgName); ok {
			qualifier, replaceFrom = pkgName+".", qs
			for name, v := range s.bin[p] {
				if token.IsExported(name) {
					cands = append(cands, cand{name, symbolKind(v)})
				}
			}
		}
	} else {
		for name, d := range s.state.decls {
			if !strings.Contains(name, ".") && !strings.HasPrefix(name, reserved.Prefix) {
				cands = append(cands, cand{name, completionKind(d.kind)})
			}
		}
		for name := range s.in.Globals() {
			if !strings.HasPrefix(name, reserved.Prefix) && !strings.HasPrefix(name, "_") {
				cands = append(cands, cand{name, "instance"})
			}
		}
		for p := range s.bin {
			if !strings.Contains(p, "internal") {
				cands = append(cands, cand{s.packageName(p), "module"})
			}
		}
		for _, p := range []string{"slices", "maps", "cmp"} {
			cands = append(cands, cand{p, "module"})
		}
		for _, k := range goKeywords {
			cands = append(cands, cand{k, "keyword"})
		}
		for _, b := range goBuiltins {
			cands = append(cands, cand{b, "function"})
		}
	}
	res := language.Completion{CursorStart: runeCount(code[:replaceFrom]), CursorEnd: cursor}
	for _, c := range rankMatches(cands, word) {
		res.Matches = append(res.Matches, qualifier+c.text)
		res.Types = append(res.Types, language.CompletionType{Text: qualifier + c.text, Type: c.kind, Start: res.CursorStart, End: res.CursorEnd})
	}
	return res
}

// packageByName finds the import path of a package name: imported by a
// cell, or a standard package of that name.
func (s *Session) packageByName(name string) (string, bool) {
	if p, ok := s.state.imports[name]; ok {
		return p, true
	}
	if _, ok := s.bin[name]; ok {
		return name, true
	}
	for p, n := range s.pkgNames {
		if n == name && !strings.Contains(p, "internal") {
			return p, true
		}
	}
	return "", false
}

func symbolKind(v interface{ Kind() reflectKind }) string { return kindName(v.Kind()) }

func completionKind(k lower.Kind) string {
	switch k {
	case lower.Func, lower.Method:
		return "function"
	case lower.Type:
		return "class"
	case lower.Import:
		return "module"
	}
	return "instance"
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// byteOffset converts a position in code points to a byte offset.
func byteOffset(s string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == cursor {
			return i
		}
		n++
	}
	return len(s)
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
