"""Encryption at rest (attachments, cached documents, two-factor secrets, backups): AES-256-GCM, a fresh
nonce per item, and the id of the key in each item so keys can be rotated without losing one. Everything
but `keyring` (which reads the app's configuration) is pure."""
from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

MAGIC = b"RSQ1"
NONCE_BYTES = 12
ASSOCIATED_DATA = b"rescue attachment"


class SealError(ValueError):
    """A file could not be opened: unknown key, or the bytes were changed."""


def parse_key(text: str) -> bytes:
    """A key as the environment holds it: 32 random bytes, base64 (URL-safe or standard)."""
    text = (text or "").strip()
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        key = b""
    if len(key) != 32:
        raise ValueError("an encryption key must be 32 random bytes, base64-encoded "
                         "(flask --app wsgi rescue new-encryption-key makes one)")
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"rescue key id:" + key).hexdigest()[:8]


@dataclass
class Keyring:
    current: bytes
    old: list[bytes] = field(default_factory=list)

    @property
    def current_id(self) -> str:
        return key_id(self.current)

    def _key(self, wanted: str) -> bytes:
        for key in (self.current, *self.old):
            if key_id(key) == wanted:
                return key
        raise SealError("the file was sealed with a key that is not configured")

    def seal(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.current).encrypt(nonce, plaintext, ASSOCIATED_DATA)
        return MAGIC + self.current_id.encode("ascii") + nonce + sealed

    def sealed_with(self, blob: bytes) -> str:
        if not blob.startswith(MAGIC):
            raise SealError("not a sealed attachment")
        return blob[4:12].decode("ascii", "replace")

    def open(self, blob: bytes) -> bytes:
        key = self._key(self.sealed_with(blob))
        nonce, sealed = blob[12:12 + NONCE_BYTES], blob[12 + NONCE_BYTES:]
        try:
            return AESGCM(key).decrypt(nonce, sealed, ASSOCIATED_DATA)
        except InvalidTag:
            raise SealError("the file was changed after it was sealed") from None


# Short secrets kept in a database column (two-factor keys): the same sealing, with associated data
# naming what is sealed (so a sealed attachment cannot stand in for one), written as text.
TEXT_PREFIX = "rsq1:"


def _sealed_text_bytes(token: str) -> bytes:
    if not (token or "").startswith(TEXT_PREFIX):
        raise SealError("not a sealed value")
    body = token[len(TEXT_PREFIX):]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (ValueError, TypeError):
        raise SealError("not a sealed value") from None


def text_sealed_with(token: str) -> str:
    """The id of the key that sealed a value made by `seal_text`."""
    blob = _sealed_text_bytes(token)
    if not blob.startswith(MAGIC):
        raise SealError("not a sealed value")
    return blob[4:12].decode("ascii", "replace")


def seal_text(ring: Keyring, text: str, purpose: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.current).encrypt(nonce, text.encode("utf-8"), purpose)
    blob = MAGIC + ring.current_id.encode("ascii") + nonce + sealed
    return TEXT_PREFIX + base64.urlsafe_b64encode(blob).decode("ascii").rstrip("=")


def open_text(ring: Keyring, token: str, purpose: bytes) -> str:
    key = ring._key(text_sealed_with(token))
    blob = _sealed_text_bytes(token)
    nonce, sealed = blob[12:12 + NONCE_BYTES], blob[12 + NONCE_BYTES:]
    try:
        return AESGCM(key).decrypt(nonce, sealed, purpose).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        raise SealError("the value was changed after it was sealed") from None


def keyring() -> Keyring:
    """The installation's keys: the current one seals, older ones (being rotated out) still open."""
    cfg = current_app.config
    if not cfg.get("RESCUE_ENCRYPTION_KEY"):
        raise RuntimeError("RESCUE_ENCRYPTION_KEY is not set: nothing can be sealed")
    old = [parse_key(k) for k in (cfg.get("RESCUE_ENCRYPTION_OLD_KEYS") or "").replace(",", " ").split() if k]
    return Keyring(parse_key(cfg["RESCUE_ENCRYPTION_KEY"]), old)
