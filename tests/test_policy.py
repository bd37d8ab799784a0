"""The permission policy alone, without Flask or a database."""
from dataclasses import dataclass, field

import pytest

from rescue.auth.policy import allows, field_set, scope_for


@dataclass
class Person:
    id: int
    role: str
    organisation_id: int | None = None
    mission_id: int | None = None


@dataclass
class CaseFile:
    organisation_id: int
    assigned_to_id: int | None
    referred_mission_ids: set = field(default_factory=set)


caseworker = Person(1, "caseworker", organisation_id=10)
coordinator = Person(2, "coordinator", organisation_id=10)
consul = Person(3, "consular", mission_id=70)
admin = Person(4, "admin")


@pytest.mark.parametrize("actor, case, expected", [
    (caseworker, CaseFile(10, 1), True),        # own
    (caseworker, CaseFile(10, None), True),     # the organisation's intake queue
    (caseworker, CaseFile(10, 99), False),      # another caseworker's
    (caseworker, CaseFile(11, 1), False),       # another organisation
    (coordinator, CaseFile(10, 99), True),
    (coordinator, CaseFile(11, None), False),
    (consul, CaseFile(10, 1, {70}), True),
    (consul, CaseFile(10, 1, {71}), False),
    (consul, CaseFile(10, 1), False),           # never referred
    (admin, CaseFile(10, 1), False),            # administrators do not see case contents
])
def test_who_may_view_a_case(actor, case, expected):
    assert bool(allows(actor, "case.view", case)) is expected


def test_consul_may_not_edit_even_a_referred_case():
    assert not allows(consul, "case.edit", CaseFile(10, 1, {70}))


def test_field_sets():
    assert field_set("caseworker") == field_set("coordinator") == "full"
    assert field_set("consular") == "consular"
    assert field_set("admin") is None


def test_nobody_signed_in_may_do_nothing():
    assert not allows(None, "case.list")


def test_unknown_action_is_an_error():
    with pytest.raises(KeyError):
        scope_for("admin", "case.delete-everything")


def test_only_administrators_manage_accounts():
    for actor in (caseworker, coordinator, consul):
        assert not allows(actor, "admin.users")
    assert allows(admin, "admin.users")
