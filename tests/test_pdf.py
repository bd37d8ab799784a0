"""The document renderer: real glyphs for every script, wrapping inside boxes, right-to-left Arabic,
and nothing fetched that is not ours."""
import io

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextLine

from rescue.documents import pdf
from rescue.documents.pdf import DocumentTooLarge, RenderTimeout, asset_url, render_pdf

MM = 72 / 25.4
BOX_LEFT, BOX_WIDTH = 20 * MM, 70 * MM


def page(body: str, lang: str = "en", direction: str = "ltr") -> str:
    return f"""<!doctype html><html lang="{lang}" dir="{direction}"><head>
<link rel="stylesheet" href="{asset_url('document.css')}">
<style>@page {{ margin: 0; @bottom-center {{ content: none; }} }}
.probe {{ position: absolute; left: 20mm; top: 20mm; width: 70mm; border: none; padding: 0; margin: 0; }}</style>
</head><body>{body}</body></html>"""


def layout(document: bytes):
    """Every text line and character on the pages: (text, x0, x1, font names)."""
    lines, chars = [], []
    for p in extract_pages(io.BytesIO(document)):
        stack = [p]
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                lines.append(item)
            if isinstance(item, LTChar):
                chars.append(item)
            if hasattr(item, "__iter__"):
                stack.extend(item)
    return lines, chars


SCRIPTS = {
    "km": ("ខ្ញុំចង់ត្រឡប់ទៅផ្ទះវិញដោយសុវត្ថិភាព", "Noto-Sans-Khmer"),
    "my": ("ကျွန်ုပ်အိမ်ပြန်ချင်ပါတယ်", "Noto-Sans-Myanmar"),
    "lo": ("ຂ້ອຍຢາກກັບບ້ານຢ່າງປອດໄພ", "Noto-Sans-Lao"),
    "th": ("ฉันอยากกลับบ้านอย่างปลอดภัย", "Noto-Sans-Thai"),
    "ar": ("أريد العودة إلى بيتي بأمان", "Noto-Naskh-Arabic"),
    "zh_Hans": ("我想安全回家", "Noto-Sans-CJK-SC"),
    "ko": ("안전하게 집에 돌아가고 싶습니다", "Noto-Sans-CJK-KR"),
    "vi": ("Tôi muốn về nhà an toàn", "Noto-Sans"),
    "am": ("ወደ ቤቴ በሰላም መመለስ እፈልጋለሁ", "Noto-Sans-Ethiopic"),
}


@pytest.mark.parametrize("lang", SCRIPTS)
def test_every_script_renders_with_its_own_font(lang):
    text, font = SCRIPTS[lang]
    html_lang = lang.replace("_", "-")
    rendered = render_pdf(page(f'<p lang="{html_lang}">{text}</p>', lang=html_lang))
    _, chars = layout(rendered.pdf)
    assert chars, "no text in the PDF"
    fonts = {c.fontname.split("+", 1)[-1] for c in chars}
    assert any(f.startswith(font) for f in fonts), fonts
    # No character fell back to a font that lacks it (a .notdef box shows as no text at all).
    assert all(f.startswith("Noto") for f in fonts), fonts


@pytest.mark.parametrize("lang", ["km", "my", "lo"])
def test_long_paragraphs_wrap_inside_their_box(lang):
    text = SCRIPTS[lang][0] * 12
    rendered = render_pdf(page(f'<div class="probe" lang="{lang}">{text}</div>', lang=lang))
    lines, _ = layout(rendered.pdf)
    assert len(lines) >= 4, "the paragraph did not wrap"
    right_edge = BOX_LEFT + BOX_WIDTH
    assert max(line.x1 for line in lines) <= right_edge + 3, "a line overflows its box"
    assert min(line.x0 for line in lines) >= BOX_LEFT - 3


def test_without_break_opportunities_the_same_paragraph_overflows(monkeypatch):
    """The check above can fail: Pango alone leaves a Khmer line unbroken."""
    monkeypatch.setattr(pdf, "add_break_opportunities", lambda text: text)
    text = SCRIPTS["km"][0] * 12
    rendered = render_pdf(page(f'<div class="probe" lang="km">{text}</div>', lang="km"), isolated=False)
    lines, _ = layout(rendered.pdf)
    assert max(line.x1 for line in lines) > BOX_LEFT + BOX_WIDTH + 3


def test_arabic_reads_right_to_left_aligned_to_the_right():
    text = "أريد العودة إلى بيتي بأمان. " * 6
    rendered = render_pdf(page(f'<div class="probe" dir="rtl" lang="ar">{text}</div>', lang="ar", direction="rtl"))
    lines, chars = layout(rendered.pdf)
    assert len(lines) >= 2
    right_edge = BOX_LEFT + BOX_WIDTH
    # Every full line ends at the box's right edge; the last (short) line starts there too.
    assert all(abs(line.x1 - right_edge) < 4 for line in lines), [round(each.x1) for each in lines]
    assert min(line.x0 for line in lines) >= BOX_LEFT - 3


def test_only_our_own_assets_and_given_bytes_are_fetched():
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")
    html = page(
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png"><img src="https://example.com/a.png">'
        f'<img src="{asset_url("../../config.py")}"><img src="ftp://example.com/x">'
        '<img src="rescue-memory:photo"><img src="rescue-memory:unknown">'
        '<p style="background: url(gopher://example.com/)">x</p>')
    rendered = render_pdf(html, memory={"photo": (png, "image/png")})
    assert rendered.pdf.startswith(b"%PDF")
    refused = rendered.refused_urls
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/a.png",
                "ftp://example.com/x", "rescue-memory:unknown", "gopher://example.com/"):
        assert url in refused
    assert any("config.py" in url for url in refused)  # no escape from static/pdf/
    assert "rescue-memory:photo" not in refused


def test_a_document_over_the_page_limit_is_refused():
    with pytest.raises(DocumentTooLarge):
        render_pdf(page("<p style='page-break-after: always'>x</p>" * 5), max_pages=3)


def test_an_oversized_input_is_refused_before_layout():
    with pytest.raises(DocumentTooLarge):
        render_pdf(page("x" * 2000), max_html_bytes=1000)


def test_a_render_that_takes_too_long_is_stopped():
    with pytest.raises(RenderTimeout):
        render_pdf(page("<p>" + "word " * 200000 + "</p>"), timeout=0.5)
