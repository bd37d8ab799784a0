"""The encrypted backup file: AES-256-GCM in chunks, so a database of any size streams through a
fixed amount of memory, and any change, cut or reordering of the file is detected. Pure (no Flask).

    header   magic "RSBK" | version (1 byte) | key id (8 ASCII bytes) | salt (32 bytes) | chunk size (4 bytes)
    chunks   AES-256-GCM(file key, nonce = chunk number (11 bytes) | 1 if last else 0, associated data = header)

The file key is derived from RESCUE_BACKUP_KEY and the file's random salt (HKDF-SHA256), so nonces never
repeat across files. Every chunk but the last holds `chunk size` bytes; the last is marked in its nonce, so a
file cut at a chunk boundary fails too. The key id (the same derivation as the attachment keys') tells a
wrong key from a damaged file."""
from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rescue.core.sealing import key_id

MAGIC = b"RSBK"
VERSION = 1
SALT_BYTES = 32
TAG_BYTES = 16
CHUNK_BYTES = 1024 * 1024
MAX_CHUNK_BYTES = 64 * 1024 * 1024
_HEADER = struct.Struct(">4sB8s32sI")
HEADER_BYTES = _HEADER.size


class NotABackup(ValueError):
    """The file is not an encrypted backup of this app (or of a version it does not read)."""


class WrongKey(ValueError):
    """The backup was encrypted with another key."""

    def __init__(self, sealed_with: str, configured: str):
        super().__init__(f"sealed with key {sealed_with}, configured key is {configured}")
        self.sealed_with = sealed_with
        self.configured = configured


class Damaged(ValueError):
    """The file was changed or cut short after it was written."""


def _file_key(key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"rescue backup file key v1").derive(key)
    return AESGCM(derived)


def _nonce(number: int, last: bool) -> bytes:
    return number.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only stream that encrypts what it is given into `stream`. Call `finish()` at the end:
    without it the file has no last chunk and will not open."""

    def __init__(self, stream, key: bytes, *, chunk_bytes: int = CHUNK_BYTES):
        self._stream = stream
        self._chunk = chunk_bytes
        salt = os.urandom(SALT_BYTES)
        self._header = _HEADER.pack(MAGIC, VERSION, key_id(key).encode("ascii"), salt, chunk_bytes)
        self._aead = _file_key(key, salt)
        self._buffer = bytearray()
        self._number = 0
        self._finished = False
        stream.write(self._header)

    def write(self, data) -> int:
        if self._finished:
            raise ValueError("the backup file is finished")
        self._buffer += data
        while len(self._buffer) >= self._chunk:
            self._emit(bytes(self._buffer[:self._chunk]), last=False)
            del self._buffer[:self._chunk]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        self._stream.write(self._aead.encrypt(_nonce(self._number, last), plaintext, self._header))
        self._number += 1

    def flush(self) -> None:
        self._stream.flush()

    def finish(self) -> None:
        if not self._finished:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._finished = True
            self._stream.flush()


def read_header(stream) -> tuple[bytes, str, bytes, int]:
    header = stream.read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
        raise NotABackup("not an encrypted backup")
    magic, version, sealed_with, salt, chunk_bytes = _HEADER.unpack(header)
    if version != VERSION:
        raise NotABackup(f"backup format {version} is not known to this version")
    if not 0 < chunk_bytes <= MAX_CHUNK_BYTES:
        raise Damaged("impossible chunk size")
    return header, sealed_with.decode("ascii", "replace"), salt, chunk_bytes


class DecryptingReader:
    """A read-only stream of the plaintext of an encrypted backup. Raises WrongKey before reading anything
    with a key that is not the one it was written with, and Damaged as soon as a chunk fails. `read_to_end()`
    checks that the file ends exactly where its writer finished it."""

    def __init__(self, stream, key: bytes):
        self._stream = stream
        self._header, sealed_with, salt, self._chunk = read_header(stream)
        if sealed_with != key_id(key):
            raise WrongKey(sealed_with, key_id(key))
        self._aead = _file_key(key, salt)
        self._number = 0
        self._buffer, self._position = b"", 0
        self._next = stream.read(self._chunk + TAG_BYTES)
        self._done = False

    def _advance(self) -> None:
        current = self._next
        if len(current) < TAG_BYTES:
            raise Damaged("the file ends before its last part")
        self._next = self._stream.read(self._chunk + TAG_BYTES) if len(current) == self._chunk + TAG_BYTES else b""
        last = not self._next
        try:
            plaintext = self._aead.decrypt(_nonce(self._number, last), current, self._header)
        except InvalidTag:
            raise Damaged(f"part {self._number} of the file was changed or the file was cut") from None
        self._number += 1
        self._buffer, self._position = plaintext, 0
        self._done = last

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while size < 0 or len(out) < size:
            if self._position >= len(self._buffer):
                if self._done:
                    break
                self._advance()
                continue
            end = len(self._buffer) if size < 0 else self._position + size - len(out)
            piece = self._buffer[self._position:end]
            out += piece
            self._position += len(piece)
        return bytes(out)

    def read_to_end(self) -> None:
        """Authenticate the rest of the file (what a reader of the archive inside left unread)."""
        while not self._done:
            self._advance()
        self._buffer, self._position = b"", 0
