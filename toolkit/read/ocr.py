"""OCR with Tesseract for pages without usable text (scans, mojibake, unmapped glyphs).

Why the command line and not a binding: Tesseract is a system package (tesseract-ocr,
tesseract-ocr-chi-sim) that the toolkit may run without; calling the executable keeps it
optional, and it runs inside the read worker's process group, so a timeout kills it too.
Words come back as TSV with pixel boxes; they are scaled to PDF points and made into
Lines through the same normaliser as a text layer (Tesseract puts a space between every
two Chinese characters; the normaliser removes those).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from functools import cache
from typing import Any

from toolkit.read.layout import make_line
from toolkit.read.model import BBoxT, Line
from toolkit.read.normalise import WIDE_GAP_EM, RawChar, is_cjk

DPI = 300
# Page segmentation 4 (one column of text of varying sizes): on the example scan, 6 (one
# uniform block) dropped a digit of the USCC and read 经营范围： as ；, 4 read both right.
PSM = "4"
OCR_CONFIDENCE_CAP = 0.9  # OCR'd text never counts as sure as a text layer
_PUNCT = set(":;,.()[]<>!?'\"-：；，。、（）《》“”‘’！？·")  # Tesseract makes these words of their own


@cache
def tesseract_path() -> str | None:
    return shutil.which("tesseract")


@cache
def tesseract_languages() -> frozenset[str]:
    """The language data Tesseract has (empty when it is not installed or does not run)."""
    exe = tesseract_path()
    if exe is None:
        return frozenset()
    try:
        proc = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (proc.stdout + proc.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def missing_languages(languages: str) -> list[str]:
    have = tesseract_languages()
    return [lang for lang in languages.split("+") if lang and lang not in have]


@cache
def tesseract_available(languages: str = "chi_sim+eng") -> bool:
    """Tesseract is installed and has every language of `languages` ("chi_sim+eng")."""
    return tesseract_path() is not None and bool(tesseract_languages()) and not missing_languages(languages)


class OcrError(Exception):
    """Tesseract failed on one image (reported on the page, never raised to the caller)."""


def _pgm(image: Any) -> bytes:
    """The image as binary PGM: no compression, so handing it over costs nothing."""
    gray = image.convert("L")
    header = f"P5 {gray.width} {gray.height} 255\n".encode("ascii")
    return header + gray.tobytes()


def ocr_image(image: Any, scale: float, languages: str = "chi_sim+eng", timeout_s: float = 300.0) -> list[Line]:
    """Lines read from a PIL image whose pixels are `scale` times PDF points."""
    exe = tesseract_path()
    if exe is None:
        raise OcrError("tesseract: not found")  # i18n: not prose (a page note's detail)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.run(
            [exe, "stdin", "stdout", "-l", languages, "--psm", PSM, "--dpi", str(round(72 * scale)), "tsv"],
            input=_pgm(image), capture_output=True, timeout=timeout_s, env=env, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract took longer than {timeout_s:.0f} s") from exc  # i18n: not prose (a page note's detail)
    except OSError as exc:
        raise OcrError(str(exc)) from exc
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {proc.returncode}"]
        raise OcrError(tail[0][:200])
    return lines_from_tsv(proc.stdout.decode("utf-8", "replace"), scale)


def lines_from_tsv(tsv: str, scale: float) -> list[Line]:
    """Tesseract TSV (level 5 rows are words) -> Lines with per-character boxes in points."""
    groups: dict[tuple[str, str, str, str], list[tuple[str, BBoxT, float]]] = {}
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
            left, top, width, height = (float(row[k]) for k in ("left", "top", "width", "height"))
        except (TypeError, ValueError, KeyError):
            continue
        if not word or conf < 0:
            continue
        box = (left / scale, top / scale, (left + width) / scale, (top + height) / scale)
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        groups.setdefault(key, []).append((word, box, conf / 100.0))
    lines: list[Line] = []
    for words in groups.values():
        words.sort(key=lambda w: w[1][0])
        chars: list[RawChar] = []
        confs: list[float] = []
        prev_cjk = False
        for word, box, conf in words:
            cjk_start = is_cjk(word[0]) or (all(c in _PUNCT for c in word) and prev_cjk)
            if chars:
                prev = chars[-1][1]
                wide = box[0] - prev[2] > WIDE_GAP_EM * max(box[3] - box[1], prev[3] - prev[1], 1e-6)
                if wide or not (prev_cjk or cjk_start):
                    chars.append((" ", (prev[2], min(prev[1], box[1]), max(prev[2], box[0]), max(prev[3], box[3]))))
            step = (box[2] - box[0]) / len(word)
            for i, ch in enumerate(word):
                chars.append((ch, (box[0] + i * step, box[1], box[0] + (i + 1) * step, box[3])))
            confs.append(conf)
            prev_cjk = is_cjk(word[-1]) or (all(c in _PUNCT for c in word) and (prev_cjk or cjk_start))
        confidence = round(min(OCR_CONFIDENCE_CAP, sum(confs) / len(confs)), 3)
        line = make_line(chars, confidence)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    return lines
