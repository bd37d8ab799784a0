"""Pictures cleaned before they are sealed. Pure: bytes in, cleaned bytes, type and size out.

A picture is decoded, turned upright by its EXIF orientation, and encoded again from its pixels alone,
so that nothing else the camera or an editor wrote travels with it: EXIF (GPS position, maker notes,
device make and model, dates), XMP, IPTC, comments, PNG text chunks, thumbnails and extra frames.
Only a colour profile is kept (it describes colours, not people). HEIC/HEIF pictures from phones
become JPEG.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

JPEG_QUALITY = 90
WEBP_QUALITY = 90
# A colour profile larger than this is no ordinary one; it is dropped rather than carried along.
MAX_ICC_PROFILE = 1024 * 1024
# Pillow's own limit (about 89 million pixels) applies; this is used only if it was switched off.
FALLBACK_MAX_PIXELS = 89_478_485

# The type a picture is sniffed as -> (the decoder allowed to read it, the type it is stored as).
_FORMATS = {
    "image/jpeg": ("JPEG", "image/jpeg"),
    "image/png": ("PNG", "image/png"),
    "image/webp": ("WEBP", "image/webp"),
    "image/heif": ("HEIF", "image/jpeg"),
}
INPUT_TYPES = frozenset(_FORMATS)


class PictureRefused(ValueError):
    """`reason` is "unreadable" (cannot be decoded) or "too_many_pixels" (a decompression bomb)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CleanPicture:
    data: bytes
    content_type: str
    width: int
    height: int


_heif_ready = False


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        import pillow_heif

        # The main picture only: no thumbnails, depth maps or auxiliary images are decoded.
        pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
        _heif_ready = True


def _pixel_limit() -> int:
    return Image.MAX_IMAGE_PIXELS or FALLBACK_MAX_PIXELS


def _decode(data: bytes, decoder: str) -> Image.Image:
    """The first frame's pixels, fully loaded, or PictureRefused."""
    if decoder == "HEIF":
        _register_heif()
    try:
        image = Image.open(io.BytesIO(data), formats=[decoder])
    except Image.DecompressionBombError:
        raise PictureRefused("too_many_pixels") from None
    except Exception:  # noqa: BLE001 - whatever a decoder raises on a broken file, the answer is the same
        raise PictureRefused("unreadable") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise PictureRefused("unreadable")
    if width * height > _pixel_limit():
        raise PictureRefused("too_many_pixels")
    try:
        image.seek(0)
        image.load()
    except Image.DecompressionBombError:
        raise PictureRefused("too_many_pixels") from None
    except Exception:  # noqa: BLE001
        raise PictureRefused("unreadable") from None
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The pixels turned as the EXIF orientation says; a broken EXIF block leaves them as they are."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - the metadata is dropped anyway; only the turn is lost
        return image


def _icc_profile(image: Image.Image) -> bytes | None:
    profile = image.info.get("icc_profile")
    if not isinstance(profile, bytes) or not profile or len(profile) > MAX_ICC_PROFILE:
        return None
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without LittleCMS: keep the profile unchecked
        return profile
    try:
        ImageCms.ImageCmsProfile(io.BytesIO(profile))
    except Exception:  # noqa: BLE001 - a profile that does not parse is dropped
        return None
    return profile


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on a white background, for formats without transparency."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _encode(image: Image.Image, content_type: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict = {"icc_profile": icc} if icc else {}
    if content_type == "image/jpeg":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = _flatten(image) if _has_alpha(image) else image.convert("RGB")
        # A fresh image: nothing from the decoder's info (comments among it) is written again.
        clean = image.copy()
        clean.info = {}
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, **options)
    elif content_type == "image/png":
        transparency = image.info.get("transparency")
        if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
            transparency = None
        clean = image.copy()
        clean.info = {}
        if transparency is not None:
            options["transparency"] = transparency
        clean.save(out, format="PNG", **options)
    elif content_type == "image/webp":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        clean = image.copy()
        clean.info = {}
        clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4, **options)
    else:
        raise ValueError(f"cannot encode {content_type}")
    return out.getvalue()


def clean(data: bytes, content_type: str) -> CleanPicture:
    """Decode `data` (already sniffed as `content_type`, one of INPUT_TYPES), apply its orientation and
    encode it again without metadata. Raises PictureRefused when it cannot be decoded or is too large."""
    decoder, stored_type = _FORMATS[content_type]
    with _decode(data, decoder) as image:
        icc = _icc_profile(image)
        upright = _upright(image)
        try:
            encoded = _encode(upright, stored_type, icc)
        except (OSError, ValueError):
            # A mode or value the encoder will not take: once more from plain RGB(A) pixels.
            try:
                fallback = _flatten(upright) if stored_type == "image/jpeg" else upright.convert("RGBA")
                encoded = _encode(fallback, stored_type, None)
            except Exception:  # noqa: BLE001
                raise PictureRefused("unreadable") from None
        width, height = upright.size
    return CleanPicture(data=encoded, content_type=stored_type, width=width, height=height)
