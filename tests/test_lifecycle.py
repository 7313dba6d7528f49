"""Install, start, restart and shut down the kernel as Jupyter does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL, TIMEOUT, execute

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("GOAWAIT_BIN", os.path.join(ROOT, ".build", "goawait"))
JUPYTER = os.path.join(os.path.dirname(sys.executable), "jupyter")


def test_kernelspec_is_listed_by_jupyter():
    out = subprocess.run([JUPYTER, "kernelspec", "list", "--json"], check=True, capture_output=True, text=True)
    specs = json.loads(out.stdout)["kernelspecs"]
    assert KERNEL in specs
    spec = specs[KERNEL]["spec"]
    assert spec["language"] == "go"
    assert spec["interrupt_mode"] == "message"
    assert spec["argv"][1:] == ["kernel", "{connection_file}"]
    assert os.path.isabs(spec["argv"][0])
    files = os.listdir(specs[KERNEL]["resource_dir"])
    assert {"kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} <= set(files)


def test_install_prefix_reports_search_path(tmp_path):
    out = subprocess.run([BIN, "install", "--prefix", str(tmp_path), "--name", "go-x"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    kdir = tmp_path / "share" / "jupyter" / "kernels" / "go-x"
    assert str(kdir) in out.stdout
    assert "not on Jupyter's search path" in out.stdout
    assert json.loads((kdir / "kernel.json").read_text())["display_name"] == "Go (goawait)"


def test_cli_help_and_version():
    out = subprocess.run([BIN, "version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("goawait ")
    for cmd in (["--help"], ["install", "--help"], ["kernel", "--help"]):
        res = subprocess.run([BIN, *cmd], capture_output=True, text=True)
        assert res.returncode == 0, cmd
        assert "Usage" in res.stdout + res.stderr
    res = subprocess.run([BIN, "kernel"], capture_output=True, text=True)
    assert res.returncode == 2


def test_restart_keeps_history_and_clears_state(tmp_path):
    km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
    try:
        marker = f"restartMarker{int(time.time() * 1000)}"
        assert execute(kc, f"{marker} := 1").status == "ok"
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=60)
        # State is gone after a restart ...
        run = execute(kc, marker)
        assert run.status == "error"
        # ... but history survives it.
        msg_id = kc.history(hist_access_type="search", pattern=f"{marker}*", output=False, raw=True)
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        assert reply["parent_header"]["msg_id"] == msg_id
        sources = [h[2] for h in reply["content"]["history"]]
        assert f"{marker} := 1" in sources
        assert km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert not km.is_alive()
