from flask_babel import lazy_gettext as _l

from rescue.audit.labels import label_detail_values

ROLE_LABELS = {
    "caseworker": _l("Caseworker"),
    "coordinator": _l("Coordinator"),
    "consular": _l("Consular officer"),
    "admin": _l("Administrator"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


label_detail_values("role", role_label)
