"""Safe YAML loading that keeps line numbers and exact decimals.

Three things the plain `yaml.safe_load` gets wrong for this toolkit:

- floats: `requested_cny: 2500000.10` must be the decimal the applicant wrote, never a
  binary float, so every YAML float is constructed as `Decimal` from its source text;
- duplicate keys: PyYAML keeps the last one silently; here they are an error;
- where: a schema error must name the line, so every mapping key's line is recorded
  under its path (("documents", 1, "file") -> 12) for `locate()`.

Only the safe constructors are used: `!!python/object` and other tags are refused.

Speed: PyYAML's parser written in Python takes a tenth of a second for each of the larger
data files (kinds.yaml, measures.yaml, the message catalogue), paid at every `dossier` start.
So documents are parsed with libyaml (`CSafeLoader`) where PyYAML was built with it, and
text that fails to parse is parsed again by the Python parser, whose messages are the ones
users see and tests pin: the two parsers word their errors differently.
"""

from __future__ import annotations

import stat
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml

from toolkit.errors import InputError

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")

Loc = tuple[Any, ...]


#: libyaml's safe loader where PyYAML has it, else its own (same results, slower).
FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _KeyLines:
    """Records the line of every key path (filled by `_walk`)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self.lines: dict[Loc, int] = {}


class _Loader(_KeyLines, yaml.SafeLoader):
    """SafeLoader that builds Decimals, refuses duplicate keys and records key lines."""


class _FastLoader(_KeyLines, FAST_SAFE_LOADER):  # type: ignore[valid-type,misc]
    """The same on libyaml's parser."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal | float:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf, .nan: no money is infinite
        raise yaml.constructor.ConstructorError(
            None, None, f"not a finite number: {text}", node.start_mark
        ) from None


for _cls in (_Loader, _FastLoader):
    _cls.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _walk(loader: _Loader, node: yaml.Node, loc: Loc, seen: set[int] | None = None) -> None:
    """Record the line of every key below `node`; refuse duplicate keys, and aliases.

    An alias (`*name`) is the node of its anchor (`&name`) met again. None of the toolkit's
    inputs needs one, and nine lines of them nest to a billion values (the "billion laughs"
    manifest took 4 GB and never finished): meeting a node again is an error, at the line
    of the key (or the list) that holds the alias.
    """
    seen = set() if seen is None else seen
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if id(key_node) in seen or id(value_node) in seen:
                _refuse_alias(key_node.start_mark)
            seen.add(id(key_node))
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in keys:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {keys[key]})",
                    key_node.start_mark,
                )
            keys[key] = line
            loader.lines[(*loc, key)] = line
            _walk(loader, value_node, (*loc, key), seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            if id(item) in seen:
                _refuse_alias(node.start_mark)
            loader.lines[(*loc, i)] = item.start_mark.line + 1
            _walk(loader, item, (*loc, i), seen)


def _refuse_alias(mark: yaml.Mark) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, "anchors and aliases (&name, *name) are not accepted here: write the value out", mark)


class YamlDoc:
    """A loaded YAML document: its data, its file and the line of every key path."""

    def __init__(self, data: Any, path: Path | str, lines: dict[Loc, int]):
        self.data = data
        self.path = path
        self.lines = lines

    def locate(self, loc: Loc) -> str:
        """`file:line` for a key path, falling back to its nearest recorded parent."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        line = self.lines.get(loc, 1)
        return f"{self.path}:{line}"


MAX_NESTING = 100  # the toolkit's YAML nests six levels at most


def _refuse_deep_nesting(text: str, path: Path | str, error: type[InputError]) -> None:
    """Refuse a document nested more than MAX_NESTING levels deep, before it is composed:
    libyaml's composer recurses in C (50 000 brackets crashed the process outright), and
    PyYAML's own composer runs out of Python's stack long before that.

    Nesting needs a bracket, or a column further right, per level; a text with few of
    either is shallow, and only a text that might not be is scanned, as a stream of
    parser events (both parsers keep their own stack, at no depth of ours)."""
    if text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0) <= 10 * MAX_NESTING:
        return
    try:
        line = _too_deep_at(text, FAST_SAFE_LOADER)
    except yaml.YAMLError:
        try:  # libyaml 0.2.5 stops at a depth limit of its own, in its own words: ask PyYAML's parser
            line = _too_deep_at(text, yaml.SafeLoader)
        except yaml.YAMLError:
            return  # a syntax error: the parse proper reports it, in its own words
    if line is not None:
        raise error("error.yaml_syntax", where=f"{path}:{line}", problem=f"nested more than {MAX_NESTING} levels deep")


def _too_deep_at(text: str, loader: type[yaml.SafeLoader]) -> int | None:
    """The line where nesting first goes past MAX_NESTING, or None."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return int(event.start_mark.line) + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def load_yaml_text(text: str, path: Path | str, error: type[InputError] = InputError) -> YamlDoc:
    """Parse YAML text safely; a syntax error becomes `error` naming file and line."""
    _refuse_deep_nesting(text, path, error)
    try:
        return _parse(_FastLoader, text, path, error)
    except error:
        if FAST_SAFE_LOADER is yaml.SafeLoader:
            raise
        return _parse(_Loader, text, path, error)  # raises again, in PyYAML's words


def _parse(loader_class: type, text: str, path: Path | str, error: type[InputError]) -> YamlDoc:
    try:
        loader = loader_class(text)  # the reader refuses control characters here, before any parse
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise error("error.yaml_syntax", where=f"{path}:{line}",
                    problem=f"a control character (U+{exc.character:04X}) is not allowed in YAML") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, path, {})
        _walk(loader, node, ())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        raise error("error.yaml_syntax", where=f"{path}:{line}", problem=problem) from None
    except yaml.YAMLError as exc:
        raise error("error.yaml_syntax", where=str(path), problem=str(exc).splitlines()[0]) from None
    except ValueError as exc:  # int() of a number over Python's 4300-digit limit, a date out of range
        problem = "a number of more than 4300 digits" if "4300" in str(exc) else str(exc).split(";")[0]
        raise error("error.yaml_syntax", where=str(path), problem=problem) from None
    except RecursionError:  # deeper than Python's stack, short of MAX_NESTING's scan threshold
        raise error("error.yaml_syntax", where=str(path), problem=f"nested more than {MAX_NESTING} levels deep") from None
    finally:
        loader.dispose()
    return YamlDoc(data, path, loader.lines)


MAX_YAML_BYTES = 16 * 1024 * 1024  # manifests, checklists, waivers, award lists: kilobytes


def load_yaml(path: Path, error: type[InputError] = InputError, display: str | None = None) -> YamlDoc:
    """Read and parse a YAML file (UTF-8); a missing or unreadable file is `error`, and so is
    what is not a regular file or is far too large for one (`--waivers /dev/zero` would
    otherwise be read until memory runs out)."""
    shown = display or str(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise error("error.not_a_file", where=shown)
        if st.st_size > MAX_YAML_BYTES:
            raise error("error.yaml_too_large", where=shown, size=f"{st.st_size / 1024 / 1024:.0f}",
                        limit=MAX_YAML_BYTES // 1024 // 1024)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("error.file_missing", where=shown) from None
    except UnicodeDecodeError:
        raise error("error.not_utf8", where=shown) from None
    except OSError as exc:
        raise error("error.file_unreadable", where=shown, reason=exc.strerror or str(exc)) from None
    return load_yaml_text(text, shown, error)


def load_packaged(path: Path) -> Any:
    """Plain data of one of the toolkit's own YAML files (as `yaml.safe_load`, faster)."""
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=FAST_SAFE_LOADER)  # a safe loader (CSafeLoader or SafeLoader)


def validation_error(doc: YamlDoc, exc: ValidationError, error: type[Exception] = InputError) -> Exception:
    """The first schema violation of `doc` as `error` naming file:line and the field's path,
    e.g. `checklists/m24-cmo-production.yaml:41: support.caps.0.amount.values: ...`."""
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    field = ".".join(str(p) for p in loc) or "(top level)"
    ctx = {k: str(v) for k, v in (first.get("ctx") or {}).items()}
    return error("error.schema", where=doc.locate(loc), field=field, problem=first["msg"],
                 problem_key="schema." + first["type"].removeprefix("schema."), problem_ctx=ctx)


def parse(doc: YamlDoc, model: type[M], error: type[Exception] = InputError) -> M:
    """`doc` validated as `model`; a violation is `validation_error`'s `error`."""
    from pydantic import ValidationError

    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(doc, exc, error) from None
