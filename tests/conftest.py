"""Shared fixtures: a goawait kernel started by jupyter_client, as front ends do.

Tests check behaviour, never speed: they must pass on a busy 2-core machine.
A test that waits for the kernel waits for an event (a message, a line of
output), with a timeout only to guard against a hang. Durations and memory
figures a test measures go through the soak_bound fixture: printed on every
run, enforced only by ./soak.sh (GOAWAIT_SOAK=1).
"""

from __future__ import annotations

import json
import os
import queue
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from jupyter_client.manager import start_new_kernel

KERNEL = "goawait"
TIMEOUT = 30
SOAK = bool(os.environ.get("GOAWAIT_SOAK"))


def stream_of(msgs: list, name: str = "stdout") -> str:
    """The text of the stream messages called name among msgs."""
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == name)


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
        return stream_of(self.iopub, name)

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


def wait_iopub(kc, msg_id: str, until, timeout: float = TIMEOUT) -> list:
    """Reads iopub into the mailbox until until(msgs) is true of the messages
    of msg_id that collect has not claimed yet, and returns them. They stay
    in the mailbox: a later collect(kc, msg_id) still gets them."""
    box = _mailbox(kc)["iopub"]
    deadline = time.monotonic() + timeout
    while not until(msgs := box.get(msg_id, [])):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s on iopub for {msg_id}; got {msgs}")
        _pump(kc, "iopub", 0.05)
    return msgs


def wait_stream(kc, msg_id: str, text: str, name: str = "stdout", timeout: float = TIMEOUT) -> list:
    """Reads iopub until the unclaimed output of msg_id on stream name
    contains text: a cell that prints a marker (fmt.Println("started"))
    before it blocks is known to be running, without guessing how long it
    takes to start. After collect, it waits for output that arrives late
    (a background task's, with the msg_id of the cell that started it)."""
    return wait_iopub(kc, msg_id, lambda msgs: text in stream_of(msgs, name), timeout)


def execute(kc, code: str, timeout: float = TIMEOUT, stdin=None, **kw) -> Run:
    allow = stdin is not None
    msg_id = kc.execute(code, allow_stdin=allow, **kw)
    return collect(kc, msg_id, timeout=timeout, stdin=stdin)


@contextmanager
def control_socket(km):
    """A control connection of its own to km's kernel, as a second front end
    has, closed after use (a plain socket: no channel threads)."""
    sock = km.connect_control()
    try:
        yield sock
    finally:
        sock.close(linger=0)


def control_replies(km, sock, msg_type: str, n: int = 1, timeout: float = TIMEOUT) -> list:
    """Sends n requests of msg_type on sock, one right after the other, and
    returns their replies in the same order: once they are in, the kernel
    has handled the requests."""
    sent = [km.session.send(sock, msg_type, {})["header"]["msg_id"] for _ in range(n)]
    replies = {}
    deadline = time.monotonic() + timeout
    while len(replies) < n:
        left = deadline - time.monotonic()
        if left <= 0 or not sock.poll(int(left * 1000)):
            raise TimeoutError(f"no reply to {msg_type} in {timeout} s; got {list(replies.values())}")
        _, msg = km.session.recv(sock)
        replies[msg["parent_header"].get("msg_id")] = msg
    return [replies[msg_id] for msg_id in sent]


def record(name: str, **values):
    """Appends a result for soak.sh's table (GOAWAIT_SOAK_RESULTS)."""
    path = os.environ.get("GOAWAIT_SOAK_RESULTS")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({"name": name, **values}) + "\n")


def pytest_configure(config):
    config.addinivalue_line("markers", "measured: measures a duration or memory figure (soak_bound); ./soak.sh runs it")


def pytest_collection_modifyitems(items):
    for item in items:
        if "soak_bound" in getattr(item, "fixturenames", ()):
            item.add_marker("measured")


@pytest.fixture
def soak_bound(capsys):
    """check(what, value, bound, unit="s"): prints a figure a test measured
    (how long an interrupt took, how much RSS grew) and its bound. Only
    ./soak.sh (GOAWAIT_SOAK=1) fails the test when value > bound: on a busy
    machine a duration or an RSS says how busy the machine is, so a test
    asserts the behaviour and leaves the figure to the soak, which records it
    for its table too."""

    def check(what: str, value: float, bound: float, unit: str = "s") -> None:
        with capsys.disabled():
            where = "enforced" if SOAK else "enforced by ./soak.sh"
            shown = f"{value:g}" if float(value).is_integer() else f"{value:.3f}"
            print(f"\n{what}: {shown} {unit} (bound {bound:g} {unit}, {where})", end="")
        record("bound", what=what, value=round(value, 3), bound=bound, unit=unit)
        if SOAK:
            assert value <= bound, f"{what}: {value:.3f} {unit}, over the bound of {bound:g} {unit}"

    return check


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
