"""Time the printed documents: a case packet (whole request) beside WeasyPrint alone on the same HTML,
a reprint from the cache, a nominal roll of 500 people, and a batch of 500 packets with its memory.

    python -m bench.documents [--people 500] [--repeat 20] [--database URL]
"""
from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import tempfile
import time

os.environ.setdefault("RESCUE_CONFIG", "test")

from bench.run import _database  # noqa: E402


def _cpu_busy_seconds() -> float:
    """CPU time spent by every process on the machine (user + system), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return (fields[0] + fields[1] + fields[2]) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _fill(app, people: int):
    from datetime import date, timedelta

    from PIL import Image

    from rescue.attachments import store
    from rescue.auth import passwords
    from rescue.auth.models import User
    from rescue.cases.models import Case, CaseLanguage, CaseNationality, Consent, IdentityDocument, TimelineEvent
    from rescue.cases.opening import open_case
    from rescue.consular.models import Referral, RepatriationPlan
    from rescue.demo import PEOPLE
    from rescue.extensions import db
    from rescue.organisations.models import Mission, Organisation

    picture = io.BytesIO()
    Image.new("RGB", (413, 531), (190, 170, 150)).save(picture, "JPEG", quality=85)
    with app.app_context():
        organisation = Organisation(name="Bench NGO", kind="ngo", country="KHM")
        mission = Mission(name="Embassy of the Philippines", represents="PHL", host_country="KHM", city="Phnom Penh")
        db.session.add_all([organisation, mission])
        db.session.flush()
        worker = User(email="worker@example.org", role="caseworker", organisation_id=organisation.id,
                      password_hash=passwords.hash_password("bench passphrase 2026"))
        coordinator = User(email="coordinator@example.org", role="coordinator", organisation_id=organisation.id,
                           password_hash=passwords.hash_password("bench passphrase 2026"), totp_secret="A" * 32)
        db.session.add_all([worker, coordinator])
        db.session.flush()
        language, script, names = PEOPLE["PHL"]
        ids = []
        for n in range(people):
            family, given, native = names[n % len(names)]
            case = Case(organisation_id=organisation.id, assigned_to_id=worker.id, status="consular_referral",
                        family_name=family, given_names=given, native_name=native or None, sex="FM"[n % 2],
                        birth_year=1990 + n % 15, birth_month=1 + n % 12, birth_day=1 + n % 28,
                        place_of_birth="Cebu", rescued_on=date.today() - timedelta(days=30), found_country="KHM",
                        found_city="Sihanoukville", needs="Counselling; a sim card to call home",
                        recruitment_details="A job advert for a call centre promised 1,200 dollars a month. " * 3,
                        risk_level="medium", legal_status="overstay", legal_notes="Overstay fine waived.")
            case.nationalities.append(CaseNationality(country="PHL"))
            case.languages.append(CaseLanguage(language="fil"))
            case.identity_documents.append(IdentityDocument(kind="passport", status="confiscated", number="P123456"))
            for purpose in ("processing", "voluntary_return"):
                case.consents.append(Consent(purpose=purpose, decision="given", language="fil"))
            case.consents.append(Consent(purpose="sharing", decision="given", recipient_mission_id=mission.id))
            case.referrals.append(Referral(mission_id=mission.id, referred_by_id=coordinator.id))
            case.plan = RepatriationPlan(fit_to_travel_on=date.today(), flights="PR 2016", departure_on=date.today())
            open_case(case, actor_id=worker.id)
            for step in range(6):
                case.timeline.append(TimelineEvent(kind="note", actor_id=worker.id, text=f"Visit {step}: doing well."))
            db.session.add(case)
            db.session.flush()
            store.add(case, data=picture.getvalue(), filename="photo.jpg", kind="photo", actor_id=worker.id, address=None)
            ids.append(case.id)
        db.session.commit()
        return ids, worker.id, coordinator.id, mission.id


def _median_p95(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="PostgreSQL server URL; SQLite when absent")
    args = parser.parse_args()

    from flask import g
    from flask_migrate import upgrade

    from rescue import create_app
    from rescue.documents import packet as packets
    from rescue.documents import pdf, printing

    url, drop = _database(args.database)
    folder = tempfile.mkdtemp(prefix="rescue-bench-files-")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                          "RESCUE_UPLOAD_DIR": f"{folder}/uploads", "RESCUE_PRINT_DIR": f"{folder}/prints",
                          "RESCUE_DOCUMENT_CACHE_DIR": ""})
        with app.app_context():
            upgrade()
        ids, worker_id, coordinator_id, mission_id = _fill(app, args.people)
        client = app.test_client()
        token = lambda page: re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)  # noqa: E731
        client.post("/login", data={"email": "worker@example.org", "password": "bench passphrase 2026",
                                    "csrf_token": token("/login")})
        print(f"rescue documents bench: {args.people} people on {'PostgreSQL' if args.database else 'SQLite'}, "
              f"{os.cpu_count()} cores")
        print(f"{'measure':<58}{'median':>10}{'p95':>10}")

        packet_url = f"/cases/{ids[0]}/documents/packet.pdf?recipient=full&language=en"
        assert client.get(packet_url).status_code == 200
        samples = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(packet_url)
            samples.append(time.perf_counter() - started)
        packet_median, packet_p95 = _median_p95(samples)
        print(f"{'case packet, whole request (isolated render)':<58}{packet_median * 1000:>8.0f}ms{packet_p95 * 1000:>8.0f}ms")

        import weasyprint

        with app.app_context(), app.test_request_context("/"):
            from rescue.auth.models import User
            from rescue.cases.models import Case
            from rescue.extensions import db

            g._login_user = db.session.get(User, worker_id)
            case = db.session.get(Case, ids[0])
            memory = packets.photo_memory(case)
            from datetime import date
            html = pdf.prepare_html(printing.html_for("case_packet", language="en", printed_on=date.today(),
                                                      packet=packets.packet(case, "full", date.today()),
                                                      photo=bool(memory)))
            alone = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                weasyprint.HTML(string=html, base_url=pdf.BASE_URL,
                                url_fetcher=pdf._make_fetcher(memory, [])).write_pdf()
                alone.append(time.perf_counter() - started)
        alone_median, alone_p95 = _median_p95(alone)
        print(f"{'same HTML, WeasyPrint alone in this process':<58}{alone_median * 1000:>8.0f}ms{alone_p95 * 1000:>8.0f}ms")
        print(f"{'  ratio (packet request / WeasyPrint alone)':<58}{packet_median / alone_median:>10.2f}")

        app.config["RESCUE_DOCUMENT_CACHE_DIR"] = f"{folder}/cache"
        client.get(packet_url)
        cached = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            client.get(packet_url)
            cached.append(time.perf_counter() - started)
        cached_median, cached_p95 = _median_p95(cached)
        print(f"{'case packet printed again, unchanged (from the cache)':<58}{cached_median * 1000:>8.0f}ms{cached_p95 * 1000:>8.0f}ms")
        app.config["RESCUE_DOCUMENT_CACHE_DIR"] = ""

        with app.app_context(), app.test_request_context("/"):
            from rescue.auth.models import User
            from rescue.consular import rolls
            from rescue.consular.roll_views import roll_lines
            from rescue.extensions import db
            from rescue.i18n.choices import country_label
            from rescue.organisations.models import Mission

            coordinator = db.session.get(User, coordinator_id)
            g._login_user = coordinator
            started = time.perf_counter()
            roll = rolls.issue(db.session.get(Mission, mission_id), organisation_id=coordinator.organisation_id,
                               user=coordinator, address=None)
            db.session.commit()
            html = printing.html_for("nominal_roll", language="en", roll=roll, lines=roll_lines(roll),
                                     mission_country=country_label("PHL"), printed_on=date.today())
            rendered = pdf.render_pdf(html)
            roll_seconds = time.perf_counter() - started
        print(f"{f'nominal roll of {len(roll.entries)} people (issue + render, {rendered.pages} pages)':<58}{roll_seconds:>9.2f}s")

        with app.app_context():
            from rescue.extensions import db
            from rescue.jobs import batch
            from rescue.jobs.models import PrintJob

            job = PrintJob(organisation_id=coordinator.organisation_id, requested_by_id=coordinator_id, kind="packet",
                           recipient="full", language="en", output="pdf", case_ids=ids, total=len(ids), failures=[])
            db.session.add(job)
            db.session.commit()
            before = _rss_mb()
            started = time.perf_counter()
            cpu_before = _cpu_busy_seconds()
            batch.run(job.id)
            seconds = time.perf_counter() - started
            cpu_after = _cpu_busy_seconds()
            after = _rss_mb()
            job = db.session.get(PrintJob, job.id)
            size = len(batch.read_result(job) or b"")
            child_cpu = cpu_after - cpu_before
        print(f"{f'batch of {len(ids)} packets into one PDF ({job.status}, {size / 1e6:.1f} MB)':<58}{seconds:>9.1f}s")
        print(f"{'  CPU time of all processes / wall time (cores busy)':<58}{child_cpu / seconds:>10.2f}")
        print(f"{'  memory of this process before / after (MB)':<58}{before:>7.0f} / {after:.0f}")
        with app.app_context():
            from rescue.extensions import db
            db.engine.dispose()
    finally:
        drop()
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
