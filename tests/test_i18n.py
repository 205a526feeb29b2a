"""The message catalogue: complete in both languages, and language selection."""

from __future__ import annotations

from toolkit.i18n import catalogue, missing_translations, resolve_lang, t


def test_every_entry_has_both_languages():
    assert missing_translations() == []


def test_completeness_check_names_the_missing_key():
    assert missing_translations({"a.b": {"en": "x"}, "c": {"en": "y", "zh": "是"}}) == ["a.b: missing 'zh'"]


def test_language_from_the_environment():
    assert resolve_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert resolve_lang(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert resolve_lang("zh", {"LANG": "en_US.UTF-8"}) == "zh"
    assert resolve_lang(None, {}) == "en"


def test_placeholders_agree_between_languages():
    import string

    for key, entry in catalogue().items():
        names = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "zh")]
        assert names[0] == names[1], key


def test_format():
    assert t("error.path_escape", "zh", path="../x") == "材料路径指向申报材料文件夹之外：../x"


def test_no_user_facing_string_bypasses_the_catalogue():
    from toolkit.i18n.audit import bypasses

    assert [str(b) for b in bypasses()] == []


def test_the_audit_catches_a_literal(tmp_path):
    from toolkit.i18n.audit import scan_file

    bad = tmp_path / "bad.py"
    bad.write_text('import click\nclick.echo("the file was not found")\nclick.echo(t("ok.key", "en"))\n', encoding="utf-8")
    assert [b.line for b in scan_file(bad, "bad.py")] == [2]


def test_schema_errors_read_in_chinese(tmp_path):
    from toolkit.dossier import open_dossier
    from toolkit.errors import ManifestError

    (tmp_path / "dossier.yaml").write_text("measure: m37-intl-exhibition\nyear: 2025\napplicant: {name: x}\ndocuments: [{file: a.pdf}]\n",
                                           encoding="utf-8")
    try:
        open_dossier(tmp_path)
    except ManifestError as exc:
        assert exc.render("zh").endswith("dossier.yaml:3: applicant.uscc：缺少必填字段")
        assert str(exc).endswith("dossier.yaml:3: applicant.uscc: Field required")
    else:
        raise AssertionError("expected a ManifestError")
