"""Signing in and out, the two-factor step, and the user's own account."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from rescue.audit import trail
from rescue.auth import accounts, loading, passwords, recovery, sessions, two_factor
from rescue.auth.access import guarded
from rescue.auth.forms import ChangePasswordForm, CodeForm, LoginForm, PreferencesForm
from rescue.auth.models import User
from rescue.auth.policy import ANY_SIGNED_IN, PUBLIC
from rescue.auth.roles import Role
from rescue.auth.throttling import PENDING_KEY, safe_next, throttled
from rescue.clock import utcnow
from rescue.extensions import db
from rescue.i18n import choices

bp = Blueprint("auth", __name__)

PENDING_SECONDS = 300


def home_for(user: User) -> str:
    if user.role == Role.ADMIN:
        return url_for("admin.users")
    if user.role == Role.CONSULAR:
        return url_for("consular.inbox")
    return url_for("cases.index")


@bp.route("/")
@guarded(ANY_SIGNED_IN)
def home():
    return redirect(home_for(current_user))


@bp.route("/login", methods=["GET", "POST"])
@throttled
@guarded(PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            passwords.dummy_verify(form.password.data)
            ok, new_hash = False, None
        else:
            ok, new_hash = passwords.verify_password(user.password_hash, form.password.data)
        # A right password for an account that may not sign in (deactivated, or its organisation or mission
        # is) gets the same answer as a wrong one; only the audit trail says why.
        refusal = loading.sign_in_refusal(user) if ok else None
        if not ok or refusal:
            g.login_failed = True
            trail.record("login.failed", actor_id=user.id if user else None, object_type="user",
                         object_id=user.id if user else None, outcome="failed", address=request.remote_addr,
                         detail={"reason": refusal} if refusal else None)
            db.session.commit()
            form.password.errors.append(_("The email or the password is not right."))
            return render_template("auth/login.html", form=form), 200
        if new_hash:
            user.password_hash = new_hash
            db.session.commit()
        next_url = safe_next(request.args.get("next"))
        if user.totp_secret or two_factor.required_for(user):
            session[PENDING_KEY] = {"user_id": user.id, "at": int(time.time()), "next": next_url}
            if user.totp_secret:
                return redirect(url_for("auth.code"))
            return redirect(url_for("auth.enrol"))
        return _complete_login(user, next_url)
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user_id"))
    return user if user is not None and loading.sign_in_refusal(user) is None else None


@bp.route("/login/code", methods=["GET", "POST"])
@throttled
@guarded(PUBLIC)
def code():
    user = _pending_user()
    if user is None or not user.totp_secret:
        flash(_("Your sign-in took too long. Please sign in again."), "warning")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.accept(user, form.code.data):
            return _complete_login(user, session[PENDING_KEY].get("next"))
        if recovery.looks_like_recovery_code(form.code.data) and recovery.use(user, form.code.data):
            trail.record("login.recovery_code_used", actor_id=user.id, object_type="user", object_id=user.id,
                         address=request.remote_addr)
            left = recovery.remaining(user)
            response = _complete_login(user, session[PENDING_KEY].get("next"))
            flash(ngettext("You signed in with a recovery code. %(num)s code is left: make new ones from your account page.",
                           "You signed in with a recovery code. %(num)s codes are left: make new ones from your account page.",
                           left), "warning")
            return response
        g.login_failed = True
        trail.record("login.code_failed", actor_id=user.id, object_type="user", object_id=user.id,
                     outcome="failed", address=request.remote_addr)
        db.session.commit()
        form.code.errors.append(_("That code is not right, or it has been used already. Wait for a new code."))
    return render_template("auth/code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
@throttled
@guarded(PUBLIC)
def enrol():
    """First sign-in of a role that needs two-factor: set up the authenticator before going further."""
    user = _pending_user()
    if user is None or user.totp_secret:
        flash(_("Your sign-in took too long. Please sign in again."), "warning")
        return redirect(url_for("auth.login"))
    secret = session.get("enrol_secret") or two_factor.new_secret()
    session["enrol_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.accept(user, form.code.data, secret=secret):
            user.totp_secret = secret
            session.pop("enrol_secret", None)
            codes = recovery.generate(user)
            trail.record("two_factor.enrolled", actor_id=user.id, object_type="user", object_id=user.id,
                         address=request.remote_addr)
            response = _complete_login(user, session[PENDING_KEY].get("next"))
            # The codes are shown once, on this response only, before the user goes on.
            return render_template("account/recovery_codes.html", codes=codes,
                                   continue_url=response.headers["Location"])
        g.login_failed = True
        form.code.errors.append(_("That code is not right. Check the time on your phone and try the next code."))
    uri = two_factor.provisioning_uri(secret, user.email)
    return render_template("auth/enrol.html", form=form, secret=secret, qr=two_factor.qr_svg_data_uri(uri))


def _complete_login(user: User, next_url: str | None):
    # The language the person chose on the sign-in pages (the language form, or a link with ?lang=) is theirs.
    chosen = session.get("lang")
    if chosen in current_app.config["RESCUE_LOCALES"] and chosen != user.locale:
        user.locale = chosen
    sessions.start(user)
    login_user(user)
    user.last_login_at = utcnow()
    trail.record("login", actor_id=user.id, object_type="user", object_id=user.id, address=request.remote_addr)
    db.session.commit()
    if user.must_change_password:
        flash(_("Choose a new password before you go on."), "warning")
        return redirect(url_for("auth.change_password"))
    return redirect(safe_next(next_url) or home_for(user))


@bp.route("/logout", methods=["GET", "POST"])
@guarded(PUBLIC)
def logout():
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return render_template("auth/logout.html")
    if current_user.is_authenticated:
        trail.record("logout", actor_id=current_user.id, object_type="user", object_id=current_user.id,
                     address=request.remote_addr)
        # Signing out ends every session of this user, on every device (docs/security.md).
        sessions.end_all(current_user.id, "logout")
        logout_user()
        db.session.commit()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


def _without_lang(path: str) -> str:
    parts = urlsplit(path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"])
    return urlunsplit(("", "", parts.path, query, ""))


@bp.route("/language", methods=["POST"])
@guarded(PUBLIC)
def language():
    """The language form in every page's header: for the session, and saved for a signed-in user. A POST with
    its CSRF token, so no link from elsewhere can change anyone's language."""
    code = request.form.get("lang", "")
    back = _without_lang(safe_next(request.form.get("next")) or url_for("auth.home"))
    if code in current_app.config["RESCUE_LOCALES"]:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(back)


@bp.route("/account", methods=["GET", "POST"])
@guarded(ANY_SIGNED_IN)
def account():
    user = current_user._get_current_object()
    form = PreferencesForm(obj=user)
    form.locale.choices = choices.locale_choices()
    form.timezone.choices = choices.timezone_choices()
    if form.validate_on_submit() and accounts.name_taken(
            form.display_name.data, organisation_id=user.organisation_id, mission_id=user.mission_id, except_id=user.id):
        form.display_name.errors.append(_("Someone in the same organisation or mission goes by this name already: "
                                          "add a surname or an initial."))
    elif form.is_submitted() and not form.errors:
        user.display_name = form.display_name.data.strip()
        user.locale = form.locale.data
        user.timezone = form.timezone.data
        session.pop("lang", None)
        trail.record("account.preferences", actor_id=user.id, object_type="user", object_id=user.id,
                     address=request.remote_addr)
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("account/index.html", form=form, sessions=sessions.active_sessions(user.id),
                           recovery_left=recovery.remaining(user),
                           two_factor_required=two_factor.required_for(user))


@bp.route("/account/sessions/end-others", methods=["POST"])
@guarded(ANY_SIGNED_IN)
def end_other_sessions():
    user = current_user._get_current_object()
    sessions.end_all(user.id, "ended_by_user")
    sessions.start(user)
    login_user(user)
    trail.record("account.sessions_ended", actor_id=user.id, object_type="user", object_id=user.id,
                 address=request.remote_addr)
    db.session.commit()
    flash(_("You are now signed out everywhere else."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/password", methods=["GET", "POST"])
@guarded(ANY_SIGNED_IN)
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm(email=user.email)
    if form.validate_on_submit():
        ok, _unused = passwords.verify_password(user.password_hash, form.current_password.data)
        if not ok:
            form.current_password.errors.append(_("Your current password is not right."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password different from the current one."))
        else:
            user.password_hash = passwords.hash_password(form.new_password.data)
            user.password_changed_at = utcnow()
            user.must_change_password = False
            # A new password ends every session of this user, everywhere; this browser gets a fresh one.
            sessions.end_all(user.id, "password_changed")
            sessions.start(user)
            login_user(user)
            trail.record("account.password_changed", actor_id=user.id, object_type="user", object_id=user.id,
                         address=request.remote_addr)
            db.session.commit()
            flash(_("Your password is changed. Every other session has been signed out."), "success")
            return redirect(home_for(user))
    return render_template("account/password.html", form=form)
