"""Cached documents may hold the person: erasure and anonymisation empty the document cache (it only saves
render time; every document renders again on demand)."""
from __future__ import annotations

from rescue.cases import events
from rescue.cases.models import Case
from rescue.core.after_commit import after_commit
from rescue.documents import cache
from rescue.extensions import db


@events.case_erasing.connect
@events.case_anonymising.connect
def forget_cached_documents(case: Case, **_details) -> None:
    after_commit(db.session(), cache.clear)
