"""`flask rescue …` and `flask translate …`: the command-line contract of docs/operations.md."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from rescue.auth.roles import Role
from rescue.extensions import db

rescue_cli = AppGroup("rescue", help="Accounts, organisations, missions, demo data and the audit trail.")
translate_cli = AppGroup("translate", help="Message catalogs: extract, update, compile, check.")


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def _read_password(email: str) -> str:
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            _fail("No password on standard input.")
        return password
    return click.prompt(f"Password for {email}", hide_input=True, confirmation_prompt=True)


@rescue_cli.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(Role.values()))
@click.option("--organisation", "organisation_name", help="Name of an existing organisation (NGO roles).")
@click.option("--mission", "mission_name", help="Name of an existing mission (consular officers).")
@click.option("--locale", help="Preferred interface language, e.g. km or ar.")
@click.option("--name", "display_name", default="", help="The person's name as shown to colleagues.")
def create_user(email, role, organisation_name, mission_name, locale, display_name):
    """Create an account. The password is read from standard input when it is not a terminal."""
    from rescue.auth import accounts
    from rescue.organisations.models import Mission, Organisation

    organisation_id = mission_id = None
    if organisation_name:
        organisation_id = db.session.scalar(
            select(Organisation.id).where(func.lower(Organisation.name) == organisation_name.strip().lower()))
        if organisation_id is None:
            _fail(f"No organisation is named {organisation_name!r}.")
    if mission_name:
        mission_id = db.session.scalar(
            select(Mission.id).where(func.lower(Mission.name) == mission_name.strip().lower()))
        if mission_id is None:
            _fail(f"No mission is named {mission_name!r}.")
    if locale and locale not in current_app.config["RESCUE_LOCALES"]:
        _fail(f"{locale!r} is not a supported locale: {' '.join(current_app.config['RESCUE_LOCALES'])}")
    password = _read_password(email)
    try:
        created = accounts.create_user(email=email, role=role, organisation_id=organisation_id,
                                       mission_id=mission_id, locale=locale, display_name=display_name,
                                       password=password, with_totp_secret=True)
    except accounts.AccountError as error:
        _fail(str(error.message))
    db.session.commit()
    click.echo(f"Created {created.user.email} ({role}).")
    if created.totp_uri:
        click.echo("Two-factor sign-in is required for this role. Add this to an authenticator app:")
        click.echo(created.totp_uri)


@rescue_cli.command("create-organisation")
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-3 code of the country it works in.")
@click.option("--kind", default="ngo", type=click.Choice(["ngo", "shelter", "police", "receiving_agency"]))
def create_organisation(name, country, kind):
    """Create an organisation (NGO, shelter, police unit or receiving agency)."""
    from rescue.admin import directory

    try:
        organisation = directory.save_organisation(
            None, {"name": name, "kind": kind, "country": (country or "").upper() or None, "active": True},
            actor_id=None)
    except directory.DirectoryError as error:
        _fail(str(error.message))
    db.session.commit()
    click.echo(f"Created organisation {organisation.name} (#{organisation.id}).")


@rescue_cli.command("create-mission")
@click.argument("name")
@click.option("--represents", required=True, help="ISO 3166-1 alpha-3 code of the country it represents.")
@click.option("--host-country", required=True, help="ISO 3166-1 alpha-3 code of the country it is in.")
@click.option("--city", required=True)
def create_mission(name, represents, host_country, city):
    """Create a mission (an embassy or a consulate)."""
    from rescue.admin import directory

    try:
        mission = directory.save_mission(
            None, {"name": name, "represents": represents.upper(), "host_country": host_country.upper(),
                   "city": city, "active": True}, actor_id=None)
    except directory.DirectoryError as error:
        _fail(str(error.message))
    db.session.commit()
    click.echo(f"Created mission {mission.name} (#{mission.id}).")


@rescue_cli.command("seed-demo")
@click.option("--cases", default=60, show_default=True, type=click.IntRange(0, 100000))
def seed_demo(cases):
    """Demo organisations, missions, accounts of every role and cases. Passwords are printed once."""
    from rescue import demo

    if demo.already_seeded():
        click.echo("Demo data is present already; nothing was added.")
        return
    credentials = demo.seed(cases)
    db.session.commit()
    click.echo(f"Demo data added: {cases} cases. These passwords are shown only now:\n")
    width = max(len(c.email) for c in credentials)
    for c in credentials:
        click.echo(f"  {c.email:<{width}}  {c.password}  {c.role:<11}  {c.where}")
    totp = [c for c in credentials if c.totp_uri]
    if totp:
        click.echo("\nCoordinators, consular officers and administrators sign in with a second step.")
        click.echo("Add their keys to an authenticator app:")
        for c in totp:
            click.echo(f"  {c.email:<{width}}  {c.totp_uri}")


@rescue_cli.command("new-encryption-key")
def new_encryption_key():
    """Print a new random key for RESCUE_ENCRYPTION_KEY."""
    from rescue.core.sealing import new_key

    click.echo(new_key())


@rescue_cli.command("rotate-encryption-key")
def rotate_encryption_key():
    """Re-seal every attachment and every two-factor key with RESCUE_ENCRYPTION_KEY (and seal two-factor
    keys still kept in clear). Put the previous key in RESCUE_ENCRYPTION_OLD_KEYS while this runs; it can be
    run again safely if interrupted."""
    from rescue.attachments import store
    from rescue.audit import trail
    from rescue.auth import two_factor
    from rescue.core import sealing
    from rescue.core.sealing import SealError

    try:
        rotated = store.rotate()
        keys = two_factor.reseal_secrets()
    except SealError as error:
        _fail(f"{error}: put the key it was sealed with in RESCUE_ENCRYPTION_OLD_KEYS and run this again.")
    if keys:
        trail.record("encryption.key_rotated", detail={"two_factor_keys": keys, "key": sealing.keyring().current_id})
        db.session.commit()
    click.echo(f"{rotated} attachment(s) sealed with the current key.")
    click.echo(f"{keys} two-factor key(s) sealed with the current key.")


@rescue_cli.command("send-reminders")
def send_reminders():
    """Put reminders in the inboxes: referrals without an outcome past RESCUE_REFERRAL_OVERDUE_DAYS, and
    follow-ups after return that fall due. Each is sent once; run it daily (inboxes also run it when opened)."""
    from datetime import date

    from rescue.consular import reminders

    sent = reminders.sweep(overdue_days=current_app.config["RESCUE_REFERRAL_OVERDUE_DAYS"], today=date.today())
    db.session.commit()
    click.echo(f"{sent} reminder(s) sent.")


@rescue_cli.command("prune")
def prune():
    """Remove what has expired: cached documents past RESCUE_DOCUMENT_CACHE_HOURS, finished prints past
    RESCUE_PRINT_KEEP_HOURS, intake drafts untouched for RESCUE_DRAFT_DAYS, and what failed or cancelled
    print jobs left behind. Prints counts only; safe to run again and while the app runs (hourly from cron)."""
    from rescue import scheduler

    with scheduler.exclusive() as mine:
        if not mine:
            click.echo("Another process is pruning now; nothing done.")
            return
        counts = scheduler.prune()
    click.echo(f"{counts['documents']} cached document(s) removed.")
    click.echo(f"{counts['prints']} expired print(s) removed.")
    click.echo(f"{counts['drafts']} abandoned intake draft(s) removed.")
    click.echo(f"{counts['temporary']} temporary folder(s) of failed or cancelled print jobs removed.")


@rescue_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst):
    """Run an RQ worker for batch printing (needs REDIS_URL); start as many as you have cores to spare."""
    if not current_app.config.get("REDIS_URL"):
        _fail("REDIS_URL is not set: without Redis, batch printing runs inside the web process.")
    from rq import Worker

    from rescue.jobs.runner import queue

    work_queue = queue()
    Worker([work_queue], connection=work_queue.connection).work(burst=burst)


@rescue_cli.command("anonymise-closed-cases")
@click.option("--older-than-days", type=click.IntRange(0), default=None,
              help="Days since closing (default: RESCUE_RETENTION_DAYS).")
def anonymise_closed_cases(older_than_days):
    """Anonymise closed cases past the retention period: names, contacts and files go, statistics stay."""
    from rescue.cases import retention

    days = current_app.config["RESCUE_RETENTION_DAYS"] if older_than_days is None else older_than_days
    count = retention.anonymise_closed(days)
    click.echo(f"{count} closed case(s) anonymised (closed more than {days} days ago).")


@rescue_cli.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False))
def backup(destination):
    """Take a consistent snapshot of the database and the attachment files, while the app runs, encrypted
    with RESCUE_BACKUP_KEY (required)."""
    from pathlib import Path

    from rescue.audit import trail
    from rescue.auth import two_factor
    from rescue.backups import snapshot

    try:
        key = snapshot.backup_key()
        two_factor.reseal_secrets(only_plain=True)  # no two-factor key in clear goes into a backup
        manifest = snapshot.take(Path(destination), key)
    except snapshot.BackupError as error:
        _fail(str(error))
    trail.record("backup.taken", detail={"engine": manifest["engine"], "revision": manifest["revision"]})
    db.session.commit()
    click.echo(f"Backup written to {destination} ({manifest['engine']}, schema {manifest['revision']}).")


@rescue_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(source, yes):
    """Replace the database and the attachment files with a backup (encrypted with RESCUE_BACKUP_KEY).
    Stop the app first."""
    from pathlib import Path

    from rescue.audit import trail
    from rescue.backups import snapshot

    try:
        key = snapshot.backup_key(restoring=True)
    except snapshot.BackupError as error:
        _fail(str(error))
    if not yes:
        click.confirm("This replaces every record and file with the backup. Go on?", abort=True)
    try:
        manifest = snapshot.restore(Path(source), key)
    except snapshot.BackupError as error:
        _fail(str(error))
    trail.record("backup.restored", detail={"engine": manifest["engine"], "taken_at": manifest["taken_at"]})
    db.session.commit()
    click.echo(f"Restored the backup taken at {manifest['taken_at']}.")


mrz_cli = AppGroup("mrz", help="Machine readable zones (ICAO Doc 9303).")
rescue_cli.add_command(mrz_cli)


@mrz_cli.command("make")
@click.option("--format", "fmt", required=True, type=click.Choice(["td1", "td2", "td3"]))
@click.option("--code", required=True)
@click.option("--issuer", required=True)
@click.option("--number", required=True)
@click.option("--surname", required=True)
@click.option("--given", default="")
@click.option("--nationality", required=True)
@click.option("--birth", required=True, help="YYMMDD, unknown parts as <")
@click.option("--sex", required=True, type=click.Choice(["F", "M", "X"], case_sensitive=False))
@click.option("--expiry", required=True, help="YYMMDD")
@click.option("--optional", default="")
def mrz_make(fmt, code, issuer, number, surname, given, nationality, birth, sex, expiry, optional):
    """Print the lines of a machine readable zone."""
    from rescue.documents import mrz

    try:
        lines = mrz.make(fmt, code=code, issuer=issuer, number=number, surname=surname, given=given,
                         nationality=nationality, birth=birth, sex=sex, expiry=expiry, optional=optional)
    except mrz.MRZError as error:
        raise click.ClickException(str(error)) from None
    for line in lines:
        click.echo(line)


@mrz_cli.command("check")
@click.argument("lines", nargs=-1, required=True)
def mrz_check(lines):
    """Say whether a zone is valid and which check fails (exit 1 when invalid)."""
    from rescue.documents import mrz

    result = mrz.check(list(lines))
    if result.valid:
        click.echo(f"The {result.format.upper()} zone is valid.")
        return
    for problem in result.problems:
        click.echo(problem, err=True)
    sys.exit(1)


audit_cli = AppGroup("audit", help="The audit trail.")
rescue_cli.add_command(audit_cli)


@audit_cli.command("verify")
def audit_verify():
    """Check the hash chain of the audit trail; exit 1 when an entry was changed or deleted."""
    from rescue.audit import trail
    from rescue.audit.models import AuditEntry

    broken = trail.verify_all()
    count = db.session.scalar(select(func.count(AuditEntry.id)))
    if broken is not None:
        click.echo(f"The audit trail is broken at entry #{broken}.", err=True)
        sys.exit(1)
    click.echo(f"The audit trail is intact ({count} entries).")


@translate_cli.command("extract")
def translate_extract():
    """Extract every message into translations/messages.pot."""
    from rescue.i18n import catalogs

    click.echo(f"Wrote {catalogs.extract()}")


@translate_cli.command("update")
def translate_update():
    """Extract, then merge new messages into every locale's catalog."""
    from rescue.i18n import catalogs

    catalogs.extract()
    catalogs.update()


@translate_cli.command("init")
@click.argument("locale")
def translate_init(locale):
    """Start the catalog of a new locale."""
    from rescue.i18n import catalogs

    catalogs.init(locale)


@translate_cli.command("compile")
def translate_compile():
    """Compile every catalog to the binary form the app reads."""
    from rescue.i18n import catalogs

    catalogs.compile_all()


@translate_cli.command("check")
@click.option("--locale", "locales", multiple=True, help="Check only these locales (default: every supported one).")
def translate_check(locales):
    """Fail when extraction would change messages.pot, or any locale is incomplete, fuzzy or has broken placeholders."""
    from rescue.i18n import catalogs

    report = catalogs.check(list(locales) or current_app.config["RESCUE_LOCALES"])
    for problem in report.problems:
        click.echo(problem, err=True)
    if not report.ok:
        click.echo(f"{len(report.problems)} problem(s) in the catalogs.", err=True)
        sys.exit(1)
    click.echo("Catalogs are complete and in step with the code.")
