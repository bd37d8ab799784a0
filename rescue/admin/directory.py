"""Organisations and missions: saving them, and listing them with their people."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from rescue.audit import trail
from rescue.auth import sessions
from rescue.auth.models import User
from rescue.extensions import db
from rescue.i18n.countries import is_country_code
from rescue.organisations.models import ORGANISATION_KINDS, Mission, Organisation


class DirectoryError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _name_taken(model, name: str, except_id: int | None) -> bool:
    query = select(model.id).where(func.lower(model.name) == name.strip().lower())
    if except_id:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


ORGANISATION_FIELDS = ("name", "kind", "country", "caseworkers_may_refer", "active")
MISSION_FIELDS = ("name", "represents", "host_country", "city", "address", "phones", "email", "hours",
                  "languages", "contact_persons", "active")


def save_organisation(organisation: Organisation | None, data: dict, *, actor_id: int | None) -> Organisation:
    name = (data.get("name") or "").strip()
    if _name_taken(Organisation, name, organisation.id if organisation else None):
        raise DirectoryError(_l("An organisation with this name exists already."))
    if data.get("kind", "ngo") not in ORGANISATION_KINDS:
        raise DirectoryError(_l("Choose a kind of organisation."))
    if data.get("country") and not is_country_code(data["country"]):
        raise DirectoryError(_l("Choose a country from the list."))
    created = organisation is None
    organisation = organisation or Organisation()
    values = {**{f: data.get(f) for f in ORGANISATION_FIELDS if f in data}, "name": name}
    values["country"] = values.get("country") or None
    changed = _apply(organisation, values)
    db.session.add(organisation)
    db.session.flush()
    trail.record("organisation.created" if created else "organisation.updated", actor_id=actor_id,
                 object_type="organisation", object_id=organisation.id, detail={"fields": changed})
    if not created and "active" in changed:
        _members_follow(organisation, actor_id=actor_id)
    return organisation


def save_mission(mission: Mission | None, data: dict, *, actor_id: int | None) -> Mission:
    name = (data.get("name") or "").strip()
    if _name_taken(Mission, name, mission.id if mission else None):
        raise DirectoryError(_l("A mission with this name exists already."))
    for code in (data.get("represents"), data.get("host_country")):
        if not is_country_code(code):
            raise DirectoryError(_l("Choose a country from the list."))
    created = mission is None
    mission = mission or Mission()
    values = {f: data.get(f) for f in MISSION_FIELDS if f in data}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = value.strip() or None
    values["name"] = name
    values["city"] = (data.get("city") or "").strip()
    values["active"] = bool(data.get("active", True))
    changed = _apply(mission, values)
    db.session.add(mission)
    db.session.flush()
    trail.record("mission.created" if created else "mission.updated", actor_id=actor_id,
                 object_type="mission", object_id=mission.id, detail={"fields": changed})
    if not created and "active" in changed:
        _members_follow(mission, actor_id=actor_id)
    return mission


def _members_follow(place: Organisation | Mission, *, actor_id: int | None) -> None:
    """Deactivating an organisation or a mission signs every member out at once; none can sign in until it
    is active again (rescue/auth/loading.py), when they simply sign in again."""
    kind = "organisation" if isinstance(place, Organisation) else "mission"
    if place.active:
        trail.record(f"{kind}.reactivated", actor_id=actor_id, object_type=kind, object_id=place.id)
        return
    ended = sessions.end_for_members(reason=f"{kind}_deactivated", **{f"{kind}_id": place.id})
    trail.record(f"{kind}.deactivated", actor_id=actor_id, object_type=kind, object_id=place.id,
                 detail={"sessions_ended": ended})


def _apply(record, values: dict) -> list[str]:
    changed = [k for k, v in values.items() if getattr(record, k, None) != v]
    for key in changed:
        setattr(record, key, values[key])
    return changed


def organisations_with_counts():
    people = (
        select(User.organisation_id, func.count(User.id).label("people"))
        .where(User.active.is_(True))
        .group_by(User.organisation_id)
        .subquery()
    )
    return (
        select(Organisation, func.coalesce(people.c.people, 0))
        .outerjoin(people, people.c.organisation_id == Organisation.id)
        .order_by(Organisation.name)
    )


def missions_with_counts():
    people = (
        select(User.mission_id, func.count(User.id).label("people"))
        .where(User.active.is_(True))
        .group_by(User.mission_id)
        .subquery()
    )
    return (
        select(Mission, func.coalesce(people.c.people, 0))
        .outerjoin(people, people.c.mission_id == Mission.id)
        .order_by(Mission.name)
    )
