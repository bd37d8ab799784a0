from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "ngo": _l("Non-governmental organisation"),
    "shelter": _l("Shelter"),
    "police": _l("Police unit"),
    "receiving_agency": _l("Receiving agency"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
