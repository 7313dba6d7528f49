package lookup

import (
	"regexp"
	"strings"

	"github.com/goawait/goawait/language"
)

// helpLine matches a last line like `fmt.Println?` or `?strings.Cut`
// (`??` asks for more detail), IPython's way to open a name's help in the
// pager.
var helpLine = regexp.MustCompile(`^\s*(\?{0,2})([A-Za-z_][\w.]*)(\?{0,2})\s*$`)

// SplitHelp takes a help request off the end of code. It returns the rest
// of the code, the name asked about ("" when there is none) and the detail
// level (0 for ?, 1 for ??).
func SplitHelp(code string) (rest, name string, detail int) {
	trimmed := strings.TrimRight(code, " \t\n")
	i := strings.LastIndexByte(trimmed, '\n')
	last := trimmed[i+1:]
	m := helpLine.FindStringSubmatch(last)
	if m == nil || (m[1] == "") == (m[3] == "") {
		return code, "", 0
	}
	marks := m[1] + m[3]
	if len(marks) == 2 {
		detail = 1
	}
	return trimmed[:i+1], m[2], detail
}

// Help answers a help request with a pager payload, as IPython does, or
// says on out that nothing is known about name.
func Help(s Session, docs *Docs, name string, detail int, out language.Publisher) []map[string]any {
	in := Inspect(s, docs, name, len([]rune(name)), detail)
	if !in.Found {
		out.Stream("stdout", "no documentation found for "+name+"\n")
		return nil
	}
	return []map[string]any{{"source": "page", "data": in.Data, "start": 0}}
}
