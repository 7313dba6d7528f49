package magic

import (
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/goawait/goawait/display"
	"github.com/goawait/goawait/language"
)

// Standard returns a registry with goawait's magics: %time, %timeit,
// %who, %whos, %env, %cd, %pwd, %reset, %help, %lsmagic, and the cell
// magics %%time, %%html, %%markdown, %%latex, %%svg, %%bash and %%sh
// (!command needs no registration).
func Standard() *Registry {
	r := NewRegistry(timing()...)
	r.Register(
		Magic{Name: "who", Usage: "%who", Doc: "list the session's variables", Run: who},
		Magic{Name: "whos", Usage: "%whos", Doc: "list the session's variables with their types and values", Run: whos},
		Magic{Name: "env", Usage: "%env [NAME[=value]]", Doc: "list, show or set environment variables", Run: env},
		Magic{Name: "cd", Usage: "%cd [dir]", Doc: "change the working directory (default: home)", Run: cd},
		Magic{Name: "pwd", Usage: "%pwd", Doc: "print the working directory", Run: pwd},
		Magic{Name: "reset", Usage: "%reset", Doc: "explain how to start afresh (yaegi cannot forget declarations)", Run: reset},
		Magic{Name: "help", Usage: "%help", Doc: "list magics and display functions (in the pager)", Run: help},
		Magic{Name: "lsmagic", Usage: "%lsmagic", Doc: "print the names of the magics", Run: func(c *Call) *language.ExecError {
			c.Stdout("%s\n", strings.Join(c.Registry.Names(), "  "))
			return nil
		}},
		Magic{Name: "bash", Cell: true, Usage: "%%bash", Doc: "run the cell as a bash script", Run: shellCell("bash")},
		Magic{Name: "sh", Cell: true, Usage: "%%sh", Doc: "run the cell as a sh script", Run: shellCell("sh")},
	)
	for name, mime := range map[string]string{"html": "text/html", "markdown": "text/markdown", "latex": "text/latex", "svg": "image/svg+xml"} {
		r.Register(Magic{Name: name, Cell: true, Usage: "%%" + name, Doc: "show the cell as " + mime, Run: displayCell(mime)})
	}
	return r
}

// displayCell shows the cell's body with one MIME type.
func displayCell(mime string) func(c *Call) *language.ExecError {
	return func(c *Call) *language.ExecError {
		_, body, _ := strings.Cut(c.Arg, "\n")
		data := map[string]any{mime: body}
		data["text/plain"] = display.PlainText(data)
		c.Out.Display(language.Display{Data: data, Metadata: map[string]any{}})
		return nil
	}
}

// variables returns the session's variables, saying so when there are
// none.
func variables(c *Call) []Variable {
	vars := c.Session.Variables()
	if len(vars) == 0 {
		c.Stdout("no variables\n")
	}
	return vars
}

func who(c *Call) *language.ExecError {
	vars := variables(c)
	if len(vars) == 0 {
		return nil
	}
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.Name
	}
	c.Stdout("%s\n", strings.Join(names, "\t"))
	return nil
}

func whos(c *Call) *language.ExecError {
	vars := variables(c)
	if len(vars) == 0 {
		return nil
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 8, 3, ' ', 0)
	fmt.Fprintln(w, "Variable\tType\tValue")
	fmt.Fprintln(w, "--------\t----\t-----")
	for _, vr := range vars {
		typ, val := "?", "?"
		if v := vr.Value; v.IsValid() {
			typ = v.Type().String()
			if v.CanInterface() {
				val = fmt.Sprintf("%+v", v.Interface())
				if v.Kind() == reflect.String {
					val = fmt.Sprintf("%q", v.Interface())
				}
			}
		}
		if typ == "?" {
			typ = vr.Decl
		}
		val = strings.ReplaceAll(val, "\n", " ")
		if r := []rune(val); len(r) > 60 {
			val = string(r[:60]) + "…"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", vr.Name, typ, val)
	}
	w.Flush()
	c.Stdout("%s", b.String())
	return nil
}

func env(c *Call) *language.ExecError {
	arg := c.Arg
	if arg == "" {
		env := os.Environ()
		sort.Strings(env)
		c.Stdout("%s\n", strings.Join(env, "\n"))
		return nil
	}
	name, value, set := strings.Cut(arg, "=")
	if !set {
		name, value, set = strings.Cut(arg, " ")
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if name == "" || strings.ContainsAny(name, " \t") {
		return c.UsageError("%env", "bad variable name %q", name)
	}
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return c.UsageError("%env", "environment variable %s is not set", name)
		}
		c.Stdout("%s\n", v)
		return nil
	}
	if err := os.Setenv(name, value); err != nil {
		return c.UsageError("%env", "%v", err)
	}
	c.Stdout("env: %s=%s\n", name, value)
	return nil
}

func cd(c *Call) *language.ExecError {
	dir := c.Arg
	if dir == "" || dir == "~" {
		home, err := os.UserHomeDir()
		if err != nil {
			return c.UsageError("%cd", "%v", err)
		}
		dir = home
	} else if rest, ok := strings.CutPrefix(dir, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			dir = home + "/" + rest
		}
	}
	if err := os.Chdir(dir); err != nil {
		return c.UsageError("%cd", "%v", err)
	}
	return pwd(c)
}

func pwd(c *Call) *language.ExecError {
	wd, err := os.Getwd()
	if err != nil {
		return c.UsageError("%pwd", "%v", err)
	}
	c.Stdout("%s\n", wd)
	return nil
}

// resetText is what %reset says: yaegi keeps every declaration it has
// compiled, so a session cannot be emptied in place.
const resetText = "%reset cannot clear this session: the Go interpreter (yaegi) never forgets a declaration,\n" +
	"and types and methods cannot even be redefined. Variables can be reassigned (x := ...).\n" +
	"To start from a clean session, restart the kernel (Kernel > Restart); background tasks stop with it.\n"

func reset(c *Call) *language.ExecError {
	c.Stderr("%s", resetText)
	return nil
}

// helpText lists the magics of r and the display functions.
func helpText(r *Registry) string {
	var b strings.Builder
	b.WriteString("goawait magics\n\n")
	w := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	var lines []string
	for _, m := range r.line {
		lines = append(lines, m.Usage+"\t"+m.Doc)
	}
	sort.Strings(lines)
	lines = append(lines, "!command\trun a shell command; its output streams into the cell")
	var cells []string
	for _, m := range r.cell {
		cells = append(cells, m.Usage+"\t"+m.Doc)
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

func help(c *Call) *language.ExecError {
	c.Result.Payload = append(c.Result.Payload, map[string]any{"source": "page", "data": map[string]any{"text/plain": helpText(c.Registry)}, "start": 0})
	return nil
}

// shellCommand runs `!command` with sh.
func shellCommand(c *Call) *language.ExecError {
	if c.Arg == "" {
		return usageError("! needs a command, e.g. !ls -l")
	}
	return runShell(c, "sh", c.Arg)
}

// shellCell runs a cell magic's body with shell.
func shellCell(shell string) func(c *Call) *language.ExecError {
	return func(c *Call) *language.ExecError {
		_, body, _ := strings.Cut(c.Arg, "\n")
		return runShell(c, shell, body)
	}
}

// runShell runs script with shell; a failure shows the exit status on
// stderr.
func runShell(c *Call, shell, script string) *language.ExecError {
	status, err := c.Session.RunShell(shell, script)
	if err != nil {
		return err
	}
	if status != "" {
		c.Stderr("(%s)\n", status)
	}
	return nil
}
