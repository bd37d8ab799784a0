"""How views ask the policy. Every route declares the action it guards with @guarded(action);
record-level checks go through require(action, record)."""
from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user

from rescue.audit import trail
from rescue.auth import policy
from rescue.extensions import db, login_manager


def guarded(action: str):
    """Declare the policy a route enforces. PUBLIC: anyone; ANY_SIGNED_IN: any signed-in user;
    otherwise the action must be in policy.RULES and the user's role must have a scope for it."""
    if action not in (policy.PUBLIC, policy.ANY_SIGNED_IN):
        policy.scope_for(None, action)  # fail fast on a misspelt action

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if action != policy.PUBLIC:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if action != policy.ANY_SIGNED_IN and not policy.allows(current_user, action):
                    refuse(action)
            return view(*args, **kwargs)

        wrapper.policy = action
        return wrapper

    return decorate


def require(action: str, record=None) -> policy.Decision:
    """403 unless the current user may take `action` on `record`; a refusal is audited."""
    decision = policy.allows(current_user if current_user.is_authenticated else None, action, record)
    if not decision:
        refuse(action, record)
    return decision


def refuse(action: str, record=None):
    db.session.rollback()  # nothing of a refused request is kept, only the refusal
    object_type = getattr(record, "__tablename__", None) if record is not None else None
    trail.record(
        "access.refused",
        actor_id=current_user.id if current_user.is_authenticated else None,
        object_type=object_type,
        object_id=getattr(record, "id", None),
        outcome="refused",
        address=request.remote_addr,
        detail={"action": action, "endpoint": request.endpoint},
    )
    db.session.commit()
    abort(403)
