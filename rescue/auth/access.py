"""How views ask the policy (docs/security.md). Every route declares the action it guards: a route whose record
comes from its URL with @authorised(action, Model), which loads the record, asks the policy and hands the record
to the view; every other route with @guarded(action). require(action, record) is for a second action or a record
that does not come from the URL (an id in a posted form)."""
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


def authorised(action: str, model=None, *, arg: str | None = None, parent: tuple | None = None):
    """Declare the policy of a route whose main record comes from its URL, load that record and authorise it,
    in this order: signed out, the sign-in page; the role without a scope for `action`, 403 (as @guarded);
    `db.session.get(model, <arg>)` missing, 404; `policy.allows(current_user, action, record)` refused, 403
    with its audit entry (`refuse`). The view receives the record as a keyword argument named after the
    model's table (`case`, `referral`, `nominal_roll`) in place of the id; `arg` is the URL argument, by default
    "<table>_id". A route without the argument in its URL (`/reports/new` beside `/reports/<int:report_id>`)
    receives None, after the role check only.

    parent=(ParentModel, "case_id"): a sub-record reached through its parent, which is loaded from the URL
    argument of that name too (404 when missing) and handed to the view under its own table name; the
    sub-record is 404 unless it belongs to the parent (`sub.case_id == parent.id`). The policy judges what it
    judges for the action (policy.judges_itself): the parent for case actions, before the sub-record is looked
    at; the sub-record itself when its rule reads its own fields (a referral, for referral actions), and then
    the parent reaches the view unjudged: the view shows of it only what the policy allows.

    A record whose rule is a named predicate (policy.RECORD_RULES: an intake draft is its author's) is judged
    by that predicate. Without a model this is @guarded(action)."""
    if model is None:
        if parent is not None:
            raise TypeError("a parent needs the model of the record reached through it")
        return guarded(action)
    policy.scope_for(None, action)  # fail fast on a misspelt action
    name = model.__tablename__
    arg = arg or f"{name}_id"

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not policy.allows(current_user, action):
                refuse(action)
            if parent is not None:
                parent_model, key = parent
                above = db.session.get(parent_model, kwargs.pop(key)) or abort(404)
                itself = policy.judges_itself(action, name)
                if not itself:
                    _authorise(action, above)
                record = db.session.get(model, kwargs.pop(arg))
                if record is None or getattr(record, key) != above.id:
                    abort(404)
                if itself:
                    _authorise(action, record)
                kwargs[parent_model.__tablename__] = above
            elif kwargs.get(arg) is not None:
                record = db.session.get(model, kwargs.pop(arg)) or abort(404)
                _authorise(action, record)
            else:
                kwargs.pop(arg, None)
                record = None
            kwargs[name] = record
            return view(*args, **kwargs)

        wrapper.policy = action
        return wrapper

    return decorate


def _authorise(action: str, record) -> None:
    rule = policy.RECORD_RULES.get(record.__tablename__)
    allowed = rule(current_user, record) if rule else policy.allows(current_user, action, record)
    if not allowed:
        refuse(action, record)


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
