"""Time the document renderer: each render isolated in a child process, fonts for every script.

    python -m bench.pdf [--repeat 20]
"""
from __future__ import annotations

import argparse
import statistics
import time

from rescue.documents.pdf import asset_url, render_pdf

LINES = {
    "km": "ខ្ញុំចង់ត្រឡប់ទៅផ្ទះវិញដោយសុវត្ថិភាព",
    "my": "ကျွန်ုပ်အိမ်ပြန်ချင်ပါတယ်",
    "lo": "ຂ້ອຍຢາກກັບບ້ານຢ່າງປອດໄພ",
    "th": "ฉันอยากกลับบ้านอย่างปลอดภัย",
    "ar": "أريد العودة إلى بيتي بأمان",
    "zh-Hans": "我想安全回家",
    "ko": "안전하게 집에 돌아가고 싶습니다",
    "en": "I want to go home safely",
}


def document(pages: int) -> str:
    body = "".join(
        f'<div class="box" lang="{lang}"{" dir=rtl" if lang == "ar" else ""}>{text * 8}</div>'
        for _ in range(pages * 3) for lang, text in LINES.items())
    return f'<html><head><link rel="stylesheet" href="{asset_url("document.css")}"></head><body>{body}</body></html>'


def measure(label: str, html: str, repeat: int) -> None:
    render_pdf(html)  # warm the fork server
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        rendered = render_pdf(html)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
    print(f"{label:<40}{rendered.pages:>6}{statistics.median(samples):>12.0f}{p95:>10.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{'document (8 scripts, isolated render)':<40}{'pages':>6}{'median ms':>12}{'p95 ms':>10}")
    measure("short", document(1), args.repeat)
    measure("long", document(10), max(args.repeat // 4, 3))


if __name__ == "__main__":
    main()
