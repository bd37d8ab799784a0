"""What a file really is, by its first bytes, never by its name or the browser's word. Pure."""
from __future__ import annotations

import re
import unicodedata

ACCEPTED = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
# HEIC/HEIF pictures from phones are sniffed as this type; they are stored as JPEG (see images.py).
HEIF = "image/heif"
_HEIF_BRANDS = {b"heic", b"heix", b"mif1", b"msf1"}
_NOT_HEIF_BRANDS = {b"avif", b"avis"}  # AVIF shares the container (and the mif1 brand) but is not accepted
SNIFF_BYTES = 256
_BIDI_AND_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _is_heif(head: bytes) -> bool:
    """An ISO base media file whose first box is `ftyp` with a HEIF image brand (major or compatible)."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(head[:4], "big")
    if box_size < 16:
        return False
    major = head[8:12]
    if major in _NOT_HEIF_BRANDS:
        return False
    end = min(box_size, len(head))
    compatible = {head[i:i + 4] for i in range(16, end - 3, 4)}
    return major in _HEIF_BRANDS or bool(compatible & _HEIF_BRANDS)


def sniff(head: bytes) -> str | None:
    """The type of a file by its first bytes (give it at least SNIFF_BYTES of them, for HEIF's brands)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if _is_heif(head):
        return HEIF
    return None


def display_name(filename: str | None, content_type: str) -> str:
    """A name to show and to offer on download: no folders, no control or direction-override
    characters, and the extension the content really has."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _BIDI_AND_CONTROL.sub("", unicodedata.normalize("NFC", name)).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:200] or "attachment"
    return stem + ACCEPTED[content_type]



def picture_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a picture, or None when it is not one (or cannot be read)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


# What a PDF may not carry: programs and actions that a desktop reader would run when it is opened. Names
# long enough never to turn up by chance in the compressed pictures of a scan.
_ACTIVE_PDF = (b"/JavaScript", b"/Launch", b"/OpenAction", b"/EmbeddedFile", b"/RichMedia")


def pdf_problem(data: bytes) -> str | None:
    """Why a PDF cannot be kept: "unreadable" (not a document a reader can open, whatever its first bytes
    say) or "active" (it holds JavaScript, actions or embedded files); None for a plain document."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            return "unreadable"
        catalog = reader.trailer["/Root"]
        names = catalog.get("/Names")
        if any(key in catalog for key in ("/OpenAction", "/AA")) or (names is not None and (
                "/JavaScript" in names.get_object() or "/EmbeddedFiles" in names.get_object())):
            return "active"
        for page in reader.pages:
            if "/AA" in page:
                return "active"
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and action.get_object().get("/S") in ("/JavaScript", "/Launch"):
                    return "active"
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return "unreadable"
    if any(marker in data for marker in _ACTIVE_PDF):
        return "active"  # in an object the reader above did not visit
    return None
