"""Every failure a user can act on, as one exception hierarchy.

    DossierError                 base: a message key, its parameters and where it happened
    ├── UsageError               the command was misused (unknown id, bad option value)
    ├── InputError               a file the user gave cannot be used
    │   ├── ManifestError        dossier.yaml missing, invalid YAML, breaks the schema
    │   ├── PathEscapeError      a document path leads outside the dossier folder
    │   ├── ChecklistError       a checklist file breaks its schema (file, line, field)
    │   ├── TemplateError        a form template does not parse or render
    │   └── WaiverError          a reviewer's waiver file is malformed
    ├── ReadError                a document cannot be read: not a PDF, damaged, encrypted,
    │                            too large, timed out (extraction turns it into a result's
    │                            `error`, never a crash)
    └── LedgerError              the award ledger cannot be opened or written

A failed *check* is not an exception: it is a finding in a report. Exceptions are for
what stops the toolkit from producing a report at all. The CLI turns a DossierError into
one line on stderr and exit code 2 (`ExitCode.MISUSE`); `--debug` shows the traceback.

Messages are catalogue keys (toolkit/i18n/messages.yaml) so that the same error reads in
Chinese or English; `str(error)` is the English text.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Exit codes of every command (../shared/spec/interfaces.md §2, §2a)."""

    OK = 0
    FAIL = 1
    MISUSE = 2
    NEEDS_REVIEW = 3


class DossierError(Exception):
    """Base of the toolkit's errors: a catalogue key, its parameters, and where."""

    key = "error.generic"

    def __init__(self, message_key: str | None = None, /, *, where: str | None = None, **params: Any):
        self.key = message_key or self.key
        self.where = where
        self.params = params
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        """The one-line message in `lang`, prefixed with where it happened."""
        from toolkit.i18n import catalogue, t

        params = dict(self.params)
        problem_key = params.pop("problem_key", None)
        problem_ctx = params.pop("problem_ctx", None) or {}
        if problem_key and problem_key in catalogue():
            params["problem"] = t(problem_key, lang, **problem_ctx)
        text = t(self.key, lang, **params)
        return f"{self.where}: {text}" if self.where else text


class UsageError(DossierError):
    key = "error.usage"


class InputError(DossierError):
    key = "error.input"


class ManifestError(InputError):
    key = "error.manifest"


class PathEscapeError(InputError):
    key = "error.path_escape"


class ChecklistError(InputError):
    key = "error.checklist"


class TemplateError(InputError):
    key = "error.template"


class WaiverError(InputError):
    key = "error.waiver"


class ReadError(DossierError):
    """A document cannot be read. `reason` is a stable code used in extraction results."""

    key = "error.read"

    def __init__(self, message_key: str | None = None, /, *, reason: str = "damaged", **kw: Any):
        self.reason = reason
        super().__init__(message_key, **kw)


class LedgerError(DossierError):
    key = "error.ledger"
