"""Templates -> block markup: the Jinja environment, the template context and the render call.

Why these settings: `StrictUndefined`, so a misspelt variable is an error and never a blank
on a form; autoescape off, because the output is our own block markup (toolkit/render/
markup.py), not HTML: each writer escapes for its own format. Data is made safe for the
markup once, when the context is built (`escape_data` on every string), so a value can
never open a table or a heading of its own. A value the dossier lacks (`None` in the form
model) becomes a `Missing` object: it prints as a visible marker and is recorded, so the
CLI can list every missing value as a warning (and `--strict` can fail on them).
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit.errors import TemplateError
from toolkit.i18n import catalogue
from toolkit.render.markup import Block, MarkupError, escape_data, parse
from toolkit.render.model import FormData
from toolkit.resources import templates_dir

MACROS = "_macros.j2"


@dataclass
class Tracker:
    """The paths of missing values a rendering printed, in order of first use."""

    missing: list[str] = field(default_factory=list)

    def add(self, path: str) -> None:
        if path not in self.missing:
            self.missing.append(path)


class Missing:
    """A value the dossier does not give: falsy, prints as a marker, recorded when printed.

    Attribute access on it continues the path while it is still naming a document kind's
    field (`form.facts.invoice.invoice_total`) and then stays the same marker
    (`.value`, `.page` of a missing fact are the missing fact).
    """

    __slots__ = ("_path", "_tracker", "_extend")

    def __init__(self, path: str, tracker: Tracker, extend: int = 0):
        self._path = path
        self._tracker = tracker
        self._extend = extend

    @property
    def path(self) -> str:
        return self._path

    def __str__(self) -> str:
        self._tracker.add(self._path)
        return f"[[missing:{self._path}]]"

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._extend > 0:
            return Missing(f"{self._path}.{name}", self._tracker, self._extend - 1)
        return self

    __getitem__ = __getattr__

    def __repr__(self) -> str:
        return f"Missing({self._path!r})"


class Node:
    """A form-model object as templates see it: attribute access to its wrapped fields.

    An open node (the `facts` and `parties` mappings) answers a name it does not hold with
    a Missing value; a closed one raises, which Jinja turns into an undefined-variable error.
    """

    __slots__ = ("_data", "_path", "_tracker", "_open")

    def __init__(self, data: dict[str, Any], path: str, tracker: Tracker, open_depth: int = 0):
        self._data = data
        self._path = path
        self._tracker = tracker
        self._open = open_depth

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._data:
            return self._data[name]
        if self._open:
            return Missing(f"{self._path}.{name}", self._tracker, self._open - 1)
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"Node({self._path!r})"


OPEN_MAPPINGS = {"facts": 2, "parties": 2}


def wrap(value: Any, path: str, tracker: Tracker, open_depth: int = 0) -> Any:
    """A form-model value for templates: strings escaped for the markup, None as Missing."""
    if value is None:
        return Missing(path, tracker)
    if isinstance(value, BaseModel):
        data = {name: wrap(getattr(value, name), f"{path}.{name}" if path else name, tracker,
                           OPEN_MAPPINGS.get(name, 0) if not path else 0)
                for name in type(value).model_fields}
        return Node(data, path, tracker)
    if isinstance(value, dict):
        data = {str(k): wrap(v, f"{path}.{k}", tracker, max(open_depth - 1, 0)) for k, v in value.items()}
        return Node(data, path, tracker, open_depth)
    if isinstance(value, list | tuple):
        return [wrap(v, f"{path}[{i}]", tracker) for i, v in enumerate(value, start=1)]
    if isinstance(value, str):
        return escape_data(value)
    if isinstance(value, bool | int | Decimal | dt.date):
        return value
    raise TypeError(f"form value of unexpected type {type(value).__name__} at {path}")  # i18n: not prose (a programming error)


def message(key: str, lang: str, params: dict[str, Any]) -> str:
    """A catalogue text for the markup: the text escaped, then the (already safe) params filled in."""
    entry = catalogue().get(key)
    if entry is None:
        raise TemplateError("render.error.unknown_message", key=key)
    text = escape_data(entry.get(lang) or entry["en"])
    safe = {k: (v if isinstance(v, str) else str(v)) for k, v in params.items()}
    return text.format(**safe) if safe else text


def make_environment(lang: str, tracker: Tracker, folder: Path | None = None) -> Any:
    """The Jinja environment of one rendering: strict, no autoescape, the form's filters."""
    import jinja2

    from toolkit.i18n.formats import format_date, format_money, format_rate

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def passes(v: Any) -> bool:
        return isinstance(v, Missing)

    def money(v: Any) -> Any:
        if passes(v):
            return v
        if not isinstance(v, Decimal):
            raise TemplateError("render.error.filter_type", filter="money", type=type(v).__name__)
        return escape_data(format_money(v, lang))

    def rate(v: Any) -> Any:
        if passes(v):
            return v
        if not isinstance(v, Decimal):
            raise TemplateError("render.error.filter_type", filter="rate", type=type(v).__name__)
        return format_rate(v)

    def date(v: Any) -> Any:
        if passes(v):
            return v
        if not isinstance(v, dt.date):
            raise TemplateError("render.error.filter_type", filter="date", type=type(v).__name__)
        return escape_data(format_date(v, lang))

    def capitals(v: Any) -> Any:
        """The amount in Chinese capitals (大写), exact to the fen: official forms need it."""
        if passes(v):
            return v
        if not isinstance(v, Decimal):
            raise TemplateError("render.error.filter_type", filter="capitals", type=type(v).__name__)
        try:
            from toolkit.parse.money import to_capitals
        except ImportError:
            return Missing("capitals", tracker)
        return escape_data(to_capitals(v))

    env.filters.update(money=money, rate=rate, date=date, capitals=capitals)
    env.tests["missing"] = passes
    env.globals.update(
        t=lambda key, **params: message(key, lang, params),
        t_en=lambda key, **params: message(key, "en", params),
        box=lambda flag: str(flag) if isinstance(flag, Missing) else ("[x]" if flag else "[ ]"),
    )
    return env


FILTERS = ("money", "rate", "date", "capitals")
GLOBALS = ("t", "t_en", "box")
TESTS = ("missing",)


@dataclass
class RenderedForm:
    """A rendered form: its data, the markup the template produced, its blocks, what is missing."""

    form: FormData
    template: str
    markup: str
    blocks: list[Block]
    missing: list[str]


def template_name(item_id: str) -> str:
    return f"{item_id}.j2"


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line a Jinja runtime error happened at (from its traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (Path(frame.filename).name, frame.lineno)
    return found


def render_markup(form: FormData, *, folder: Path | None = None, name: str | None = None) -> RenderedForm:
    """Render the item's template with the form data into block markup and parse it.

    A template that does not parse, uses an undefined variable, or produces malformed markup
    is a TemplateError naming the template and line.
    """
    import jinja2

    folder = folder or templates_dir()
    name = name or template_name(form.item.id)
    tracker = Tracker()
    env = make_environment(form.lang, tracker, folder)
    shown = f"templates/{name}" if folder == templates_dir() else str(folder / name)
    try:
        template = env.get_template(name)
        markup = template.render(form=wrap(form, "", tracker))
    except jinja2.TemplateNotFound as exc:
        raise TemplateError("render.error.no_template", where=shown, item=form.item.id, name=str(exc)) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{Path(exc.filename or name).name}:{exc.lineno}"
        raise TemplateError("render.error.syntax", where=where, problem=exc.message or "") from None
    except TemplateError as exc:
        file, line = _template_line(exc)
        if file and not exc.where:
            exc.where = f"{file}:{line}"
        raise
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError, TypeError, AttributeError) as exc:
        file, line = _template_line(exc)
        where = f"{file}:{line}" if file else shown
        raise TemplateError("render.error.runtime", where=where, problem=str(exc).splitlines()[0]) from None
    try:
        blocks = parse(markup)
    except MarkupError as exc:
        raise TemplateError("render.error.markup", where=shown, line=exc.line, problem=str(exc),
                            problem_key=exc.key, problem_ctx=exc.params) from None
    return RenderedForm(form=form, template=shown, markup=markup, blocks=blocks, missing=list(tracker.missing))
