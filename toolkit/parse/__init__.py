"""Pure parsers of what documents say: money (figures, 万/亿, Chinese capitals, currencies),
dates in every form applicants use, and identifiers (approval and registration numbers).

Exact Decimal always: no float is ever built from a document's figure.
"""
