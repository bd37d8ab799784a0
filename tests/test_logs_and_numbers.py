"""No personal data in any log line, and no number anyone can type ends in a server error.

A person is opened through the intake pages with names nobody else has. Then a caseworker, a coordinator
and a consular officer send hostile requests: ids that are huge, negative, zero or not numbers in every
`<int:...>` address of the app, huge numbers in list filters and cursors, searches for those names, and
forms posted with huge numbers where ids are chosen. Every log record of every logger is kept at DEBUG,
SQL statements included; none may name the person, and no request may answer 500."""
from __future__ import annotations

import logging
import re
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import func, select, text
from werkzeug.serving import make_server

from rescue.cases.models import Case
from rescue.consular.models import Referral
from rescue.extensions import db
from tests.fixtures.factories import csrf_token, login, post_form

FAMILY, GIVEN, NATIVE, DOCUMENT = "ZORVANDELQ", "Quillabyx", "ซอร์วันเดลคิว", "QZ7734109"
MARKERS = (FAMILY, GIVEN, NATIVE, DOCUMENT)

# Ids are INTEGER columns: PostgreSQL holds up to 2**31 - 1 there (and refuses more even in a comparison).
LARGEST = 2**31 - 1
OVER = str(LARGEST + 1)
HUGE = str(2**63)  # beyond even SQLite's integers
HUGE_NUMBERS = (OVER, HUGE, str(10**30), "9" * 400, "-1")
# Not a page: beyond the database's range, not positive, or not plain digits.
NOT_IDS = ("0", "-1", OVER, str(2**63 - 1), HUGE, str(10**30), "9" * 400, "abc", "1e3", "١٢")
# Plain ids the database can hold, but that belong to nothing.
ABSENT_IDS = (str(LARGEST), "987654321")
# Every name under which a form or a view reads a number: each gets a number too wide for an INTEGER column.
NUMBER_FIELDS = ("mission_id", "organisation_id", "assignee", "version", "site_id", "receiving_agency_id", "mission",
                 "operation", "same_as", "rows", "object_id", "approximate_age", "birth_year", "birth_day",
                 "birth_month", "travel_document_id", "referral_id", "case_id")

_PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


# ---- capturing every log record ------------------------------------------------------------------


@pytest.fixture()
def every_log(caplog):
    """Every logger (the app's, Werkzeug's, SQLAlchemy's, psycopg's...) at DEBUG, propagating to
    caplog; SQLAlchemy's engine logger is switched on for statements, parameters and rows."""
    loggers = [logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    saved = [(logger, logger.disabled, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.disabled, logger.propagate = False, True
    # Alembic's console handler would print every record too: captured here, not printed.
    consoles = [handler for handler in logging.root.handlers if type(handler) is logging.StreamHandler]
    for handler in consoles:
        logging.root.removeHandler(handler)
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy", "sqlalchemy.engine", "sqlalchemy.engine.Engine", "sqlalchemy.pool", "werkzeug",
                 "psycopg", "rescue", "flask_wtf", "alembic", *(logger.name for logger in loggers if logger.level)):
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    for logger, disabled, propagate in saved:
        logger.disabled, logger.propagate = disabled, propagate
    for handler in consoles:
        logging.root.addHandler(handler)


def log_lines(caplog) -> list[str]:
    """Every record since the test's fixtures started: the intake of the person included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(record) for record in caplog.get_records("setup") + caplog.get_records("call")]


def assert_nothing_personal(caplog):
    lines = log_lines(caplog)
    leaks = [line[:300] for line in lines for marker in MARKERS if marker.lower() in line.lower()]
    assert not leaks, leaks[:5]
    rows = [line[:200] for line in lines if line.startswith("sqlalchemy.engine") and " Row " in line[:40]]
    assert not rows, rows[:3]
    return lines


# ---- the person, opened through the intake pages ------------------------------------------------


def _start(browser) -> str:
    response = post_form(browser, "/intake/new", {}, token_from="/intake")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 2)[1]


def _step(browser, draft, step, data):
    response = post_form(browser, f"/intake/{draft}/{step}", {**data, "go": "next"},
                         token_from=f"/intake/{draft}/{step}")
    assert response.status_code == 302, (step, response.status_code)


def _fill_draft(browser) -> str:
    draft = _start(browser)
    _step(browser, draft, "person", {"family_name": FAMILY, "given_names": GIVEN, "native_name": NATIVE, "sex": "F"})
    _step(browser, draft, "birth", {"birth_year": "1990", "birth_month": "3", "nationalities": "PHL"})
    _step(browser, draft, "found", {"status": "rescued", "found_country": "KHM"})
    _step(browser, draft, "situation", {})
    _step(browser, draft, "documents", {"document_kind": "passport", "document_status": "confiscated",
                                        "document_number": DOCUMENT, "document_country": "PHL",
                                        "processing_consent": "given"})
    return draft


def _version(app, case_id) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).version


def _move(browser, app, case_id, target):
    response = post_form(browser, f"/cases/{case_id}/status", {"target": target, "reason": "",
                                                               "version": _version(app, case_id)},
                         token_from=f"/cases/{case_id}")
    assert response.status_code == 302, target


def _consent(browser, case_id, purpose, mission_id=""):
    response = post_form(browser, f"/cases/{case_id}/consents", {
        "purpose": purpose, "decision": "given", "mission_id": mission_id, "organisation_id": "", "recipient": "",
        "language": "en", "interpreter": "", "witness": "", "given_on": "2026-01-10"}, token_from=f"/cases/{case_id}")
    assert response.status_code == 302, purpose


class World:
    """A caseworker opens the case, the coordinator refers it to the Philippine embassy."""

    def __init__(self, app, factory, make_client):
        self.app = app
        self.ngo = factory.organisation("Hope NGO", country="KHM")
        self.mission = factory.mission("Philippine Embassy", represents="PHL", host_country="KHM")
        accounts = {"caseworker": factory.user("caseworker", organisation=self.ngo),
                    "coordinator": factory.user("coordinator", organisation=self.ngo),
                    "consular": factory.user("consular", mission=self.mission)}
        self.accounts, self.browsers = accounts, {}
        for role, account in accounts.items():
            self.browsers[role] = make_client()
            assert login(self.browsers[role], account).status_code == 302
        worker, coordinator = self.browsers["caseworker"], self.browsers["coordinator"]
        opened = post_form(worker, f"/intake/{_fill_draft(worker)}/review", {})
        assert opened.status_code == 302
        self.case_id = int(opened.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        _move(worker, app, self.case_id, "in_care")
        _consent(worker, self.case_id, "voluntary_return")
        _consent(worker, self.case_id, "sharing", self.mission.id)
        _move(worker, app, self.case_id, "return_decided")
        referred = post_form(coordinator, f"/cases/{self.case_id}/referrals", {
            "mission_id": self.mission.id, "note": "", "photo_reason": "The person refuses photographs."},
            token_from=f"/cases/{self.case_id}")
        assert referred.status_code == 302
        self.draft_id = int(_fill_draft(worker))  # a second intake of the same person, left at review
        with app.app_context():
            case = db.session.get(Case, self.case_id)
            self.number, self.status = case.number, case.status
            self.referral_id = db.session.scalar(select(Referral.id).where(Referral.case_id == self.case_id))
        self.real = {"case_id": self.case_id, "draft_id": self.draft_id, "referral_id": self.referral_id,
                     "mission_id": self.mission.id, "organisation_id": self.ngo.id,
                     "user_id": accounts["caseworker"].id}


@pytest.fixture()
def world(app, factory, make_client):
    return World(app, factory, make_client)


# ---- addresses from the URL map ------------------------------------------------------------------


def _address(rule: str, values) -> str:
    def fill(match):
        converter, arguments, name = match.groups()
        if converter == "int":
            return values(name)
        if converter == "any":
            return arguments.split(",")[0].strip()
        return "x"

    return _PLACEHOLDER.sub(fill, rule)


def int_rules(app) -> list[tuple[str, list[str], list[str]]]:
    """(address, names of its int parts, its methods among GET and POST), for every `<int:` rule."""
    found: dict[str, set] = {}
    for rule in app.url_map.iter_rules():
        if any(m.group(1) == "int" for m in _PLACEHOLDER.finditer(rule.rule)):
            found.setdefault(rule.rule, set()).update(rule.methods & {"GET", "POST"})
    return [(rule, [m.group(3) for m in _PLACEHOLDER.finditer(rule) if m.group(1) == "int"], sorted(methods))
            for rule, methods in sorted(found.items())]


def _send(browser, method, url, token, extra=None):
    if method == "GET":
        return browser.get(url, query_string={"q": FAMILY, **(extra or {})})
    form = {"csrf_token": token, **dict.fromkeys(NUMBER_FIELDS, OVER), "case": [OVER, HUGE, "1"], **(extra or {})}
    return browser.post(url, data=form)


# ---- the tests -----------------------------------------------------------------------------------


def test_hostile_numbers_never_answer_500_and_no_log_line_names_the_person(app, every_log, world):
    rules = int_rules(app)
    assert len(rules) > 40  # the sweep covers the whole app, not a handful of pages
    server_errors = []

    def check(response, role, method, url, expected=None):
        if response.status_code >= 500 or (expected is not None and response.status_code != expected):
            server_errors.append((role, method, url[:120], response.status_code))

    # The three roles share the hostile values between them: every value reaches every address.
    for turn, (role, browser) in enumerate(world.browsers.items()):
        token = csrf_token(browser, "/account")
        # Ids that cannot be a record: not found, whatever the page and the method.
        for rule, _names, methods in rules:
            for value in NOT_IDS[turn::3]:
                url = _address(rule, lambda _name: value)
                for method in methods:
                    check(_send(browser, method, url, token), role, method, url, expected=404)
        # Ids the database can hold but that belong to nothing, one part of the address at a time.
        absent = ABSENT_IDS[turn % len(ABSENT_IDS)]
        for rule, names, methods in rules:
            for target in names:
                url = _address(rule, lambda name: absent if name == target else str(world.real.get(name, absent)))
                for method in methods:
                    check(_send(browser, method, url, token), role, method, url)
        # Huge numbers in filters and cursors: ignored, as if absent.
        for number in HUGE_NUMBERS[turn::3]:
            every = {"operation": number, "site": number, "assigned": number, "waiting": number, "after": number,
                     "before": number, "page": number, "mission": number, "object_id": number, "q": FAMILY}
            requests = [("/cases", {"operation": number, "site": number, "assigned": number, "waiting": number}),
                        ("/cases", {"after": number}), ("/cases", {"after": number, "q": FAMILY}),
                        ("/cases", {"after": f"2026-01-01T00:00:00~{number}", "sort": "waiting"}),
                        ("/cases/export.csv", every), ("/inbox", {"before": number}), ("/reports", {"site": number}),
                        ("/admin/audit", {"before": number, "object_id": number}), ("/admin/users", {"page": number}),
                        *((url, every) for url in ("/consular", "/referrals", "/rolls", "/print-jobs", "/follow-ups",
                                                   "/operations", "/sites", "/missions", "/dashboard",
                                                   f"/cases/{world.case_id}/documents"))]
            for url, args in requests:
                check(browser.get(url, query_string=args), role, "GET", f"{url}?{sorted(args)}")
        response = browser.get(f"/cases/{world.case_id}/documents/packet.pdf",
                               query_string={"mission": OVER, "recipient": "consulate"})
        check(response, role, "GET", "packet.pdf?mission")
        # Searches for the person's names and document: each role finds the case.
        for marker in MARKERS:
            args = ({"q": marker}, {"q": marker, "sort": "waiting"}, {"q": marker.lower(), "after": "²"})[turn]
            response = browser.get("/cases", query_string=args)
            check(response, role, "GET", "/cases?q")
            assert world.number in response.get_data(as_text=True), (role, marker)
            check(browser.get("/missions", query_string={"q": marker}), role, "GET", "/missions?q")
    for role, browser in world.browsers.items():
        token = csrf_token(browser, "/account")
        # Every form posted with huge numbers where ids and numbers are chosen, on real records.
        for rule, _names, methods in rules:
            if "POST" in methods:
                url = _address(rule, lambda name: str(world.real.get(name, 1)))
                check(_send(browser, "POST", url, token), role, "POST", url)
        for url in ("/print-jobs", "/reports/new", "/sites/new", "/operations/new", "/rolls", "/account"):
            check(_send(browser, "POST", url, token, {"kind": "packet", "recipient": "consulate", "language": "en",
                                                       "output": "pdf", "case": [OVER, str(world.case_id)]}),
                  role, "POST", url)

    assert not server_errors, server_errors[:20]
    # What the users would notice: the filters were ignored, the case is where it was.
    coordinator = world.browsers["coordinator"]
    for args in ({"operation": OVER}, {"after": OVER}, {"after": HUGE}, {"site": "9" * 400}, {"assigned": OVER}):
        assert world.number in coordinator.get("/cases", query_string=args).get_data(as_text=True), args
    with app.app_context():
        case = db.session.get(Case, world.case_id)
        assert (case.family_name, case.status, case.assigned_to_id) == (FAMILY, world.status,
                                                                         world.accounts["caseworker"].id)

    lines = assert_nothing_personal(every_log)
    sql = [line for line in lines if line.startswith("sqlalchemy.engine")]
    assert any("FROM" in line for line in sql)  # statements were logged: the check saw them
    assert any("parameters hidden" in line for line in sql)


def test_the_development_server_logs_paths_without_query_strings(app, every_log, world):
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        every_log.clear()
        for path in (f"/cases?q={FAMILY}", f"/missions?q={GIVEN}&represents=PHL", f"/cases/{HUGE}?q={DOCUMENT}"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=10).read()
            except urllib.error.HTTPError as error:
                assert error.code < 500
    finally:
        server.shutdown()
        thread.join(10)
    lines = assert_nothing_personal(every_log)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]  # without the terminal's colours
    requests = [line for line in plain if line.startswith("werkzeug") and "HTTP/1.1" in line]
    assert any('"GET /cases HTTP/1.1" 302' in line for line in requests), requests
    assert any(f'"GET /cases/{HUGE} HTTP/1.1" 404' in line for line in requests), requests
    assert not [line for line in requests if "?" in line]


def test_a_server_error_is_logged_with_its_path_and_user_only(app, every_log, world, monkeypatch):
    coordinator, account = world.browsers["coordinator"], world.accounts["coordinator"]

    def failing_query():
        # PostgreSQL's message quotes the value it refused, whatever hide_parameters says.
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(text("SELECT CAST(:name AS INTEGER)"), {"name": FAMILY})
        db.session.execute(text('SELECT no_such_column FROM "case" WHERE family_name = :name'), {"name": FAMILY})

    def failing_code():
        try:
            {}[NATIVE]
        except KeyError as error:
            raise ValueError(f"cannot use {GIVEN}") from error

    for failing in (failing_query, failing_code):
        monkeypatch.setitem(app.view_functions, "cases.index", failing)
        every_log.clear()
        response = coordinator.get("/cases", query_string={"q": FAMILY, "after": "1"})
        assert response.status_code == 500
        assert "Something went wrong on our side" in response.get_data(as_text=True)
        lines = assert_nothing_personal(every_log)
        reports = [line for line in lines if line.startswith("rescue ERROR")]
        assert len(reports) == 1, lines[-5:]
        assert f"Unhandled error on GET /cases (user {account.id})" in reports[0]
        assert failing.__name__ in reports[0]  # where it failed, for the operator
        assert "?q=" not in reports[0] and "after=" not in reports[0]
    assert "Error" in reports[0] and "KeyError" in reports[0]


def test_forms_refuse_numbers_beyond_the_database(app, world):
    """Huge numbers where a form expects a number get the field's message, not a server error."""
    worker = world.browsers["caseworker"]
    draft = world.draft_id
    for value in (OVER, "abc"):
        linked = post_form(worker, f"/intake/{draft}/review", {"same_as": value})
        assert linked.status_code == 404  # not a case: neither linked nor opened anew
    for value in (OVER, HUGE, "9" * 400, str(-(2**31) - 1)):
        response = post_form(worker, f"/intake/{draft}/birth", {"birth_year": value, "birth_day": "", "go": "next"},
                             token_from=f"/intake/{draft}/birth")
        assert response.status_code == 200
        assert "Not a valid integer value." in response.get_data(as_text=True)
    stale = post_form(worker, f"/cases/{world.case_id}/status", {"target": "on_hold", "reason": "Waits.",
                                                                 "version": OVER}, token_from=f"/cases/{world.case_id}")
    assert stale.status_code < 500
    with app.app_context():
        assert db.session.get(Case, world.case_id).status == world.status
        assert db.session.scalar(select(func.count(Case.id))) == 1
