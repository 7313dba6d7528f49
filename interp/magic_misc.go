package interp

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/goawait/goawait/display"
	"github.com/goawait/goawait/interp/internal/lower"
	"github.com/goawait/goawait/interp/internal/reserved"
	"github.com/goawait/goawait/language"
)

func init() {
	lineMagics["who"] = magic{usage: "%who", doc: "list the session's variables", run: whoMagic}
	lineMagics["whos"] = magic{usage: "%whos", doc: "list the session's variables with their types and values", run: whosMagic}
	lineMagics["env"] = magic{usage: "%env [NAME[=value]]", doc: "list, show or set environment variables", run: envMagic}
	lineMagics["cd"] = magic{usage: "%cd [dir]", doc: "change the working directory (default: home)", run: cdMagic}
	lineMagics["pwd"] = magic{usage: "%pwd", doc: "print the working directory", run: pwdMagic}
	lineMagics["reset"] = magic{usage: "%reset", doc: "explain how to start afresh (yaegi cannot forget declarations)", run: resetMagic}
	lineMagics["help"] = magic{usage: "%help", doc: "list magics and display functions (in the pager)", run: helpMagic}
	lineMagics["lsmagic"] = magic{usage: "%lsmagic", doc: "print the names of the magics", run: func(m *magicCall) *language.ExecError {
		m.stdout("%s\n", strings.Join(magicNames(), "  "))
		return nil
	}}
	for name, mime := range map[string]string{"html": "text/html", "markdown": "text/markdown", "latex": "text/latex", "svg": "image/svg+xml"} {
		cellMagics[name] = magic{usage: "%%" + name, doc: "show the cell as " + mime, run: displayCellMagic(mime)}
	}
}

// displayCellMagic shows the cell's body with one MIME type.
func displayCellMagic(mime string) func(m *magicCall) *language.ExecError {
	return func(m *magicCall) *language.ExecError {
		_, body, _ := strings.Cut(m.arg, "\n")
		data := map[string]any{mime: body}
		data["text/plain"] = display.PlainText(data)
		m.out.Display(language.Display{Data: data, Metadata: map[string]any{}})
		return nil
	}
}

// variables returns the session's variables, sorted, with their values
// when the interpreter can list them.
func (s *Session) variables() ([]string, map[string]reflect.Value) {
	var names []string
	for name, d := range s.state.decls {
		if d.kind == lower.Var && !strings.HasPrefix(name, reserved.Prefix) && !strings.Contains(name, ".") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, s.in.Globals()
}

func whoMagic(m *magicCall) *language.ExecError {
	names, _ := m.s.variables()
	if len(names) == 0 {
		m.stdout("no variables\n")
		return nil
	}
	m.stdout("%s\n", strings.Join(names, "\t"))
	return nil
}

func whosMagic(m *magicCall) *language.ExecError {
	names, globals := m.s.variables()
	if len(names) == 0 {
		m.stdout("no variables\n")
		return nil
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 8, 3, ' ', 0)
	fmt.Fprintln(w, "Variable\tType\tValue")
	fmt.Fprintln(w, "--------\t----\t-----")
	for _, n := range names {
		typ, val := "?", "?"
		if v, ok := globals[n]; ok && v.IsValid() {
			typ = v.Type().String()
			if v.CanInterface() {
				val = fmt.Sprintf("%+v", v.Interface())
				if v.Kind() == reflect.String {
					val = fmt.Sprintf("%q", v.Interface())
				}
			}
		}
		if d := m.s.state.decls[n]; d != nil && typ == "?" {
			typ = d.sig
		}
		val = strings.ReplaceAll(val, "\n", " ")
		if r := []rune(val); len(r) > 60 {
			val = string(r[:60]) + "…"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", n, typ, val)
	}
	w.Flush()
	m.stdout("%s", b.String())
	return nil
}

func envMagic(m *magicCall) *language.ExecError {
	arg := m.arg
	if arg == "" {
		env := os.Environ()
		sort.Strings(env)
		m.stdout("%s\n", strings.Join(env, "\n"))
		return nil
	}
	name, value, set := strings.Cut(arg, "=")
	if !set {
		name, value, set = strings.Cut(arg, " ")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if name == "" || strings.ContainsAny(name, " \t") {
		return usageError("%env", "bad variable name %q", name)
	}
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return usageError("%env", "environment variable %s is not set", name)
		}
		m.stdout("%s\n", v)
		return nil
	}
	if err := os.Setenv(name, value); err != nil {
		return usageError("%env", "%v", err)
	}
	m.stdout("env: %s=%s\n", name, value)
	return nil
}

func cdMagic(m *magicCall) *language.ExecError {
	dir := m.arg
	if dir == "" || dir == "~" {
		home, err := os.UserHomeDir()
		if err != nil {
			return usageError("%cd", "%v", err)
		}
		dir = home
	} else if rest, ok := strings.CutPrefix(dir, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			dir = home + "/" + rest
		}
	}
	if err := os.Chdir(dir); err != nil {
		return usageError("%cd", "%v", err)
	}
	return pwdMagic(m)
}

func pwdMagic(m *magicCall) *language.ExecError {
	wd, err := os.Getwd()
	if err != nil {
		return usageError("%pwd", "%v", err)
	}
	m.stdout("%s\n", wd)
	return nil
}

// resetText is what %reset says: yaegi keeps every declaration it has
// compiled, so a session cannot be emptied in place.
const resetText = "%reset cannot clear this session: the Go interpreter (yaegi) never forgets a declaration,\n" +
	"and types and methods cannot even be redefined. Variables can be reassigned (x := ...).\n" +
	"To start from a clean session, restart the kernel (Kernel > Restart); background tasks stop with it.\n"

func resetMagic(m *magicCall) *language.ExecError {
	m.stderr("%s", resetText)
	return nil
}

// helpText lists the magics and the display functions.
func helpText() string {
	var b strings.Builder
	b.WriteString("goawait magics\n\n")
	w := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	var lines []string
	for _, mg := range lineMagics {
		lines = append(lines, mg.usage+"\t"+mg.doc)
	}
	sort.Strings(lines)
	lines = append(lines, "!command\trun a shell command; its output streams into the cell")
	var cells []string
	for _, mg := range cellMagics {
		cells = append(cells, mg.usage+"\t"+mg.doc)
	}
	sort.Strings(cells)
	for _, l := range append(lines, cells...) {
		fmt.Fprintf(w, "  %s\n", l)
	}
	w.Flush()
	b.WriteString("\nRich output (import \"goawait/display\", or just use it)\n\n")
	w = tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, f := range display.Functions {
		fmt.Fprintf(w, "  %s\t%s\n", f[0], f[1])
	}
	w.Flush()
	b.WriteString("\nHelp on a name: fmt.Println? (or ?? for more); Tab completes; Shift-Tab inspects.\n")
	return b.String()
}

func helpMagic(m *magicCall) *language.ExecError {
	text := helpText()
	m.res.Payload = append(m.res.Payload, map[string]any{"source": "page", "data": map[string]any{"text/plain": text}, "start": 0})
	return nil
}
