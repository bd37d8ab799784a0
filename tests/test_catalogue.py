"""The field catalogue classifies every column of the database: a column added without a decision about who
may read it and what erasure and anonymisation do to it fails here."""
from __future__ import annotations

from rescue.cases import catalogue
from rescue.extensions import db


def test_every_column_of_every_table_is_classified(app):
    with app.app_context():
        tables = [(table.name, [column.name for column in table.columns]) for table in db.metadata.sorted_tables]
    assert catalogue.unclassified(tables) == []
    names = {name for name, _columns in tables}
    assert names <= set(catalogue.CATALOGUE) | set(catalogue.OUTSIDE), names - set(catalogue.CATALOGUE)


def test_the_catalogue_names_no_column_that_does_not_exist(app):
    with app.app_context():
        existing = {table.name: {column.name for column in table.columns} for table in db.metadata.sorted_tables}
    stale = [f"{table}.{column}" for table, entry in catalogue.CATALOGUE.items()
             for column in entry.columns if column not in existing.get(table, set())]
    assert stale == []


def test_consular_readers_never_read_the_story_health_or_the_shelter():
    # Written down from docs/domain.md: never the narrative, health, psychosocial or legal notes, nor where the
    # person is cared for.
    hidden = ["recruitment_details", "risk_notes", "legal_notes", "legal_status", "needs", "pregnant",
              "medical_needs", "disability", "phone", "found_city", "status_reason", "risk_level"]
    for column in hidden:
        assert not catalogue.may_read(catalogue.CONSULAR, "case", column), column
        assert not catalogue.may_read(catalogue.RECEIVING, "case", column), column
    assert not catalogue.may_read(catalogue.CONSULAR, "repatriation_plan", "fit_to_travel_conditions")
    assert not catalogue.may_read(catalogue.CONSULAR, "repatriation_plan", "receiving_contact")  # where they go home to
    assert not catalogue.may_read(catalogue.CONSULAR, "timeline_event", "text")


class _Row:
    def __init__(self, shareable):
        self.next_of_kin_shareable = shareable


def test_next_of_kin_reaches_a_consulate_only_when_the_person_agreed():
    assert not catalogue.may_read(catalogue.CONSULAR, "case", "next_of_kin", _Row(False))
    assert catalogue.may_read(catalogue.CONSULAR, "case", "next_of_kin", _Row(True))
    assert catalogue.may_read(catalogue.FULL, "case", "next_of_kin", _Row(False))
    assert not catalogue.may_read(None, "case", "family_name")


def test_anonymisation_keeps_only_what_statistics_need():
    kept_personal = {c for c in catalogue.personal_columns("case") if c not in catalogue.cleared_on_anonymisation("case")}
    assert kept_personal == {"sex", "birth_year", "approximate_age"}
