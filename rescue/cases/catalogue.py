"""The field catalogue: every column of the person's data, who may read it, whether it is personal, and what
erasure and anonymisation do to it. Pure: names of tables and columns, no models, no Flask.

Field sets (what a reader may see of a case, decided from the reader AND their relation to the case):
  full       the organisation that holds the case (caseworkers and coordinators)
  shelter    carers: identity, languages, needs, vulnerabilities, risk level, consents and the plan; not the
             recruitment story, the legal situation or the notes
  consular   a mission with a live referral: identity, photo, nationality evidence, identity documents, the
             travel plan without health conditions, next of kin only when the person agreed to share it
  receiving  the agency named in the plan, after the person agreed to share with it: identity, photo, the
             journey and the hand-over, next of kin when shared

Anonymisation (closed cases after the retention period):
  keep       statistics need it (status, dates, nationality, sex, year of birth, organisation, operation)
  clear      set to nothing (NULL, or the empty value of a column that cannot be NULL)
  rows       the whole row goes (aliases, messages, attachments and their files)
Erasure (on request) removes the case and every row that belongs to it; rows that outlive the case (a
locating report, a batch print) lose their personal columns as anonymisation would clear them.

A test walks the database metadata and fails for any column that is not classified here, so a new column
cannot ship without a decision."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rescue.auth import policy

FULL = "full"
SHELTER = "shelter"
CONSULAR = "consular"
RECEIVING = "receiving"
FIELD_SETS = (FULL, SHELTER, CONSULAR, RECEIVING)

KEEP = "keep"
CLEAR = "clear"

EVERYONE = frozenset(FIELD_SETS)
CARERS = frozenset((FULL, SHELTER))
HOLDER = frozenset((FULL,))
JOURNEY = frozenset((FULL, SHELTER, CONSULAR, RECEIVING))
CONSULATE = frozenset((FULL, CONSULAR))
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Field:
    readers: frozenset[str]
    personal: bool = False
    anonymise: str = KEEP
    # A flag on the same row that, when true, opens the field to more readers (next of kin shared).
    shared_if: str | None = None
    shared_with: frozenset[str] = NOBODY


def keep(readers: frozenset[str] = HOLDER) -> Field:
    return Field(readers)


def personal(readers: frozenset[str], anonymise: str = CLEAR, *, shared_if: str | None = None,
             shared_with: frozenset[str] = NOBODY) -> Field:
    return Field(readers, personal=True, anonymise=anonymise, shared_if=shared_if, shared_with=shared_with)


@dataclass(frozen=True)
class Table:
    """How the rows of one table belong to a person, and what erasure and anonymisation do with them.
    `link` is the column that names the case; `through` names a parent table whose rows carry it."""

    columns: dict[str, Field]
    link: str | None = "case_id"
    through: str | None = None
    anonymise_rows: bool = False      # anonymisation deletes the row rather than clearing columns
    outlives_case: bool = False       # erasure clears the personal columns and keeps the row
    rows_readable_by: frozenset[str] = EVERYONE
    note: str = ""


CATALOGUE: dict[str, Table] = {
    "case": Table(link="id", columns={
        "id": keep(EVERYONE),
        "number": keep(EVERYONE),
        "organisation_id": keep(CARERS),
        "assigned_to_id": keep(),
        "status": keep(EVERYONE),
        "status_reason": personal(HOLDER),
        "status_changed_at": keep(EVERYONE),
        "operation_id": keep(),
        "operation_tag": personal(HOLDER),
        "site_id": keep(),
        "family_name": personal(EVERYONE),
        "given_names": personal(EVERYONE),
        "native_name": personal(EVERYONE),
        "native_script": personal(EVERYONE),
        "name_key": personal(NOBODY),
        "sex": personal(EVERYONE, KEEP),
        "birth_year": personal(EVERYONE, KEEP),  # anonymised birth is coarsened to the year
        "birth_month": personal(EVERYONE),
        "birth_day": personal(EVERYONE),
        "approximate_age": personal(EVERYONE, KEEP),
        "age_assessed_on": personal(EVERYONE),
        "place_of_birth": personal(frozenset((FULL, CONSULAR, RECEIVING))),
        "interpreter_needed": keep(EVERYONE),
        "phone": personal(CARERS),
        "next_of_kin": personal(CARERS, shared_if="next_of_kin_shareable",
                                shared_with=frozenset((CONSULAR, RECEIVING))),
        "next_of_kin_shareable": keep(),
        "recruitment_channel": keep(),
        "recruitment_details": personal(HOLDER),
        "exploitation": keep(),
        "pregnant": personal(CARERS),
        "medical_needs": personal(CARERS),
        "disability": personal(CARERS),
        "needs": personal(CARERS),
        "risk_level": personal(CARERS),
        "risk_notes": personal(HOLDER),
        "legal_status": personal(HOLDER),
        "legal_notes": personal(HOLDER),
        "found_country": keep(),
        "found_city": personal(HOLDER),
        "rescued_on": keep(EVERYONE),  # nominal rolls list the date rescued
        "created_by_id": keep(),
        "created_at": keep(),
        "anonymised_at": keep(),
        "updated_at": keep(),
        "version": keep(EVERYONE),
    }),
    "case_alias": Table(anonymise_rows=True, columns={
        "id": keep(EVERYONE), "case_id": keep(EVERYONE),
        "name": personal(EVERYONE), "script": personal(EVERYONE),
    }),
    "case_nationality": Table(columns={
        "id": keep(EVERYONE), "case_id": keep(EVERYONE), "country": personal(EVERYONE, KEEP),
        "position": keep(EVERYONE),
    }),
    "case_language": Table(columns={
        "id": keep(EVERYONE), "case_id": keep(EVERYONE), "language": personal(EVERYONE, KEEP),
        "position": keep(EVERYONE),
    }),
    "timeline_event": Table(rows_readable_by=CARERS, columns={
        "id": keep(CARERS), "case_id": keep(CARERS), "kind": keep(CARERS), "at": keep(CARERS),
        "actor_id": keep(), "from_status": keep(CARERS), "to_status": keep(CARERS),
        "text": personal(HOLDER),
    }),
    "consent": Table(rows_readable_by=CARERS, columns={
        "id": keep(CARERS), "case_id": keep(CARERS), "purpose": keep(CARERS), "decision": keep(CARERS),
        "recipient_mission_id": keep(CARERS), "recipient_organisation_id": keep(CARERS),
        "recipient_description": personal(CARERS), "language": keep(CARERS),
        "interpreter": personal(HOLDER), "witness": personal(HOLDER),
        "given_on": keep(CARERS), "recorded_at": keep(CARERS), "recorded_by_id": keep(),
    }),
    "attachment": Table(anonymise_rows=True, note="consular and receiving readers get photos and identity "
                        "documents only: other scans may carry health or legal detail", columns={
        "id": keep(EVERYONE), "case_id": keep(EVERYONE), "kind": keep(EVERYONE),
        "filename": personal(EVERYONE), "content_type": keep(EVERYONE), "size": keep(EVERYONE),
        "sha256": personal(NOBODY), "storage_key": keep(NOBODY), "key_id": keep(NOBODY),
        "width": keep(EVERYONE), "height": keep(EVERYONE), "uploaded_by_id": keep(),
        "uploaded_at": keep(EVERYONE),
    }),
    "identity_document": Table(columns={
        "id": keep(EVERYONE), "case_id": keep(EVERYONE), "kind": keep(EVERYONE), "status": keep(EVERYONE),
        "number": personal(EVERYONE), "issuing_country": keep(EVERYONE),
        "expires_on": personal(EVERYONE), "notes": personal(HOLDER), "recorded_at": keep(),
    }),
    "intake_draft": Table(link=None, anonymise_rows=True, rows_readable_by=HOLDER,
                          note="an intake not yet a case: read by its author and their coordinators; expires after "
                          "RESCUE_DRAFT_DAYS",
                          columns={
        "id": keep(), "organisation_id": keep(), "created_by_id": keep(), "step": keep(),
        "data": personal(HOLDER), "created_at": keep(), "updated_at": keep(),
    }),
    "referral": Table(rows_readable_by=CONSULATE, columns={
        "id": keep(CONSULATE), "case_id": keep(CONSULATE), "mission_id": keep(CONSULATE),
        "referred_by_id": keep(), "referred_at": keep(CONSULATE), "status": keep(CONSULATE),
        "outcome_at": keep(CONSULATE), "outcome_by_id": keep(), "evidence": keep(CONSULATE),
        "reason": personal(CONSULATE), "photo_reason": personal(CONSULATE),
        "overdue_notified_at": keep(),
    }),
    "referral_message": Table(link="referral_id", through="referral", anonymise_rows=True,
                              rows_readable_by=CONSULATE, columns={
        "id": keep(CONSULATE), "referral_id": keep(CONSULATE), "author_id": keep(CONSULATE),
        "sent_at": keep(CONSULATE), "body": personal(CONSULATE),
    }),
    "travel_document": Table(rows_readable_by=frozenset((FULL, SHELTER, CONSULAR, RECEIVING)), columns={
        "id": keep(JOURNEY), "case_id": keep(JOURNEY), "mission_id": keep(JOURNEY), "kind": keep(JOURNEY),
        "number": personal(JOURNEY), "issued_on": keep(JOURNEY), "expires_on": keep(JOURNEY),
        "route": personal(JOURNEY), "transit_points": personal(JOURNEY), "mrz": personal(JOURNEY),
        "holder": personal(CONSULATE), "status": keep(JOURNEY), "issued_by_id": keep(),
        "created_at": keep(),
    }),
    "repatriation_plan": Table(columns={
        "id": keep(JOURNEY), "case_id": keep(JOURNEY), "version": keep(JOURNEY),
        "fit_to_travel_on": keep(JOURNEY), "fit_to_travel_clinician": personal(JOURNEY),
        "fit_to_travel_conditions": personal(CARERS), "escort_needed": keep(JOURNEY),
        "exit_clearance_on": keep(JOURNEY), "exit_clearance_reference": personal(CONSULATE | CARERS),
        "flights": personal(JOURNEY), "departure_on": keep(JOURNEY), "escort": personal(JOURNEY),
        "receiving_agency_id": keep(JOURNEY),
        # How the person is received at home (who, where): for the sending side and the receiving agency.
        "receiving_contact": personal(frozenset((FULL, SHELTER, RECEIVING))),
        "updated_at": keep(), "updated_by_id": keep(), "departed_at": keep(JOURNEY), "departed_by_id": keep(),
        "arrived_at": keep(JOURNEY), "arrived_by_id": keep(),
    }),
    "follow_up": Table(rows_readable_by=HOLDER, columns={
        "id": keep(), "case_id": keep(), "months": keep(), "due_on": keep(), "done_on": keep(),
        "done_by_id": keep(), "outcome": keep(), "note": personal(HOLDER), "reminded_at": keep(),
    }),
    "nominal_roll_entry": Table(rows_readable_by=CONSULATE, note="a roll line as issued: its data is the "
                                "identity it listed", columns={
        "id": keep(CONSULATE), "roll_id": keep(CONSULATE), "case_id": keep(CONSULATE),
        "position": keep(CONSULATE), "data": personal(CONSULATE),
    }),
    "report": Table(outlives_case=True, rows_readable_by=HOLDER, note="a locating report; linked to the "
                    "case it became", columns={
        "id": keep(), "organisation_id": keep(), "site_id": keep(), "status": keep(), "source": keep(),
        "reliability": keep(), "reporter_contact": personal(HOLDER), "family_name": personal(HOLDER),
        "given_names": personal(HOLDER), "native_name": personal(HOLDER), "sex": personal(HOLDER, KEEP),
        "approximate_age": personal(HOLDER, KEEP), "nationality": personal(HOLDER, KEEP),
        "last_known_location": personal(HOLDER), "safe_contact": personal(HOLDER), "notes": personal(HOLDER),
        "case_id": keep(), "created_by_id": keep(), "created_at": keep(), "updated_at": keep(),
    }),
    "notice": Table(anonymise_rows=False, rows_readable_by=EVERYONE, note="notices name the case number, "
                    "never the person; erasure deletes them", columns={
        "id": keep(EVERYONE), "recipient_id": keep(EVERYONE), "kind": keep(EVERYONE),
        "case_id": keep(EVERYONE), "referral_id": keep(EVERYONE), "case_number": keep(EVERYONE),
        "audit_entry_id": keep(EVERYONE), "created_at": keep(EVERYONE), "read_at": keep(EVERYONE),
    }),
    "print_job": Table(link=None, outlives_case=True, note="a batch print: its result file holds the people "
                       "printed; erasing one of them withdraws the result", columns={
        "id": keep(), "organisation_id": keep(), "requested_by_id": keep(), "kind": keep(), "recipient": keep(),
        "language": keep(), "output": keep(), "case_ids": keep(), "mission_id": keep(), "total": keep(),
        "done": keep(), "failures": keep(), "status": keep(), "result_key": keep(), "created_at": keep(),
        "started_at": keep(), "finished_at": keep(),
    }),
}

# Tables that hold no one's case data: accounts, organisations, the audit trail (which names records by id).
OUTSIDE = {
    "mission": "a consulate's directory entry",
    "organisation": "an organisation",
    "site": "a place where people were held, kept for the police; no person's data",
    "operation": "a rescue operation; headcounts only",
    "user": "an account of a worker, not of a person helped",
    "recovery_code": "an account's hashed recovery codes",
    "user_session": "an account's sessions",
    "audit_entry": "who did what to which record, by id; erasure adds a tombstone",
    "nominal_roll": "a roll's header: mission, organisation, who issued it and when",
}


def entry_of(table: str, column: str) -> Field:
    return CATALOGUE[table].columns[column]


def may_read(field_set: str | None, table: str, column: str, row: object | None = None) -> bool:
    """May a reader with `field_set` read `table.column` (of `row`, when a flag on it opens the field)?"""
    if field_set is None:
        return False
    entry = CATALOGUE[table].columns[column]
    if field_set in entry.readers:
        return True
    return bool(entry.shared_if and field_set in entry.shared_with and row is not None
                and getattr(row, entry.shared_if, False))


def readable_columns(field_set: str | None, table: str) -> tuple[str, ...]:
    return tuple(name for name, entry in CATALOGUE[table].columns.items()
                 if field_set is not None and (field_set in entry.readers or field_set in entry.shared_with))


def cleared_on_anonymisation(table: str) -> tuple[str, ...]:
    return tuple(name for name, entry in CATALOGUE[table].columns.items() if entry.anonymise == CLEAR)


def personal_columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, entry in CATALOGUE[table].columns.items() if entry.personal)


def unclassified(tables: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """`table.column` names that the catalogue does not classify (for the metadata test)."""
    missing = []
    for table, columns in tables:
        if table in OUTSIDE:
            continue
        known = CATALOGUE.get(table)
        for column in columns:
            if known is None or column not in known.columns:
                missing.append(f"{table}.{column}")
    return missing


# Attachments other than these may carry health or legal detail: only the organisation's own readers get them.
TRAVEL_ATTACHMENT_KINDS = policy.TRAVEL_ATTACHMENT_KINDS


def may_see_attachment(field_set: str | None, kind: str) -> bool:
    return field_set in CARERS or (field_set is not None and kind in TRAVEL_ATTACHMENT_KINDS)


def rows_readable(field_set: str | None, table: str) -> bool:
    return field_set is not None and field_set in CATALOGUE[table].rows_readable_by


class Seen:
    """A row as one reader may see it: the columns their field set may read answer their value, every other
    column answers None. Surfaces read the person's data through it, so what they show follows the catalogue."""

    __slots__ = ("_row", "_table", "_field_set")

    def __init__(self, row: object, table: str, field_set: str | None):
        self._row, self._table, self._field_set = row, table, field_set

    def __getattr__(self, name: str) -> Any:
        if name not in CATALOGUE[self._table].columns:
            raise AttributeError(name)
        if not may_read(self._field_set, self._table, name, self._row):
            return None
        return getattr(self._row, name)

    def may(self, name: str) -> bool:
        return may_read(self._field_set, self._table, name, self._row)


_BY_SCOPE = {policy.OWN: FULL, policy.ORGANISATION: FULL, policy.MISSION: CONSULAR}


def field_set_for(actor: policy.Actor | None, case: policy.CaseRecord) -> str | None:
    """The field set of `actor` for this case, from their role AND their relation to it: the organisation
    holding it reads the full file, a mission with a live referral the consular set, the receiving agency
    named in the plan the receiving set."""
    decision = policy.allows(actor, "case.view", case)
    if decision:
        return _BY_SCOPE.get(decision.scope or "")
    decision = policy.allows(actor, "arrival.confirm", case)
    if decision and decision.scope == policy.RECEIVING:
        return RECEIVING
    return None


def field_set_of_role(role: str | None) -> str | None:
    """For lists that are already scoped to the reader (a mission's cases, an organisation's): the field
    set the reader's role has on every row of them."""
    return {policy.FULL: FULL, policy.CONSULAR_FIELDS: CONSULAR}.get(policy.field_set(role) or "")
