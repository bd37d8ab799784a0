"""Measure the pages people wait on, whole request included, and print medians and 95th percentiles.

    python -m bench.run [--cases 10000] [--database URL] [--repeat 50]

Builds a throwaway database (SQLite file by default, or the PostgreSQL URL given, which must be a server
URL: a database is created there and dropped afterwards), fills it with synthetic cases, signs a
coordinator in through the real sign-in pages, and times the case list (first and deep page), a name
search, and the case page."""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import tempfile
import time

os.environ.setdefault("RESCUE_CONFIG", "test")

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


def _database(url: str | None):
    if not url:
        folder = tempfile.mkdtemp(prefix="rescue-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: shutil.rmtree(folder, ignore_errors=True)
    server = make_url(url).set(drivername="postgresql+psycopg")
    name = f"rescue_bench_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", hide_parameters=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return server.set(database=name).render_as_string(hide_password=False), drop


def _fill(app, count: int) -> tuple[int, str]:
    import pyotp

    from rescue.auth import passwords
    from rescue.auth.models import User
    from rescue.cases import names
    from rescue.cases.models import Case, CaseNationality
    from rescue.demo import PEOPLE
    from rescue.extensions import db
    from rescue.organisations.models import Organisation

    with app.app_context():
        organisation = Organisation(name="Bench NGO", kind="ngo", country="KHM")
        db.session.add(organisation)
        db.session.flush()
        secret = pyotp.random_base32()
        user = User(email="bench@example.org", role="coordinator", organisation_id=organisation.id,
                    password_hash=passwords.hash_password("bench passphrase 2026"), totp_secret=secret)
        db.session.add(user)
        db.session.commit()
        people = [(n, p) for n, (_, _, ps) in PEOPLE.items() for p in ps]
        base_keys = {person: names.search_key(person[0], person[1], person[2]) for _n, person in people}
        latin_words, native_words = _vocabulary()
        statuses = ["rescued", "in_care", "return_decided", "consular_referral", "closed"]
        batch = 5000
        for start in range(0, count, batch):
            rows, nationalities = [], []
            for i in range(start, min(start + batch, count)):
                nationality, person = people[i % len(people)]
                family, given, native = person
                latin = latin_words[(i * 7919) % len(latin_words)]
                mark, mark_key = native_words[(i * 104729) % len(native_words)]
                rows.append({
                    "id": i + 1, "number": f"RB-{i:09d}",
                    "organisation_id": organisation.id, "status": statuses[i % len(statuses)],
                    "family_name": f"{family} {latin.upper()}", "given_names": given or None,
                    "native_name": f"{native} {mark}" if native else None,
                    "name_key": f"{base_keys[person]} | {latin} | {mark_key}", "sex": "F", "version": 1,
                })
                nationalities.append({"case_id": i + 1, "country": nationality, "position": 0})
            db.session.execute(insert(Case), rows)
            db.session.execute(insert(CaseNationality), nationalities)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":  # rows were inserted with their ids: move the sequence on
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('\"case\"', 'id'), "
                                    "(SELECT max(id) FROM \"case\"))"))
            db.session.commit()
        # As the database's own maintenance would (autovacuum on PostgreSQL, `ANALYZE` in SQLite's
        # periodic optimize), give the planner statistics before measuring.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return user.id, secret


def _vocabulary(size: int = 50_000):
    """Distinct made-up words, so most names are rare as in real life: Latin ones, and Khmer ones with
    their search forms (folded and transliterated) computed once."""
    import random

    from rescue.cases import names

    rng = random.Random(2026)
    consonants, vowels = "bdghklmnprstvyz", "aeiou"
    latin = sorted({"".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(3)) for _ in range(size)})
    khmer_consonants = "កខគងចឆជញដឋណតថទធនបផពភមយរលវសហឡអ"
    khmer_vowels = ["ា", "ិ", "ី", "ុ", "ូ", "េ", "ែ", "ៃ", "ោ", "ៅ"]
    native = set()
    while len(native) < size // 5:
        native.add("".join(rng.choice(khmer_consonants) + rng.choice(khmer_vowels) for _ in range(3)))
    return latin, [(word, " | ".join(names.forms(word))) for word in sorted(native)]


_captured: list = []


def _watch_sql(engine) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def capture(conn, cursor, statement, parameters, context, executemany):
        _captured.append((statement, parameters))


def _bare_sql_ms(engine) -> float:
    """The queries the last request ran, run again straight through the driver, rows fetched
    (its writes, such as the audit entry, are not repeated)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        for statement, parameters in _captured:
            if not statement.lstrip().upper().startswith("SELECT") or "advisory" in statement:
                continue
            cursor.execute(statement, parameters)
            if cursor.description:
                cursor.fetchall()
        return (time.perf_counter() - started) * 1000
    finally:
        connection.rollback()
        connection.close()


def _time(client, engine, url: str, repeat: int) -> tuple[list[float], list[float]]:
    client.get(url)  # warm
    samples, sql = [], []
    for _ in range(repeat):
        _captured.clear()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sql.append(_bare_sql_ms(engine))
    return samples, sql


def _import_seconds(app, client, token) -> float:
    """A police list of 1,000 people uploaded to an operation, checked, previewed and confirmed."""
    import io

    from rescue.extensions import db
    from rescue.operations.models import Operation

    with app.app_context():
        from rescue.auth.models import User

        user = db.session.scalar(__import__("sqlalchemy").select(User))
        operation = Operation(organisation_id=user.organisation_id, name="Bench import")
        db.session.add(operation)
        db.session.commit()
        url = f"/operations/{operation.id}/import"
    rows = ["tag,family_name,given_names,native_name,sex,age,nationality,language"]
    rows += [f"T{n},SANTOSO{n},Budi,សុខ ដារ៉ា,M,{18 + n % 40},IDN,id" for n in range(1000)]
    started = time.perf_counter()
    preview = client.post(url, data={"csrf_token": token(url), "file": (io.BytesIO("\n".join(rows).encode()), "l.csv")},
                          content_type="multipart/form-data").get_data(as_text=True)
    payload = preview.split('name="payload" value="')[1].split('"')[0]
    done = client.post(url, data={"csrf_token": token(url), "payload": payload})
    assert done.status_code == 302, done.status_code
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--database", help="PostgreSQL server URL; SQLite when absent")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    import pyotp
    from flask_migrate import upgrade

    from rescue import create_app

    url, drop = _database(args.database)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        _user_id, secret = _fill(app, args.cases)
        fill_seconds = time.perf_counter() - started
        client = app.test_client()
        import re

        token = lambda page: re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)  # noqa: E731
        client.post("/login", data={"email": "bench@example.org", "password": "bench passphrase 2026",
                                    "csrf_token": token("/login")})
        client.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token("/login/code")})
        deep = max(args.cases - 100, 1)
        latin_words, native_words = _vocabulary()
        measurements = {
            "case list, first page": "/cases",
            "case list, filtered by status": "/cases?status=in_care",
            "case list, deep page (keyset)": f"/cases?after={deep}",
            "case list, waiting longest, nationality": "/cases?sort=waiting&nationality=IDN",
            "name search, Latin, one person": f"/cases?q={latin_words[(77 * 7919) % len(latin_words)]}",
            "name search, own script, one person": f"/cases?q={native_words[(77 * 104729) % len(native_words)][0]}",
            "name search, misspelt prefix": f"/cases?q={latin_words[(77 * 7919) % len(latin_words)][:4]}",
            "name search, very common name": "/cases?q=santoso",
            "case page": f"/cases/{args.cases // 2}",
        }
        engine = "PostgreSQL" if args.database else "SQLite"
        print(f"rescue bench: {args.cases:,} cases on {engine} (filled in {fill_seconds:.1f} s), "
              f"{args.repeat} requests each, whole request through the app")
        with app.app_context():
            from rescue.extensions import db as _db

            engine = _db.engine
            _watch_sql(engine)
        print(f"{'measure':<42}{'median ms':>11}{'p95 ms':>9}{'bare SQL ms':>13}")
        for label, path in measurements.items():
            samples, sql = _time(client, engine, path, args.repeat)
            samples.sort()
            p95 = samples[max(int(len(samples) * 0.95) - 1, 0)]
            print(f"{label:<42}{statistics.median(samples):>11.1f}{p95:>9.1f}{statistics.median(sql):>13.1f}")
        print(f"{'import of 1,000 rows (check, then open the cases)':<42}{_import_seconds(app, client, token):>11.2f} s")
        with app.app_context():
            from rescue.extensions import db

            db.engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
