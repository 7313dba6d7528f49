"""./lab.sh starts JupyterLab with goawait, also as root (where Jupyter
refuses to start without --allow-root)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_sh_serves_the_goawait_kernelspec(tmp_path):
    env = os.environ.copy()
    env.update(
        GOBIN=str(tmp_path / "bin"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_PLATFORM_DIRS="1",
    )
    port = free_port()
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        lab = subprocess.Popen(
            [str(ROOT / "lab.sh"), "--no-browser", f"--port={port}", "--ServerApp.port_retries=0"],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = None
        deadline = time.monotonic() + 300  # lab.sh builds goawait first
        while url is None:
            m = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", log.read_text())
            if m:
                url = m.group(1)
            elif lab.poll() is not None:
                raise AssertionError(f"lab.sh exited with {lab.returncode}:\n{log.read_text()}")
            elif time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not start:\n{log.read_text()}")
            else:
                time.sleep(0.2)
        token = url.split("token=")[1]
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/kernelspecs", headers={"Authorization": f"token {token}"}
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            specs = json.load(resp)["kernelspecs"]
        assert specs["goawait"]["spec"]["language"] == "go"
        assert Path(specs["goawait"]["spec"]["argv"][0]) == (tmp_path / "bin" / "goawait").resolve()
        if os.getuid() == 0:
            assert "Running as root is not recommended" not in log.read_text()
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=60)
