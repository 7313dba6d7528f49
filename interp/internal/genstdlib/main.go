// Command genstdlib writes yaegi symbol tables for the standard library of
// the Go toolchain that runs it, into the current directory (the package
// interp/internal/stdlib). It uses yaegi's extract package, so the tables
// follow the toolchain's release rather than the last one yaegi shipped.
//
// Usage, from interp/internal/stdlib: go run ../genstdlib
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strings"

	"github.com/traefik/yaegi/extract"
)

// skipped lists standard packages that get no table: packages that cannot
// be used from interpreted code (cgo, race, plugin, unsafe; syscall has a
// table, and the session replaces its Exit and Exec), test
// helpers of no use in a notebook, and packages made of generic code only,
// which the interpreter loads as source instead.
var skipped = map[string]bool{
	"plugin": true, "runtime/cgo": true, "runtime/race": true, "runtime/coverage": true,
	"unsafe": true, "crypto/mlkem/mlkemtest": true, "testing/cryptotest": true,
	"time/tzdata": true,
	"cmp":         true, "maps": true, "slices": true, "iter": true, "unique": true, "weak": true,
}

func main() {
	log.SetFlags(0)
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		log.Fatalf("go list std: %v", err)
	}
	ext := extract.Extractor{Dest: "stdlib"}
	n := 0
	for _, pkg := range strings.Fields(string(out)) {
		if skipped[pkg] || strings.Contains(pkg, "internal") || strings.HasPrefix(pkg, "vendor/") || strings.HasPrefix(pkg, "cmd/") {
			continue
		}
		var buf bytes.Buffer
		if _, err := ext.Extract(pkg, "", &buf); err != nil {
			log.Fatalf("extract %s: %v", pkg, err)
		}
		name := "zsym_" + strings.NewReplacer("/", "_", ".", "_").Replace(pkg) + ".go"
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			log.Fatalf("write %s: %v", name, err)
		}
		n++
	}
	fmt.Fprintf(os.Stderr, "genstdlib: %d packages\n", n)
}
