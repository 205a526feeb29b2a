"""A reader's warm workers never outlive the process that started them.

Why it matters: `dossier review` terminates its worker processes on Ctrl-C or when one
breaks; warm readers left behind would hold the caller's stdout pipe open, and a script
waiting for the output would wait forever (it happened, in this suite).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from conftest import EXAMPLES, ROOT

CODE = """
from pathlib import Path
from toolkit.read import read_document
read_document(Path({path!r}))
print("read", flush=True)
import time
time.sleep(60)
"""


def _alive(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def test_killing_the_parent_ends_its_warm_readers_and_frees_its_stdout():
    path = EXAMPLES / "m36-overseas-license" / "documents" / "bank-receipt.pdf"
    parent = subprocess.Popen([sys.executable, "-c", CODE.format(path=str(path))], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    assert parent.stdout is not None
    assert parent.stdout.readline().strip() == "read"
    workers = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "the read should have left a warm worker"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    assert parent.stdout.read() == ""  # EOF: nobody holds the pipe any more
