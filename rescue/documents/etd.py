"""Emergency travel documents issued by a mission: the record (with what the paper shows of the holder,
as issued), its machine readable zone, and the signed token its QR code carries to the verification page."""
from __future__ import annotations

from datetime import date

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from rescue.cases import catalogue
from rescue.consular import returning
from rescue.consular.models import TravelDocument, TravelDocumentStatus
from rescue.consular.referrals import Refused
from rescue.documents import mrz
from rescue.documents.kinds import PrintRefusal
from rescue.documents.packet import photo_of

LAYOUTS = {"td3": "PE", "td2": "PU"}  # emergency passport booklet page, or single-sheet document
NEEDS_PHOTO = PrintRefusal.NEEDS_PHOTO
MRZ_IMPOSSIBLE = PrintRefusal.MRZ_IMPOSSIBLE
TOKEN_SALT = "rescue.travel-document"


def _yymmdd(year: int | None, month: int | None, day: int | None) -> str:
    return ((f"{year % 100:02d}" if year else "<<") + (f"{month:02d}" if month else "<<")
            + (f"{day:02d}" if day else "<<"))


def holder_of(case, nationality: str) -> dict:
    """The holder as the issuing mission may know them: the consular field set of the catalogue."""
    seen = catalogue.Seen(case, "case", catalogue.CONSULAR)
    return {"surname": seen.family_name or "", "given": seen.given_names or "", "native_name": seen.native_name or "",
            "birth": [seen.birth_year, seen.birth_month, seen.birth_day], "sex": seen.sex or "U",
            "nationality": nationality, "place_of_birth": seen.place_of_birth or ""}


def zone(layout: str, *, mission_country: str, number: str, holder: dict, expires_on: date) -> list[str]:
    year, month, day = holder["birth"]
    sex = holder["sex"] if holder["sex"] in ("F", "M") else "X"
    return mrz.make(layout, code=LAYOUTS[layout], issuer=mission_country, number=number,
                    surname=holder["surname"] or holder["given"], given=holder["given"] if holder["surname"] else "",
                    nationality=holder["nationality"], birth=_yymmdd(year, month, day), sex=sex,
                    expiry=expires_on.strftime("%y%m%d"))


def issue(case, *, layout: str, number: str, issued_on: date, expires_on: date, route: str, transit_points: str,
          user, today: date, address: str | None) -> TravelDocument:
    """The mission issues an emergency travel document: recorded like any travel document, with its zone."""
    if layout not in LAYOUTS:
        raise ValueError("unknown layout")
    if photo_of(case) is None:
        raise Refused((NEEDS_PHOTO,))
    mission = user.mission
    holder = holder_of(case, mission.represents)
    try:
        lines = zone(layout, mission_country=mission.represents, number=number.strip().upper(), holder=holder,
                     expires_on=expires_on)
    except mrz.MRZError:
        raise Refused((MRZ_IMPOSSIBLE,)) from None
    document = returning.record_travel_document(
        case, kind="emergency_travel_document", number=number, issued_on=issued_on, expires_on=expires_on,
        route=route, transit_points=transit_points, user=user, today=today, address=address)
    document.mrz = "\n".join(lines)
    document.holder = {**holder, "layout": layout}
    return document


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def token_for(document: TravelDocument) -> str:
    return _serializer().dumps({"d": document.id, "n": document.number})


def read_token(token: str) -> tuple[int, str] | None:
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("d"), int):
        return None
    return payload["d"], str(payload.get("n", ""))


def standing(document: TravelDocument, today: date) -> str:
    """What a border officer needs to know: valid, revoked, used or expired."""
    if document.status in ("revoked", "used"):
        return document.status
    if document.status == TravelDocumentStatus.EXPIRED or (document.expires_on is not None and document.expires_on < today):
        return "expired"
    return "valid"


def qr_png(url: str) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=4, border=2)
    return out.getvalue()
