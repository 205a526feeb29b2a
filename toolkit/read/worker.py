"""Run one read in a forked worker process with a time limit and a memory limit.

Why a process and not a thread or a try/except: a hostile or broken PDF can make the C
parser loop, allocate without bound, or crash; none of that can be caught in-process.
The worker is forked (it starts in milliseconds, with pdfium already loaded), caps its
address space with RLIMIT_AS, leads its own process group (so Tesseract, started from it,
dies with it), and is killed when the time is up. Whatever happens, the parent gets an
`Outcome`, never an exception.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from toolkit.errors import ReadError

MB = 1024 * 1024
OOM_MARGIN = 128 * MB  # a crash this close to the address-space limit is taken as out of memory


@dataclass
class Outcome:
    """What came back: `value` on success, else a `reason` code, message key and parameters."""

    value: Any = None
    reason: str | None = None
    key: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


def _vm_bytes() -> int:
    """This process's virtual memory size (what RLIMIT_AS limits)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Any, peak: Any, limit: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    os.setpgrp()  # Tesseract and anything else started from here is killed with the group
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a read stops
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass

    def progress(_page: int) -> None:
        peak.value = max(peak.value, _vm_bytes())

    try:
        message: tuple[Any, ...] = ("ok", fn(*args, on_progress=progress))
    except ReadError as exc:
        message = ("error", exc.reason, exc.key, exc.params)
    except MemoryError:
        message = ("oom",)
    except RecursionError:
        message = ("error", "damaged", "read.error.damaged", {"detail": "too deeply nested"})
    except Exception as exc:  # a parser bug or a file it chokes on: reported, never raised
        message = ("error", "damaged", "read.error.damaged", {"detail": f"{type(exc).__name__}: {exc}"[:200]})
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("oom",))
    finally:
        conn.close()


def run_limited(fn: Callable[..., Any], args: tuple[Any, ...], timeout_s: float, memory_mb: int) -> Outcome:
    """Run fn(*args, on_progress=...) in a forked worker; its return value must pickle."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    peak = ctx.Value("q", 0, lock=False)
    limit = _vm_bytes() + memory_mb * MB if memory_mb > 0 else 0
    proc = ctx.Process(target=_child, args=(sender, peak, limit, fn, args), daemon=True)
    proc.start()
    sender.close()
    message: tuple[Any, ...] | None = None
    deadline = time.monotonic() + timeout_s
    try:
        if receiver.poll(max(0.0, timeout_s)):
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                message = None  # the worker died before it could answer
        elif proc.is_alive():
            _kill(proc)
            return Outcome(reason="timed_out", key="read.error.timed_out", params={"seconds": _seconds(timeout_s)})
    finally:
        receiver.close()
    proc.join(max(1.0, deadline - time.monotonic() + 1.0))
    if proc.is_alive():
        _kill(proc)
    if message is None:
        code = proc.exitcode if proc.exitcode is not None else 0
        if limit and peak.value + OOM_MARGIN >= limit:
            return Outcome(reason="out_of_memory", key="read.error.out_of_memory", params={"limit": memory_mb})
        if code < 0 and -code in (signal.SIGKILL, signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGTRAP) and memory_mb and memory_mb < 256:
            return Outcome(reason="out_of_memory", key="read.error.out_of_memory", params={"limit": memory_mb})
        name = signal.Signals(-code).name if code < 0 and -code in signal.Signals._value2member_map_ else str(code)
        return Outcome(reason="damaged", key="read.error.crashed", params={"signal": name})
    if message[0] == "ok":
        return Outcome(value=message[1])
    if message[0] == "oom":
        return Outcome(reason="out_of_memory", key="read.error.out_of_memory", params={"limit": memory_mb})
    _, reason, key, params = message
    return Outcome(reason=reason, key=key, params=params)


def _seconds(value: float) -> str:
    return f"{value:g}"


def _kill(proc: Any) -> None:
    """Kill the worker's whole process group (it and any Tesseract it started)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except (ProcessLookupError, AttributeError):
            pass
    proc.join(5)
