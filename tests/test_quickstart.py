"""The README's Quickstart run command works as written (past its `pip install .`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from conftest import EXAMPLES, ROOT


def test_the_quickstart_run_command_checks_and_renders_an_example(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- quickstart-run -->\n```\n(.+?)\n```", readme, re.S)
    assert block, "README has no quickstart-run block"
    steps = [s.strip() for s in block.group(1).split("&&")]
    assert steps[0] == "python3 -m pip install ."
    shutil.copytree(EXAMPLES / "m36-overseas-license", tmp_path / "examples" / "m36-overseas-license")
    for step in steps[1:]:
        args = step.split()
        assert args[0] == "dossier"
        done = subprocess.run([sys.executable, "-m", "toolkit", *args[1:]], cwd=tmp_path, capture_output=True,
                              text=True, timeout=300, env={"DOSSIER_CACHE_DIR": str(tmp_path / "cache"),
                                                           "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        assert done.returncode == 0, (step, done.stdout[-2000:], done.stderr[-2000:])
    assert (tmp_path / "m36-form.docx").stat().st_size > 5000
