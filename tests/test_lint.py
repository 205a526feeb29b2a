"""`dossier lint`: every problem at once, each with its file and line; exit 1 on errors, 0 on warnings only."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT
from test_render_support import golden_extractor

from toolkit.cli import lint_cmd
from toolkit.cli.main import cli as root_cli
from toolkit.lint import (
    Problem,
    lint_checklists,
    lint_examples,
    run_lint,
    to_github,
    to_junit,
    to_text,
)

FIXTURES = Path("tests/fixtures/lint")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    """Paths in lint output are relative to the working folder: run from the repository."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def cli():
    if "lint" not in root_cli.commands:
        lint_cmd.register(root_cli)
    return root_cli


def template_problems(folder: str) -> list[tuple[str, str, int, str]]:
    result = run_lint([FIXTURES / folder])
    return [(p.severity, p.file, p.line, p.code) for p in result.problems if p.check == "templates"]


def test_a_misspelt_variable_names_its_file_and_line():
    result = run_lint([FIXTURES / "misspelt" / "m36-overseas-license.j2"])
    assert result.errors == [Problem("error", "templates", "template-unknown-path",
                                     "tests/fixtures/lint/misspelt/m36-overseas-license.j2", 4,
                                     "form.applicant.adress is not in the form data model (toolkit/render/model.py)")]
    assert result.exit_code == 1


def test_a_path_is_followed_into_the_macro_that_uses_it():
    assert template_problems("macro-path") == [
        ("error", "tests/fixtures/lint/macro-path/_macros.j2", 4, "template-unknown-path")]
    (problem,) = run_lint([FIXTURES / "macro-path"]).errors
    assert problem.message.startswith("form.applicant.nme ")


@pytest.mark.parametrize("folder, expected", [
    ("unknown-fact", [("error", "m24-cmo-production.j2", 3, "template-unknown-path"),
                      ("error", "m24-cmo-production.j2", 4, "template-unknown-path"),
                      ("error", "m24-cmo-production.j2", 5, "template-unknown-path")]),
    ("prints-object", [("error", "m20-device-demonstration.j2", 2, "template-prints-object"),
                       ("error", "m20-device-demonstration.j2", 4, "template-prints-object"),
                       ("error", "m20-device-demonstration.j2", 6, "template-undefined")]),
    ("unknown-key", [("error", "m05-innovative-drug.j2", 1, "template-message-key"),
                     ("error", "m05-innovative-drug.j2", 2, "template-message-params")]),
    ("syntax", [("error", "m06-innovative-device.j2", 3, "template-syntax")]),
    ("unknown-item", [("warning", "m99-not-an-item.j2", 1, "template-unknown-item")]),
])
def test_each_kind_of_template_mistake_is_reported_where_it_is(folder, expected):
    assert template_problems(folder) == [(s, f"tests/fixtures/lint/{folder}/{name}", line, code)
                                         for s, name, line, code in expected]


def test_facts_and_parties_are_checked_against_kinds_yaml():
    messages = [p.message for p in run_lint([FIXTURES / "unknown-fact"]).errors]
    assert messages[0].startswith("form.facts.cmo_contract.production_value: form.facts is keyed by")
    assert messages[1].startswith("form.parties.cmo_contract.licensor: form.parties is keyed by")
    assert messages[2].startswith("form.facts.no_such_kind: ")


def test_a_template_that_parses_but_renders_broken_markup_is_caught():
    (problem,) = run_lint([FIXTURES / "bad-markup"]).errors
    assert (problem.code, problem.file) == ("template-render", "tests/fixtures/lint/bad-markup/m04-preclinical-cro.j2")
    assert problem.message == ("the form markup is malformed at line 3: a @kv row has a label and a value, got 3 cells "
                               "(sub-item -, zh form, every value given)")


def test_the_shipped_templates_and_checklists_are_clean():
    result = run_lint([Path("templates"), Path("checklists")])
    assert [p.text() for p in result.problems] == []
    assert len(result.checked["templates"]) == 12 and len(result.checked["checklists"]) == 12


def test_a_missing_item_template_and_an_unused_model_field_are_reported(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    (folder / "m13-trial-insurance.j2").unlink()
    macros = folder / "_macros.j2"
    macros.write_text(macros.read_text(encoding="utf-8").replace(
        '{{ row("render.f.authority", form.applicant.registration_authority) }}\n', ""), encoding="utf-8")
    result = run_lint([folder])
    found = {(p.severity, p.code, p.message) for p in result.problems}
    assert ("error", "template-missing", "support item m13-trial-insurance has no application-form template") in found
    unused = [p for p in result.problems if p.code == "model-field-unused"]
    assert [(p.severity, p.file, p.message) for p in unused] == [
        ("warning", "toolkit/render/model.py",
         "required field form.applicant.registration_authority of the form data model is used by no template")]
    assert re.match(r"\s+registration_authority:", (ROOT / unused[0].file).read_text().splitlines()[unused[0].line - 1])


def test_an_example_broken_by_a_template_edit_is_caught(tmp_path):
    """A branch only a real filing reaches (more than ten documents) leaves a table open."""
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    path = folder / "m36-overseas-license.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{{ m.annex(form) }}", '{% if form.documents | length > 10 %}\n@table\n{% endif %}\n{{ m.annex(form) }}'),
        encoding="utf-8")
    assert run_lint([folder]).errors == []  # the static checks and the sample renderings pass
    problems = lint_examples([EXAMPLES / "m36-overseas-license"], "en", golden_extractor, folder)
    assert [(p.severity, p.code, p.file) for p in problems] == [
        ("error", "example-render", str(path))] * 2  # the template names itself; both languages break
    assert problems[0].message.startswith("the zh form of examples/m36-overseas-license does not render: "
                                          "the form markup is malformed at line ")
    assert problems[0].message.endswith(": @pagebreak inside a @table table (missing @end?)")


def test_every_example_checks_to_its_golden_result_and_renders():
    problems = lint_examples(sorted(p.parent for p in EXAMPLES.glob("*/expected.json")), "en", golden_extractor)
    assert [p.text() for p in problems if p.severity == "error"] == []
    assert {p.code for p in problems} <= {"example-form-missing"}  # capitals, until toolkit.parse.money lands


def test_an_example_whose_verdict_moved_is_an_error(tmp_path):
    folder = tmp_path / "m37-intl-exhibition"
    shutil.copytree(EXAMPLES / "m37-intl-exhibition", folder)
    expected = folder / "expected.json"
    expected.write_text(expected.read_text(encoding="utf-8").replace('"eligible_cny": "', '"eligible_cny": "9'),
                        encoding="utf-8")
    problems = [p for p in lint_examples([folder], "en", golden_extractor) if p.severity == "error"]
    assert [p.code for p in problems] == ["example-eligible-cny"]
    assert problems[0].message.startswith('eligible_cny: expected "9')


def test_examples_without_an_extraction_stage_are_one_clear_error(monkeypatch):
    import toolkit.lint as lint

    monkeypatch.setattr(lint, "extraction_available", lambda: False)
    (problem,) = lint_examples([EXAMPLES / "m04-preclinical-cro", EXAMPLES / "m05-innovative-drug"], "en")
    assert problem.code == "extraction-unavailable"


def broken_checklists(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "checklists"
    shutil.copytree(ROOT / "checklists", folder)
    path = folder / "m37-intl-exhibition.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in text)


def test_a_duplicate_rule_code_across_checklists_is_an_error(tmp_path):
    path = broken_checklists(tmp_path, lambda s: re.sub(r"code: M37-[A-Z0-9-]+", "code: M36B-DOWN-PAYMENT", s, count=1))
    other = path.parent / "m36-overseas-license.yaml"
    problems = lint_checklists([other, path], "en")
    dupes = [p for p in problems if p.code == "rule-code-duplicate"]
    assert len(dupes) == 1
    assert dupes[0].line == line_of(path, "code: M36B-DOWN-PAYMENT")
    assert re.fullmatch(rf"rule code M36B-DOWN-PAYMENT is already used at \S*m36-overseas-license.yaml:"
                        rf"{line_of(other, 'code: M36B-DOWN-PAYMENT')}: codes are unique across checklists",
                        dupes[0].message), dupes[0].message


def test_a_citation_of_an_unknown_item_is_an_error(tmp_path):
    path = broken_checklists(tmp_path, lambda s: s.replace("item: m37-intl-exhibition", "item: m99-nothing", 2))
    problems = [p for p in lint_checklists([path], "en") if p.code.startswith("citation")]
    assert problems and all(p.code == "citation-item" and "'m99-nothing'" in p.message for p in problems)


def test_a_citation_of_a_measure_that_does_not_exist_names_its_line(tmp_path):
    path = broken_checklists(tmp_path, lambda s: s.replace("measure: 37", "measure: 38", 2))
    (problem,) = [p for p in lint_checklists([path], "en") if p.severity == "error"]
    assert problem.code == "checklist-invalid" and problem.file.endswith("m37-intl-exhibition.yaml")
    assert problem.line == line_of(path, "measure: 38")


def test_a_failing_inline_rule_test_names_the_rule(tmp_path):
    def flip(text: str) -> str:
        head, sep, tail = text.partition("expect: pass")
        return head + "expect: fail" + tail

    path = broken_checklists(tmp_path, flip)
    failed = [p for p in lint_checklists([path], "en") if p.code == "rule-test-failed"]
    assert len(failed) == 1
    rule_line = max(i for i in range(1, line_of(path, "expect: fail") + 1)
                    if path.read_text(encoding="utf-8").splitlines()[i - 1].lstrip().startswith("- code:"))
    assert failed[0].line == rule_line
    assert "expected fail, got pass" in failed[0].message


def test_the_message_catalogue_must_be_complete(tmp_path, monkeypatch):
    import toolkit.i18n as i18n
    from toolkit.lint import lint_messages

    (tmp_path / "a.yaml").write_text('x.one: {en: "a {n}", zh: ""}\nx.two: {en: "{a}", zh: "{b}"}\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        problems = lint_messages("en")
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
    own = [(p.code, Path(p.file).name, p.line) for p in problems if p.code != "message-bypass"]
    assert own == [("message-missing-language", "a.yaml", 1), ("message-placeholders", "a.yaml", 2)]


def test_text_github_and_junit_reports():
    result = run_lint([FIXTURES / "misspelt", FIXTURES / "unknown-item"])
    text = to_text(result, "en")
    assert text.splitlines()[0] == ("tests/fixtures/lint/misspelt/m36-overseas-license.j2:4: error [template-unknown-path] "
                                    "form.applicant.adress is not in the form data model (toolkit/render/model.py)")
    assert text.splitlines()[-1] == "1 error(s), 1 warning(s) in 3 file(s) checked"
    github = to_github(result, "en").splitlines()
    assert github[0] == ("::error file=tests/fixtures/lint/misspelt/m36-overseas-license.j2,line=4,"
                         "title=template-unknown-path::form.applicant.adress is not in the form data model "
                         "(toolkit/render/model.py)")
    assert github[1].startswith("::warning file=tests/fixtures/lint/unknown-item/m99-not-an-item.j2,line=1,")
    suites = ET.fromstring(to_junit(result, "en"))
    templates = suites.find("testsuite[@name='templates']")
    assert (templates.get("tests"), templates.get("failures")) == ("2", "1")
    failing = templates.find("testcase[@name='tests/fixtures/lint/misspelt/m36-overseas-license.j2']/failure")
    assert failing.get("type") == "template-unknown-path" and "adress" in failing.get("message")
    assert suites.find("testsuite[@name='messages']/testcase").find("failure") is None


def test_github_annotations_escape_their_separators():
    result = run_lint([FIXTURES / "misspelt"])
    result.problems[0] = Problem("error", "templates", "x", "a,b:c.j2", 1, "50% done\nnext")
    assert to_github(result, "en").splitlines()[0] == "::error file=a%2Cb%3Ac.j2,line=1,title=x::50%25 done%0Anext"


def test_cli_exit_codes(cli):
    runner = CliRunner()
    assert runner.invoke(cli, ["lint", str(FIXTURES / "misspelt")]).exit_code == 1
    warnings_only = runner.invoke(cli, ["lint", str(FIXTURES / "unknown-item"), "--format", "github"])
    assert warnings_only.exit_code == 0 and warnings_only.stdout.startswith("::warning ")
    missing = runner.invoke(cli, ["lint", "no/such/path", "--lang", "en"])
    assert missing.exit_code == 2 and missing.stderr == "dossier: no such file or folder: no/such/path\n"
    bad_format = runner.invoke(cli, ["lint", "--format", "sarif"])
    assert bad_format.exit_code == 2
    junit = runner.invoke(cli, ["lint", str(FIXTURES / "syntax"), "--format", "junit"])
    assert junit.exit_code == 1 and ET.fromstring(junit.stdout).tag == "testsuites"
