"""Static analysis of the form templates: every variable path they use, checked against the model.

Why walk the Jinja AST instead of only rendering sample data: a rendering exercises one
branch of every `{% if %}` and a misspelt path in the other branch would reach an
applicant as an error. Walking the AST sees every branch. Paths are followed *through
macros*: a call `m.fact_row("...", form.facts.invoice.invoice_total)` binds the macro's
parameter to that path, and `fact.value` inside the macro is checked as
`form.facts.invoice.invoice_total.value`. Message keys given to `t`/`t_en` (also through
macro parameters) must exist in the catalogue, with the placeholders the message needs.

Findings carry the template file and line; `dossier lint` reports them.
"""

from __future__ import annotations

import inspect
import re
import string
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from toolkit.render.model import FormData

ROOT = "form"
ITEM = "[]"
OPEN = {"facts", "parties"}  # FormData mappings keyed by kinds.yaml names


@dataclass(frozen=True)
class Issue:
    """A template problem: where, a stable code, and the message key with its parameters."""

    file: str
    line: int
    code: str
    key: str
    params: tuple[tuple[str, str], ...] = ()
    severity: str = "error"

    def message(self, lang: str = "en") -> str:
        from toolkit.i18n import t

        return t(self.key, lang, **dict(self.params))


@dataclass(frozen=True)
class PathSym:
    """A symbolic value: a path into the form model (segments after `form`)."""

    segments: tuple[str, ...]


@dataclass(frozen=True)
class ConstSym:
    """A constant, and where it was written (so an unknown message key is reported there)."""

    value: Any
    file: str
    line: int


@dataclass(frozen=True)
class MacroSym:
    template: str
    name: str


@dataclass(frozen=True)
class ModuleSym:
    template: str


UNKNOWN = object()


@dataclass
class Use:
    segments: tuple[str, ...]
    file: str
    line: int


@dataclass
class Analysis:
    uses: list[Use] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    macros_done: set[tuple] = field(default_factory=set)

    def issue(self, file: str, line: int, code: str, msg_key: str, /, **params: Any) -> None:
        found = Issue(file, line, code, msg_key, tuple(sorted((k, str(v)) for k, v in params.items())))
        if found not in self.issues:
            self.issues.append(found)


# --- the model side: what paths exist ----------------------------------------------------------


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X; Annotated[X, ...] -> X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def _open_names(mapping: str, kind: str | None) -> set[str]:
    from toolkit.kinds import kind_catalogue

    kinds = kind_catalogue().kinds
    if kind is None:
        return set(kinds)
    spec = kinds[kind]
    if mapping == "parties":
        return set(spec.roles.values())
    return {name for name, f in spec.fields.items() if f.type != "party"}


def resolve(segments: tuple[str, ...]) -> tuple[int | None, Any]:
    """Walk a path through FormData: (index of the first bad segment or None, the type reached)."""
    from toolkit.render.model import FormFact

    current: Any = FormData
    i = 0
    while i < len(segments):
        seg = segments[i]
        if i == 0 and seg in OPEN:
            if len(segments) > 1 and segments[1] not in _open_names(seg, None):
                return 1, None
            if len(segments) > 2 and segments[2] not in _open_names(seg, segments[1]):
                return 2, None
            if len(segments) <= 3:
                return None, dict if len(segments) < 3 else FormFact
            current, i = FormFact, 3
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            fields = current.model_fields
            if seg not in fields:
                return i, None
            current = _unwrap(fields[seg].annotation)
        elif typing.get_origin(current) is list:
            if seg != ITEM:
                return i, None
            current = _unwrap(typing.get_args(current)[0])
        elif typing.get_origin(current) is dict:
            current = _unwrap(typing.get_args(current)[1])
        else:
            return i, None
        i += 1
    return None, current


def is_leaf(kind: Any) -> bool:
    """Printable as it is: not a model, a list or a mapping."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return False
    return typing.get_origin(kind) not in (list, dict) and kind is not dict


def dotted(segments: tuple[str, ...]) -> str:
    """`form.documents[].facts[].page`: a path as lint shows it."""
    return ".".join((ROOT, *segments)).replace("." + ITEM, ITEM)


def required_paths(model: type[BaseModel] = FormData, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every required field's path (descending into submodels and list items; not into the
    open mappings `facts`/`parties`, whose content depends on the item)."""
    out = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        if not info.is_required():
            continue
        out.append(path)
        kind = _unwrap(info.annotation)
        if typing.get_origin(kind) is list:
            kind = _unwrap(typing.get_args(kind)[0])
            path = (*path, ITEM)
        if isinstance(kind, type) and issubclass(kind, BaseModel) and not (not prefix and name in OPEN):
            out += required_paths(kind, path)
    return out


def field_line(segments: tuple[str, ...]) -> tuple[str, int]:
    """The source file and line where the model field a path ends at is declared."""
    owner: Any = FormData
    for seg in segments[:-1]:
        if seg == ITEM:
            continue
        kind = _unwrap(owner.model_fields[seg].annotation)
        if typing.get_origin(kind) is list:
            kind = _unwrap(typing.get_args(kind)[0])
        owner = kind
    source, start = inspect.getsourcelines(owner)
    for offset, text in enumerate(source):
        if re.match(rf"\s+{re.escape(segments[-1])}\s*:", text):
            return inspect.getsourcefile(owner) or "", start + offset
    return inspect.getsourcefile(owner) or "", start


# --- the template side: walking the Jinja AST --------------------------------------------------


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Walker:
    """Walks the templates of one folder symbolically (see the module docstring)."""

    def __init__(self, folder: Path, shown: str = "templates"):
        import jinja2

        from toolkit.render.engine import FILTERS, GLOBALS, TESTS

        self.folder = folder
        self.shown = shown
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), trim_blocks=True,
                                      lstrip_blocks=True)
        self.env.filters.update({name: (lambda v, *a, **k: v) for name in FILTERS})
        self.env.tests.update({name: (lambda v: False) for name in TESTS})
        self.globals = set(GLOBALS)
        self.asts: dict[str, Any] = {}
        self.analysis = Analysis()
        self.deps: dict[str, set[str]] = {}  # template -> the template files its walk read
        self.current: str | None = None

    def where(self, name: str) -> str:
        return f"{self.shown}/{name}"

    def ast(self, name: str) -> Any:
        """The parsed template, or None (the syntax error is recorded) when it does not parse."""
        import jinja2

        if self.current is not None:
            self.deps.setdefault(self.current, set()).add(name)
        if name not in self.asts:
            try:
                source = (self.folder / name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.analysis.issue(self.where(name), 1, "template-unreadable", "lint.template.unreadable",
                                    reason=str(exc))
                self.asts[name] = None
                return None
            try:
                tree = self.env.parse(source, name=name)
                self.env.compile(tree, name=name)  # unknown filters and tests fail here
            except jinja2.TemplateSyntaxError as exc:
                self.analysis.issue(self.where(name), exc.lineno or 1, "template-syntax", "lint.template.syntax",
                                    problem=exc.message or "")
                tree = None
            self.asts[name] = tree
        return self.asts[name]

    def macros(self, name: str) -> dict[str, Any]:
        import jinja2.nodes as n

        tree = self.ast(name)
        return {m.name: m for m in tree.find_all(n.Macro)} if tree is not None else {}

    # -- expressions --

    def use(self, segments: tuple[str, ...], file: str, line: int) -> None:
        self.analysis.uses.append(Use(segments, file, line))

    def expr(self, node: Any, scope: dict[str, Any], file: str) -> Any:
        import jinja2.nodes as n

        line = getattr(node, "lineno", 1) or 1
        if isinstance(node, n.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name == ROOT:
                return PathSym(())
            if node.name in self.globals or node.name in ("true", "false", "none", "True", "False", "None"):
                return UNKNOWN
            self.analysis.issue(self.where(file), line, "template-undefined", "lint.template.undefined",
                                name=node.name)
            return UNKNOWN
        if isinstance(node, n.Const):
            return ConstSym(node.value, file, line)
        if isinstance(node, n.Getattr | n.Getitem):
            base = self.expr(node.node, scope, file)
            attr = node.attr if isinstance(node, n.Getattr) else None
            if isinstance(node, n.Getitem):
                arg = self.expr(node.arg, scope, file)
                attr = arg.value if isinstance(arg, ConstSym) and isinstance(arg.value, str) else None
            if isinstance(base, ModuleSym):
                if attr in self.macros(base.template):
                    return MacroSym(base.template, attr)
                self.analysis.issue(self.where(file), line, "template-no-macro", "lint.template.no_macro",
                                    name=str(attr), template=base.template)
                return UNKNOWN
            if isinstance(base, PathSym) and attr is not None:
                path = PathSym((*base.segments, attr))
                self.use(path.segments, file, line)
                return path
            return UNKNOWN
        if isinstance(node, n.Call):
            return self.call(node, scope, file)
        if isinstance(node, n.Filter | n.Test):
            if node.node is not None:
                self.expr(node.node, scope, file)
            for arg in [*node.args, *(k.value for k in node.kwargs)]:
                self.expr(arg, scope, file)
            return UNKNOWN
        if isinstance(node, n.List | n.Tuple):
            items = [self.expr(item, scope, file) for item in node.items]
            if all(isinstance(i, ConstSym) for i in items):
                return ConstSym([i.value for i in items], file, line)
            return UNKNOWN
        for child in node.iter_child_nodes():
            self.expr(child, scope, file)
        return UNKNOWN

    def call(self, node: Any, scope: dict[str, Any], file: str) -> Any:
        import jinja2.nodes as n

        line = node.lineno or 1
        target = self.expr(node.node, scope, file)
        args = [self.expr(a, scope, file) for a in node.args]
        kwargs = {k.key: self.expr(k.value, scope, file) for k in node.kwargs}
        if isinstance(node.node, n.Name) and node.node.name in ("t", "t_en") and node.node.name not in scope:
            self.check_message(args, kwargs, file, line)
            return UNKNOWN
        if isinstance(target, MacroSym):
            self.macro(target, args, kwargs, file, line)
        return UNKNOWN

    def check_message(self, args: list[Any], kwargs: dict[str, Any], file: str, line: int) -> None:
        from toolkit.i18n import catalogue

        if not args or not isinstance(args[0], ConstSym) or not isinstance(args[0].value, str):
            self.analysis.issue(self.where(file), line, "template-message-key", "lint.template.dynamic_key")
            return
        key = args[0]
        entry = catalogue().get(key.value)
        if entry is None:
            self.analysis.issue(self.where(key.file), key.line, "template-message-key", "lint.template.unknown_key",
                                key=key.value)
            return
        needed = placeholders(entry.get("en", "")) | placeholders(entry.get("zh", ""))
        if needed != set(kwargs):
            self.analysis.issue(self.where(file), line, "template-message-params", "lint.template.message_params",
                                key=key.value, needed=", ".join(sorted(needed)) or "-",
                                given=", ".join(sorted(kwargs)) or "-")

    def macro(self, target: MacroSym, args: list[Any], kwargs: dict[str, Any], file: str, line: int) -> None:
        definition = self.macros(target.template).get(target.name)
        if definition is None:
            return
        params = [a.name for a in definition.args]
        if len(args) > len(params) or set(kwargs) - set(params):
            self.analysis.issue(self.where(file), line, "template-macro-args", "lint.template.macro_args",
                                name=target.name, params=", ".join(params))
            return
        scope: dict[str, Any] = {}
        bound = dict(zip(params, args, strict=False)) | kwargs
        defaults = dict(zip(params[len(params) - len(definition.defaults):], definition.defaults, strict=True))
        for p in params:
            if p in bound:
                scope[p] = bound[p]
            elif p in defaults:
                scope[p] = self.expr(defaults[p], {}, target.template)
            else:
                self.analysis.issue(self.where(file), line, "template-macro-args", "lint.template.macro_missing_arg",
                                    name=target.name, param=p)
                scope[p] = UNKNOWN
        key = (target, tuple(sorted((k, repr(v)) for k, v in scope.items())))
        if key in self.analysis.macros_done:
            return
        self.analysis.macros_done.add(key)
        scope |= self.module_scope(target.template)
        self.body(definition.body, scope, target.template)

    def module_scope(self, name: str) -> dict[str, Any]:
        return {m: MacroSym(name, m) for m in self.macros(name)}

    # -- statements --

    def body(self, nodes: list[Any], scope: dict[str, Any], file: str) -> None:
        import jinja2.nodes as n

        scope = dict(scope)
        for node in nodes:
            if isinstance(node, n.Macro):
                continue  # walked when called
            if isinstance(node, n.Output):
                for child in node.nodes:
                    if isinstance(child, n.TemplateData):
                        continue
                    value = self.expr(child, scope, file)
                    if isinstance(value, PathSym):
                        bad, kind = resolve(value.segments)
                        if bad is None and not is_leaf(kind):
                            self.analysis.issue(self.where(file), child.lineno or 1, "template-prints-object",
                                                "lint.template.prints_object", path=dotted(value.segments))
            elif isinstance(node, n.Import):
                if isinstance(node.template, n.Const):
                    self.ast(node.template.value)
                    scope[node.target] = ModuleSym(node.template.value)
            elif isinstance(node, n.FromImport):
                if isinstance(node.template, n.Const):
                    for entry in node.names:
                        name, alias = entry if isinstance(entry, tuple) else (entry, entry)
                        scope[alias] = MacroSym(node.template.value, name)
            elif isinstance(node, n.Assign):
                value = self.expr(node.node, scope, file)
                if isinstance(node.target, n.Name):
                    scope[node.target.name] = value
            elif isinstance(node, n.For):
                iterable = self.expr(node.iter, scope, file)
                inner = dict(scope)
                inner["loop"] = UNKNOWN
                if isinstance(node.target, n.Name):
                    inner[node.target.name] = PathSym((*iterable.segments, ITEM)) if isinstance(iterable, PathSym) \
                        else UNKNOWN
                else:
                    for name in node.target.find_all(n.Name):
                        inner[name.name] = UNKNOWN
                if node.test is not None:
                    self.expr(node.test, inner, file)
                self.body(node.body, inner, file)
                self.body(node.else_, scope, file)
            elif isinstance(node, n.If):
                self.expr(node.test, scope, file)
                self.body(node.body, scope, file)
                for elif_ in node.elif_:
                    self.expr(elif_.test, scope, file)
                    self.body(elif_.body, scope, file)
                self.body(node.else_, scope, file)
            elif isinstance(node, n.With):
                inner = dict(scope)
                for target, value in zip(node.targets, node.values, strict=True):
                    if isinstance(target, n.Name):
                        inner[target.name] = self.expr(value, scope, file)
                self.body(node.body, inner, file)
            elif isinstance(node, n.ExprStmt):
                self.expr(node.node, scope, file)
            elif isinstance(node, n.Include | n.Extends):
                if isinstance(node.template, n.Const):
                    tree = self.ast(node.template.value)
                    if tree is not None:
                        self.body(tree.body, scope, node.template.value)
            else:
                for child in node.iter_child_nodes():
                    if isinstance(child, n.Expr):
                        self.expr(child, scope, file)
                    else:
                        self.body([child], scope, file)

    def template(self, name: str) -> None:
        self.current = name
        tree = self.ast(name)
        if tree is not None:
            self.body(tree.body, self.module_scope(name), name)
        self.current = None

    def check_uses(self) -> None:
        """Every path used must exist in the model; report each at its first bad segment."""
        seen = set()
        for use in self.analysis.uses:
            bad, _ = resolve(use.segments)
            if bad is None or bad != len(use.segments) - 1:
                continue
            key = (use.file, use.line, use.segments)
            if key in seen:
                continue
            seen.add(key)
            path = dotted(use.segments)
            if bad == 0 or use.segments[0] not in OPEN:
                self.analysis.issue(self.where(use.file), use.line, "template-unknown-path", "lint.template.unknown_path",
                                    path=path)
            else:
                self.analysis.issue(self.where(use.file), use.line, "template-unknown-path", "lint.template.unknown_fact",
                                    path=path, mapping=use.segments[0])

    def unused_required(self) -> list[tuple[str, ...]]:
        used = {u.segments for u in self.analysis.uses}
        prefixes = {s[:i] for s in used for i in range(1, len(s) + 1)}
        return [p for p in required_paths() if p not in prefixes]


def analyse(folder: Path, names: list[str], shown: str = "templates") -> Walker:
    """Walk the named templates of `folder`; the walker holds the uses and the issues."""
    walker = Walker(folder, shown)
    for name in names:
        walker.template(name)
    walker.check_uses()
    return walker
