"""A timed Jupyter client: starts a kernel by kernelspec name and times requests.

It uses jupyter_client exactly as front ends do (KernelManager starts the
process from the kernelspec, a BlockingKernelClient builds and signs the
messages), but reads the shell and iopub sockets itself through one
zmq.Poller, so that the time a reply or an idle status arrives is taken the
moment it is read, not at the next tick of a polling loop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import zmq
from jupyter_client import KernelManager


class BenchError(Exception):
    """A kernel did not answer as the protocol says, or answered wrongly."""


class KernelDied(BenchError):
    """The kernel process is gone."""


@dataclass
class Exchange:
    """One request: its reply, its iopub messages and when they arrived.

    Times are seconds from just before the request was sent.
    """

    msg_id: str
    sent_at: float = 0.0  # perf_counter just before sending
    reply: dict | None = None
    to_reply: float | None = None
    to_idle: float | None = None
    client: float = 0.0  # seconds this client spent building, signing, sending and parsing
    iopub: list = field(default_factory=list)  # non-status iopub messages, in order

    @property
    def status(self) -> str:
        return self.reply["content"].get("status", "?") if self.reply else "no reply"

    def of_type(self, msg_type: str) -> list:
        return [m for m in self.iopub if m["msg_type"] == msg_type]

    def stream_text(self, name: str = "stdout") -> str:
        return "".join(m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == name)

    def result_text(self) -> str | None:
        res = self.of_type("execute_result")
        return res[0]["content"]["data"].get("text/plain") if res else None


class Kernel:
    """One kernel process started by kernelspec name, with a timed client."""

    def __init__(self, kernel_name: str, reconnect_ms: int | None = None, max_wait: float = 600):
        """Prepare (not start) a kernel of kernelspec kernel_name.

        reconnect_ms is the ZeroMQ reconnect interval of the client's sockets;
        None keeps libzmq's default (100 ms plus up to 100 ms of jitter), as
        every jupyter_client front end does. The client connects before the
        kernel listens, so startup times include one such wait.
        max_wait caps every wait for a reply or an idle status, in seconds.
        """
        self.name = kernel_name
        self.km = KernelManager(kernel_name=kernel_name)
        self.kc = None
        self._log = None
        self._ctx = None
        self.reconnect_ms = reconnect_ms
        self.max_wait = max_wait
        self.started_at = None  # perf_counter just before the process was spawned

    # -- life cycle ---------------------------------------------------------

    def start(self, log: str | None = None, **kw) -> None:
        """Spawn the process and connect the channels (does not wait).

        The kernel's stdout and stderr are appended to the file log, if given;
        kw goes to KernelManager.start_kernel (env, cwd).
        """
        if log:
            self._log = open(log, "ab")
            kw.update(stdout=self._log, stderr=self._log)
        self.started_at = time.perf_counter()
        self.km.start_kernel(**kw)
        if self.reconnect_ms is None:
            self.kc = self.km.client()
        else:
            self._ctx = zmq.Context()
            self._ctx.setsockopt(zmq.RECONNECT_IVL, self.reconnect_ms)
            self.kc = self.km.client(context=self._ctx)
        self.kc.start_channels()
        self._shell = self.kc.shell_channel.socket
        self._iopub = self.kc.iopub_channel.socket
        self._poller = zmq.Poller()
        self._poller.register(self._shell, zmq.POLLIN)
        self._poller.register(self._iopub, zmq.POLLIN)

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid

    def cmdline(self) -> list[str]:
        """The kernel process's argv, as the OS sees it."""
        with open(f"/proc/{self.pid}/cmdline", "rb") as f:
            return [a.decode() for a in f.read().split(b"\0") if a]

    def memory(self) -> dict:
        """VmRSS and VmHWM (peak RSS) of the kernel process, in MiB."""
        out = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    out[key] = int(value.split()[0]) / 1024  # kB -> MiB
        return out

    def shutdown(self) -> None:
        """Stop the kernel cleanly (shutdown_request), killing it if it lingers."""
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)
        finally:
            if self.km.has_kernel:  # still there: no mercy
                self.km.shutdown_kernel(now=True)
            if self._log:
                self._log.close()
            if self._ctx is not None:
                self._ctx.destroy(linger=0)

    # -- requests -----------------------------------------------------------

    def wait_ready(self, timeout: float = 60) -> float:
        """Wait like jupyter_client's wait_for_ready; return seconds from spawn to the first kernel_info_reply.

        The first kernel_info_reply proves the shell channel works; the kernel
        is ready once an iopub message of a kernel_info request arrives too
        (a PUB message sent before the SUB joined is lost, so ask again).
        """
        first = None
        timeout = min(timeout, self.max_wait)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError(f"{self.name}: not ready after {timeout} s")
            ex = self.request(self.kc.kernel_info, timeout=left, iopub_grace=0.2)
            if first is None:
                first = ex.sent_at + ex.to_reply - self.started_at
            if ex.to_idle is not None or ex.iopub:
                return first

    def execute(self, code: str, timeout: float = 60) -> Exchange:
        """Run a cell; return when both its execute_reply and its idle status arrived."""
        return self.request(lambda: self.kc.execute(code), timeout=timeout)

    def execute_interrupted(self, code: str, when: str, timeout: float = 60) -> Exchange:
        """Run a cell and interrupt the kernel once the cell printed when (as the kernelspec says to)."""
        def interrupt(ex: Exchange) -> bool:
            if when not in ex.stream_text():
                return False
            self.km.interrupt_kernel()
            return True

        return self.request(lambda: self.kc.execute(code), timeout=timeout, on_iopub=interrupt)

    def complete(self, code: str, cursor_pos: int, timeout: float = 30) -> Exchange:
        return self.request(lambda: self.kc.complete(code, cursor_pos), timeout=timeout)

    def inspect(self, code: str, cursor_pos: int, timeout: float = 30) -> Exchange:
        return self.request(lambda: self.kc.inspect(code, cursor_pos), timeout=timeout)

    def request(self, send: Callable[[], str], timeout: float, iopub_grace: float | None = None,
                on_iopub: Callable[[Exchange], bool] | None = None) -> Exchange:
        """Send one shell request and collect until its reply and its idle status.

        With iopub_grace, stop waiting for idle that many seconds after the
        reply (used while the iopub subscription may not be live yet).
        on_iopub is called after iopub messages of the request arrived, until
        it returns True.
        """
        timeout = min(timeout, self.max_wait)
        sent_at = time.perf_counter()
        ex = Exchange(send(), sent_at)
        ex.client = time.perf_counter() - sent_at
        deadline = sent_at + timeout
        while ex.reply is None or ex.to_idle is None:
            now = time.perf_counter()
            limit = deadline
            if iopub_grace is not None and ex.reply is not None:
                limit = min(limit, sent_at + ex.to_reply + iopub_grace)
            if now >= limit:
                if ex.reply is not None and iopub_grace is not None:
                    break
                raise BenchError(f"{self.name}: no {'reply' if ex.reply is None else 'idle'} within {timeout:.0f} s")
            events = dict(self._poller.poll(max(1, min(1000, int((limit - now) * 1000)))))
            if not events and not self.km.is_alive():
                raise KernelDied(f"{self.name}: the kernel process died (exit status {self.km.provisioner.process.poll()})")
            if self._shell in events:
                self._drain(self._shell, ex, sent_at)
            if self._iopub in events:
                self._drain(self._iopub, ex, sent_at)
                if on_iopub is not None and on_iopub(ex):
                    on_iopub = None
        return ex

    def _drain(self, sock, ex: Exchange, sent_at: float) -> None:
        """Read every message waiting on sock and file those that answer ex."""
        session = self.kc.session
        while True:
            start = time.perf_counter()
            _, msg = session.recv(sock, mode=zmq.NOBLOCK)
            now = time.perf_counter()
            ex.client += now - start
            if msg is None:
                return
            at = now - sent_at
            if msg["parent_header"].get("msg_id") != ex.msg_id:
                continue  # late messages of an earlier request
            if sock is self._shell:
                ex.reply, ex.to_reply = msg, at
            elif msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    ex.to_idle = at
            else:
                ex.iopub.append(msg)
