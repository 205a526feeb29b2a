"""Run reads in forked worker processes with a time limit and a memory limit.

Why a process and not a thread or a try/except: a hostile or broken PDF can make the C
parser loop, allocate without bound, or crash; none of that can be caught in-process.
A worker is forked (pdfium is already loaded), caps its address space with RLIMIT_AS,
leads its own process group (so Tesseract, started from it, dies with it), and is killed
with its group when a read runs over its time. Workers are kept warm and reused, because
forking one per file would cost more than reading a short file: a worker that timed out,
crashed or grew large is thrown away and the next read gets a fresh one. Whatever
happens, the caller gets an `Outcome`, never an exception.
"""

from __future__ import annotations

import faulthandler
import math
import mmap
import multiprocessing
import os
import resource
import signal
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ReadError

MB = 1024 * 1024
OOM_MARGIN = 128 * MB  # a crash this close to the address-space limit is taken as out of memory
RETIRE_AFTER_JOBS = 200  # a worker is replaced after this many reads, to bound any slow leak
RETIRE_SHARE = 0.5  # ... or once it has grown past this share of its memory allowance
IDLE_WORKERS = 4  # warm workers kept per memory limit


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


def _run_job(fn: Callable[..., Any], args: tuple[Any, ...], progress: Callable[[int], None]) -> tuple[Any, ...]:
    try:
        return ("ok", fn(*args, on_progress=progress))
    except ReadError as exc:
        return ("error", exc.reason, exc.key, exc.params)
    except MemoryError:
        return ("oom",)
    except RecursionError:
        return ("error", "damaged", "read.error.damaged", {"detail": "too deeply nested"})
    except Exception as exc:  # a parser bug or a file it chokes on: reported, never raised
        return ("error", "damaged", "read.error.damaged", {"detail": f"{type(exc).__name__}: {exc}"[:200]})


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (PR_SET_PDEATHSIG), and leave now if
    it already has. Why: a parent killed mid-batch (a review worker terminated, a kill -9) must
    not leave warm readers behind, holding pipes that a caller waits on forever; waiting for
    EOF on the job pipe is not enough, since sibling workers inherit each other's pipe ends."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


def _serve(conn: Any, peak: mmap.mmap, limit: int, allowance: int, parent: int = 0) -> None:
    """The worker's loop: run jobs until the parent closes the pipe or the worker retires."""
    if parent:
        _die_with_parent(parent)
    os.setpgrp()  # Tesseract and anything else started from here is killed with the group
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a read stops
    # A worker dying of a hostile file must not print a C-level dump into the user's
    # terminal: the parent reports it as one line.
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nor hold the caller's stdout open: results go back through the pipe
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    start_vm = _vm_bytes()

    def progress(_page: int) -> None:
        vm = _vm_bytes()
        if vm > struct.unpack_from("q", peak)[0]:
            struct.pack_into("q", peak, 0, vm)

    jobs = 0
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            break
        except MemoryError:
            break
        struct.pack_into("q", peak, 0, _vm_bytes())
        message = _run_job(fn, args, progress)
        jobs += 1
        retiring = (jobs >= RETIRE_AFTER_JOBS or message[0] == "oom"
                    or (allowance > 0 and _vm_bytes() - start_vm > RETIRE_SHARE * allowance))
        try:
            conn.send((retiring, message))
        except MemoryError:
            conn.send((True, ("oom",)))
        if retiring:
            break
    conn.close()


class _Worker:
    def __init__(self, memory_mb: int) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, child_conn = ctx.Pipe(duplex=True)
        self.peak = mmap.mmap(-1, 8)  # anonymous shared memory: the worker's peak size, for crash triage
        self.memory_mb = memory_mb
        self.limit = _vm_bytes() + memory_mb * MB if memory_mb > 0 else 0
        self.proc = ctx.Process(target=_serve, args=(child_conn, self.peak, self.limit, memory_mb * MB, os.getpid()),
                                daemon=True)
        self.proc.start()
        child_conn.close()

    def kill(self) -> None:
        """Kill the worker's whole process group (it and any Tesseract it started)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            try:
                self.proc.kill()
            except (ProcessLookupError, AttributeError):
                pass
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(1)


class _Pool:
    """Idle workers per memory limit, owned by one process (a forked child starts its own)."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        self.lock = threading.Lock()
        self.idle: dict[int, list[_Worker]] = {}
        self.busy: set[_Worker] = set()  # reading now, for `stop_busy_workers`

    def _claim(self) -> None:
        """Inherited through fork, the parent's workers are not ours: forget them (under the lock)."""
        if self.owner != os.getpid():
            self.owner, self.idle, self.busy = os.getpid(), {}, set()

    def take(self, memory_mb: int) -> _Worker:
        with self.lock:
            self._claim()
            workers = self.idle.get(memory_mb, [])
            while workers:
                worker = workers.pop()
                if worker.proc.is_alive():
                    return worker
                worker.close()
        return _Worker(memory_mb)

    def give_back(self, worker: _Worker) -> None:
        with self.lock:
            if self.owner == os.getpid():
                workers = self.idle.setdefault(worker.memory_mb, [])
                if len(workers) < IDLE_WORKERS:
                    workers.append(worker)
                    return
        worker.close()

    def warm(self, memory_mb: int, count: int) -> None:
        """Start idle workers until `count` wait (at most IDLE_WORKERS): done from the calling
        thread before reads run on several threads, so that no worker is forked while
        another thread holds a lock the child would inherit held."""
        with self.lock:
            self._claim()
            workers = self.idle.setdefault(memory_mb, [])
            for dead in [w for w in workers if not w.proc.is_alive()]:
                workers.remove(dead)
                dead.close()
            while len(workers) < min(count, IDLE_WORKERS):
                workers.append(_Worker(memory_mb))

    def shutdown(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, {}
        for workers in idle.values():
            for worker in workers:
                worker.close()


_POOL = _Pool()


def usable_cpus(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The CPUs this process may use: its affinity set (taskset, a cpuset), bounded by a
    cgroup CPU quota (docker --cpus, a Kubernetes CPU limit), the default of every --jobs.

    Why not os.cpu_count(): it counts the host's cores. A CI pod allowed 2 CPUs on a 64-core
    node would start 64 reader and checker processes, each with its memory allowance, and be
    killed for memory. `cgroup` is where the cgroup file system is mounted (v2 `cpu.max`, or
    v1 `cpu/cpu.cfs_quota_us` and `cpu/cpu.cfs_period_us`).
    """
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        count = os.cpu_count() or 1
    for quota_file, period_file in ((cgroup / "cpu.max", None),
                                    (cgroup / "cpu" / "cpu.cfs_quota_us", cgroup / "cpu" / "cpu.cfs_period_us")):
        try:
            fields = quota_file.read_text(encoding="ascii").split()
            quota, period = (fields[0], fields[1]) if period_file is None else (fields[0], period_file.read_text(encoding="ascii").split()[0])
        except (OSError, IndexError, UnicodeDecodeError):
            continue
        if quota.isdigit() and period.isdigit() and int(period) > 0:  # "max" or -1: no quota
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
        break
    return max(1, count)


def warm_workers(memory_mb: int, count: int) -> None:
    """Have `count` warm workers ready for reads about to run on that many threads."""
    _POOL.warm(memory_mb, count)


def stop_busy_workers() -> None:
    """Kill the workers reading right now (Ctrl-C while files are read on several threads):
    each waiting thread then gets its answer at once, as a crashed read, instead of the
    interrupted command waiting for every read to finish."""
    with _POOL.lock:
        _POOL._claim()
        busy = list(_POOL.busy)
    for worker in busy:
        try:
            os.killpg(worker.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def shutdown_workers() -> None:
    """Stop the warm workers (they also stop when this process exits)."""
    _POOL.shutdown()


def run_limited(fn: Callable[..., Any], args: tuple[Any, ...], timeout_s: float, memory_mb: int) -> Outcome:
    """Run fn(*args, on_progress=...) in a worker; fn must be importable and its result must pickle."""
    worker = _POOL.take(memory_mb)
    try:
        worker.conn.send((fn, args))
    except (OSError, EOFError):  # the warm worker died idle: use a fresh one
        worker.kill()
        worker = _Worker(memory_mb)
        worker.conn.send((fn, args))
    reply: tuple[bool, tuple[Any, ...]] | None = None
    with _POOL.lock:
        _POOL.busy.add(worker)
    try:
        answered = worker.conn.poll(max(0.0, timeout_s))
        if answered:
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError):
                reply = None  # the worker died before it could answer
    finally:
        with _POOL.lock:
            _POOL.busy.discard(worker)
    if not answered and worker.proc.is_alive():
        worker.kill()
        return Outcome(reason="timed_out", key="read.error.timed_out", params={"seconds": f"{timeout_s:g}"})
    if reply is None:
        peak = struct.unpack_from("q", worker.peak)[0]
        worker.kill()
        code = worker.proc.exitcode if worker.proc.exitcode is not None else 0
        if worker.limit and peak + OOM_MARGIN >= worker.limit:
            return Outcome(reason="out_of_memory", key="read.error.out_of_memory", params={"limit": memory_mb})
        name = signal.Signals(-code).name if code < 0 and -code in signal.Signals._value2member_map_ else str(code)
        return Outcome(reason="damaged", key="read.error.crashed", params={"signal": name})
    retiring, message = reply
    if retiring:
        worker.close()
    else:
        _POOL.give_back(worker)
    if message[0] == "ok":
        return Outcome(value=message[1])
    if message[0] == "oom":
        return Outcome(reason="out_of_memory", key="read.error.out_of_memory", params={"limit": memory_mb})
    _, reason, key, params = message
    return Outcome(reason=reason, key=key, params=params)
