"""The figures behind the dashboard, each one SQL aggregate over one organisation's cases: no case is
loaded into memory, so the page costs the same at a thousand cases or a million."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case as when
from sqlalchemy import func, select

from rescue.cases.models import Case, TimelineEvent
from rescue.cases.workflow import MAIN_PATH, OPEN_STATES, SIDE_STATES
from rescue.clock import utcnow
from rescue.consular.models import OPEN_REFERRAL_STATUSES, Referral
from rescue.extensions import db
from rescue.operations.models import Operation
from rescue.organisations.models import Mission

STAGE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Row:
    key: str
    value: float
    extra: float | None = None  # a second figure: median days, overdue count…


def by_status(organisation_id: int) -> list[Row]:
    counts = dict(db.session.execute(select(Case.status, func.count()).where(
        Case.organisation_id == organisation_id).group_by(Case.status)).all())
    return [Row(status, counts.get(status, 0)) for status in MAIN_PATH + SIDE_STATES if counts.get(status)]


def by_nationality(organisation_id: int, top: int = 12) -> list[Row]:
    from rescue.cases.models import CaseNationality

    rows = db.session.execute(
        select(CaseNationality.country, func.count(func.distinct(CaseNationality.case_id)))
        .join(Case, Case.id == CaseNationality.case_id)
        .where(Case.organisation_id == organisation_id, CaseNationality.position == 0)
        .group_by(CaseNationality.country).order_by(func.count(func.distinct(CaseNationality.case_id)).desc())).all()
    shown = [Row(country, count) for country, count in rows[:top]]
    rest = sum(count for _country, count in rows[top:])
    return shown + ([Row("", rest)] if rest else [])


def waiting_now(organisation_id: int) -> list[Row]:
    """Open cases per status, with the average days they have been waiting in it."""
    now = utcnow()
    days = _days_between(Case.status_changed_at, now)
    rows = db.session.execute(
        select(Case.status, func.count(), func.avg(days))
        .where(Case.organisation_id == organisation_id, Case.status.in_(OPEN_STATES))
        .group_by(Case.status)).all()
    found = {status: (count, average) for status, count, average in rows}
    return [Row(s, found[s][0], round(float(found[s][1] or 0), 1)) for s in MAIN_PATH + SIDE_STATES if s in found]


def time_in_stage(organisation_id: int) -> list[Row]:
    """How long cases stayed in each stage they left in the past year: the average days between one
    status change and the next, from the timeline (one pass, with a window function)."""
    since = utcnow() - timedelta(days=STAGE_WINDOW_DAYS)
    moves = (select(TimelineEvent.from_status.label("stage"), TimelineEvent.at.label("left_at"),
                    func.lag(TimelineEvent.at).over(partition_by=TimelineEvent.case_id,
                                                    order_by=TimelineEvent.id).label("entered_at"))
             .join(Case, Case.id == TimelineEvent.case_id)
             .where(Case.organisation_id == organisation_id, TimelineEvent.kind == "status_change")
             .subquery())
    rows = db.session.execute(
        select(moves.c.stage, func.count(), func.avg(_days_between(moves.c.entered_at, moves.c.left_at)))
        .where(moves.c.entered_at.is_not(None), moves.c.left_at >= since).group_by(moves.c.stage)).all()
    found = {stage: (count, average) for stage, count, average in rows}
    return [Row(s, round(float(found[s][1] or 0), 1), found[s][0]) for s in MAIN_PATH + SIDE_STATES if s in found]


def referrals_by_mission(organisation_id: int, overdue_days: int) -> list[Row]:
    """Open referrals per mission, and how many of them are overdue."""
    cutoff = utcnow() - timedelta(days=overdue_days)
    rows = db.session.execute(
        select(Mission.name, func.count(), func.sum(when((Referral.referred_at < cutoff, 1), else_=0)))
        .join(Referral, Referral.mission_id == Mission.id).join(Case, Case.id == Referral.case_id)
        .where(Case.organisation_id == organisation_id, Referral.status.in_(OPEN_REFERRAL_STATUSES))
        .group_by(Mission.name).order_by(func.count().desc())).all()
    return [Row(name, count, int(overdue or 0)) for name, count, overdue in rows]


def operations(organisation_id: int, limit: int = 10) -> list[dict]:
    rows = db.session.execute(
        select(Operation.id, Operation.name, Operation.planned_on, func.count(Case.id),
               func.sum(when((Case.possibly_minor_on(utcnow().date()), 1), else_=0)))
        .outerjoin(Case, Case.operation_id == Operation.id)
        .where(Operation.organisation_id == organisation_id)
        .group_by(Operation.id, Operation.name, Operation.planned_on)
        .order_by(Operation.id.desc()).limit(limit)).all()
    return [{"id": i, "name": name, "planned_on": planned, "people": people or 0, "minors": int(minors or 0)}
            for i, name, planned, people, minors in rows]


def overdue_referrals(organisation_id: int, overdue_days: int, limit: int = 20) -> list[dict]:
    cutoff = utcnow() - timedelta(days=overdue_days)
    rows = db.session.execute(
        select(Referral.id, Case.id, Case.number, Mission.name, Referral.referred_at)
        .join(Case, Case.id == Referral.case_id).join(Mission, Mission.id == Referral.mission_id)
        .where(Case.organisation_id == organisation_id, Referral.status.in_(OPEN_REFERRAL_STATUSES),
               Referral.referred_at < cutoff)
        .order_by(Referral.referred_at).limit(limit)).all()
    now = utcnow()
    return [{"referral_id": rid, "case_id": cid, "number": number, "mission": mission,
             "days": (now - referred_at).days} for rid, cid, number, mission, referred_at in rows]


def _days_between(start, end):
    """Days between two timestamps, in SQL, on SQLite and PostgreSQL alike."""
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)
