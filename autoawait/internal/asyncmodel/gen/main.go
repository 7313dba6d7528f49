// Command gen writes the models of the asyncio library that package
// autoawait works with (see package asyncmodel). "go generate
// ./autoawait" runs it in autoawait's directory.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/goawait/goawait/autoawait/internal/asyncmodel"
)

func main() {
	files, err := asyncmodel.Generate()
	if err == nil {
		err = write(files)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "asyncmodel:", err)
		os.Exit(1)
	}
}

// write stores the models where autoawait reads them, relative to the
// current directory (autoawait's).
func write(files asyncmodel.Files) error {
	for path, data := range map[string][]byte{
		asyncmodel.GenericPath: files.Generic,
		asyncmodel.PlainPath:   files.Plain,
	} {
		if err := os.WriteFile(filepath.FromSlash(path), data, 0o644); err != nil {
			return fmt.Errorf("write the model: %w", err)
		}
	}
	return nil
}
