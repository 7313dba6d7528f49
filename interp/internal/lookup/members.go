package lookup

import (
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/language"
)

// member is a completion candidate: its text and its kind for
// _jupyter_types_experimental.
type member struct{ text, kind string }

// valueMembers returns the fields and methods of the session variable
// called name (reflect sees the fields of every value and the methods of
// host types; methods the session declared on a type whose reflected
// form matches are added too). ok is false when name is no variable.
func valueMembers(s Session, name string) (out []member, ok bool) {
	v, found := s.Globals()[name]
	if !found || !v.IsValid() {
		return nil, false
	}
	t := v.Type()
	if t.Kind() == reflect.Interface && !v.IsNil() {
		t = v.Elem().Type()
	}
	for _, mt := range []reflect.Type{t, reflect.PointerTo(t)} {
		for i := 0; i < mt.NumMethod(); i++ {
			out = append(out, member{mt.Method(i).Name, "method"})
		}
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		for i := 0; i < st.NumField(); i++ {
			if f := st.Field(i); f.IsExported() {
				out = append(out, member{f.Name, "property"})
			}
		}
	}
	// Methods of interpreted types are invisible to reflect: offer those
	// declared on the variable's declared type, when its declaration
	// names it (x := T{...}, x := &T{...}, var x T, x := T(...)).
	if d, ok := s.Decl(name); ok {
		if typ := declaredTypeName(d.Sig); typ != "" {
			for key, md := range s.Decls() {
				if md.Kind == lower.Method && strings.HasPrefix(key, typ+".") {
					out = append(out, member{strings.TrimPrefix(key, typ+"."), "method"})
				}
			}
		}
	}
	return out, true
}

// declaredTypeName guesses the type a variable's declaration gives it
// from its text: `x := T{...}`, `x := &T{...}`, `x := T(...)`, `var x T`.
func declaredTypeName(sig string) string {
	rest := sig
	if i := strings.Index(sig, ":="); i >= 0 {
		rest = strings.TrimSpace(sig[i+2:])
	} else if after, ok := strings.CutPrefix(sig, "var "); ok {
		f := strings.Fields(after)
		if len(f) < 2 {
			return ""
		}
		rest = f[1]
	} else {
		return ""
	}
	rest = strings.TrimPrefix(rest, "&")
	end := 0
	for end < len(rest) {
		r, n := utf8.DecodeRuneInString(rest[end:])
		if !isIdentRune(r) {
			break
		}
		end += n
	}
	return rest[:end]
}

// completeMagic completes a magic name (one of names) at the start of a
// line: `%ti` gives %time and %timeit.
func completeMagic(code string, cursor int, names []string) (language.Completion, bool) {
	byteCur := byteOffset(code, cursor)
	lineStart := strings.LastIndexByte(code[:byteCur], '\n') + 1
	word := code[lineStart:byteCur]
	if !strings.HasPrefix(word, "%") || strings.ContainsAny(word, " \t") {
		return language.Completion{}, false
	}
	res := language.Completion{CursorStart: runeCount(code[:lineStart]), CursorEnd: cursor}
	for _, n := range names {
		if strings.HasPrefix(n, word) {
			res.Matches = append(res.Matches, n)
			res.Types = append(res.Types, language.CompletionType{Text: n, Type: "magic", Start: res.CursorStart, End: cursor})
		}
	}
	return res, true
}

// rankMatches orders candidates for a typed word: names that start with
// it exactly first, then those that start with it ignoring case (fmt.print
// finds Println), each group sorted; duplicates are dropped.
func rankMatches(cands []member, word string) []member {
	var exact, folded []member
	seen := map[string]bool{}
	lw := strings.ToLower(word)
	for _, c := range cands {
		if seen[c.text] {
			continue
		}
		switch {
		case strings.HasPrefix(c.text, word):
			exact = append(exact, c)
		case strings.HasPrefix(strings.ToLower(c.text), lw):
			folded = append(folded, c)
		default:
			continue
		}
		seen[c.text] = true
	}
	for _, g := range [][]member{exact, folded} {
		sort.SliceStable(g, func(i, j int) bool { return g[i].text < g[j].text })
	}
	return append(exact, folded...)
}
