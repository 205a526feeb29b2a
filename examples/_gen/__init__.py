"""The example-dossier generator's parts.

    layout     a small page-layout engine over reportlab's canvas: lines, wrapped
               paragraphs, ruled tables, letterheads, seals, headers and footers, and a
               record of what each page says (key lines) and which fields it carries
    formats    amounts (figures, Chinese capitals, 万元/亿元) and dates in the forms real
               filings use
    parties    the fictional companies, institutions and people, with valid USCCs
    documents  one builder per document kind
    catalog    the dossiers: the 12 base examples and their failing/borderline variants
    scan       turns a generated page into an image-only "scanned" PDF (run by hand)

Everything is deterministic: reportlab runs with `invariant=1` (fixed dates and document
ids), random noise uses fixed seeds, and every collection is walked in a fixed order.
"""
