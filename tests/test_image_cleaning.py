"""Pictures added to a case lose their metadata (location, device, dates, comments) before they are sealed,
stand upright, and come back through the app as clean files; what cannot be decoded is refused."""
import hashlib
import html
import io
import re
import struct
import zlib
from pathlib import Path

import exifread
import pytest
from PIL import Image, ImageChops, ImageStat
from PIL.PngImagePlugin import PngInfo
from sqlalchemy import func, select

from rescue.cases.models import Attachment
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, login
from tests.fixtures.scenarios import pdf_with_text

MAKE = b"PlantedMakeCorp"
MODEL = b"PlantedPhone X9"
TAKEN = b"2024:05:01 10:11:12"
COMMENT = b"PlantedCommentMarker: shelter on Street 7"
XMP_NS = b"http://ns.adobe.com/xap/1.0/"
XMP_MARKER = b"PlantedXmpMarker"
UNREADABLE = "This picture cannot be read: the file may be damaged or not really a picture."
TOO_MANY_PIXELS = "This picture has too many pixels to be processed. Please add a smaller picture."


@pytest.fixture()
def uploads(app, tmp_path):
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["RESCUE_UPLOAD_DIR"] = str(tmp_path / "unused")


@pytest.fixture()
def world(factory):
    organisation, mission = factory.organisation(), factory.mission()
    worker = factory.user("caseworker", organisation=organisation)
    return {
        "case": factory.case(organisation, assigned_to=worker, referred_to=mission),
        "worker": worker,
        "consul": factory.user("consular", mission=mission),
    }


def upload(client, case_id, data, name, kind="photo"):
    token = csrf_token(client, f"/cases/{case_id}")
    return client.post(f"/cases/{case_id}/attachments", data={
        "csrf_token": token, "kind": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data", follow_redirects=True)


def links_on_case_page(client, case_id) -> dict[str, str]:
    """The attachments listed on the case page: shown name -> the link a reader follows."""
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    found = re.findall(r'<a href="(/cases/\d+/attachments/\d+)"[^>]*>([^<]+)</a>', page)
    return {html.unescape(name): href for href, name in found}


def stored_files(folder: Path) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()] if Path(folder).exists() else []


# --- building the pictures a phone would send -------------------------------------------------------

def landscape_pixels(width=640, height=480) -> Image.Image:
    """A smooth gradient, with a red block in the stored top-left corner to tell which way is up."""
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 128) for y in range(height) for x in range(width)])
    image.paste((230, 20, 20), (0, 0, 120, 90))
    return image


def phone_exif(orientation=6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = MAKE.decode()        # Make
    exif[0x0110] = MODEL.decode()       # Model
    exif[0x0112] = orientation          # Orientation: 6 = turn 90 degrees clockwise to show
    exif[0x0132] = TAKEN.decode()       # DateTime
    exif.get_ifd(0x8769)[0x9003] = TAKEN.decode()  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (11.0, 33.0, 20.0)     # latitude
    gps[3], gps[4] = "E", (104.0, 55.0, 10.0)    # longitude
    return exif


def segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def phone_jpeg() -> tuple[bytes, tuple[int, int]]:
    from PIL import ImageCms

    image = landscape_pixels()
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(out, format="JPEG", quality=95, exif=phone_exif().tobytes(), icc_profile=srgb)
    data = out.getvalue()
    xmp = (XMP_NS + b"\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description "
           b"exif:GPSLatitude='11,33.3N' xmp:CreatorTool='" + XMP_MARKER + b"'/></rdf:RDF></x:xmpmeta>")
    # The XMP segment and a comment go in before the quantisation tables, where cameras and editors put them.
    at = data.index(b"\xff\xdb")
    data = data[:at] + segment(0xE1, xmp) + segment(0xFE, COMMENT) + data[at:]
    return data, image.size


def png_chunk_types(data: bytes) -> list[bytes]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    types, at = [], 8
    while at < len(data):
        length = struct.unpack(">I", data[at:at + 4])[0]
        types.append(data[at + 4:at + 8])
        at += 12 + length
    return types


def assert_no_metadata(data: bytes):
    for planted in (b"Exif\0\0", XMP_NS, XMP_MARKER, MAKE, MODEL, TAKEN, COMMENT):
        assert planted not in data, planted
    tags = exifread.process_file(io.BytesIO(data), details=True)
    assert not [t for t in tags if t.startswith(("GPS", "Image Make", "Image Model", "EXIF DateTime"))], tags


# --- tests -----------------------------------------------------------------------------------------

def test_the_planted_metadata_is_really_there_before_upload():
    """The detector works: the phone photo built here carries every thing the app must remove."""
    data, _ = phone_jpeg()
    tags = exifread.process_file(io.BytesIO(data), details=True)
    assert str(tags["Image Make"]) == MAKE.decode() and str(tags["Image Model"]) == MODEL.decode()
    assert str(tags["GPS GPSLatitudeRef"]) == "N" and "GPS GPSLongitude" in tags
    assert str(tags["EXIF DateTimeOriginal"]) == TAKEN.decode()
    assert "Rotated 90 CW" in str(tags["Image Orientation"])
    for planted in (b"Exif\0\0", XMP_NS, XMP_MARKER, COMMENT):
        assert planted in data


def test_a_phone_photo_loses_its_location_device_and_comments_and_stands_upright(
        app, make_client, uploads, world):
    original, (width, height) = phone_jpeg()
    assert (width, height) == (640, 480)
    worker = make_client()
    login(worker, world["worker"])
    page = upload(worker, world["case"].id, original, name="IMG_2041.JPG").get_data(as_text=True)
    assert "The attachment is added." in page
    # Upright it is 480 x 640, tall enough for a travel document photo (640 x 480 would not be).
    assert "Suitable for a travel document" in page.split("IMG_2041.jpg")[1].split("</li>")[0]
    href = links_on_case_page(worker, world["case"].id)["IMG_2041.jpg"]

    consul = make_client()
    login(consul, world["consul"])
    assert links_on_case_page(consul, world["case"].id)["IMG_2041.jpg"] == href
    for reader in (worker, consul):
        response = reader.get(href)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        served = response.data
        assert served.startswith(b"\xff\xd8\xff")
        assert_no_metadata(served)
        with Image.open(io.BytesIO(served)) as picture:
            assert picture.format == "JPEG" and picture.size == (height, width)  # turned: width and height swap
            assert not picture.getexif() and "comment" not in picture.info and "xmp" not in picture.info
            assert picture.info.get("icc_profile")  # the colour profile is kept: it says nothing about anyone
            upright = picture.convert("RGB")
        # Turned 90 degrees clockwise, the red corner is now at the top right.
        assert upright.getpixel((height - 20, 20))[0] > 200 and upright.getpixel((20, 20))[0] < 100
        # Quality: turned back, the pixels match the original closely (no visible loss).
        back = upright.transpose(Image.Transpose.ROTATE_90)
        difference = ImageStat.Stat(ImageChops.difference(back, landscape_pixels())).mean
        assert max(difference) < 3, difference

    stored = stored_files(uploads)
    assert len(stored) == 1
    with app.app_context():
        record = db.session.scalar(select(Attachment))
        assert (record.width, record.height, record.content_type) == (480, 640, "image/jpeg")
        assert record.size == len(served) and record.sha256 == hashlib.sha256(served).hexdigest()


def test_png_text_chunks_and_exif_are_removed_and_pixels_kept(app, client, uploads, world):
    marker = "PlantedPngMarker-42"
    image = Image.new("RGBA", (50, 30), (10, 200, 30, 255))
    image.paste((0, 0, 255, 128), (0, 0, 10, 10))
    chunks = PngInfo()
    chunks.add_text("Comment", marker)
    chunks.add_text("Description", marker, zip=True)
    chunks.add_itxt("Author", marker, lang="en", tkey="Author")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=chunks, exif=phone_exif(orientation=1).tobytes())
    original = out.getvalue()
    assert marker.encode() in original and {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} <= set(png_chunk_types(original))

    login(client, world["worker"])
    assert "The attachment is added." in upload(client, world["case"].id, original, "scan.png").get_data(as_text=True)
    response = client.get(links_on_case_page(client, world["case"].id)["scan.png"])
    assert response.status_code == 200 and response.mimetype == "image/png"
    served = response.data
    assert marker.encode() not in served and MAKE not in served and b"Exif\0\0" not in served
    assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf"} & set(png_chunk_types(served))
    with Image.open(io.BytesIO(served)) as picture:
        assert picture.size == (50, 30)
        assert ImageChops.difference(picture.convert("RGBA"), image).getbbox() is None  # lossless


def test_a_heic_photo_is_accepted_and_served_as_jpeg_without_metadata(app, client, uploads, world):
    import pillow_heif

    heif = pillow_heif.from_pillow(landscape_pixels(320, 240))
    out = io.BytesIO()
    heif.save(out, quality=90, exif=phone_exif().tobytes())
    original = out.getvalue()
    assert original[4:12] == b"ftypheic" and MAKE in original
    login(client, world["worker"])
    # Named as a PNG: the type is read from the content, and the shown name follows the stored type.
    page = upload(client, world["case"].id, original, "IMG_0042.png").get_data(as_text=True)
    assert "The attachment is added." in page
    links = links_on_case_page(client, world["case"].id)
    assert list(links) == ["IMG_0042.jpg"]
    response = client.get(links["IMG_0042.jpg"])
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "filename*=UTF-8''IMG_0042.jpg" in response.headers["Content-Disposition"]
    served = response.data
    assert served.startswith(b"\xff\xd8\xff") and b"ftyp" not in served
    assert_no_metadata(served)
    with Image.open(io.BytesIO(served)) as picture:
        assert picture.format == "JPEG" and picture.size == (240, 320)  # shown upright
        assert picture.convert("RGB").getpixel((240 - 10, 10))[0] > 200
    with app.app_context():
        record = db.session.scalar(select(Attachment))
        assert (record.content_type, record.width, record.height) == ("image/jpeg", 240, 320)


def test_a_damaged_picture_is_refused_and_nothing_is_stored(app, client, uploads, world):
    good = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(good, format="JPEG")
    damaged = good.getvalue()[:20] + b"this is not a picture " * 200  # a real JPEG header, garbage after
    login(client, world["worker"])
    response = upload(client, world["case"].id, damaged, "photo.jpg")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert UNREADABLE in page and "The attachment is added." not in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert stored_files(uploads) == []


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size in a few bytes: a decompression bomb's header."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + chunk(b"IEND", b""))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("width, height", [(10_000, 9_000), (40_000, 40_000)])
def test_a_picture_with_absurdly_many_pixels_is_refused(app, client, uploads, world, width, height):
    login(client, world["worker"])
    page = upload(client, world["case"].id, _png_header_only(width, height), "bomb.png").get_data(as_text=True)
    assert TOO_MANY_PIXELS in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
    assert stored_files(uploads) == []


def test_pdfs_are_stored_as_they_are(app, client, uploads, world):
    pdf = pdf_with_text("PlantedPdfAuthor")
    login(client, world["worker"])
    upload(client, world["case"].id, pdf, "letter.pdf", kind="scan")
    response = client.get(links_on_case_page(client, world["case"].id)["letter.pdf"])
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == pdf
    with app.app_context():
        record = db.session.scalar(select(Attachment))
        assert record.width is None and record.size == len(pdf)


def test_a_file_that_is_no_accepted_type_names_heic_among_the_formats(app, client, uploads, world):
    login(client, world["worker"])
    avif = struct.pack(">I", 24) + b"ftypavif" + b"\0\0\0\0" + b"mif1avif" + b"\0" * 100
    page = upload(client, world["case"].id, avif, "photo.heic").get_data(as_text=True)
    assert "Only photos (JPEG, PNG, WebP, HEIC) and PDF documents can be added." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Attachment.id))) == 0
