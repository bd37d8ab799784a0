"""Case numbers readable over the phone: no 0/O, 1/I/L; groups of four. Pure."""
from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_case_number() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"RC-{body[:4]}-{body[4:]}"
