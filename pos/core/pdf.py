"""PDF pages in a font that has Arabic and Latin, Arabic shaped by HarfBuzz (fpdf2)."""

from __future__ import annotations

from fpdf import FPDF

from printers.fonts import BOLD, font_path


class ShapedPDF(FPDF):
    def __init__(self, **kwargs):
        super().__init__(format="A4", **kwargs)
        self.add_font("Plex", "", str(font_path()))
        self.add_font("Plex", "B", str(font_path(BOLD)))
        self.set_text_shaping(True)
