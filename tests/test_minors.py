"""One definition of "possibly a minor": the Python answer (badges, documents, the workflow) and the SQL answer
(the list filter, the headcounts, the dashboard) agree for every kind of birth record, on several days."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from rescue.cases.models import Case
from rescue.extensions import db

# (birth_year, birth_month, birth_day, approximate_age, age_assessed_on), and whether the person is possibly a
# minor on 2026-12-03 — written down by hand: 18 years before is 2008.
ON = date(2026, 12, 3)
EXPECTED = [
    ((2008, 12, 4, None, None), True),     # 18 tomorrow
    ((2008, 12, 3, None, None), False),    # 18 today
    ((2008, 12, None, None, None), True),  # December 2008, day unknown: taken as the 31st
    ((2008, None, None, None, None), True),  # 2008, month unknown: taken as 31 December
    ((2008, 11, None, None, None), False),  # November 2008: 18 already
    ((2009, 1, 1, None, None), True),
    ((2007, 12, 31, None, None), False),
    ((1990, None, None, 12, None), False),  # a year of birth wins over an assessed age
    ((None, None, None, 17, None), True),   # assessed today at 17
    ((None, None, None, 17, date(2025, 6, 1)), False),  # assessed at 17 last year: 18 now
    ((None, None, None, 16, date(2025, 6, 1)), True),
    ((None, None, None, 30, None), False),
    ((None, None, None, None, None), False),  # nothing known: not counted as a minor
]


@pytest.mark.parametrize("today", [ON, date(2026, 2, 28), date(2028, 2, 29), date(2026, 12, 31)])
def test_python_and_sql_agree(app, factory, today):
    organisation = factory.organisation()
    ids = []
    for (year, month, day, age, assessed), _expected in EXPECTED:
        ids.append(factory.case(organisation, birth_year=year, birth_month=month, birth_day=day,
                                approximate_age=age, age_assessed_on=assessed).id)
    with app.app_context():
        in_sql = set(db.session.scalars(select(Case.id).where(Case.id.in_(ids), Case.possibly_minor_on(today))))
        in_python = {case.id for case in db.session.scalars(select(Case).where(Case.id.in_(ids)))
                     if case.possibly_minor_on(today)}
    assert in_sql == in_python


def test_the_hand_written_answers(app, factory):
    organisation = factory.organisation()
    expected = {}
    for (year, month, day, age, assessed), minor in EXPECTED:
        case = factory.case(organisation, birth_year=year, birth_month=month, birth_day=day,
                            approximate_age=age, age_assessed_on=assessed)
        expected[case.id] = minor
    with app.app_context():
        found = set(db.session.scalars(select(Case.id).where(Case.possibly_minor_on(ON))))
    assert found == {case_id for case_id, minor in expected.items() if minor}
