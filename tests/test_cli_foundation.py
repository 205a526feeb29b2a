"""The foundation's commands end to end through Click's runner, and the user mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from toolkit.cli.main import cli
from toolkit.dossier import open_dossier
from toolkit.errors import ManifestError, PathEscapeError


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env or {"LANG": "C.UTF-8", "LC_ALL": ""}, catch_exceptions=False)


def test_measures_lists_37_with_12_items():
    result = run("measures", "--format", "json")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert len(rows) == 37
    assert sum(len(r["items"]) for r in rows) == 12
    assert sum(r["fundable"] for r in rows) == 11  # measure 36 has two items


def test_measures_table_has_every_measure():
    result = run("measures")
    assert result.exit_code == 0
    assert "37 measures, 12 fundable support items" in result.output


def test_show_overseas_license_has_threshold_rate_cap_and_citation():
    result = run("measures", "show", "m36-overseas-license")
    assert result.exit_code == 0
    out = result.output
    assert "CNY 100,000,000.00" in out  # the down-payment threshold
    assert "Rate: 50%" in out
    assert "CNY 5,000,000.00" in out
    assert "沪府办规〔2024〕9号 (36, 36b)" in out and "down payment of more than 100 million yuan" in out


def test_show_36_shows_both_items():
    out = run("measures", "show", "36").output
    assert "m36-global-registration" in out and "m36-overseas-license" in out


def test_show_unfunded_measure_says_nothing_to_file():
    out = run("measures", "show", "9").output
    assert "nothing to file" in out
    zh = run("measures", "show", "9", "--lang", "zh").output
    assert "无需申报" in zh and "nothing" not in zh


def test_unknown_measure_is_one_line_exit_2():
    result = CliRunner().invoke(cli, ["measures", "show", "99"])
    assert result.exit_code == 2 or result.exception is not None


def _main(*args: str, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})})


def test_user_mistakes_are_one_line_exit_2_no_traceback():
    proc = _main("measures", "show", "99")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "Traceback" not in proc.stderr
    assert "unknown measure '99'" in proc.stderr


def test_debug_shows_the_traceback():
    proc = _main("--debug", "measures", "show", "99")
    assert proc.returncode == 2 and "Traceback" in proc.stderr


def test_help_imports_no_pdf_docx_or_rendering_library():
    code = (
        "import sys\n"
        "from toolkit.cli.main import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pdfplumber', 'pypdfium2', 'pdfminer', 'docx', 'jinja2', 'reportlab', 'openpyxl', 'sqlalchemy', 'PIL') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "HEAVY="


def test_help_in_chinese():
    proc = _main("--help", env={"LANG": "zh_CN.UTF-8"})
    assert "预审申报材料" in proc.stdout
    proc = _main("--help", "--lang", "en", env={"LANG": "zh_CN.UTF-8"})
    assert "Pre-check" in proc.stdout


def test_init_scaffolds_and_never_overwrites(tmp_path):
    target = tmp_path / "d"
    result = run("init", "m36-overseas-license", str(target))
    assert result.exit_code == 0
    text = (target / "dossier.yaml").read_text(encoding="utf-8")
    for kind in ("business_license", "license_agreement", "payment_receipt", "credit_report",
                 "related_party_declaration", "service_contract", "invoice"):
        assert f"kind: {kind}" in text
    assert (target / "documents").is_dir()
    before = (target / "dossier.yaml").read_bytes()
    again = CliRunner().invoke(cli, ["init", "m36-overseas-license", str(target)])
    assert again.exit_code == 2
    assert (target / "dossier.yaml").read_bytes() == before


def test_init_sub_item_and_requested_for_cap_only_items(tmp_path):
    result = run("init", "m06-innovative-device", str(tmp_path / "d"), "--item", "special-review")
    assert result.exit_code == 0
    text = (tmp_path / "d" / "dossier.yaml").read_text(encoding="utf-8")
    assert "item: special-review" in text and "requested_cny: '0.00'" in text
    assert "special_review_notice" in text


def test_scaffolded_manifest_is_valid_yaml_with_the_schema_shape(tmp_path):
    run("init", "m24-cmo-production", str(tmp_path / "d"))
    import yaml

    data = yaml.safe_load((tmp_path / "d" / "dossier.yaml").read_text(encoding="utf-8"))
    assert data["measure"] == "m24-cmo-production" and data["documents"]


# --- manifests: each user mistake is one clear error naming the file and line ----------

GOOD = """\
measure: m36-overseas-license
year: 2025
applicant:
  name: 上海澄源生物医药有限公司
  uscc: 91310115MA1H8R2X46
documents:
  - file: documents/a.pdf
requested_cny: 2500000.10
"""


def write(tmp_path, text, files=("documents/a.pdf",)):
    (tmp_path / "dossier.yaml").write_text(text, encoding="utf-8")
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_bytes(b"%PDF-1.4\n")
    return tmp_path


def test_good_manifest_loads_with_exact_decimal(tmp_path):
    d = open_dossier(write(tmp_path, GOOD))
    assert str(d.manifest.requested_cny) == "2500000.10"
    assert d.manifest.model_dump(mode="json", by_alias=True)["requested_cny"] == "2500000.10"


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("requested_cny", "requested_cyn"), "dossier.yaml:8: unknown key 'requested_cyn' (did you mean 'requested_cny'?)"),
    (GOOD.replace("year: 2025", "year: [2025"), "dossier.yaml:"),
    (GOOD.replace("91310115MA1H8R2X46", "91310115MA1H8R2X4"), "dossier.yaml:5: applicant.uscc: String should match pattern"),
    (GOOD.replace("m36-overseas-license", "m99-nothing"), "dossier.yaml:1: unknown support item 'm99-nothing'"),
    (GOOD + "waivers: []\n", "dossier.yaml:9: `waivers` do not belong in a manifest"),
    (GOOD.replace("year: 2025\n", "year: 2025\nyear: 2026\n"), "duplicate key 'year'"),
    (GOOD.replace("documents:\n  - file: documents/a.pdf", "documents: []"), "documents: List should have at least 1 item"),
    ("!!python/object/apply:os.system ['echo pwned']\n", "invalid YAML"),
    (GOOD.replace("documents/a.pdf", '"documents/a\\0.pdf"'),
     "dossier.yaml:7: documents.0.file: a file name cannot hold a control character (such as NUL)"),
    (GOOD.replace("2500000.10", "1e999999999"), "dossier.yaml:8: requested_cny: an amount in yuan must be below 10^18"),
    (GOOD.replace("2500000.10", '"1e999999999"'), "dossier.yaml:8: requested_cny: an amount in yuan must be below"),
    (GOOD.replace("documents:\n  - file: documents/a.pdf", "documents: true"), "dossier.yaml:6: documents: Input should be a valid list"),
    (GOOD.replace("2500000.10", "-5"), "dossier.yaml:8: requested_cny: an amount in yuan cannot be negative"),
    (GOOD.replace("m36-overseas-license", "m36\x07x"), "dossier.yaml:1: invalid YAML: a control character (U+0007) is not allowed"),
    (GOOD.replace("year: 2025", "year: " + "9" * 5000), "dossier.yaml: invalid YAML: a number of more than 4300 digits"),
    (GOOD.replace("2500000.10", '"-0.004"'), "dossier.yaml:8: requested_cny: an amount in yuan cannot be negative"),
])
def test_manifest_mistakes(tmp_path, text, message):
    with pytest.raises(ManifestError) as err:
        open_dossier(write(tmp_path, text))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_an_earlier_award_below_zero_is_refused(tmp_path):
    """A negative award in --prior-awards raised what was left of a yearly cap above the cap."""
    from toolkit.check.awards import load_prior_awards
    from toolkit.errors import InputError

    awards = tmp_path / "prior.yaml"
    awards.write_text("- {applicant_uscc: 91310115MA1H8R2X46, measure: m37-intl-exhibition, year: 2025, amount_cny: -240000}\n",
                      encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_prior_awards(awards)
    assert "amount_cny: an amount in yuan cannot be negative" in str(err.value)


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.pdf", "documents/../../outside.pdf", "C:\\x.pdf"])
def test_paths_outside_the_dossier_are_refused(tmp_path, path):
    (tmp_path / "outside.pdf").write_bytes(b"%PDF")
    d = tmp_path / "d"
    d.mkdir()
    with pytest.raises(PathEscapeError):
        open_dossier(write(d, GOOD.replace("documents/a.pdf", path), files=()))


def test_symlink_leading_outside_is_refused(tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF")
    d = tmp_path / "d"
    (d / "documents").mkdir(parents=True)
    (d / "documents" / "a.pdf").symlink_to(secret)
    (d / "dossier.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(PathEscapeError) as err:
        open_dossier(d)
    assert "outside the dossier folder" in str(err.value)


def test_missing_folder_and_manifest(tmp_path):
    with pytest.raises(ManifestError, match="not a dossier folder"):
        open_dossier(tmp_path / "nope")
    with pytest.raises(ManifestError, match="no dossier.yaml"):
        open_dossier(tmp_path)


def test_usage_errors_are_one_line_in_the_users_language():
    proc = _main("measures", "--bogus", env={"LANG": "zh_CN.UTF-8"})
    assert proc.returncode == 2
    assert proc.stderr.strip() == "dossier measures: 没有选项 --bogus （见 `dossier measures --help`）"
    proc = _main("check")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "dossier check: missing DIRS (see `dossier check --help`)"


def test_every_command_has_help_in_both_languages():
    """A command without help (or with a catalogue key missing a language) fails here."""
    from toolkit.i18n import catalogue

    def walk(group, path):
        for name, cmd in group.commands.items():
            assert cmd.help, f"{path} {name} has no help"
            entry = catalogue().get(cmd.help)
            assert entry and entry.get("en") and entry.get("zh"), f"{path} {name}: help key {cmd.help!r} not in both languages"
            for p in cmd.params:
                if getattr(p, "help", None) and p.name not in ("help",):
                    assert p.help in catalogue(), f"{path} {name} --{p.name}: help {p.help!r} is not a catalogue key"
            if hasattr(cmd, "commands"):
                walk(cmd, f"{path} {name}")

    walk(cli, "dossier")


def test_yaml_is_parsed_by_libyaml_and_its_errors_worded_by_pyyaml(tmp_path):
    """The fast parser reads, but a mistake is reported in the Python parser's words, so the
    message an applicant sees does not depend on how PyYAML was built."""
    import yaml

    from toolkit import yamlio

    if yamlio.FAST_SAFE_LOADER is yaml.SafeLoader and os.environ.get("CI") == "true":
        pytest.fail("PyYAML without libyaml: every dossier start parses YAML ten times slower")
    broken = GOOD.replace("year: 2025", "year: [2025")
    with pytest.raises(ManifestError) as err:
        open_dossier(write(tmp_path, broken))
    pure = yamlio._Loader(broken)
    try:
        with pytest.raises(yaml.MarkedYAMLError) as expected:
            pure.get_single_node()
    finally:
        pure.dispose()
    assert expected.value.problem.strip() in str(err.value)
    doc = yamlio.load_yaml_text(GOOD, "dossier.yaml")
    assert doc.lines[("requested_cny",)] == 8 and str(doc.data["requested_cny"]) == "2500000.10"


def test_a_yaml_input_that_is_not_a_small_regular_file_is_one_line_exit_2(tmp_path):
    """`--waivers /dev/zero` was read until memory ran out; a pipe would wait for ever."""
    from conftest import EXAMPLES

    dossier = str(EXAMPLES / "m36-overseas-license")
    fifo = tmp_path / "waivers.yaml"
    os.mkfifo(fifo)
    big = tmp_path / "awards.yaml"
    with big.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    cases = [
        (("--waivers", "/dev/zero"), "dossier: /dev/zero: not a regular file (a folder, a device or a pipe): give the path of a YAML file\n"),
        (("--waivers", str(fifo)), f"dossier: {fifo}: not a regular file (a folder, a device or a pipe): give the path of a YAML file\n"),
        (("--prior-awards", str(big)), f"dossier: {big}: 100 MB is too large for a YAML file (at most 16 MB): is this the right file?\n"),
    ]
    for option, message in cases:
        result = run("check", dossier, *option)
        assert (result.exit_code, result.output) == (2, message)


def test_output_the_system_refuses_is_one_line_not_an_internal_error():
    """A full disk is the machine's doing: one line that says so, exit 2, no traceback."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "toolkit", "measures"], stdout=full, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""}, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "dossier: the system refused: No space left on device (a full disk, a permission, a file moved away?)\n"


def test_a_manifest_of_nested_aliases_is_refused_at_once(tmp_path):
    """Nine lines of anchors and aliases nest to 387 million strings (the "billion laughs"):
    this one took 4 GB and never finished. Aliases are refused at the line that uses them."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    folder = tmp_path / "bomb"
    folder.mkdir()
    (folder / "dossier.yaml").write_text("\n".join([*lines, "measure: *a8"]) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "toolkit", "check", str(folder)], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""}, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stderr == (f"dossier: {folder}/dossier.yaml:2: invalid YAML: anchors and aliases (&name, *name) "
                           "are not accepted here: write the value out\n")


@pytest.mark.parametrize("value", ["[" * 50_000 + "]" * 50_000, "{a: " * 3_000 + "1" + "}" * 3_000])
def test_a_manifest_nested_too_deeply_is_one_line_not_a_crash(tmp_path, value):
    """50 000 brackets crashed the process in libyaml's composer (a segmentation fault);
    3 000 nested mappings ran out of Python's stack (an 'internal error')."""
    folder = tmp_path / "deep"
    folder.mkdir()
    (folder / "dossier.yaml").write_text(f"measure: m36-overseas-license\nx: {value}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "toolkit", "check", str(folder)], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""}, timeout=60, check=False)
    assert (proc.returncode, proc.stderr) == (
        2, f"dossier: {folder}/dossier.yaml:2: invalid YAML: nested more than 100 levels deep\n")
