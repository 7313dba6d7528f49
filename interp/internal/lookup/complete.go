package lookup

import (
	"go/token"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/language"
)

// goKeywords and goBuiltins are offered as completions.
var goKeywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
	"return", "select", "struct", "switch", "type", "var", "async", "await"}

var goBuiltins = []string{"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len",
	"make", "max", "min", "new", "panic", "print", "println", "real", "recover",
	"any", "bool", "byte", "comparable", "complex64", "complex128", "error", "float32", "float64",
	"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
	"uint64", "uintptr", "true", "false", "iota", "nil"}

// Complete proposes completions at cursor, counted in Unicode code points: magic names after a line's `%`, a variable's
// fields and methods after `v.`, members after `pkg.`, otherwise session
// names, packages, keywords and builtins. Names that start with the typed
// word come first, then those that do ignoring case.
func Complete(s Session, code string, cursor int) language.Completion {
	if res, ok := completeMagic(code, cursor, s.Magics()); ok {
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
		_, imported := s.Import(pkgName)
		if ms, ok := valueMembers(s, pkgName); ok && !imported {
			// A variable's fields and methods.
			qualifier, replaceFrom = pkgName+".", qs
			cands = append(cands, ms...)
		} else if p, ok := packageByName(s, pkgName); ok {
			qualifier, replaceFrom = pkgName+".", qs
			for name, v := range s.HostPackages()[p] {
				if token.IsExported(name) {
					cands = append(cands, cand{name, kindName(v.Kind())})
				}
			}
		}
	} else {
		for name, d := range s.Decls() {
			if !strings.Contains(name, ".") && !strings.HasPrefix(name, reserved.Prefix) {
				cands = append(cands, cand{name, completionKind(d.Kind)})
			}
		}
		for name := range s.Globals() {
			if !strings.HasPrefix(name, reserved.Prefix) && !strings.HasPrefix(name, "_") {
				cands = append(cands, cand{name, "instance"})
			}
		}
		for p := range s.HostPackages() {
			if !strings.Contains(p, "internal") {
				cands = append(cands, cand{s.PackageName(p), "module"})
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
func packageByName(s Session, name string) (string, bool) {
	if p, ok := s.Import(name); ok {
		return p, true
	}
	host := s.HostPackages()
	if _, ok := host[name]; ok {
		return name, true
	}
	for p := range host {
		if s.PackageName(p) == name && !strings.Contains(p, "internal") {
			return p, true
		}
	}
	return "", false
}

// kindName names a host symbol's kind for completion.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.Func:
		return "function"
	case reflect.Pointer:
		return "class" // types are exported as typed nil pointers
	}
	return "instance"
}

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
