"""How long erasing one person takes on a filled database: the catalogue's walk over every table of the
person, and on SQLite the merge of the name index that leaves no trace of the erased names.

    python -m bench.erasure --cases 100000 [--database postgresql://postgres@127.0.0.1:5432/postgres]
"""
from __future__ import annotations

import argparse
import statistics
import time

from bench.run import _database, _fill


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database", help="PostgreSQL server URL; SQLite when absent")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select

    from rescue import create_app
    from rescue.cases import retention, search_index
    from rescue.cases.models import Case
    from rescue.extensions import db

    url, drop = _database(args.database)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
        _fill(app, args.cases)
        erase, forget = [], []
        with app.app_context():
            ids = list(db.session.scalars(select(Case.id).order_by(Case.id).limit(args.repeat)))
            for case_id in ids:
                started = time.perf_counter()
                retention.erase(db.session.get(Case, case_id), reason="person_request", actor_id=None, address=None)
                db.session.commit()
                erase.append(time.perf_counter() - started)
                started = time.perf_counter()
                search_index.forget_removed_names()
                forget.append(time.perf_counter() - started)
        engine = "PostgreSQL" if args.database else "SQLite"
        print(f"rescue erasure bench: {args.cases:,} cases on {engine}, {len(ids)} erasures")
        print(f"erase one person (every table of the catalogue)  median {statistics.median(erase) * 1000:8.1f} ms")
        print(f"leave no trace in the name index and the log     median {statistics.median(forget) * 1000:8.1f} ms")
    finally:
        drop()


if __name__ == "__main__":
    main()
