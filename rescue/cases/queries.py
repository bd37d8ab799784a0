"""Which cases a user may reach, as SQL: the same scopes as the policy, applied in the database.
Each scope here answers as its Python rule does (rescue/auth/policy.py); the scopes defined by referrals and
the return plan (mission, confirming, receiving) are registered by the consular package beside their records
(rescue/consular/scopes.py). tests/test_policy.py checks that every scope of the policy has its SQL twin and
that the two agree on a population of cases built through the services."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from rescue.auth import policy
from rescue.cases.models import Case


def _own(user) -> ColumnElement[bool]:
    return and_(Case.organisation_id == user.organisation_id,
                or_(Case.assigned_to_id == user.id, Case.assigned_to_id.is_(None)))


def _organisation(user) -> ColumnElement[bool]:
    return Case.organisation_id == user.organisation_id


# Each case scope of the policy, as SQL: the twin of its Python rule in rescue/auth/policy.py, side by side in
# name. tests/test_policy.py checks that every case scope has a twin and that both answer alike on a population
# of cases built through the services.
SQL_SCOPES: dict[str, Callable[..., ColumnElement[bool]]] = {
    policy.OWN: _own,
    policy.ORGANISATION: _organisation,
}


def register_scope(scope: str, where: Callable[..., ColumnElement[bool]]) -> None:
    SQL_SCOPES[scope] = where


def visible_cases(user, action: str = "case.list") -> Select:
    """The cases `user` may take `action` on, as a query: the scope the policy gives the user's role for the
    action, applied in the database."""
    scope = policy.scope_for(user.role, action)
    where = SQL_SCOPES.get(scope or "")
    return select(Case).where(where(user) if where is not None else false())
