"""A wheel built from the repository carries the checklists and templates and finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_checklists_and_templates(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = tmp_path.glob("dossier_toolkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "toolkit/_shipped/checklists/m36-overseas-license.yaml" in names
    assert "toolkit/_shipped/checklists/_common.yaml" in names
    assert any(n.startswith("toolkit/_shipped/templates/") for n in names)
    assert "toolkit/data/kinds.yaml" in names and any(n.startswith("toolkit/i18n/messages/") for n in names)

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import toolkit.resources as r, toolkit.catalogue as c; "
            "print(r.checklists_dir()); print(len(c.checklists()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    folder, count = out.stdout.split()
    assert folder.startswith(str(site)) and count == "12"
