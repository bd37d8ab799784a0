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
_BIDI_AND_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def display_name(filename: str | None, content_type: str) -> str:
    """A name to show and to offer on download: no folders, no control or direction-override
    characters, and the extension the content really has."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _BIDI_AND_CONTROL.sub("", unicodedata.normalize("NFC", name)).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem[:200] or "attachment"
    return stem + ACCEPTED[content_type]


# A passport-style photo (35 x 45 mm) printed at 300 dots per inch.
TRAVEL_PHOTO_MIN = (413, 531)


def picture_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a picture, or None when it is not one (or cannot be read)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def usable_for_travel_document(width: int | None, height: int | None) -> bool:
    return bool(width and height and width >= TRAVEL_PHOTO_MIN[0] and height >= TRAVEL_PHOTO_MIN[1])
