"""Protocol 5.5 as clients see it: kernel_protocol_version in the kernelspec,
supported_features in kernel_info_reply, iopub_welcome for a new
subscriber, and usage_request on control as jupyter-resource-usage sends it."""

from __future__ import annotations

import os
import queue
import socket
import time

from jupyter_client.kernelspec import KernelSpecManager

from conftest import KERNEL, TIMEOUT, execute


def test_kernelspec_says_protocol_5_5():
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.kernel_protocol_version == "5.5"


def test_kernel_info_reply_has_supported_features(kc):
    reply = kc.kernel_info(reply=True, timeout=TIMEOUT)
    assert reply["content"]["protocol_version"] == "5.5"
    assert reply["header"]["version"] == "5.5"
    # goawait has no debugger and no subshells: an empty list, not absent.
    assert reply["content"]["supported_features"] == []


def test_a_new_subscriber_is_welcomed(km):
    """A second client's first iopub message is iopub_welcome, without
    parent, naming its subscription (everything: "")."""
    other = km.client()
    other.start_channels()
    try:
        msg = other.get_iopub_msg(timeout=TIMEOUT)
        assert msg["msg_type"] == "iopub_welcome"
        assert msg["content"] == {"subscription": ""}
        assert msg["parent_header"] == {}
    finally:
        other.stop_channels()


def usage(kc) -> dict:
    """A usage_request on control, built as jupyter-resource-usage builds it."""
    request = kc.session.msg("usage_request", {})
    kc.control_channel.send(request)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            reply = kc.control_channel.get_msg(timeout=1)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            assert reply["msg_type"] == "usage_reply"
            return reply["content"]
    raise TimeoutError("no usage_reply")


def meminfo_total() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal")


def test_usage_request_reports_the_kernel_process(kc, km):
    usage(kc)  # CPU use is measured from one request to the next
    run = execute(kc, "n := 0\nfor i := range 3_000_000 { n += i % 7 }\nn")
    assert run.status == "ok", run.error()
    content = usage(kc)
    assert content["pid"] == km.provisioner.process.pid
    assert content["hostname"] == socket.gethostname()
    assert content["cpu_count"] == len(os.sched_getaffinity(0))
    assert content["kernel_cpu"] > 0  # the loop ran since the previous request
    assert content["kernel_memory"] > 0
    vm = content["host_virtual_memory"]
    assert vm["total"] == meminfo_total()
    assert 0 <= vm["available"] <= vm["total"]
    assert 0 <= vm["percent"] <= 100
    assert 0 <= content["host_cpu_percent"] <= 100
