"""Shared fixtures: a goawait kernel started by jupyter_client, as front ends do."""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass, field

import pytest
from jupyter_client.manager import start_new_kernel

KERNEL = "goawait"
TIMEOUT = 30


@dataclass
class Run:
    """What a front end sees for one execute_request."""

    msg_id: str
    reply: dict
    iopub: list = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    def stream(self, name: str = "stdout") -> str:
        return "".join(
            m["content"]["text"] for m in self.iopub if m["msg_type"] == "stream" and m["content"]["name"] == name
        )

    def of_type(self, msg_type: str) -> list:
        return [m for m in self.iopub if m["msg_type"] == msg_type]

    def result(self) -> str | None:
        res = self.of_type("execute_result")
        return res[0]["content"]["data"]["text/plain"] if res else None

    def error(self) -> dict | None:
        errs = self.of_type("error")
        return errs[0]["content"] if errs else None


def _mailbox(kc) -> dict:
    """Messages read from the channels but not yet claimed, by parent msg_id:
    waiting for one request must not lose another request's messages."""
    if not hasattr(kc, "_goawait_mailbox"):
        kc._goawait_mailbox = {"shell": {}, "iopub": {}}
    return kc._goawait_mailbox


def _pump(kc, channel: str, timeout: float) -> bool:
    """Read one message of channel into the mailbox; False on timeout."""
    ch = kc.shell_channel if channel == "shell" else kc.iopub_channel
    try:
        msg = ch.get_msg(timeout=timeout)
    except queue.Empty:
        return False
    parent = msg["parent_header"].get("msg_id")
    _mailbox(kc)[channel].setdefault(parent, []).append(msg)
    return True


def collect(kc, msg_id: str, timeout: float = TIMEOUT, stdin=None) -> Run:
    """Wait for the reply to msg_id and its iopub messages up to idle."""
    box = _mailbox(kc)
    deadline = time.monotonic() + timeout
    reply = None
    iopub = []
    idle = False
    while reply is None or not idle:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no reply/idle for {msg_id}: reply={reply is not None} idle={idle} iopub={iopub}")
        if stdin is not None:
            try:
                req = kc.stdin_channel.get_msg(timeout=0.01)
                kc.input(stdin(req))
            except queue.Empty:
                pass
        if reply is None and box["shell"].get(msg_id):
            reply = box["shell"][msg_id].pop(0)
        for msg in box["iopub"].pop(msg_id, []):
            if msg["msg_type"] == "status":
                idle = idle or msg["content"]["execution_state"] == "idle"
            else:
                iopub.append(msg)
        if reply is None or not idle:
            got = _pump(kc, "shell", 0.01) if reply is None else False
            while _pump(kc, "iopub", 0.01):
                pass
            if not got and reply is not None:
                time.sleep(0.005)
    return Run(msg_id, reply, iopub)


def execute(kc, code: str, timeout: float = TIMEOUT, stdin=None, **kw) -> Run:
    allow = stdin is not None
    msg_id = kc.execute(code, allow_stdin=allow, **kw)
    return collect(kc, msg_id, timeout=timeout, stdin=stdin)


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


@pytest.fixture
def kc(kernel):
    km, kc = kernel
    _mailbox(kc)["shell"].clear()
    _mailbox(kc)["iopub"].clear()
    # Drain leftovers of earlier tests.
    for ch in (kc.shell_channel, kc.iopub_channel, kc.stdin_channel):
        while True:
            try:
                ch.get_msg(timeout=0.01)
            except queue.Empty:
                break
    return kc


@pytest.fixture
def km(kernel):
    return kernel[0]
