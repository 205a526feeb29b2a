"""Stage 1, read: PDF (or scanned image) -> pages of text with boxes, safely.

A fast first pass with pypdfium2 triages every page (text layer or not, garbled or not);
pdfplumber is used where its strengths are needed (ruled tables); pages without usable text
are OCR'd with Tesseract when it is installed. Each file is read in a worker process with
time and memory limits, so a hostile PDF cannot crash or stall a batch.
"""

from toolkit.read.model import BBoxT, Cell, Line, Page, ReadDocument, ReadSettings, Table
from toolkit.read.ocr import tesseract_available
from toolkit.read.reader import read_document

__all__ = ["BBoxT", "Cell", "Line", "Page", "ReadDocument", "ReadSettings", "Table", "read_document", "tesseract_available"]
