"""Password hashing (argon2id) and the rules a new password must meet."""
from __future__ import annotations

import gzip
import secrets
import string
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return _hasher(
        cfg["RESCUE_ARGON2_TIME_COST"], cfg["RESCUE_ARGON2_MEMORY_COST"], cfg["RESCUE_ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> tuple[bool, str | None]:
    """Check a password. Returns (ok, new_hash): new_hash is set when the stored hash should be upgraded."""
    ph = hasher()
    try:
        ph.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False, None
    if ph.check_needs_rehash(stored_hash):
        return True, ph.hash(password)
    return True, None


# A hash to verify against when the account does not exist, so timing does not tell which emails exist.
def dummy_verify(password: str) -> None:
    verify_password(_dummy_hash(), password)


def _dummy_hash() -> str:
    cfg = current_app.config
    return _dummy_hash_for(
        cfg["RESCUE_ARGON2_TIME_COST"], cfg["RESCUE_ARGON2_MEMORY_COST"], cfg["RESCUE_ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=8)
def _dummy_hash_for(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_cost, parallelism).hash(secrets.token_urlsafe(16))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    # About 20,000 widely used passwords (the list Django ships, BSD licence), plus a few of our own domain.
    data = resources.files("rescue.auth").joinpath("common_passwords.txt.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problems(password: str, *, email: str = "", min_length: int | None = None) -> list:
    """What is wrong with a new password, as translatable messages; empty when it is acceptable."""
    min_length = min_length or current_app.config["RESCUE_PASSWORD_MIN_LENGTH"]
    problems = []
    if len(password) < min_length:
        problems.append(lazy_ngettext("Use at least %(num)s character.", "Use at least %(num)s characters.",
                                      min_length))
    if len(password) > 256:
        problems.append(_l("Use at most 256 characters."))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if lowered in common_passwords() or len(set(password)) <= 2:
        problems.append(_l("This password is too common. Choose one that is hard to guess."))
    elif local_part and len(local_part) >= 4 and local_part in lowered:
        problems.append(_l("Do not use your email address in your password."))
    return problems


def random_password(length: int = 16) -> str:
    """A password for a new or reset account, shown once. Unambiguous characters only."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in candidate) and any(c.isupper() for c in candidate):
            return candidate
