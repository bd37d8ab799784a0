from rescue.audit.labels import label_detail_values
from rescue.auth.roles import Role


def role_label(role: str) -> str:
    return Role.label_of(role)


label_detail_values("role", role_label)
