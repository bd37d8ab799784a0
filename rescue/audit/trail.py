"""Writing and verifying the hash-chained audit trail."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import select, text

from rescue.audit.models import AuditEntry
from rescue.clock import utcnow
from rescue.extensions import db

GENESIS = "0" * 64


def entry_hash(previous_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            previous_hash,
            entry.at.isoformat(timespec="microseconds"),
            entry.actor_id,
            entry.action,
            entry.object_type,
            entry.object_id,
            entry.outcome,
            entry.address,
            entry.detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    # Entries must be chained one after another; PostgreSQL serialises writers with an advisory lock,
    # SQLite serialises every writer already.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7317001)"))


def record(
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    outcome: str = "ok",
    address: str | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Add an entry to the session; the caller commits it with the change it describes."""
    _lock_chain()
    previous = db.session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        address=address,
        detail=json.dumps(detail, sort_keys=True, ensure_ascii=False) if detail else None,
    )
    entry.previous_hash = previous or GENESIS
    entry.hash = entry_hash(entry.previous_hash, entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def verify(entries: Iterable[AuditEntry]) -> int | None:
    """Return the id of the first entry that breaks the chain, or None when the chain holds."""
    previous = GENESIS
    for entry in entries:
        if entry.previous_hash != previous or entry_hash(previous, entry) != entry.hash:
            return entry.id
        previous = entry.hash
    return None


def verify_all() -> int | None:
    return verify(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000))
