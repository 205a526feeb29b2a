"""DOCX -> PDF with LibreOffice headless, when it is installed.

Why LibreOffice and not a PDF library: the DOCX is the form applicants sign and submit, and
the PDF must be the same document, laid out by a word processor with the system's CJK
fonts (fonts-noto-cjk stands in for 宋体 on Linux). Each conversion gets its own
temporary LibreOffice profile (`-env:UserInstallation=file:///...`), so conversions never
share or corrupt a user's profile and can run side by side. A missing `soffice` is a clear
error, never a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.errors import UsageError

TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout_s: float = TIMEOUT_S) -> bytes:
    """Convert DOCX bytes to PDF bytes (UsageError when LibreOffice is missing or fails)."""
    exe = soffice()
    if exe is None:
        raise UsageError("render.error.no_soffice")
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        work = Path(tmp)
        source = work / "form.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
               "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(source)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, cwd=work)
        except subprocess.TimeoutExpired:
            raise UsageError("render.error.pdf_failed", reason=f"timed out after {timeout_s:.0f} s") from None
        except OSError as exc:
            raise UsageError("render.error.pdf_failed", reason=exc.strerror or str(exc)) from None
        target = work / "out" / "form.pdf"
        if proc.returncode != 0 or not target.is_file():
            detail = (proc.stderr or proc.stdout or "").strip().splitlines()
            raise UsageError("render.error.pdf_failed", reason=detail[-1] if detail else f"exit {proc.returncode}")
        return target.read_bytes()
