"""What operations contribute to other pages: the choices of the case list's operation and site filters
(rescue/core/page_parts.py)."""
from __future__ import annotations

from sqlalchemy import select

from rescue.auth import policy
from rescue.core import page_parts
from rescue.extensions import db
from rescue.operations.models import Operation, Site


def _operations(reader) -> list[Operation]:
    if policy.field_set(reader.role) != policy.FULL:
        return []  # a consul may not filter by what they cannot read
    return list(db.session.scalars(select(Operation).where(
        Operation.organisation_id == reader.organisation_id).order_by(Operation.id.desc()).limit(200)))


def _sites(reader) -> list[Site]:
    if policy.field_set(reader.role) != policy.FULL:
        return []
    return list(db.session.scalars(select(Site).where(
        Site.organisation_id == reader.organisation_id).order_by(Site.name).limit(500)))


page_parts.contribute("cases.list", "operations", _operations)
page_parts.contribute("cases.list", "sites", _sites)
