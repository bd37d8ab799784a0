"""Confirming who you are again, and managing your own two-factor sign-in and recovery codes."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from rescue.audit import trail
from rescue.auth import freshness, passwords, recovery, two_factor
from rescue.auth.access import guarded
from rescue.auth.forms import CodeForm, ReauthenticateForm
from rescue.auth.freshness import requires_recent_sign_in
from rescue.auth.policy import ANY_SIGNED_IN
from rescue.auth.throttling import safe_next, throttled
from rescue.extensions import db

bp = Blueprint("security", __name__)

ENROL_KEY = "account_enrol_secret"


@bp.route("/reauthenticate", methods=["GET", "POST"])
@throttled
@guarded(ANY_SIGNED_IN)
def reauthenticate():
    user = current_user._get_current_object()
    form = ReauthenticateForm(with_code=bool(user.totp_secret))
    next_url = safe_next(request.args.get("next")) or url_for("auth.home")
    if form.validate_on_submit():
        ok, _unused = passwords.verify_password(user.password_hash, form.password.data)
        code_ok = True
        if ok and user.totp_secret:
            code = form.code.data or ""
            code_ok = two_factor.accept(user, code) or (
                recovery.looks_like_recovery_code(code) and recovery.use(user, code))
        if ok and code_ok:
            freshness.mark_fresh()
            trail.record("reauthenticated", actor_id=user.id, object_type="user", object_id=user.id,
                         address=request.remote_addr)
            db.session.commit()
            return redirect(next_url)
        g.login_failed = True
        trail.record("reauthentication.failed", actor_id=user.id, object_type="user", object_id=user.id,
                     outcome="failed", address=request.remote_addr)
        db.session.commit()
        form.password.errors.append(_("That did not match. Check your password and code, and try again."))
    return render_template("account/reauthenticate.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@guarded(ANY_SIGNED_IN)
@requires_recent_sign_in(return_to=lambda: url_for("auth.security.two_factor_setup"))
def two_factor_setup():
    """Offered to everyone: set up an authenticator app (or a new one) and get recovery codes."""
    user = current_user._get_current_object()
    secret = session.get(ENROL_KEY) or two_factor.new_secret()
    session[ENROL_KEY] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.accept(user, form.code.data, secret=secret):
            user.totp_secret = secret
            session.pop(ENROL_KEY, None)
            codes = recovery.generate(user)
            trail.record("two_factor.enrolled", actor_id=user.id, object_type="user", object_id=user.id,
                         address=request.remote_addr)
            db.session.commit()
            return render_template("account/recovery_codes.html", codes=codes, continue_url=url_for("auth.account"))
        form.code.errors.append(_("That code is not right. Check the time on your phone and try the next code."))
    uri = two_factor.provisioning_uri(secret, user.email)
    return render_template("account/two_factor.html", form=form, secret=secret,
                           qr=two_factor.qr_svg_data_uri(uri))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@guarded(ANY_SIGNED_IN)
@requires_recent_sign_in(return_to=lambda: url_for("auth.account"))
def new_recovery_codes():
    user = current_user._get_current_object()
    if not user.totp_secret:
        return redirect(url_for("auth.security.two_factor_setup"))
    codes = recovery.generate(user)
    trail.record("two_factor.recovery_codes_renewed", actor_id=user.id, object_type="user", object_id=user.id,
                 address=request.remote_addr)
    db.session.commit()
    return render_template("account/recovery_codes.html", codes=codes, continue_url=url_for("auth.account"))


@bp.route("/account/two-factor/off", methods=["POST"])
@guarded(ANY_SIGNED_IN)
@requires_recent_sign_in(return_to=lambda: url_for("auth.account"))
def two_factor_off():
    user = current_user._get_current_object()
    if two_factor.required_for(user):
        flash(_("Your role needs two-factor sign-in: it cannot be turned off."), "error")
        return redirect(url_for("auth.account"))
    user.totp_secret = None
    user.totp_last_step = None
    recovery.discard(user)
    trail.record("two_factor.removed", actor_id=user.id, object_type="user", object_id=user.id,
                 address=request.remote_addr)
    db.session.commit()
    flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.account"))
