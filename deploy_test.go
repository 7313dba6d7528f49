package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The deploy/ files name the binary's commands and flags; these tests
// keep them in step with it (images cannot be built here).

// helpOf is `goawait <command> --help`.
func helpOf(t *testing.T, command string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if code := run([]string{command, "--help"}, &out, &errs); code != 0 {
		t.Fatalf("goawait %s --help: exit %d", command, code)
	}
	return out.String() + errs.String()
}

// hasFlag reports whether help (flag.PrintDefaults' output) defines flag.
func hasFlag(help, flag string) bool {
	return regexp.MustCompile(`(?m)^  -` + regexp.QuoteMeta(strings.TrimLeft(flag, "-")) + `( |$)`).MatchString(help)
}

type kernelspec struct {
	Argv          []string `json:"argv"`
	Language      string   `json:"language"`
	InterruptMode string   `json:"interrupt_mode"`
	Metadata      struct {
		ProcessProxy struct {
			ClassName string         `json:"class_name"`
			Config    map[string]any `json:"config"`
		} `json:"process_proxy"`
	} `json:"metadata"`
}

func readKernelspecs(t *testing.T) map[string]kernelspec {
	t.Helper()
	files, _ := filepath.Glob("deploy/kernelspecs/*/kernel.json")
	if len(files) < 2 {
		t.Fatalf("kernelspecs: %v", files)
	}
	specs := map[string]kernelspec{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s kernelspec
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		specs[filepath.Base(filepath.Dir(f))] = s
	}
	return specs
}

// launchPlaceholders are the gateway's substitutions for the four launch
// arguments, by flag (the same flags in goawait and in the gateway's pod
// launcher).
var launchPlaceholders = map[string]string{
	"--kernel-id": "{kernel_id}", "--response-address": "{response_address}",
	"--public-key": "{public_key}", "--port-range": "{port_range}",
}

// checkLaunchArgs checks that args pass each launch argument its placeholder.
func checkLaunchArgs(t *testing.T, name string, args []string) {
	t.Helper()
	given := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		given[args[i]] = args[i+1]
	}
	if len(given)*2 != len(args) || len(given) != len(launchPlaceholders) {
		t.Errorf("%s: launch arguments %q, want each of %v with its value", name, args, launchPlaceholders)
	}
	for flag, placeholder := range launchPlaceholders {
		if given[flag] != placeholder {
			t.Errorf("%s: %s is %q, want %q", name, flag, given[flag], placeholder)
		}
	}
}

func TestKernelspecsForEnterpriseGateway(t *testing.T) {
	kernelHelp := helpOf(t, "kernel")
	dockerfile := readFile(t, "deploy/Dockerfile")
	for name, s := range readKernelspecs(t) {
		if s.Language != "go" || s.InterruptMode != "signal" {
			t.Errorf("%s: language %q, interrupt_mode %q; want go and signal (interrupts go through the communication port)", name, s.Language, s.InterruptMode)
		}
		if !strings.HasPrefix(s.Metadata.ProcessProxy.ClassName, "enterprise_gateway.services.processproxies.") {
			t.Errorf("%s: process proxy %q", name, s.Metadata.ProcessProxy.ClassName)
		}
		switch {
		case filepath.Base(s.Argv[0]) == "goawait":
			// The distributed process proxy runs goawait on the cluster's hosts.
			if s.Argv[0] != "/usr/local/bin/goawait" || s.Argv[1] != "kernel" {
				t.Errorf("%s: argv %q, want /usr/local/bin/goawait kernel ...", name, s.Argv)
			}
			for _, a := range s.Argv[2:] {
				if strings.HasPrefix(a, "-") && !hasFlag(kernelHelp, a) {
					t.Errorf("%s: %s is not a flag of goawait kernel:\n%s", name, a, kernelHelp)
				}
			}
			checkLaunchArgs(t, name, s.Argv[2:])
		case len(s.Argv) > 1 && filepath.Base(s.Argv[1]) == "launch_kubernetes.py":
			// The gateway's pod launcher, copied into this kernelspec's
			// scripts/ by deploy/Dockerfile's enterprise-gateway target,
			// starts a pod of the kernel-pod image.
			want := "/usr/local/share/jupyter/kernels/" + name + "/scripts/launch_kubernetes.py"
			if s.Argv[1] != want {
				t.Errorf("%s: launcher %s, want %s", name, s.Argv[1], want)
			}
			if !strings.Contains(dockerfile, "/usr/local/share/jupyter/kernels/"+name+"/") {
				t.Errorf("%s: deploy/Dockerfile does not install this kernelspec", name)
			}
			checkLaunchArgs(t, name, s.Argv[2:])
			image, _ := s.Metadata.ProcessProxy.Config["image_name"].(string)
			if image != "goawait/goawait-kernel:"+version {
				t.Errorf("%s: image_name %q, want goawait/goawait-kernel:%s (the binary's version)", name, image, version)
			}
			if !strings.Contains(dockerfile, "--target kernel-pod -t "+image+" ") {
				t.Errorf("%s: deploy/Dockerfile's build command for the kernel pod does not tag %s", name, image)
			}
		default:
			t.Errorf("%s: argv %q runs neither goawait nor the gateway's pod launcher", name, s.Argv)
		}
	}
}

func TestKernelPodReadsTheGatewaysEnvironment(t *testing.T) {
	kernelHelp := helpOf(t, "kernel")
	// The variables the gateway's pod launcher (launch_kubernetes.py in
	// jupyter_enterprise_gateway 3.3) puts in the pod's environment.
	for _, env := range []string{"KERNEL_ID", "RESPONSE_ADDRESS", "PUBLIC_KEY", "PORT_RANGE"} {
		if !strings.Contains(kernelHelp, "$"+env) {
			t.Errorf("goawait kernel does not read $%s:\n%s", env, kernelHelp)
		}
	}
	stage := dockerStage(t, readFile(t, "deploy/Dockerfile"), "kernel-pod")
	if !strings.Contains(stage, `CMD ["/usr/local/bin/goawait", "kernel"]`) {
		t.Errorf("kernel-pod stage does not run `goawait kernel` (environment only) by absolute path:\n%s", stage)
	}
}

func TestDockerfileUsesTheBinarysCommandsAndGo(t *testing.T) {
	dockerfile := readFile(t, "deploy/Dockerfile")
	// Every `goawait <command> --flag` is a flag of that command.
	uses := regexp.MustCompile(`/usr/local/bin/goawait (\w+)((?: --?[\w-]+)*)`).FindAllStringSubmatch(dockerfile, -1)
	if len(uses) == 0 {
		t.Fatal("deploy/Dockerfile runs no goawait command")
	}
	for _, u := range uses {
		help := helpOf(t, u[1])
		for _, flag := range strings.Fields(u[2]) {
			if !hasFlag(help, flag) {
				t.Errorf("deploy/Dockerfile: goawait %s has no flag %s", u[1], flag)
			}
		}
	}
	// The images build with the Go of go.mod.
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readFile(t, "go.mod"))
	if goVersion == nil {
		t.Fatal("go.mod has no go directive")
	}
	if want := "ARG GO_IMAGE=golang:" + goVersion[1] + "-"; !strings.Contains(dockerfile, want) {
		t.Errorf("deploy/Dockerfile: no %q (go.mod's Go)", want)
	}
	for _, target := range []string{"build", "kernel-pod", "singleuser", "enterprise-gateway"} {
		dockerStage(t, dockerfile, target)
	}
}

// dockerStage is the text of the Dockerfile's stage named name.
func dockerStage(t *testing.T, dockerfile, name string) string {
	t.Helper()
	_, rest, ok := strings.Cut(dockerfile, " AS "+name+"\n")
	if !ok {
		t.Fatalf("deploy/Dockerfile has no stage %s", name)
	}
	stage, _, _ := strings.Cut(rest, "\nFROM ")
	return stage
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
