package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The tests in this file keep the house's layout as docs/decisions.md
// describes it: which package may depend on which, and how big a package may
// grow before it is split by job.

// listedPackage is the part of `go list -json` these tests read.
type listedPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	Deps       []string
	Imports    []string
}

// goList runs `go list -deps=false -json` (or with -deps) on patterns.
func goList(t *testing.T, deps bool, patterns ...string) []listedPackage {
	t.Helper()
	args := []string{"list", "-json"}
	if deps {
		args = append(args, "-deps")
	}
	out, err := exec.Command("go", append(args, patterns...)...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list %v: %v\n%s", patterns, err, stderr)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listedPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestLanguageSeamImportsOnlyTheStandardLibrary: the seam between the
// protocol server and a language is a leaf, so that either side can be
// built, tested and replaced without the other.
func TestLanguageSeamImportsOnlyTheStandardLibrary(t *testing.T) {
	for _, p := range goList(t, true, "./language") {
		if !p.Standard && p.ImportPath != "github.com/goawait/goawait/language" {
			t.Errorf("package language depends on %s; it may use the standard library only", p.ImportPath)
		}
	}
}

// TestOnlyTheKernelReachesZeroMQ: the session, the display package and the
// async runtime never depend on the transport.
func TestOnlyTheKernelReachesZeroMQ(t *testing.T) {
	for _, pattern := range []string{"./interp/...", "./display/...", "./autoawait/...", "./language/..."} {
		for _, root := range goList(t, false, pattern) {
			for _, dep := range goList(t, true, root.ImportPath) {
				if strings.HasPrefix(dep.ImportPath, "github.com/go-zeromq/") {
					t.Errorf("%s depends on %s", root.ImportPath, dep.ImportPath)
				}
			}
		}
	}
}

// TestNoPackageOutgrowsItsJob fails when a package's non-test, non-generated
// code passes maxPackageLines: past that size a package is doing more than
// one job and should be split (docs/decisions.md lists the rooms).
func TestNoPackageOutgrowsItsJob(t *testing.T) {
	const maxPackageLines = 2600
	for _, p := range goList(t, false, "./...") {
		lines := 0
		for _, name := range p.GoFiles {
			n, generated := countLines(t, filepath.Join(p.Dir, name))
			if !generated {
				lines += n
			}
		}
		if lines > maxPackageLines {
			t.Errorf("%s has %d lines of non-generated code (at most %d): split it by job", p.ImportPath, lines, maxPackageLines)
		}
	}
}

// countLines counts the lines of a Go file and tells whether it carries the
// standard "Code generated ... DO NOT EDIT." header.
func countLines(t *testing.T, path string) (lines int, generated bool) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "// Code generated ") && strings.HasSuffix(line, " DO NOT EDIT.") {
			generated = true
		}
		lines++
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return lines, generated
}
