// Command goawait is a Jupyter kernel for Go in which async and await work
// the way Python's asyncio works in a notebook.
//
// Usage:
//
//	goawait kernel <connection_file>   run the kernel (Jupyter starts it)
//	goawait kernel --kernel-id ...     run a kernel Enterprise Gateway launched remotely
//	goawait install [flags]            write the kernelspec so Jupyter finds it
//	goawait version                    print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/goawait/goawait/install"
	"github.com/goawait/goawait/internal/gateway"
)

// version is goawait's version, reported in kernel_info and by `goawait version`.
const version = "0.1.0"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `goawait is a Jupyter kernel for Go with async/await.

Usage:
  goawait kernel <connection_file>   run the kernel (Jupyter starts it this way)
  goawait install [flags]            install the kernelspec (see goawait install --help)
  goawait version                    print the version

Run 'goawait <command> --help' for a command's flags.
`

// run is main without os.Exit, so that tests can call it.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "kernel":
		return runKernel(args[1:], stderr)
	case "install":
		return runInstall(args[1:], stdout, stderr)
	case "version":
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		fs.SetOutput(stderr)
		fs.Usage = func() {
			fmt.Fprintln(stderr, "Usage: goawait version\n\nPrints goawait's version, the Go it runs and its platform.")
		}
		if err := fs.Parse(args[1:]); err != nil {
			return exitCode(err)
		}
		fmt.Fprintf(stdout, "goawait %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "goawait: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// exitCode is 0 for --help and 2 for other flag errors.
func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

func runInstall(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "install for the current user (default): $JUPYTER_DATA_DIR or the platform's Jupyter data dir")
	sysPrefix := fs.Bool("sys-prefix", false, "install into the active Python environment (sys.prefix/share/jupyter)")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter")
	name := fs.String("name", "goawait", "kernelspec `NAME` (the directory under kernels/)")
	display := fs.String("display-name", "Go (goawait)", "`TEXT` that front ends show for the kernel")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: goawait install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]\n\nWrites kernels/NAME/kernel.json and logos into a Jupyter data directory.\nRunning it again replaces the kernelspec.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitCode(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "goawait install: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	opts := install.Options{Where: install.User, Name: *name, DisplayName: *display}
	chosen := 0
	if *user {
		chosen++
	}
	if *sysPrefix {
		opts.Where = install.SysPrefix
		chosen++
	}
	if *prefix != "" {
		opts.Where, opts.Prefix = install.Prefix, *prefix
		chosen++
	}
	if chosen > 1 {
		fmt.Fprintln(stderr, "goawait install: choose one of --user, --sys-prefix and --prefix")
		return 2
	}
	res, err := install.Install(opts)
	if err != nil {
		fmt.Fprintf(stderr, "goawait install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Installed kernelspec %s in %s\n", *name, res.Dir)
	if res.OnSearchPath {
		fmt.Fprintln(stdout, "Jupyter will find it: `jupyter kernelspec list` shows it.")
	} else {
		fmt.Fprintf(stdout, "Warning: %s is not on Jupyter's search path; add %s to JUPYTER_PATH.\n",
			filepath.Dir(filepath.Dir(res.Dir)), filepath.Dir(filepath.Dir(res.Dir)))
	}
	return 0
}

func runKernel(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var launch gateway.Args
	launch.Flags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: goawait kernel <connection_file>
       goawait kernel --kernel-id ID --response-address HOST:PORT --public-key KEY [--port-range LOW..HIGH]

The first form runs the kernel on the ports of a Jupyter connection file: Jupyter
starts it this way. The second is how Jupyter Enterprise Gateway starts a kernel
on another host or in a Kubernetes pod (its remote-kernel launcher protocol): the
kernel listens on ports of the range, sends its connection info encrypted with the
public key to the response address, and takes the gateway's interrupt, poll and
shutdown requests on a port of its own. Without a connection file, flags not given
are read from the environment variables named below, as the gateway's kernel pods
receive them. The kernel's own log goes to standard error.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitCode(err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel()}))
	// The kernel handles SIGINT (interrupt) and SIGTERM (shutdown) itself.
	var err error
	switch {
	case fs.NArg() == 1 && launch == (gateway.Args{}):
		err = serveKernel(context.Background(), fs.Arg(0), logger)
	case fs.NArg() == 0 && launch.WithEnv(os.Getenv).Given():
		l, lerr := launch.WithEnv(os.Getenv).Launch()
		if lerr != nil {
			fmt.Fprintf(stderr, "goawait kernel: %v\n", lerr)
			return 2
		}
		err = serveGatewayKernel(context.Background(), l, logger)
	default:
		fs.Usage()
		return 2
	}
	if err != nil {
		logger.Error("kernel stopped", "err", err)
		return 1
	}
	return 0
}

// logLevel reads GOAWAIT_LOG (debug, info, warn, error). The default is
// warn: jupyter console shows the kernel's stderr in the user's terminal,
// where routine lines do not belong.
func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("GOAWAIT_LOG"))); err != nil {
		return slog.LevelWarn
	}
	return l
}

// parentPID is the Jupyter server's pid from JPY_PARENT_PID, or 0.
func parentPID() int {
	pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID"))
	if err != nil || pid <= 1 {
		return 0
	}
	return pid
}
