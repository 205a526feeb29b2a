"""Stage 4, render: the manifest, facts and check result -> the completed application form.

    dossier folder ──check──▶ CheckResult ──build_form──▶ FormData (model.py)
    FormData ──templates/<item>.j2 (Jinja, engine.py)──▶ block markup ──parse (markup.py)──▶ blocks
    blocks ──docx_writer.py──▶ DOCX      ──text_writers.py──▶ Markdown / HTML      DOCX ──pdf.py──▶ PDF

Entry points: `toolkit.render.form.render_dossier` and `render_form`. Templates are text
that diffs well and never see an output format; the writers escape for theirs. `paths.py`
walks the templates' Jinja AST for `dossier lint`; `sample.py` gives synthetic form data
that lint and the tests render every template with. docs/templates.md has the details.
Heavy libraries (jinja2, python-docx) are imported inside the functions that use them.
"""
