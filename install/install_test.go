package install

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallPrefixWritesSpecAndLogos(t *testing.T) {
	dir := t.TempDir()
	res, err := Install(Options{Where: Prefix, Prefix: dir, Executable: "/opt/bin/goawait"})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "share", "jupyter", "kernels", "goawait")
	if res.Dir != want {
		t.Fatalf("dir = %s, want %s", res.Dir, want)
	}
	raw, err := os.ReadFile(filepath.Join(want, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Argv[0] != "/opt/bin/goawait" || spec.Argv[1] != "kernel" || spec.Argv[2] != "{connection_file}" {
		t.Fatalf("argv = %v", spec.Argv)
	}
	if spec.DisplayName != "Go (goawait)" || spec.Language != "go" || spec.InterruptMode != "message" {
		t.Fatalf("spec = %+v", spec)
	}
	if spec.KernelProtocolVersion != "5.5" {
		t.Fatalf("kernel_protocol_version = %q, want 5.5", spec.KernelProtocolVersion)
	}
	for _, size := range []int{32, 64} {
		name := filepath.Join(want, "logo-"+map[int]string{32: "32x32", 64: "64x64"}[size]+".png")
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Fatalf("%s is %v", name, img.Bounds())
		}
	}
	if _, err := os.Stat(filepath.Join(want, "logo-svg.svg")); err != nil {
		t.Fatal(err)
	}
}

func TestInstallUserHonoursJupyterDataDirAndReplaces(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", dir)
	t.Setenv("JUPYTER_PATH", dir)
	for _, display := range []string{"First", "Second"} {
		if _, err := Install(Options{Where: User, Name: "go-test", DisplayName: display, Executable: "/x/goawait"}); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "kernels", "go-test", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.DisplayName != "Second" {
		t.Fatalf("display name = %q, want the second install's", spec.DisplayName)
	}
}

func TestInstallRejectsBadName(t *testing.T) {
	if _, err := Install(Options{Where: Prefix, Prefix: t.TempDir(), Name: "a/b"}); err == nil {
		t.Fatal("a name with a slash should be refused")
	}
}
