// Package stdlib holds yaegi symbol tables for the standard library of the
// Go release that generated them (see the go:generate line), so that cells
// can use what that release added after yaegi's own tables stop (Go 1.22).
package stdlib

//go:generate go run ../genstdlib

import (
	"io"
	"log"
	"os"
	"reflect"
)

// Symbols maps "importpath/name" to the package's exported symbols, the
// shape interp.Interpreter.Use expects.
var Symbols = map[string]map[string]reflect.Value{}

// MapTypes is filled by the generated tables for functions that treat some
// interfaces specially (fmt.Stringer...). It is empty here: yaegi applies its
// own mapping when the fmt table is used.
var MapTypes = map[reflect.Value][]reflect.Type{}

// ExitCode is the panic value of os.Exit inside the interpreter: cells must
// not end the kernel's process.
type ExitCode int

// osExit replaces os.Exit (the extractor refers to it by this name).
func osExit(code int) { panic(ExitCode(code)) }

// osFindProcess replaces os.FindProcess so that a cell cannot signal the
// kernel's own process.
func osFindProcess(pid int) (*os.Process, error) {
	if pid == os.Getpid() {
		return nil, os.ErrPermission
	}
	return os.FindProcess(pid)
}

// The log.Fatal family panics instead of exiting.
func logFatal(v ...any)            { log.Panic(v...) }
func logFatalf(f string, v ...any) { log.Panicf(f, v...) }
func logFatalln(v ...any)          { log.Panicln(v...) }

// logLogger wraps *log.Logger so that its Fatal methods panic.
type logLogger struct{ l *log.Logger }

func logNew(out io.Writer, prefix string, flag int) *logLogger {
	return &logLogger{log.New(out, prefix, flag)}
}

// Fatal panics (instead of exiting) after logging.
func (l *logLogger) Fatal(v ...any) { l.l.Panic(v...) }

// Fatalf panics (instead of exiting) after logging.
func (l *logLogger) Fatalf(f string, v ...any) { l.l.Panicf(f, v...) }

// Fatalln panics (instead of exiting) after logging.
func (l *logLogger) Fatalln(v ...any) { l.l.Panicln(v...) }

// Flags forwards to the wrapped logger.
func (l *logLogger) Flags() int { return l.l.Flags() }

// Output forwards to the wrapped logger.
func (l *logLogger) Output(d int, s string) error { return l.l.Output(d, s) }

// Panic forwards to the wrapped logger.
func (l *logLogger) Panic(v ...any) { l.l.Panic(v...) }

// Panicf forwards to the wrapped logger.
func (l *logLogger) Panicf(f string, v ...any) { l.l.Panicf(f, v...) }

// Panicln forwards to the wrapped logger.
func (l *logLogger) Panicln(v ...any) { l.l.Panicln(v...) }

// Prefix forwards to the wrapped logger.
func (l *logLogger) Prefix() string { return l.l.Prefix() }

// Print forwards to the wrapped logger.
func (l *logLogger) Print(v ...any) { l.l.Print(v...) }

// Printf forwards to the wrapped logger.
func (l *logLogger) Printf(f string, v ...any) { l.l.Printf(f, v...) }

// Println forwards to the wrapped logger.
func (l *logLogger) Println(v ...any) { l.l.Println(v...) }

// SetFlags forwards to the wrapped logger.
func (l *logLogger) SetFlags(flag int) { l.l.SetFlags(flag) }

// SetOutput forwards to the wrapped logger.
func (l *logLogger) SetOutput(w io.Writer) { l.l.SetOutput(w) }

// SetPrefix forwards to the wrapped logger.
func (l *logLogger) SetPrefix(p string) { l.l.SetPrefix(p) }

// Writer forwards to the wrapped logger.
func (l *logLogger) Writer() io.Writer { return l.l.Writer() }
