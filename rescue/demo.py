"""Demo data for a first look: organisations, missions, one account of every role, and cases spread
over the workflow and over nationalities. Every password is random and printed once."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from rescue.admin import directory
from rescue.auth import accounts
from rescue.auth.roles import Role
from rescue.cases.models import Case, CaseAlias, CaseLanguage, CaseNationality, Consent, TimelineEvent
from rescue.cases.opening import open_case
from rescue.cases.workflow import MAIN_PATH, SIDE_STATES, CaseStatus, ReferralStatus
from rescue.clock import utcnow
from rescue.consular.models import FOLLOW_UP_MONTHS, FollowUp, Referral, RepatriationPlan, TravelDocument
from rescue.consular.returning import add_months
from rescue.extensions import db
from rescue.locating.models import Report
from rescue.operations.models import Operation, Site
from rescue.organisations.models import Mission, Organisation

# nationality: (language, script, [(family, given, native)])
PEOPLE = {
    "KHM": ("km", "Khmr", [("SOK", "Dara", "សុខ ដារ៉ា"), ("CHAN", "Sophea", "ចាន់ សុភា"),
                           ("KEO", "Vanna", "កែវ វណ្ណា"), ("HENG", "Sreymom", "ហេង ស្រីមុំ")]),
    "THA": ("th", "Thai", [("SRISUK", "Somchai", "สมชาย ศรีสุข"), ("WONGSA", "Malee", "มาลี วงศา")]),
    "MMR": ("my", "Mymr", [("AUNG KO KO", "", "အောင်ကိုကို"), ("THANDAR WIN", "", "သန္တာဝင်း")]),
    "LAO": ("lo", "Laoo", [("PHOMMACHANH", "Khamla", "ຄຳລາ ພົມມະຈັນ"), ("SOUVANNA", "Noy", "ນ້ອຍ ສຸວັນນະ")]),
    "VNM": ("vi", "Latn", [("NGUYEN", "Thi Anh", "Nguyễn Thị Ánh"), ("TRAN", "Van Minh", "Trần Văn Minh")]),
    "IDN": ("id", "Latn", [("SANTOSO", "Budi", ""), ("WULANDARI", "Sri", "")]),
    "PHL": ("fil", "Latn", [("DELA CRUZ", "Maria Luz", ""), ("REYES", "Jose", "")]),
    "CHN": ("zh", "Hans", [("WANG", "Wei", "王伟"), ("LI", "Na", "李娜")]),
    "KOR": ("ko", "Kore", [("KIM", "Min-jun", "김민준")]),
    "ETH": ("am", "Ethi", [("TESFAYE", "Abebe", "አበበ ተስፋዬ")]),
    "KEN": ("sw", "Latn", [("OCHIENG", "Brian", ""), ("WANJIKU", "Mary", "")]),
    "UGA": ("en", "Latn", [("NAMUTEBI", "Grace", "")]),
    "MAR": ("ar", "Arab", [("EL AMRANI", "Youssef", "يوسف العمراني")]),
    "SEN": ("fr", "Latn", [("DIOP", "Awa", "")]),
    "IND": ("hi", "Deva", [("KUMAR", "Rahul", "राहुल कुमार")]),
    "LKA": ("si", "Sinh", [("PERERA", "Nimal", "නිමල් පෙරේරා")]),
    "UKR": ("uk", "Cyrl", [("KOVALENKO", "Olena", "Олена Коваленко")]),
    "XXA": ("my", "Mymr", [("MOHAMMED", "Rafiq", "")]),
}

ORGANISATIONS = [
    ("Safe Return Cambodia", "ngo", "KHM"),
    ("Mekong Shelter Network", "shelter", "THA"),
]

MISSIONS = [
    ("Embassy of Indonesia, Phnom Penh", "IDN", "KHM", "Phnom Penh", "id"),
    ("Embassy of the Philippines, Phnom Penh", "PHL", "KHM", "Phnom Penh", "fil en"),
    ("Embassy of Viet Nam, Phnom Penh", "VNM", "KHM", "Phnom Penh", "vi"),
    ("Embassy of China, Phnom Penh", "CHN", "KHM", "Phnom Penh", "zh"),
    ("Royal Thai Embassy, Phnom Penh", "THA", "KHM", "Phnom Penh", "th"),
    ("Embassy of Kenya, Bangkok", "KEN", "THA", "Bangkok", "sw en"),
    ("Embassy of Ethiopia, Bangkok", "ETH", "THA", "Bangkok", "am en"),
    ("Embassy of Cambodia, Bangkok", "KHM", "THA", "Bangkok", "km"),
]


@dataclass
class Credential:
    email: str
    role: str
    where: str
    password: str
    totp_uri: str | None


def already_seeded() -> bool:
    return db.session.scalar(select(Organisation.id).limit(1)) is not None


def seed(cases: int = 60, *, rng: random.Random | None = None) -> list[Credential]:
    rng = rng or random.Random()
    credentials: list[Credential] = []

    organisations = [directory.save_organisation(None, {"name": n, "kind": k, "country": c, "active": True,
                                                        "caseworkers_may_refer": False}, actor_id=None)
                     for n, k, c in ORGANISATIONS]
    missions = [directory.save_mission(None, {"name": n, "represents": r, "host_country": h, "city": city,
                                              "languages": langs, "active": True,
                                              "hours": "Mon–Fri 08:30–16:30"}, actor_id=None)
                for n, r, h, city, langs in MISSIONS]

    def add(email, role, where, **kw):
        created = accounts.create_user(email=email, role=role, password=None, with_totp_secret=True, **kw)
        created.user.must_change_password = False  # demo accounts go straight in
        credentials.append(Credential(email, role, where, created.password, created.totp_uri))
        return created.user

    add("admin@rescue.example.org", Role.ADMIN, "—", display_name="Demo Administrator")
    staff: dict[int, list] = {}
    for index, organisation in enumerate(organisations, start=1):
        domain = f"org{index}.example.org"
        coordinator = add(f"coordinator@{domain}", Role.COORDINATOR, organisation.name,
                          organisation_id=organisation.id, display_name=f"Coordinator {index}")
        workers = [add(f"caseworker{n}@{domain}", Role.CASEWORKER, organisation.name,
                       organisation_id=organisation.id, display_name=f"Caseworker {index}.{n}")
                   for n in (1, 2)]
        staff[organisation.id] = [coordinator, *workers]
    for index, mission in enumerate(missions, start=1):
        add(f"consul{index}@mission.example.org", Role.CONSULAR, mission.name, mission_id=mission.id,
            display_name=f"Consular officer {index}")
    reception = directory.save_organisation(None, {"name": "Returnee Reception Desk", "kind": "receiving_agency",
                                                   "country": "PHL", "active": True,
                                                   "caseworkers_may_refer": False}, actor_id=None)
    add("reception@receiving.example.org", Role.CASEWORKER, reception.name, organisation_id=reception.id,
        display_name="Reception officer")

    sites = []
    for organisation in organisations:
        site = Site(organisation_id=organisation.id, name="Compound near the border",
                    country="KHM" if organisation.country == "KHM" else "MMR",
                    city="O'Smach" if organisation.country == "KHM" else "Myawaddy")
        db.session.add(site)
        sites.append(site)
    db.session.flush()
    operations = []
    for organisation, site in zip(organisations, sites, strict=False):
        operation = Operation(organisation_id=organisation.id, name=f"Operation {site.city}",
                              planned_on=date.today() - timedelta(days=40), site_id=site.id,
                              lead_agency="National police anti-trafficking unit")
        db.session.add(operation)
        operations.append(operation)
    db.session.flush()

    for organisation, site in zip(organisations, sites, strict=False):
        for _n in range(6):
            nationality = rng.choice(["IDN", "PHL", "KHM", "VNM", "KEN", "ETH"])
            language, script, names = PEOPLE[nationality]
            family, given, native = rng.choice(names)
            db.session.add(Report(organisation_id=organisation.id, site_id=site.id, source=rng.choice(
                ["relative", "hotline", "self"]), reliability=rng.choice(["likely", "unconfirmed", "confirmed"]),
                family_name=family, given_names=given or None, native_name=native or None,
                sex=rng.choice("FM"), approximate_age=rng.randint(15, 40), nationality=nationality,
                last_known_location="Building " + str(rng.randint(1, 9)), created_by_id=staff[organisation.id][0].id))

    mission_for = {m.represents: m for m in missions}
    states = list(MAIN_PATH) + list(SIDE_STATES)
    for n in range(cases):
        organisation = organisations[n % len(organisations)]
        nationality = rng.choice(list(PEOPLE))
        language, script, names = PEOPLE[nationality]
        family, given, native = rng.choice(names)
        status = states[n % len(states)] if n < len(states) else rng.choice(MAIN_PATH[:9])
        _seed_case(rng, organisation, staff[organisation.id], operations[organisations.index(organisation)],
                   nationality, language, script, family, given, native, status, mission_for.get(nationality),
                   reception)
    db.session.flush()
    return credentials


def _seed_case(rng, organisation, people, operation, nationality, language, script, family, given, native,
               status, mission: Mission | None, reception=None) -> None:
    coordinator, *workers = people
    today = date.today()
    born = today.year - rng.randint(16, 45)
    known_parts = rng.random()
    case = Case(
        organisation_id=organisation.id,
        assigned_to_id=rng.choice(workers).id if status != CaseStatus.REPORTED and rng.random() > 0.2 else None,
        status=status,
        status_reason="Demo: reason recorded with the status" if status in SIDE_STATES else None,
        family_name=family, given_names=given or None, native_name=native or None,
        native_script=script if native else None,
        sex=rng.choice("FFMMX" if nationality != "XXA" else "MF"),
        birth_year=born if known_parts > 0.15 else None,
        birth_month=rng.randint(1, 12) if known_parts > 0.3 else None,
        birth_day=rng.randint(1, 28) if known_parts > 0.45 else None,
        approximate_age=rng.randint(18, 40) if known_parts <= 0.15 else None,
        age_assessed_on=today if known_parts <= 0.15 else None,
        interpreter_needed=language not in ("en", "fr"),
        found_country="KHM" if organisation.country == "KHM" else "MMR",
        found_city="O'Smach" if organisation.country == "KHM" else "Myawaddy",
        rescued_on=today - timedelta(days=rng.randint(1, 120)) if status not in (CaseStatus.REPORTED, CaseStatus.LOCATED) else None,
        operation_id=operation.id if status not in (CaseStatus.REPORTED, CaseStatus.LOCATED) and rng.random() > 0.3 else None,
        created_by_id=coordinator.id,
    )
    case.nationalities.append(CaseNationality(country=nationality, position=0))
    case.languages.append(CaseLanguage(language=language, position=0))
    if rng.random() < 0.2:
        case.aliases.append(CaseAlias(name=f"{given or family} {rng.choice(['A', 'B', 'Jr'])}", script="Latn"))
    open_case(case, actor_id=coordinator.id)
    _seed_history(case, coordinator, status, mission, language)
    _seed_return(case, coordinator, status, mission, reception)


def _seed_return(case: Case, actor, status: str, mission: Mission | None, reception) -> None:
    """Travel documents, plans, departures, arrivals and follow-ups for the cases that got that far."""
    if status not in MAIN_PATH or mission is None:
        return
    reached = MAIN_PATH.index(status)
    today = date.today()
    if reached >= MAIN_PATH.index(CaseStatus.TRAVEL_DOCUMENT_ISSUED):
        case.travel_documents.append(TravelDocument(
            kind="emergency_travel_document", number=f"ETD{rng_number(case)}", mission_id=mission.id,
            issued_on=today - timedelta(days=4), expires_on=today + timedelta(days=56),
            route=f"{mission.city} – home", status="valid" if reached < MAIN_PATH.index(CaseStatus.ARRIVED) else "used"))
    if reached >= MAIN_PATH.index(CaseStatus.READY_TO_TRAVEL):
        case.plan = RepatriationPlan(
            fit_to_travel_on=today - timedelta(days=3), fit_to_travel_clinician="Shelter clinic",
            exit_clearance_on=today - timedelta(days=2), exit_clearance_reference="IMM-DEMO",
            flights="Demo flight 101", departure_on=today + timedelta(days=2),
            receiving_agency_id=reception.id if reception is not None and mission.represents == "PHL" else None,
            departed_at=utcnow() - timedelta(days=1) if reached >= MAIN_PATH.index(CaseStatus.DEPARTED) else None,
            arrived_at=utcnow() if reached >= MAIN_PATH.index(CaseStatus.ARRIVED) else None)
    if reached >= MAIN_PATH.index(CaseStatus.ARRIVED):
        arrived = today - timedelta(days=100)
        for months in FOLLOW_UP_MONTHS:
            case.follow_ups.append(FollowUp(months=months, due_on=add_months(arrived, months)))


def rng_number(case: Case) -> str:
    return f"{abs(hash(case.family_name or '')) % 1000000:06d}"


def _seed_history(case: Case, actor, status: str, mission: Mission | None, language: str) -> None:
    path = MAIN_PATH[: MAIN_PATH.index(status) + 1] if status in MAIN_PATH else MAIN_PATH[:4]
    previous = path[0]
    for step in path[1:]:
        case.timeline.append(TimelineEvent(kind="status_change", actor_id=actor.id, from_status=previous,
                                           to_status=step))
        previous = step
    if status in SIDE_STATES:
        case.timeline.append(TimelineEvent(kind="status_change", actor_id=actor.id, from_status=previous,
                                           to_status=status, text="Demo: reason recorded with the status"))
    reached = MAIN_PATH.index(status) if status in MAIN_PATH else 3
    given_on = date.today() - timedelta(days=30)
    if reached >= MAIN_PATH.index(CaseStatus.IN_CARE):
        case.consents.append(Consent(purpose="processing", decision="given", language=language,
                                     given_on=given_on, recorded_by_id=actor.id))
    if reached >= MAIN_PATH.index(CaseStatus.RETURN_DECIDED):
        case.consents.append(Consent(purpose="voluntary_return", decision="given", language=language,
                                     given_on=given_on, recorded_by_id=actor.id))
    if reached >= MAIN_PATH.index(CaseStatus.CONSULAR_REFERRAL) and mission is not None:
        case.consents.append(Consent(purpose="sharing", decision="given", recipient_mission_id=mission.id,
                                     recipient_description=mission.name, language=language,
                                     given_on=given_on, recorded_by_id=actor.id))
        outcome = ReferralStatus.CONFIRMED if reached >= MAIN_PATH.index(CaseStatus.NATIONALITY_CONFIRMED) else ReferralStatus.PENDING
        case.referrals.append(Referral(mission_id=mission.id, referred_by_id=actor.id, status=outcome,
                                       referred_at=utcnow() - timedelta(days=20),
                                       outcome_at=utcnow() - timedelta(days=5) if outcome == ReferralStatus.CONFIRMED else None,
                                       evidence="interview" if outcome == ReferralStatus.CONFIRMED else None))
