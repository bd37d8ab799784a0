"""Imported once by the renderer's fork server: WeasyPrint, Pango and fontconfig are loaded and their
font caches filled before any document is rendered, so every render starts warm. The warm-up lays out
a page that uses our stylesheet, every script's font (regular and bold), a picture and the layouts our
documents use, so children forked afterwards find all of it loaded already."""
import io

from PIL import Image

from rescue.documents.pdf import _render, asset_url

_SCRIPTS = {"en": "Return home", "km": "ត្រឡប់ទៅផ្ទះ", "my": "အိမ်ပြန်", "lo": "ກັບບ້ານ", "th": "กลับบ้าน",
            "ar": "العودة", "zh": "回家", "ko": "귀가", "am": "ወደ ቤት", "hi": "घर", "si": "නිවස", "vi": "Về nhà"}


def _warm() -> None:
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (128, 128, 128)).save(picture, "PNG")
    lines = "".join(f'<p lang="{lang}"{" dir=rtl" if lang == "ar" else ""}>{text} <strong>{text}</strong></p>'
                    for lang, text in _SCRIPTS.items())
    html = (f'<html><head><link rel="stylesheet" href="{asset_url("document.css")}"></head><body>'
            f'<div class="document-head"><h1>rescue</h1></div><div class="person-identity with-photo">'
            f'<img class="photo" src="rescue-memory:photo"><dl class="facts"><dt>a</dt><dd>b</dd></dl></div>'
            f'<div class="person"><span class="line-number">1.</span><dl><dt>a</dt><dd>b</dd></dl></div>'
            f'<div class="bilingual"><div class="column">{lines}</div><div class="column">{lines}</div></div>'
            f'<pre class="mrz">P&lt;UTO</pre></body></html>')
    _render(html, {"photo": (picture.getvalue(), "image/png")}, 10)


_warm()
