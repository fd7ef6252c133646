"""The fonts every printable PDF embeds, so Kazakh letters render without a system font."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONTS = Path(__file__).resolve().parent / "static" / "fonts"


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register "DejaVu" and "DejaVu-Bold" with reportlab (once per process)."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(_FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(_FONTS / "DejaVuSans-Bold.ttf")))
