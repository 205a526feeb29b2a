"""Stage 2, extract: pages -> a classified document with typed fields and provenance.

Extraction knowledge (kinds, title cues, label synonyms) is data: toolkit/data/kinds.yaml.
"""
