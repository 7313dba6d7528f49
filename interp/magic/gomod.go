package magic

import (
	"strings"

	"github.com/goawait/goawait/language"
)

// Modules is what the %go magic uses of a session that imports modules.
type Modules interface {
	// Get picks module versions for later imports (`go get` arguments,
	// "path@version"), and returns the modules it changed, one
	// "path version" a line.
	Get(args []string) ([]string, error)
	// List describes what the session loaded: packages with their module
	// and version, generic instances, and the modules of the kernel.
	List() ([]string, error)
	// UseGoMod names the go.mod (a file, or a directory holding one)
	// whose requirements later imports honour; only before the first
	// import of a module.
	UseGoMod(path string) error
}

// Go returns %go, the magic of sessions that import modules (not in
// Standard): `%go get path@version` picks versions for later imports,
// `%go list` lists what is loaded, `%go mod path` names the notebook's
// go.mod before the first import.
func Go() Magic {
	return Magic{
		Name:  "go",
		Usage: "%go get path@version... | %go list | %go mod path/to/go.mod",
		Doc:   "pick module versions for imports, list loaded modules, name a notebook's go.mod",
		Run:   goModules,
	}
}

func goModules(c *Call) *language.ExecError {
	mods := c.Session.Modules()
	if mods == nil {
		return usageError("%go: this session cannot import modules")
	}
	fields := strings.Fields(c.Arg)
	if len(fields) == 0 {
		return c.UsageError("%go", "%%go needs a command")
	}
	var lines []string
	var err error
	switch cmd, args := fields[0], fields[1:]; {
	case cmd == "get" && len(args) > 0:
		lines, err = mods.Get(args)
	case cmd == "list" && len(args) == 0:
		lines, err = mods.List()
	case cmd == "mod" && len(args) == 1:
		err = mods.UseGoMod(args[0])
		lines = []string{"later imports honour " + args[0]}
	default:
		return c.UsageError("%go", "unknown %%go command %q", c.Arg)
	}
	if err != nil {
		return &language.ExecError{Name: "GoError", Value: err.Error(), Traceback: strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")}
	}
	for _, l := range lines {
		c.Stdout("%s\n", l)
	}
	return nil
}
