"""Stage 2, extract: pages -> a classified document with typed fields and provenance.

Extraction knowledge (kinds, title cues, label synonyms) is data: toolkit/data/kinds.yaml.
"""

from toolkit.extract.pipeline import EXTRACTOR_VERSION, extract_dossier, extract_file, from_read

__all__ = ["EXTRACTOR_VERSION", "extract_dossier", "extract_file", "from_read"]
