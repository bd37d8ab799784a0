"""The permission policy alone, without Flask or a database; and, at the end, its Python rules beside
their SQL twins (rescue/cases/queries.py) on a population of cases built through the services."""
from dataclasses import dataclass, field
from datetime import date

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


@dataclass
class Answer:
    """A mission's referral as the policy reads it: its own mission, unless withdrawn."""
    mission_id: int
    status: str
    organisation_id: int = 10
    assigned_to_id: int | None = None

    @property
    def referred_mission_ids(self):
        return set() if self.status == "withdrawn" else {self.mission_id}


@dataclass
class Journey:
    organisation_id: int
    assigned_to_id: int | None
    referred_mission_ids: set = field(default_factory=set)
    referrals: list = field(default_factory=list)
    receiving_organisation_id: int | None = None

    @property
    def confirming_mission_ids(self) -> set:
        return {r.mission_id for r in self.referrals if r.status == "confirmed"}


receiver = Person(5, "caseworker", organisation_id=30)


def test_a_mission_that_rejected_the_nationality_keeps_its_referral_and_nothing_else():
    rejected = Answer(70, "rejected")
    assert allows(consul, "referral.view", rejected)
    assert not allows(consul, "referral.decide", Answer(71, "rejected"))
    assert not allows(consul, "referral.view", Answer(70, "withdrawn"))
    # The case: its live referrals only (Case.referred_mission_ids leaves out rejected and withdrawn ones).
    case = Journey(10, None, referred_mission_ids={71}, referrals=[rejected, Answer(71, "confirmed")])
    for action in ("case.view", "attachment.open", "document.print", "travel_document.record", "arrival.confirm"):
        assert not allows(consul, action, case), action


def test_only_the_mission_that_confirmed_the_nationality_confirms_the_arrival():
    waiting = Journey(10, None, {70}, [Answer(70, "pending")])
    confirmed = Journey(10, None, {70}, [Answer(70, "confirmed")])
    assert allows(consul, "case.view", waiting) and not allows(consul, "arrival.confirm", waiting)
    assert allows(consul, "arrival.confirm", confirmed)
    assert not allows(Person(6, "consular", mission_id=71), "arrival.confirm", confirmed)


def test_the_receiving_agency_confirms_the_arrival_only_when_the_case_says_it_may():
    # Case.receiving_organisation_id names the agency only once the person's consent to share with it is in force.
    assert allows(receiver, "arrival.confirm", Journey(10, None, receiving_organisation_id=30))
    assert not allows(receiver, "arrival.confirm", Journey(10, None, receiving_organisation_id=None))
    assert not allows(receiver, "arrival.confirm", Journey(10, None, receiving_organisation_id=31))
    assert not allows(receiver, "case.view", Journey(10, None, receiving_organisation_id=30))


def test_the_python_rules_and_the_sql_filters_agree_on_every_case_for_every_reader(app, factory):
    """Missions, receiving agencies and the sending side, over cases whose referrals were left waiting,
    questioned, confirmed, rejected, referred again and withdrawn, and whose plans name agencies with and
    without consent: each reader's cases by the policy are the cases the SQL filter returns."""
    from sqlalchemy import select

    from rescue.auth import policy
    from rescue.auth.models import User
    from rescue.cases import progress
    from rescue.cases.models import Case
    from rescue.cases.queries import visible_cases
    from rescue.consular import referrals, returning
    from rescue.extensions import db
    from rescue.organisations.models import Mission

    ngo = factory.organisation("Sending NGO")
    agencies = [factory.organisation(f"Agency {n}", kind="receiving_agency") for n in (1, 2)]
    missions = [factory.mission(f"Mission {n}") for n in (1, 2, 3)]
    coordinator = factory.user("coordinator", organisation=ngo)
    worker = factory.user("caseworker", organisation=ngo)
    consuls = [factory.user("consular", mission=m) for m in missions]
    receivers = [factory.user("caseworker", organisation=a, two_factor=True) for a in agencies]
    m1, m2, m3 = (m.id for m in missions)
    a1, a2 = (a.id for a in agencies)
    # Each case: its story, as steps through the services.
    stories = {
        "never referred": [],
        "waiting at 1": [("refer", m1)],
        "questioned by 1": [("refer", m1), ("decide", m1, "information_requested")],
        "confirmed by 1": [("refer", m1), ("decide", m1, "confirmed")],
        "rejected by 1": [("refer", m1), ("decide", m1, "rejected")],
        "rejected by 1, waiting at 2": [("refer", m1), ("decide", m1, "rejected"), ("refer", m2)],
        "rejected by 1, confirmed by 2": [("refer", m1), ("decide", m1, "rejected"), ("refer", m2),
                                          ("decide", m2, "confirmed")],
        "withdrawn from 1": [("refer", m1), ("consent", m1, "withdrawn")],
        "confirmed by 1, then withdrawn": [("refer", m1), ("decide", m1, "confirmed"), ("consent", m1, "withdrawn")],
        "rejected by 1, then refused": [("refer", m1), ("decide", m1, "rejected"), ("consent", m1, "refused")],
        "confirmed by 3, agency 1 with consent": [("refer", m3), ("decide", m3, "confirmed"), ("plan", a1),
                                                  ("agency", a1, "given")],
        "confirmed by 3, agency 1 without consent": [("refer", m3), ("decide", m3, "confirmed"), ("plan", a1)],
        "agency 1 named, consent to agency 2": [("plan", a1), ("agency", a2, "given")],
        "agency 1, consent withdrawn": [("plan", a1), ("agency", a1, "given"), ("agency", a1, "withdrawn")],
        "agency 2, consent withdrawn then given": [("plan", a2), ("agency", a2, "given"),
                                                   ("agency", a2, "withdrawn"), ("agency", a2, "given")],
        "consent to agency 1, no plan": [("agency", a1, "given")],
    }
    ids = {name: factory.case(ngo, assigned_to=worker, status="return_decided", family_name=f"PERSON{n}",
                              birth_year=1990).id for n, name in enumerate(stories)}
    with app.app_context():
        people = {account.id: db.session.get(User, account.id) for account in (coordinator, *consuls)}
        by_mission = {consul_.mission_id: people[consul_.id] for consul_ in consuls}
        boss = people[coordinator.id]
        today = date.today()
        for name, steps in stories.items():
            case = db.session.get(Case, ids[name])
            for step in steps:
                if step[0] == "refer":
                    progress.record_consent(case, purpose="sharing", decision="given", mission_id=step[1],
                                            recipient=None, language="en", interpreter=None, witness=None,
                                            given_on=today, user=boss, address=None)
                    referrals.refer(case, mission=db.session.get(Mission, step[1]), note="", photo_reason="None",
                                    user=boss, today=today, address=None)
                elif step[0] == "decide":
                    referral = next(r for r in case.referrals if r.mission_id == step[1] and r.is_open)
                    referrals.decide(referral, outcome=step[2], evidence="interview", text="Because.",
                                     user=by_mission[step[1]], today=today, address=None)
                elif step[0] == "consent":
                    progress.record_consent(case, purpose="sharing", decision=step[2], mission_id=step[1],
                                            recipient=None, language="en", interpreter=None, witness=None,
                                            given_on=today, user=boss, address=None)
                elif step[0] == "plan":
                    returning.save_plan(case, {"receiving_agency_id": step[1]}, user=boss, address=None)
                elif step[0] == "agency":
                    progress.record_consent(case, purpose="sharing", decision=step[2], mission_id=None,
                                            organisation_id=step[1], recipient=None, language="en",
                                            interpreter=None, witness=None, given_on=today, user=boss,
                                            address=None)
                db.session.flush()
        db.session.commit()

    with app.app_context():
        cases = db.session.scalars(select(Case)).all()
        readers = [db.session.get(User, account.id) for account in (*consuls, *receivers, coordinator, worker)]
        answers = {}
        for user in readers:
            for action in ("case.view", "case.list", "document.print", "travel_document.record",
                           "arrival.confirm", "attachment.open"):
                by_policy = {c.id for c in cases if policy.allows(user, action, c)}
                by_sql = set(db.session.scalars(visible_cases(user, action).with_only_columns(Case.id)))
                assert by_policy == by_sql, (user.role, user.mission_id, user.organisation_id, action)
                answers[(user.id, action)] = by_sql

    def named(*names):
        return {ids[name] for name in names}

    # And what they answer, written down from the stories.
    assert answers[(consuls[0].id, "case.view")] == named("waiting at 1", "questioned by 1", "confirmed by 1")
    assert answers[(consuls[0].id, "arrival.confirm")] == named("confirmed by 1")
    assert answers[(consuls[1].id, "case.view")] == named("rejected by 1, waiting at 2", "rejected by 1, confirmed by 2")
    assert answers[(consuls[1].id, "arrival.confirm")] == named("rejected by 1, confirmed by 2")
    assert answers[(consuls[2].id, "arrival.confirm")] == named("confirmed by 3, agency 1 with consent",
                                                                "confirmed by 3, agency 1 without consent")
    assert answers[(receivers[0].id, "arrival.confirm")] == named("confirmed by 3, agency 1 with consent")
    assert answers[(receivers[1].id, "arrival.confirm")] == named("agency 2, consent withdrawn then given")
    assert answers[(receivers[0].id, "case.view")] == set()
    assert answers[(coordinator.id, "case.view")] == set(ids.values())


def test_every_case_scope_of_the_policy_has_its_sql_twin():
    from rescue.auth import policy
    from rescue.cases.queries import SQL_SCOPES

    used = {scope for action, by_role in policy.RULES.items() if action.split(".")[0] in policy.CASE_RECORD_ACTIONS
            for scope in by_role.values()}
    assert used - {policy.ALL} <= set(SQL_SCOPES), used - set(SQL_SCOPES)
