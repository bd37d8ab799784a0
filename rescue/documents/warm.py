"""Imported once by the renderer's fork server: WeasyPrint, Pango and fontconfig are loaded and their
font caches filled before any document is rendered, so every render starts warm."""
from weasyprint import HTML

HTML(string="<p style='font-family: Noto Sans'>rescue</p>").write_pdf()
