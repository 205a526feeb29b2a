"""The render stage's entry points: a checked dossier -> its application form in a format.

    render_dossier(folder, display, lang=..., fmt=..., options=CheckOptions(...)) -> FormOutput
    render_form(form_data, fmt) -> FormOutput

The dossier is checked first (toolkit.check.engine.check_path) in the form's language, so
the amounts, the verdict and the findings on the form are exactly the report's. Nothing in
the dossier folder is written to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from toolkit.paths import shown_path
from toolkit.render.engine import RenderedForm, render_markup
from toolkit.render.model import FormData

Format = Literal["docx", "md", "html"]
FORMATS: tuple[Format, ...] = ("docx", "md", "html")


@dataclass
class FormOutput:
    """A rendered form: its bytes, the values it lacks, and what it was made from."""

    data: bytes
    fmt: Format
    missing: list[str]
    rendered: RenderedForm
    check: Any = None  # the CheckResult when rendered from a dossier

    @property
    def form(self) -> FormData:
        return self.rendered.form


def form_title(form: FormData) -> str:
    from toolkit.i18n import t

    return f"{t('render.f.title', form.lang)} — {form.item.title}"


def render_form(form: FormData, fmt: Format = "docx", *, folder: Path | None = None,
                name: str | None = None) -> FormOutput:
    """Render form data with the item's template (or `name` in `folder`) into `fmt`."""
    rendered = render_markup(form, folder=folder, name=name)
    title = form_title(form)
    if fmt == "docx":
        from toolkit.render.docx_writer import write_docx

        data = write_docx(rendered.blocks, form.lang, title)
    elif fmt == "md":
        from toolkit.render.text_writers import to_markdown

        data = to_markdown(rendered.blocks, form.lang).encode("utf-8")
    else:
        from toolkit.render.text_writers import to_html

        data = to_html(rendered.blocks, form.lang, title).encode("utf-8")
    return FormOutput(data=data, fmt=fmt, missing=list(rendered.missing), rendered=rendered)


def render_dossier(folder: Path | str, display: str | None = None, *, lang: str = "zh", fmt: Format = "docx",
                   options: Any = None, template_folder: Path | None = None) -> FormOutput:
    """Check a dossier folder and render its form (DossierError when it cannot be read at all)."""
    from toolkit.check.engine import CheckOptions, check_path
    from toolkit.render.build import build_form

    options = options or CheckOptions()
    options.lang = lang
    result = check_path(Path(folder), shown_path(display if display is not None else folder), options)
    form = build_form(result.dossier, result.extractions, result.report, lang)
    out = render_form(form, fmt, folder=template_folder)
    out.check = result
    return out
