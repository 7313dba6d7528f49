"""goawait launched by Jupyter Enterprise Gateway's own code.

The gateway's RemoteKernelManager and DistributedProcessProxy (from PyPI,
pinned in tests/gateway/requirements.txt) start goawait with the kernelspec
in deploy/kernelspecs/goawait_distributed on this host, as they would over
ssh on a cluster's hosts: the gateway's response manager receives and
decrypts the connection info, jupyter_client connects to the kernel with
it, and the gateway interrupts, polls and shuts the kernel down through the
kernel's communication port.

These tests run in their own virtual environment (the gateway pins
jupyter_client 6 and jupyter_server 1): ./test.sh gateway.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOAWAIT = os.environ.get("GOAWAIT_BIN", str(ROOT / ".build" / "goawait"))
SPEC = "goawait_distributed"
PORT_RANGE = (46000, 47999)  # the gateway wants at least 1000 ports
TIMEOUT = 60

# The gateway's modules read their settings when imported: answer on the
# loopback interface, write kernel logs where the test reads them, and
# restrict kernels to the port range.
LOG_DIR = tempfile.mkdtemp(prefix="goawait-eg-logs-")
os.environ["EG_RESPONSE_IP"] = "127.0.0.1"
os.environ["EG_KERNEL_LOG_DIR"] = LOG_DIR
os.environ["EG_PORT_RANGE"] = "%d..%d" % PORT_RANGE
os.environ["GOAWAIT_LOG"] = "info"  # the kernel logs each request of the communication port

from enterprise_gateway.services.kernels.remotemanager import RemoteKernelManager  # noqa: E402
from jupyter_client import BlockingKernelClient  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402


@pytest.fixture(scope="module")
def loop():
    """One event loop for the module: the gateway's response manager is a
    singleton whose periodic callback lives on the loop that created it."""
    lp = asyncio.new_event_loop()
    yield lp
    lp.close()


@pytest.fixture
def kernelspecs(tmp_path):
    """deploy/kernelspecs/goawait_distributed, with the goawait under test."""
    spec = json.loads((ROOT / "deploy" / "kernelspecs" / SPEC / "kernel.json").read_text())
    assert spec["argv"][0] == "/usr/local/bin/goawait", "the README tells admins to install goawait there"
    spec["argv"][0] = GOAWAIT
    (tmp_path / SPEC).mkdir()
    (tmp_path / SPEC / "kernel.json").write_text(json.dumps(spec))
    return KernelSpecManager(kernel_dirs=[str(tmp_path)])


def start(loop, kernelspecs) -> RemoteKernelManager:
    km = RemoteKernelManager(kernel_spec_manager=kernelspecs, kernel_name=SPEC)
    # The gateway refuses to start kernels for root unless told whose they are.
    loop.run_until_complete(km.start_kernel(env=dict(os.environ, KERNEL_USERNAME="goawait-test")))
    return km


def kernel_log(km) -> str:
    return Path(LOG_DIR, f"kernel-{km.kernel_id}.log").read_text()


def in_range(port) -> bool:
    return PORT_RANGE[0] <= port <= PORT_RANGE[1]


def connect(km) -> BlockingKernelClient:
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    kc.wait_for_ready(timeout=TIMEOUT)
    return kc


def run(kc, code: str) -> tuple[dict, str]:
    """Runs a cell; returns its reply's content and its stdout."""
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            out.append(msg["content"]["text"])

    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=hook)
    return reply["content"], "".join(out)


def wait_output(kc, msg_id: str, text: str):
    """Waits for the cell msg_id to print text: from then on its code runs
    (an interrupt that comes before the interpreter starts a cell is lost,
    so waiting for the busy status is not enough)."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "stream"
            and text in msg["content"]["text"]
        ):
            return
    pytest.fail(f"the cell never printed {text!r}")


def port_answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return True
    except OSError:
        return False


def test_gateway_starts_runs_interrupts_and_shuts_down_goawait(loop, kernelspecs):
    km = start(loop, kernelspecs)
    proxy = km.process_proxy
    proc = proxy.local_proc
    try:
        # What the gateway decrypted: the kernel's ports and its own
        # communication port, all in the range, and the launched process's id.
        ports = [km.shell_port, km.iopub_port, km.stdin_port, km.hb_port, km.control_port, proxy.comm_port]
        assert all(in_range(p) for p in ports), ports
        assert len(set(ports)) == 6, ports
        assert proxy.pid == proc.pid
        assert proxy.send_signal(0) is None, "the liveness poll through the communication port"

        kc = connect(km)
        try:
            reply, out = run(kc, 'import "fmt"\nanswer := 6 * 7\nfmt.Println("answer", answer)')
            assert reply["status"] == "ok", reply
            assert out == "answer 42\n"
            reply, out = run(kc, 'import "time"\nawait asyncio.Sleep(10 * time.Millisecond)\nfmt.Println("awaited")')
            assert (reply["status"], out) == ("ok", "awaited\n"), reply

            # Interrupt: jupyter_client asks the gateway, which sends SIGINT
            # through the communication port (the kernelspec's interrupt_mode
            # is signal).
            msg_id = kc.execute('fmt.Println("sleeping")\ntime.Sleep(time.Hour)')
            wait_output(kc, msg_id, "sleeping")
            loop.run_until_complete(km.interrupt_kernel())
            reply = kc.get_shell_msg(timeout=TIMEOUT)
            assert reply["parent_header"]["msg_id"] == msg_id
            assert reply["content"]["status"] == "error", reply["content"]
            assert "communication port: interrupt" in kernel_log(km)
            reply, out = run(kc, 'fmt.Println("still", answer)')
            assert (reply["status"], out) == ("ok", "still 42\n"), "the session survives the interrupt"
        finally:
            kc.stop_channels()

        comm_port = proxy.comm_port
        loop.run_until_complete(km.shutdown_kernel())
        assert proc.wait(timeout=TIMEOUT) == 0, kernel_log(km)
        assert not port_answers(comm_port)
    finally:
        stop(loop, km, proc)


def stop(loop, km, proc):
    """Ends a kernel a failed test left running."""
    if proc.poll() is None:
        try:
            loop.run_until_complete(km.shutdown_kernel(now=True))
        finally:
            if proc.poll() is None:
                proc.kill()


def test_gateway_shutdown_request_alone_stops_the_kernel(loop, kernelspecs):
    """The communication port's shutdown request, as the gateway's base
    remote proxy sends it (with no shutdown_request before it and no
    SIGTERM), stops the kernel: the gateway takes a closed port for a dead
    kernel and would never reach it again."""
    from enterprise_gateway.services.processproxies.processproxy import RemoteProcessProxy

    km = start(loop, kernelspecs)
    proc = km.process_proxy.local_proc
    try:
        RemoteProcessProxy.shutdown_listener(km.process_proxy)
        assert proc.wait(timeout=TIMEOUT) == 0, kernel_log(km)
        assert "communication port: shutdown" in kernel_log(km)
        assert km.process_proxy.send_signal(0) is False, "the liveness poll finds the kernel gone"
    finally:
        stop(loop, km, proc)


def test_gateway_kill_through_the_communication_port(loop, kernelspecs):
    """shutdown_kernel(now=True) makes jupyter_client send SIGKILL, which the
    gateway passes through the communication port: the process dies of it."""
    km = start(loop, kernelspecs)
    proc = km.process_proxy.local_proc
    try:
        loop.run_until_complete(km.shutdown_kernel(now=True))
        assert proc.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        stop(loop, km, proc)


def test_goawait_kernel_help_documents_the_launch_flags():
    """The flags the kernelspec passes are the binary's."""
    spec = json.loads((ROOT / "deploy" / "kernelspecs" / SPEC / "kernel.json").read_text())
    helptext = subprocess.run([GOAWAIT, "kernel", "--help"], capture_output=True, text=True).stderr
    flags = [a for a in spec["argv"] if a.startswith("--")]
    assert flags, spec["argv"]
    for flag in flags:
        assert "\n  " + flag[1:] + " " in helptext, (flag, helptext)


def test_every_deploy_kernelspec_names_a_process_proxy_of_the_gateway():
    from unittest.mock import patch

    from enterprise_gateway.services.kernels.remotemanager import import_item
    from enterprise_gateway.services.processproxies.processproxy import RemoteProcessProxy

    specs = sorted((ROOT / "deploy" / "kernelspecs").glob("*/kernel.json"))
    assert len(specs) >= 2
    # The Kubernetes proxy reads the cluster's configuration when imported.
    with patch("kubernetes.config.load_incluster_config"), patch("kubernetes.config.load_kube_config"):
        for spec in specs:
            name = json.loads(spec.read_text())["metadata"]["process_proxy"]["class_name"]
            assert issubclass(import_item(name), RemoteProcessProxy), name


def kernel_pod_command() -> list[str]:
    """The CMD of deploy/Dockerfile's kernel-pod stage, with the goawait under test."""
    stage = (ROOT / "deploy" / "Dockerfile").read_text().split(" AS kernel-pod\n")[1].split("\nFROM ")[0]
    cmd = json.loads(next(line for line in stage.splitlines() if line.startswith("CMD "))[4:])
    assert cmd[0] == "/usr/local/bin/goawait"
    return [GOAWAIT] + cmd[1:]


def test_kernel_pod_command_reports_with_the_gateways_environment(loop):
    """A kernel pod runs `goawait kernel` with the launch arguments in the
    environment that the gateway's pod launcher gives it; the gateway's
    response manager receives and decrypts what it sends."""
    from enterprise_gateway.services.processproxies.processproxy import ResponseManager

    kernel_id = str(uuid.uuid4())

    async def launch():
        rm = ResponseManager.instance()
        rm.register_event(kernel_id)
        env = dict(
            os.environ,
            KERNEL_ID=kernel_id,
            RESPONSE_ADDRESS=rm.response_address,
            PUBLIC_KEY=rm.public_key,
            PORT_RANGE="%d..%d" % PORT_RANGE,
        )
        proc = subprocess.Popen(kernel_pod_command(), env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                return proc, await rm.get_connection_info(kernel_id)
            except asyncio.TimeoutError:
                if proc.poll() is not None:
                    pytest.fail("the kernel exited: " + proc.stderr.read())
        proc.kill()
        pytest.fail("no connection info from the kernel")

    proc, info = loop.run_until_complete(launch())
    try:
        assert info["kernel_id"] == kernel_id and info["pid"] == proc.pid
        assert all(in_range(info[p]) for p in ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port", "comm_port"))
        info["ip"] = "127.0.0.1"  # the gateway puts the pod's address here
        kc = BlockingKernelClient()
        kc.load_connection_info(info)
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=TIMEOUT)
            reply, out = run(kc, 'import "fmt"\nfmt.Println("in a pod")')
            assert (reply["status"], out) == ("ok", "in a pod\n"), reply
        finally:
            kc.stop_channels()
        # The gateway's shutdown request on the communication port.
        with socket.create_connection(("127.0.0.1", info["comm_port"]), timeout=TIMEOUT) as s:
            s.sendall(json.dumps({"shutdown": 1}).encode())
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
