"""Which kind of document a file is, from what it says (kinds.yaml `cues`), with a confidence.

A title cue counts most where titles stand: alone on one of the first lines of the first
page (营业执照, EXCLUSIVE LICENSE AGREEMENT). Keywords anywhere add a little each. The
confidence is the winner's share of the evidence, so a document that looks like two kinds at
once scores low, and one with no cue at all is `other` with confidence 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from toolkit.kinds import kind_catalogue
from toolkit.read.model import Page

HEAD_LINES = 12  # titles stand within the first lines of page 1 (letterheads and headers come first)
TITLE_ALONE, TITLE_IN_HEAD, TITLE_ANYWHERE, KEYWORD = 6.0, 4.0, 1.0, 1.0
KEYWORD_CAP = 4  # keywords corroborate; they cannot outvote a title


@dataclass(frozen=True)
class Classification:
    kind: str
    confidence: float
    scores: tuple[tuple[str, float], ...]  # every kind with evidence, best first


MIN_EVIDENCE = 3.0  # below this (one stray title word and a keyword), the kind is not named: `other`


def _plain(text: str) -> str:
    """Casefolded, spaces collapsed to one: CJK cues match across the reader's joins, Latin
    cues keep their word boundaries ("IND" is not in "find")."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _cue_pattern(cue: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in _plain(cue).split(" ")]
    body = r"\s?".join(words)
    end = r"(?![a-z0-9])" if cue[-1:].isascii() and cue[-1:].isalnum() else ""
    if cue[:1].isascii() and cue[:1].isalnum():
        # The word boundary is checked after the first letter, not before it: a pattern
        # that starts with a literal lets the regex engine skip ahead to where it occurs.
        first = re.escape(_plain(cue)[0])
        return re.compile(first + r"(?<![a-z0-9]." + ")" + body[len(first):] + end)
    return re.compile(body + end)


SEP = "\x00"  # joins the head's lines: no cue matches across it (cues join words with \s?)


@cache
def _cues() -> dict[str, tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]]:
    return {kind: (tuple(_cue_pattern(c) for c in spec.cues.title), tuple(_cue_pattern(c) for c in spec.cues.keywords))
            for kind, spec in kind_catalogue().kinds.items()}


def classify(pages: list[Page]) -> Classification:
    """The kind the pages' content points to (titles on page 1, keywords anywhere)."""
    head = [_plain(line.text) for line in (pages[0].lines[:HEAD_LINES] if pages else [])]
    head_text = SEP.join(head)  # one search per cue, not one per line
    alone_lines = [line.strip("（）() ") for line in head]
    body = _plain("\n".join(p.text for p in pages[:5]))
    scores: dict[str, float] = {}
    for kind, (titles, keywords) in _cues().items():
        score = 0.0
        for cue in titles:
            if cue.search(head_text):  # then is it a whole line of its own?
                alone = any(cue.fullmatch(line) for line in alone_lines)
                score = max(score, (TITLE_ALONE if alone else TITLE_IN_HEAD) + len(cue.pattern) / 100)
            elif cue.search(body):
                score = max(score, TITLE_ANYWHERE)
        score += KEYWORD * min(KEYWORD_CAP, sum(1 for k in keywords if k.search(body)))
        if score:
            scores[kind] = score
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < MIN_EVIDENCE:
        return Classification("other", 0.0, tuple((k, round(v, 2)) for k, v in ranked))
    best, top = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = top / (top + runner + 2.0) if top < TITLE_IN_HEAD else min(0.99, 0.6 + 0.4 * (top - runner) / top)
    return Classification(best, round(confidence, 2), tuple((k, round(v, 2)) for k, v in ranked))
