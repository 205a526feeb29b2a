"""Make the image-only "scanned" business licence (run by hand: generate.py --rescan).

Why committed rather than regenerated: rasterising depends on the machine's PDF renderer
and fonts (STSong-Light is not embedded), so the scan cannot be reproduced byte for byte
everywhere. It is made once from the born-digital licence of the m23 example's applicant:
rendered at 300 dpi, slightly rotated, with paper tint and seeded noise, then wrapped as
a JPEG in a PDF with no text layer, as a copier's scan-to-PDF produces.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

DPI = 300
SEED = 20250122
ANGLE = 0.6  # degrees, counter-clockwise: a sheet fed a little askew


def rescan(target: Path) -> None:
    """Write the scanned licence PDF to `target`."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops, ImageFilter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from _gen import parties
    from _gen.documents import business_license

    born = business_license(parties.HANBO)
    pdf = pdfium.PdfDocument(born.data)
    page = pdf[0]
    width_pt, height_pt = page.get_size()
    image = page.render(scale=DPI / 72).to_pil().convert("L")
    pdf.close()
    image = image.rotate(ANGLE, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=245)
    rng = random.Random(SEED)
    noise = Image.frombytes("L", image.size, rng.randbytes(image.size[0] * image.size[1]))
    noise = noise.filter(ImageFilter.GaussianBlur(0.6)).point(lambda v: 238 + v * 17 // 255)
    image = ImageChops.multiply(image, noise)
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=80, optimize=True)
    jpeg.seek(0)
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width_pt, height_pt), invariant=1)
    c.setCreator("Scan to PDF")
    c.drawImage(ImageReader(jpeg), 0, 0, width=width_pt, height=height_pt)
    c.showPage()
    c.save()
    target.write_bytes(out.getvalue())
