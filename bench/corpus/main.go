// Command corpus measures how faithfully the kernel runs Go programs that
// nobody here wrote: each program of a corpus (Go by Example by default)
// runs five times when built with `go build` and once in a fresh goawait session, as one
// cell (the file without its package clause, then main()) and as one cell
// per declaration, and the two outputs are compared.
//
// A program passes when the session prints what go run printed; it fails
// loudly when the cell reports an error; it is wrong when the cell
// succeeds with other output (the one outcome that must not happen).
// Programs whose output differs between runs (time, random, map and
// goroutine order), that fail (or exit with a status other than 0) when
// built and run by the go command, or that need more than the time limit
// are left out and counted apart.
//
// Usage:
//
//	git clone https://github.com/mmcgrana/gobyexample /tmp/gobyexample
//	go run ./bench/corpus -dir /tmp/gobyexample/examples
//
// Go by Example is by Mark McGranaghan and Eli Bendersky, licensed under
// CC BY 3.0; its programs are read from the clone, not copied here.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/goawait/goawait/interp"
	"github.com/goawait/goawait/language"
)

func main() {
	dir := flag.String("dir", "", "directory holding one sub-directory per program (Go by Example's examples/)")
	limit := flag.Duration("timeout", 20*time.Second, "time limit of one run")
	verbose := flag.Bool("v", false, "print the outcome of every program, and the output of wrong ones")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "usage: corpus -dir path/to/gobyexample/examples")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	files, err := filepath.Glob(filepath.Join(abs, "*", "*.go"))
	if err != nil || len(files) == 0 {
		fmt.Fprintf(os.Stderr, "no programs under %s\n", *dir)
		os.Exit(1)
	}
	sort.Strings(files)
	counts := map[string]map[string]int{"one cell": {}, "cell per declaration": {}}
	var skipped []string
	for _, f := range files {
		want, ok := goRun(f, *limit)
		if !ok {
			skipped = append(skipped, filepath.Base(f))
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := os.Chdir(filepath.Dir(f)); err != nil { // where go run ran it
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, mode := range []string{"one cell", "cell per declaration"} {
			cells := oneCell(src)
			if mode != "one cell" {
				cells = perDecl(src)
			}
			got, errText := session(cells, *limit)
			outcome := "pass"
			switch {
			case errText != "":
				outcome = "loud"
			case got != want:
				outcome = "WRONG"
			}
			counts[mode][outcome]++
			if *verbose || outcome == "WRONG" {
				fmt.Printf("%-5s %-22s %s %s\n", outcome, mode, filepath.Base(f), firstLine(errText))
				if outcome == "WRONG" {
					fmt.Printf("  go run: %q\n  cell:   %q\n", want, got)
				}
			}
		}
	}
	run := len(files) - len(skipped)
	fmt.Printf("\n%d programs, %d compared (%d left out: nondeterministic, failing or slow under go run: %s)\n",
		len(files), run, len(skipped), strings.Join(skipped, ", "))
	for _, mode := range []string{"one cell", "cell per declaration"} {
		c := counts[mode]
		fmt.Printf("%-21s pass %d/%d (%.0f%%), loud failures %d, wrong output %d\n",
			mode+":", c["pass"], run, 100*float64(c["pass"])/float64(max(run, 1)), c["loud"], c["WRONG"])
	}
}

// goRun builds the program, runs it five times and returns its output,
// or false if two runs differ (a map's order, goroutines' order), one
// fails or exceeds limit.
func goRun(file string, limit time.Duration) (string, bool) {
	bin := filepath.Join(os.TempDir(), "corpus-prog")
	build := exec.Command("go", "build", "-o", bin, filepath.Base(file))
	build.Dir = filepath.Dir(file)
	if err := build.Run(); err != nil {
		return "", false
	}
	defer os.Remove(bin)
	var outs [5]string
	for i := range outs {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		cmd := exec.CommandContext(ctx, bin)
		cmd.Dir = filepath.Dir(file)
		cmd.Env = os.Environ() // as the session has it (Dir alone would add PWD)
		cmd.WaitDelay = time.Second
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		cancel()
		if err != nil {
			return "", false
		}
		outs[i] = out.String()
		if outs[i] != outs[0] {
			return "", false
		}
	}
	return outs[0], true
}

// oneCell is the program as one cell: its file without the package
// clause, then a call of main.
func oneCell(src []byte) []string {
	s := string(src)
	if i := strings.Index(s, "package main"); i >= 0 {
		s = s[:i] + s[i+len("package main"):]
	}
	return []string{s + "\nmain()\n"}
}

// perDecl is the program as a notebook would hold it: the imports, then
// one cell per top-level declaration (with its doc comment) in the file's
// order, except main, which comes last (a cell can only use what earlier
// cells declared), then main().
func perDecl(src []byte) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return oneCell(src)
	}
	var cells []string
	var mainDecl string
	for _, d := range f.Decls {
		start := d.Pos()
		switch x := d.(type) {
		case *ast.FuncDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
		case *ast.GenDecl:
			if x.Doc != nil {
				start = x.Doc.Pos()
			}
		}
		text := string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset])
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			mainDecl = text
			continue
		}
		cells = append(cells, text)
	}
	return append(cells, mainDecl, "main()")
}

// session runs cells in a fresh session and returns what they printed on stdout, and the first
// error's text ("" if none).
func session(cells []string, limit time.Duration) (stdout, errText string) {
	s, err := interp.New(interp.Options{})
	if err != nil {
		return "", err.Error()
	}
	defer s.Shutdown()
	p := &collector{}
	for i, c := range cells {
		done := make(chan language.ExecuteResult, 1)
		go func() { done <- s.Execute(language.Cell{Code: c, ExecutionCount: i + 1}, p) }()
		select {
		case r := <-done:
			if r.Err != nil {
				return p.stdout(), r.Err.Name + ": " + r.Err.Value
			}
		case <-time.After(limit):
			s.Interrupt()
			<-done
			return p.stdout(), "timeout"
		}
	}
	return p.stdout(), ""
}

// collector keeps a cell's standard output.
type collector struct {
	mu  sync.Mutex
	out strings.Builder
}

func (c *collector) Stream(name, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if name == "stdout" {
		c.out.WriteString(text)
	}
}

func (c *collector) stdout() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

func (*collector) Display(language.Display) {}
func (*collector) ClearOutput(bool)         {}
func (*collector) Input(string, bool) (string, error) {
	return "", fmt.Errorf("no input in the corpus")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
