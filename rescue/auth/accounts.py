"""Creating and changing accounts: used by the administration pages and the command line."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from rescue.audit import trail
from rescue.auth import passwords, sessions, two_factor
from rescue.auth.models import User
from rescue.auth.roles import CONSULAR, NGO_ROLES, ROLES
from rescue.clock import utcnow
from rescue.extensions import db


class AccountError(ValueError):
    """A rule about accounts was broken; the message is translatable and names no one."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass
class NewAccount:
    user: User
    password: str | None  # set when the password was generated: shown once
    totp_uri: str | None  # set when the role needs two-factor and a secret was generated


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_taken(email: str, *, except_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == normalise_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def name_taken(name: str, *, organisation_id: int | None, mission_id: int | None, except_id: int | None = None) -> bool:
    """Another account of the same organisation or mission already goes by this name. Timelines, notes and
    letters show people by name: no one may take a colleague's."""
    wanted = name.strip().casefold()
    if not wanted or (organisation_id is None and mission_id is None):
        return False
    query = select(User.display_name).where(
        User.organisation_id == organisation_id if organisation_id is not None else User.mission_id == mission_id)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return any((other or "").strip().casefold() == wanted for other in db.session.scalars(query))


def check_name(name: str, organisation_id: int | None, mission_id: int | None, except_id: int | None = None) -> None:
    if name_taken(name, organisation_id=organisation_id, mission_id=mission_id, except_id=except_id):
        raise AccountError(_l("Someone in the same organisation or mission goes by this name already: add a "
                              "surname or an initial."), "display_name")


def check_affiliation(role: str, organisation_id: int | None, mission_id: int | None) -> None:
    if role not in ROLES:
        raise AccountError(_l("Choose a role."), "role")
    if role in NGO_ROLES and not organisation_id:
        raise AccountError(_l("Caseworkers and coordinators belong to an organisation. Choose one."), "organisation_id")
    if role == CONSULAR and not mission_id:
        raise AccountError(_l("Consular officers belong to a mission. Choose one."), "mission_id")


def create_user(
    *,
    email: str,
    role: str,
    organisation_id: int | None = None,
    mission_id: int | None = None,
    display_name: str = "",
    locale: str | None = None,
    timezone: str = "UTC",
    password: str | None = None,
    with_totp_secret: bool = False,
    actor_id: int | None = None,
) -> NewAccount:
    """Add a user to the session. Without a password, a random one is generated and must be changed
    at first sign-in. The caller commits."""
    email = normalise_email(email)
    if email_taken(email):
        raise AccountError(_l("An account with this email exists already."), "email")
    check_affiliation(role, organisation_id, mission_id)
    check_name(display_name, organisation_id if role in NGO_ROLES else None, mission_id if role == CONSULAR else None)
    generated = password is None
    if generated:
        password = passwords.random_password()
    else:
        problems = passwords.password_problems(password, email=email)
        if problems:
            raise AccountError(" ".join(str(p) for p in problems), "password")
    user = User(
        email=email,
        role=role,
        organisation_id=organisation_id if role in NGO_ROLES else None,
        mission_id=mission_id if role == CONSULAR else None,
        display_name=display_name.strip(),
        locale=locale,
        timezone=timezone or "UTC",
        password_hash=passwords.hash_password(password),
        must_change_password=generated,
    )
    totp_uri = None
    if with_totp_secret and two_factor.required_for(user):
        user.totp_secret = two_factor.new_secret()
        totp_uri = two_factor.provisioning_uri(user.totp_secret, email)
    db.session.add(user)
    db.session.flush()
    trail.record("user.created", actor_id=actor_id, object_type="user", object_id=user.id,
                 detail={"role": role})
    return NewAccount(user=user, password=password if generated else None, totp_uri=totp_uri)


def update_user(user: User, *, email: str, role: str, organisation_id: int | None, mission_id: int | None,
                display_name: str, locale: str | None, timezone: str, actor_id: int | None) -> list[str]:
    """Apply changes; returns the names of the fields changed. A change of role or affiliation ends the
    user's sessions, so new rights never ride on an old session."""
    email = normalise_email(email)
    if email_taken(email, except_id=user.id):
        raise AccountError(_l("An account with this email exists already."), "email")
    check_affiliation(role, organisation_id, mission_id)
    check_name(display_name, organisation_id if role in NGO_ROLES else None, mission_id if role == CONSULAR else None,
               except_id=user.id)
    new_values = {
        "email": email,
        "role": role,
        "organisation_id": organisation_id if role in NGO_ROLES else None,
        "mission_id": mission_id if role == CONSULAR else None,
        "display_name": display_name.strip(),
        "locale": locale or None,
        "timezone": timezone or "UTC",
    }
    changed = [name for name, value in new_values.items() if getattr(user, name) != value]
    if actor_id is not None and actor_id == user.id and {"role", "organisation_id", "mission_id"} & set(changed):
        # Separation of duties: an administrator's own rights are changed by another administrator.
        raise AccountError(_l("You cannot change your own role, organisation or mission. Another administrator "
                              "can do it."), "role")
    for name in changed:
        setattr(user, name, new_values[name])
    if {"role", "organisation_id", "mission_id", "email"} & set(changed):
        sessions.end_all(user.id, "rights_changed")
    if changed:
        trail.record("user.updated", actor_id=actor_id, object_type="user", object_id=user.id,
                     detail={"fields": changed})
    return changed


def set_active(user: User, active: bool, *, actor_id: int | None) -> None:
    if actor_id == user.id and not active:
        raise AccountError(_l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        sessions.end_all(user.id, "deactivated")
    trail.record("user.activated" if active else "user.deactivated", actor_id=actor_id,
                 object_type="user", object_id=user.id)


def reset_password(user: User, *, actor_id: int | None) -> str:
    """A new random password, to be changed at next sign-in; every session of the user ends."""
    password = passwords.random_password()
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = True
    sessions.end_all(user.id, "password_reset")
    trail.record("user.password_reset", actor_id=actor_id, object_type="user", object_id=user.id,
                 detail={"sensitive": True})
    return password


def reset_two_factor(user: User, *, actor_id: int | None) -> None:
    """The user lost their phone: they set up a new authenticator at their next sign-in."""
    user.totp_secret = None
    user.totp_last_step = None
    sessions.end_all(user.id, "two_factor_reset")
    trail.record("user.two_factor_reset", actor_id=actor_id, object_type="user", object_id=user.id,
                 detail={"sensitive": True})
