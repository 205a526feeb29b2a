"""`dossier lint`: the checks CI runs over the toolkit's own policy data and forms.

Why one linter over templates, checklists, examples and messages: these are data files
that people edit without touching Python, and each has a way to break a user's run that no
unit test of the code would see (a misspelt variable in one branch of a form, a rule whose
citation names a measure that does not exist, an example that no longer checks to its
golden verdict, a message with no Chinese text). Lint reports *every* problem at once,
each with its file and line, so one CI run shows the whole list.

Checks:
- templates: every template parses; every variable path it uses (through macros) exists
  in the form data model; message keys exist with their placeholders; each item template
  renders for every sub-item, in both languages, with all values present (hostile text
  included) and with all values missing; every item has a template; required model fields
  that no template uses are warnings.
- checklists: each validates (toolkit.catalogue.load_checklist) with its rule parameters;
  rule codes are unique across checklists; citations name existing measures and items;
  each rule's inline tests pass (toolkit.check.selftest.run_rule_tests).
- examples: each examples/*/expected.json checks to its verdict, eligible amount and failing
  rule codes, and its form renders in both languages.
- messages: the catalogue is complete in both languages with the same placeholders, and no
  user-facing literal in toolkit/ bypasses it.

Exit: 1 when any error is found, 0 with only warnings (interfaces.md §2a).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from toolkit.errors import DossierError, UsageError
from toolkit.i18n import t

Check = Literal["templates", "checklists", "examples", "messages"]
CHECKS: tuple[Check, ...] = ("templates", "checklists", "examples", "messages")


@dataclass(frozen=True)
class Problem:
    """One lint finding: severity, which check, a stable code, file, line and the message."""

    severity: Literal["error", "warning"]
    check: Check
    code: str
    file: str
    line: int
    message: str

    def text(self, lang: str = "en") -> str:
        word = t(f"lint.severity.{self.severity}", lang)
        return f"{self.file}:{self.line}: {word} [{self.code}] {self.message}"


@dataclass
class Targets:
    """What to lint: template files (by folder), checklist files, example folders, messages."""

    templates: dict[Path, list[str]] = field(default_factory=dict)
    whole_template_folders: set[Path] = field(default_factory=set)
    checklists: list[Path] = field(default_factory=list)
    examples: list[Path] = field(default_factory=list)
    messages: bool = True


@dataclass
class LintResult:
    problems: list[Problem]
    checked: dict[Check, list[str]]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def shown(path: Path | str) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        return os.path.relpath(p.resolve(), Path.cwd()) if p.is_absolute() or p.exists() else str(p)
    except ValueError:
        return str(p)


def _bare(exc: DossierError, lang: str) -> str:
    """The error's message without its `where:` prefix (a Problem carries file and line)."""
    text = exc.render(lang)
    prefix = f"{exc.where}: " if exc.where else ""
    return text[len(prefix):] if prefix and text.startswith(prefix) else text


def _split_where(where: str | None, default: str) -> tuple[str, int]:
    """`file:line` (as DossierErrors give it) -> (file, line)."""
    if not where:
        return default, 1
    head, sep, tail = where.rpartition(":")
    if sep and tail.isdigit():
        return head, int(tail)
    return where, 1


# --- what to lint --------------------------------------------------------------------------------


def _is_example(folder: Path) -> bool:
    return (folder / "expected.json").is_file() and (folder / "dossier.yaml").is_file()


def _add_folder(targets: Targets, folder: Path) -> bool:
    from toolkit.resources import templates_dir

    found = False
    if any(folder.glob("*.j2")):
        targets.templates.setdefault(folder, []).extend(sorted(p.name for p in folder.glob("m*.j2")))
        if folder.name == "templates" or folder.resolve() == templates_dir().resolve():
            targets.whole_template_folders.add(folder)  # the form set: every item needs its template
        found = True
    if (folder / "_common.yaml").is_file() or any(folder.glob("m[0-9][0-9]-*.yaml")):
        targets.checklists += sorted(p for p in folder.glob("m[0-9][0-9]-*.yaml"))
        found = True
    if _is_example(folder):
        targets.examples.append(folder)
        found = True
    elif any(_is_example(p) for p in folder.iterdir() if p.is_dir()):
        targets.examples += sorted(p for p in folder.iterdir() if p.is_dir() and _is_example(p))
        found = True
    for sub in ("templates", "checklists", "examples"):
        if (folder / sub).is_dir() and not found:
            found = _add_folder(targets, folder / sub) or found
    return found


def resolve_targets(paths: list[Path]) -> Targets:
    """The files the given paths name (folders by what they hold); none: the project's own."""
    from toolkit.resources import checklists_dir, templates_dir

    targets = Targets()
    if not paths:
        root = Path.cwd()
        if not ((root / "templates").is_dir() and (root / "checklists").is_dir()):
            root = templates_dir().parent
        for folder in (templates_dir() if not (root / "templates").is_dir() else root / "templates",
                       checklists_dir() if not (root / "checklists").is_dir() else root / "checklists"):
            _add_folder(targets, folder)
        if (root / "examples").is_dir():
            _add_folder(targets, root / "examples")
        return targets
    for path in paths:
        if not path.exists():
            raise UsageError("lint.error.no_path", path=str(path))
        if path.is_dir():
            if not _add_folder(targets, path):
                raise UsageError("lint.error.nothing", path=str(path))
        elif path.suffix == ".j2":
            targets.templates.setdefault(path.parent, []).append(path.name)
        elif path.name == "expected.json" or path.name == "dossier.yaml":
            targets.examples.append(path.parent)
        elif path.suffix == ".yaml" and path.name.startswith("m"):
            targets.checklists.append(path)
        else:
            raise UsageError("lint.error.nothing", path=str(path))
    return targets


# --- templates -----------------------------------------------------------------------------------


def lint_templates(folder: Path, names: list[str], whole: bool, lang: str) -> list[Problem]:
    from toolkit.catalogue import checklists
    from toolkit.render.paths import analyse, dotted, field_line
    from toolkit.render.sample import sample_cases, sample_form

    problems: list[Problem] = []
    where = shown(folder)
    walker = analyse(folder, sorted(set(names)), where)
    for issue in walker.analysis.issues:
        problems.append(Problem(issue.severity, "templates", issue.code, issue.file, issue.line, issue.message(lang)))  # type: ignore[arg-type]
    items = checklists()
    for name in sorted(set(names)):
        item_id = name.removesuffix(".j2")
        if item_id not in items:
            problems.append(Problem("warning", "templates", "template-unknown-item", f"{where}/{name}", 1,
                                    t("lint.template.unknown_item", lang, item=item_id)))
    if whole:
        for item_id in items:
            if f"{item_id}.j2" not in names:
                problems.append(Problem("error", "templates", "template-missing", f"{where}/{item_id}.j2", 1,
                                        t("lint.template.missing", lang, item=item_id)))
        for path in walker.unused_required():
            file, line = field_line(path)
            problems.append(Problem("warning", "templates", "model-field-unused", shown(file), line,
                                    t("lint.template.unused_field", lang, path=dotted(path))))
    broken = {p.file for p in problems if p.severity == "error"}
    for name in sorted(set(names)):
        item_id = name.removesuffix(".j2")
        files = {f"{where}/{n}" for n in walker.deps.get(name, {name})}
        if item_id not in items or files & broken:
            continue  # its static errors are reported; a rendering would only repeat them
        problems += _sample_renders(folder, name, item_id, where, lang, sample_cases, sample_form)
    return problems


def _sample_renders(folder: Path, name: str, item_id: str, where: str, lang: str,
                    sample_cases: Callable, sample_form: Callable) -> list[Problem]:
    """Render the template with synthetic data; the first failure of each kind is reported."""
    from toolkit.render.form import render_form

    seen: set[tuple[str, int, str]] = set()
    problems = []
    for sub in sample_cases(item_id):
        for form_lang in ("zh", "en"):
            for filled in (True, False):
                try:
                    render_form(sample_form(item_id, sub, form_lang, filled=filled), "md", folder=folder, name=name)
                except DossierError as exc:
                    file, line = _split_where(exc.where, f"{where}/{name}")
                    if not file.startswith(where) and "/" not in file:
                        file = f"{where}/{file}"
                    case = t("lint.template.case", lang, sub=sub or "-", lang_=form_lang,
                             data=t("lint.template.filled" if filled else "lint.template.empty", lang))
                    key = (file, line, exc.key)
                    if key not in seen:
                        seen.add(key)
                        problems.append(Problem("error", "templates", "template-render", file, line,
                                                f"{_bare(exc, lang)} ({case})"))
    return problems


# --- checklists ----------------------------------------------------------------------------------


def _rule_lines(path: Path) -> dict[str, int]:
    """Rule code -> the line its entry starts on, in this file (YAML loaded with lines)."""
    from toolkit.yamlio import load_yaml

    try:
        doc = load_yaml(path)
    except DossierError:
        return {}
    rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
    out: dict[str, int] = {}
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and isinstance(rule.get("code"), str):
            out[rule["code"]] = doc.lines.get(("rules", i), 1)
    return out


def lint_checklists(paths: list[Path], lang: str) -> list[Problem]:
    from toolkit.catalogue import COMMON_FILE, checklists, load_checklist, measure_catalogue
    from toolkit.check.engine import validate_rule_params
    from toolkit.check.selftest import run_rule_tests

    problems: list[Problem] = []
    known_items = {cid: cl.measure for cid, cl in checklists().items()}
    measures = {m.number for m in measure_catalogue().measures}
    codes: dict[str, tuple[str, int]] = {}
    for path in sorted(set(paths)):
        where = shown(path)
        common_path = path.parent / COMMON_FILE
        common_lines = _rule_lines(common_path) if common_path.is_file() else {}
        lines = _rule_lines(path)

        def locate(code: str, _where: str = where, _lines: dict[str, int] = lines,
                   _common: dict[str, int] = common_lines, _cp: Path = common_path) -> tuple[str, int]:
            if code in _lines:
                return _where, _lines[code]
            if code in _common:
                return shown(_cp), _common[code]
            return _where, 1

        try:
            cl = load_checklist(path, display=where)
            validate_rule_params(cl)
        except DossierError as exc:
            file, line = _split_where(exc.where, where)
            code = exc.params.get("code")
            if line == 1 and isinstance(code, str):
                file, line = locate(code)
            problems.append(Problem("error", "checklists", "checklist-invalid", file, line, _bare(exc, lang)))
            continue
        for rule in cl.rules:
            if rule.code in lines:  # shared rules repeat in every checklist by design
                if rule.code in codes and codes[rule.code][0] != where:
                    first = codes[rule.code]
                    problems.append(Problem("error", "checklists", "rule-code-duplicate", where, lines[rule.code],
                                            t("lint.checklist.duplicate_code", lang, code=rule.code,
                                              first=f"{first[0]}:{first[1]}")))
                codes.setdefault(rule.code, (where, lines[rule.code]))
        citations = [("", cl.citation, 1)] + [(r.code, r.citation, locate(r.code)[1]) for r in cl.rules]
        for code, citation, line in citations:
            file = locate(code)[0] if code else where
            if citation.measure not in measures:
                problems.append(Problem("error", "checklists", "citation-measure", file, line,
                                        t("lint.checklist.citation_measure", lang, code=code or cl.id,
                                          measure=citation.measure)))
            elif citation.item is not None and citation.item not in known_items and citation.item != cl.id:
                problems.append(Problem("error", "checklists", "citation-item", file, line,
                                        t("lint.checklist.citation_item", lang, code=code or cl.id, item=citation.item)))
            elif citation.item is not None and known_items.get(citation.item, cl.measure) != citation.measure:
                problems.append(Problem("error", "checklists", "citation-mismatch", file, line,
                                        t("lint.checklist.citation_mismatch", lang, code=code or cl.id,
                                          item=citation.item, measure=citation.measure)))
        try:
            failures = run_rule_tests(cl)
        except Exception as exc:  # a crashing rule type is a lint error, not a lint crash
            problems.append(Problem("error", "checklists", "rule-tests-crash", where, 1,
                                    t("lint.checklist.tests_crash", lang, problem=f"{type(exc).__name__}: {exc}")))
            continue
        for failure in failures:
            file, line = locate(failure.code)
            problems.append(Problem("error", "checklists", "rule-test-failed", file, line,
                                    t("lint.checklist.test_failed", lang, code=failure.code, case=failure.case,
                                      expected=failure.expected, got=failure.got, detail=failure.message)))
    return problems


# --- examples ------------------------------------------------------------------------------------


def _example_options(folder: Path, expected: dict[str, Any], lang: str, extractor: Callable | None) -> Any:
    from toolkit.check.awards import load_prior_awards
    from toolkit.check.engine import CheckOptions
    from toolkit.check.waivers import load_waivers

    options = CheckOptions(lang=lang, extractor=extractor)
    args = list(expected.get("check_args") or [])
    while args:
        flag = args.pop(0)
        if flag in ("--prior-awards", "--waivers") and args:
            value = folder / args.pop(0)
            if flag == "--prior-awards":
                options.prior_awards = load_prior_awards(value)
                options.prior_awards_source = str(value)
            else:
                options.waivers = load_waivers(value)
        else:
            raise UsageError("lint.example.check_args", arg=flag)
    return options


def extraction_available() -> bool:
    import toolkit.extract

    return hasattr(toolkit.extract, "extract_dossier")


def lint_examples(folders: list[Path], lang: str, extractor: Callable | None = None,
                  template_folder: Path | None = None) -> list[Problem]:
    """Check and render each example; `template_folder`: the templates being linted (else the shipped ones)."""
    from toolkit.check.engine import check_path
    from toolkit.render.build import build_form
    from toolkit.render.form import render_form

    if extractor is None and not extraction_available():
        return [Problem("error", "examples", "extraction-unavailable", shown(folders[0].parent), 1,
                        t("lint.example.no_extraction", lang))]
    problems: list[Problem] = []
    for folder in sorted(set(folders)):
        where = shown(folder / "expected.json")
        try:
            expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            options = _example_options(folder, expected, "en", extractor)
            result = check_path(folder, shown(folder), options)
        except (OSError, ValueError) as exc:
            problems.append(Problem("error", "examples", "example-unreadable", where, 1,
                                    t("lint.example.unreadable", lang, problem=str(exc).splitlines()[0])))
            continue
        except DossierError as exc:
            problems.append(Problem("error", "examples", "example-unreadable", where, 1, exc.render(lang)))
            continue
        report = result.report
        eligible = report.support.eligible_cny
        got_amount = None if eligible is None else format(eligible.quantize(Decimal("0.01")), "f")
        failing = sorted(f.code for f in report.findings if f.status == "fail" and f.severity == "error")
        for what, want, got in (("verdict", expected.get("verdict"), report.verdict),
                                ("eligible_cny", expected.get("eligible_cny"), got_amount),
                                ("failing_rules", sorted(expected.get("failing_rules") or []), failing)):
            if want != got:
                problems.append(Problem("error", "examples", f"example-{what.replace('_', '-')}", where, 1,
                                        t("lint.example.mismatch", lang, what=what, expected=json.dumps(want),
                                          got=json.dumps(got))))
        for form_lang in ("zh", "en"):
            try:
                if form_lang != "en":
                    options = _example_options(folder, expected, form_lang, extractor)
                    result = check_path(folder, shown(folder), options)
                form = build_form(result.dossier, result.extractions, result.report, form_lang)
                out = render_form(form, "docx", folder=template_folder)
            except DossierError as exc:
                file, line = _split_where(exc.where, where)
                problems.append(Problem("error", "examples", "example-render", file, line,
                                        t("lint.example.render", lang, example=shown(folder), lang_=form_lang,
                                          problem=_bare(exc, lang))))
                continue
            if out.missing and expected.get("verdict") == "pass":
                problems.append(Problem("warning", "examples", "example-form-missing", where, 1,
                                        t("lint.example.form_missing", lang, lang_=form_lang,
                                          paths=", ".join(out.missing))))
    return problems


# --- messages ------------------------------------------------------------------------------------


def lint_messages(lang: str) -> list[Problem]:
    from toolkit.i18n import CATALOGUE_DIR, catalogue, missing_translations
    from toolkit.i18n.audit import bypasses
    from toolkit.render.paths import placeholders

    problems: list[Problem] = []
    lines: dict[str, tuple[str, int]] = {}
    for path in sorted(CATALOGUE_DIR.glob("*.yaml")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            key = text.split(":", 1)[0].strip()
            if key and not text.startswith((" ", "#")) and key not in lines:
                lines[key] = (shown(path), number)
    try:
        entries = catalogue()
    except ValueError as exc:
        return [Problem("error", "messages", "message-duplicate", shown(CATALOGUE_DIR), 1, str(exc))]
    for problem in missing_translations(entries):
        key = problem.split(":", 1)[0]
        file, line = lines.get(key, (shown(CATALOGUE_DIR), 1))
        problems.append(Problem("error", "messages", "message-missing-language", file, line,
                                t("lint.message.missing", lang, problem=problem)))
    for key, entry in entries.items():
        if isinstance(entry, dict) and all(isinstance(entry.get(x), str) and entry[x].strip() for x in ("en", "zh")):
            en, zh = placeholders(entry["en"]), placeholders(entry["zh"])
            if en != zh:
                file, line = lines.get(key, (shown(CATALOGUE_DIR), 1))
                problems.append(Problem("error", "messages", "message-placeholders", file, line,
                                        t("lint.message.placeholders", lang, key=key, en=", ".join(sorted(en)) or "-",
                                          zh=", ".join(sorted(zh)) or "-")))
    for bypass in bypasses():
        problems.append(Problem("error", "messages", "message-bypass", bypass.file, bypass.line,
                                t("lint.message.bypass", lang, text=bypass.text)))
    return problems


# --- running and reporting -----------------------------------------------------------------------


def run_lint(paths: list[Path] | None = None, *, lang: str = "en", extractor: Callable | None = None) -> LintResult:
    """Lint what `paths` name (none: the project's templates, checklists, examples and messages)."""
    targets = resolve_targets(list(paths or []))
    problems: list[Problem] = []
    checked: dict[Check, list[str]] = {c: [] for c in CHECKS}
    for folder, names in sorted(targets.templates.items()):
        checked["templates"] += [f"{shown(folder)}/{n}" for n in sorted(set(names))]
        problems += lint_templates(folder, names, folder in targets.whole_template_folders, lang)
    if targets.checklists:
        checked["checklists"] += [shown(p) for p in sorted(set(targets.checklists))]
        problems += lint_checklists(targets.checklists, lang)
    if targets.examples:
        checked["examples"] += [shown(p / "expected.json") for p in sorted(set(targets.examples))]
        folders = sorted(targets.whole_template_folders)
        problems += lint_examples(targets.examples, lang, extractor, folders[0] if len(folders) == 1 else None)
    if targets.messages:
        checked["messages"].append("toolkit/i18n/messages")
        problems += lint_messages(lang)
    order = {c: i for i, c in enumerate(CHECKS)}
    problems.sort(key=lambda p: (order[p.check], p.file, p.line, p.code, p.message))
    return LintResult(problems=problems, checked=checked)


def to_text(result: LintResult, lang: str) -> str:
    lines = [p.text(lang) for p in result.problems]
    lines.append(t("lint.summary", lang, errors=len(result.errors), warnings=len(result.warnings),
                   files=sum(len(v) for v in result.checked.values())))
    return "\n".join(lines) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(result: LintResult, lang: str) -> str:
    """GitHub Actions workflow commands: one annotation per problem, on its file and line."""
    lines = [f"::{p.severity} file={_gh_prop(p.file)},line={p.line},title={_gh_prop(p.code)}::{_gh_data(p.message)}"
             for p in result.problems]
    lines.append(t("lint.summary", lang, errors=len(result.errors), warnings=len(result.warnings),
                   files=sum(len(v) for v in result.checked.values())))
    return "\n".join(lines) + "\n"


def to_junit(result: LintResult, lang: str) -> str:
    """JUnit XML: a testsuite per check, a testcase per file checked (failures are errors)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="dossier lint">']
    for check in CHECKS:
        units = list(result.checked[check])
        mine = [p for p in result.problems if p.check == check]
        for p in mine:
            if p.file not in units:
                units.append(p.file)
        if not units:
            continue
        failures = sum(1 for u in units if any(p.file == u and p.severity == "error" for p in mine))
        out.append(f'  <testsuite name="{check}" tests="{len(units)}" failures="{failures}" errors="0">')
        for unit in units:
            errors = [p for p in mine if p.file == unit and p.severity == "error"]
            warnings = [p for p in mine if p.file == unit and p.severity == "warning"]
            head = f"    <testcase classname={quoteattr(check)} name={quoteattr(unit)}"
            if not errors and not warnings:
                out.append(head + "/>")
                continue
            out.append(head + ">")
            if errors:
                body = escape("\n".join(p.text(lang) for p in errors))
                out.append(f"      <failure message={quoteattr(errors[0].message)} type={quoteattr(errors[0].code)}>"
                           f"{body}</failure>")
            if warnings:
                out.append(f"      <system-out>{escape(chr(10).join(p.text(lang) for p in warnings))}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


FORMATTERS = {"text": to_text, "github": to_github, "junit": to_junit}
