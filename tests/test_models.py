"""Every record survives a round trip through the database (SQLite here, PostgreSQL in CI)."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from rescue.audit import trail
from rescue.audit.models import AuditEntry
from rescue.auth.models import User, UserSession
from rescue.cases.models import Attachment, Case, CaseAlias, CaseLanguage, CaseNationality, Consent, TimelineEvent
from rescue.cases.opening import open_case
from rescue.consular.models import Referral, ReferralMessage, TravelDocument
from rescue.extensions import db
from rescue.operations.models import Operation, Site
from rescue.organisations.models import Mission, Organisation


def test_a_whole_case_round_trips(app):
    with app.app_context():
        organisation = Organisation(name="Safe Return", kind="ngo", country="KHM")
        mission = Mission(name="Embassy of Myanmar", represents="MMR", host_country="THA", city="Bangkok")
        db.session.add_all([organisation, mission])
        db.session.flush()
        worker = User(email="w@example.org", role="caseworker", organisation_id=organisation.id,
                      password_hash="x", timezone="Asia/Bangkok")
        site = Site(organisation_id=organisation.id, name="KK Park", country="MMR", city="Myawaddy",
                    latitude=16.6901, longitude=98.5123)
        db.session.add_all([worker, site])
        db.session.flush()
        operation = Operation(organisation_id=organisation.id, name="Dawn", planned_on=date(2026, 2, 1),
                              site_id=site.id, lead_agency="Police")
        db.session.add(operation)
        db.session.flush()
        case = Case(organisation_id=organisation.id, assigned_to_id=worker.id, status="rescued",
                    family_name="AUNG KO KO", native_name="အောင်ကိုကို", native_script="Mymr", sex="M",
                    birth_year=1999, birth_month=None, birth_day=None, operation_id=operation.id,
                    site_id=site.id, interpreter_needed=True)
        case.aliases.append(CaseAlias(name="Ko Ko", script="Latn"))
        case.nationalities += [CaseNationality(country="MMR", position=0), CaseNationality(country="XXA", position=1)]
        case.languages.append(CaseLanguage(language="my"))
        case.consents.append(Consent(purpose="sharing", decision="given", recipient_mission_id=mission.id,
                                     language="my", interpreter="U Tin", witness="Ms Lee",
                                     given_on=date(2026, 2, 3)))
        open_case(case, actor_id=worker.id)
        referral = Referral(case_id=case.id, mission_id=mission.id, referred_by_id=worker.id)
        referral.messages.append(ReferralMessage(author_id=worker.id, body="Passport copy attached."))
        db.session.add(referral)
        db.session.add(TravelDocument(case_id=case.id, mission_id=mission.id, kind="emergency_travel_document",
                                      number="ET0001234", issued_on=date(2026, 3, 1), expires_on=date(2026, 4, 1),
                                      route="BKK-RGN"))
        db.session.add(Attachment(case_id=case.id, kind="photo", filename="face.jpg", content_type="image/jpeg",
                                  size=1234, sha256="0" * 64, storage_key="k" * 32, uploaded_by_id=worker.id))
        db.session.add(UserSession(user_id=worker.id, token_hash="t" * 64))
        trail.record("case.created", actor_id=worker.id, object_type="case", object_id=case.id)
        db.session.commit()
        case_id = case.id

    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.number.startswith("RC-")
        assert case.native_name == "အောင်ကိုကို"
        assert [n.country for n in case.nationalities] == ["MMR", "XXA"]
        assert [a.name for a in case.aliases] == ["Ko Ko"]
        assert case.languages[0].language == "my"
        assert case.birth_year == 1999 and case.birth_month is None
        assert case.consents[0].recipient_mission_id == case.referrals[0].mission_id
        assert case.referrals[0].messages[0].body == "Passport copy attached."
        assert case.travel_documents[0].status == "valid"
        assert case.attachments[0].filename == "face.jpg"
        assert case.timeline[0].kind == "created"
        assert case.referred_mission_ids == {case.referrals[0].mission_id}
        assert "ko ko" in case.name_key and "အောင်ကိုကို" in case.name_key
        assert float(db.session.get(Site, case.site_id).latitude) == pytest.approx(16.6901)
        assert db.session.scalar(select(AuditEntry.action)) == "case.created"


def test_the_database_refuses_an_unknown_status(app, factory):
    organisation = factory.organisation()
    with app.app_context():
        db.session.add(Case(organisation_id=organisation.id, number="RC-TEST-0001", status="teleported"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_consular_officer_without_a_mission_cannot_be_stored(app):
    with app.app_context():
        db.session.add(User(email="c@example.org", role="consular", password_hash="x"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_second_writer_on_a_stale_copy_gets_a_conflict(app, factory):
    organisation = factory.organisation()
    case = factory.case(organisation)
    with app.app_context():
        first = db.session.get(Case, case.id)
        first_version = first.version
        # Another request changes the case meanwhile.
        with db.engine.begin() as connection:
            connection.execute(Case.__table__.update().where(Case.__table__.c.id == case.id)
                               .values(status="located", version=first_version + 1))
        first.status = "rescued"
        with pytest.raises(StaleDataError):
            db.session.commit()
        db.session.rollback()


def test_timeline_is_kept_in_order(app, factory):
    organisation = factory.organisation()
    case = factory.case(organisation)
    with app.app_context():
        record = db.session.get(Case, case.id)
        record.timeline.append(TimelineEvent(kind="status_change", from_status="in_care", to_status="on_hold",
                                             text="Witness hold"))
        db.session.commit()
    with app.app_context():
        kinds = [e.kind for e in db.session.get(Case, case.id).timeline]
    assert kinds == ["created", "status_change"]
