"""Administration: accounts, organisations, missions. Never case contents."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from rescue.admin import directory, oversight
from rescue.admin.forms import MissionForm, OrganisationForm, UserFilterForm, UserForm
from rescue.auth import accounts, freshness
from rescue.auth.access import authorised, guarded
from rescue.auth.freshness import requires_recent_sign_in
from rescue.auth.models import User
from rescue.auth.roles import Role
from rescue.core import loading, numbers
from rescue.extensions import db
from rescue.i18n.choices import country_choices, locale_choices, timezone_choices
from rescue.i18n.collation import sort_for
from rescue.organisations.labels import KIND_LABELS
from rescue.organisations.models import Mission, Organisation

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.role.choices = Role.choices()
    form.organisation_id.choices = [(None, "—")] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]
    form.mission_id.choices = [(None, "—")] + [
        (m.id, m.name) for m in db.session.scalars(select(Mission).order_by(Mission.name))
    ]
    form.locale.choices = [("", _("As the browser asks"))] + locale_choices()
    form.timezone.choices = timezone_choices()
    return form


@bp.route("/users")
@guarded("admin.users")
def users():
    form = UserFilterForm(request.args)
    form.role.choices = [("", _("All roles")), *Role.choices()]
    form.status.choices = [("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))]
    query = loading.listing(select(User)).options(
        selectinload(User.organisation), selectinload(User.mission)).order_by(User.email)
    if form.validate():
        if form.q.data:
            like = f"%{form.q.data.strip().lower()}%"
            query = query.where(or_(func.lower(User.email).like(like), func.lower(User.display_name).like(like)))
        if form.role.data:
            query = query.where(User.role == form.role.data)
        if form.status.data:
            query = query.where(User.active.is_(form.status.data == "active"))
    page = numbers.arg(request.args, "page", maximum=numbers.MAX_ID // PAGE_SIZE) or 1
    rows = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", form=form, rows=rows)


@bp.route("/users/new", methods=["GET", "POST"])
@guarded("admin.users")
@requires_recent_sign_in(return_to=lambda: url_for("admin.new_user"))  # a new account may read cases
def new_user():
    form = _user_form()
    if form.validate_on_submit():
        try:
            created = accounts.create_user(
                email=form.email.data, role=form.role.data, organisation_id=form.organisation_id.data,
                mission_id=form.mission_id.data, display_name=form.display_name.data or "",
                locale=form.locale.data or None, timezone=form.timezone.data, actor_id=current_user.id,
            )
        except accounts.AccountError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            oversight.account_created(created.user, actor_id=current_user.id)
            db.session.commit()
            # Shown once, on this response only: never stored in a flash cookie or a log.
            return render_template("admin/password_shown.html", user=created.user, password=created.password,
                                   created=True)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@authorised("admin.users", User)
def edit_user(user: User):
    form = _user_form(user)
    own = user.id == current_user.id
    if own:
        form.keep_own_rights(user)
    if form.is_submitted() and not freshness.is_fresh():
        # Changing someone's rights needs a recent sign-in; what was typed is asked again after.
        return _confirm_first(user.id)
    if form.validate_on_submit():
        before = oversight.rights_of(user)
        try:
            changed = accounts.update_user(
                user, email=form.email.data, role=form.role.data, organisation_id=form.organisation_id.data,
                mission_id=form.mission_id.data, display_name=form.display_name.data or "",
                locale=form.locale.data or None, timezone=form.timezone.data, actor_id=current_user.id,
            )
        except accounts.AccountError as error:
            db.session.rollback()
            _attach_error(form, error)
        else:
            oversight.rights_changed(user, before, actor_id=current_user.id)
            db.session.commit()
            flash(_("The account is saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, own=own)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@authorised("admin.users", User)
@requires_recent_sign_in(return_to=lambda user: url_for("admin.edit_user", user_id=user.id))
def deactivate_user(user: User):
    return _set_active(user, False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@authorised("admin.users", User)
@requires_recent_sign_in(return_to=lambda user: url_for("admin.edit_user", user_id=user.id))
def reactivate_user(user: User):
    return _set_active(user, True)


def _set_active(user: User, active: bool):
    try:
        accounts.set_active(user, active, actor_id=current_user.id)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The account is active again.") if active else
              _("The account is deactivated and signed out everywhere."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@authorised("admin.users", User)
@requires_recent_sign_in(return_to=lambda user: url_for("admin.edit_user", user_id=user.id))
def reset_password(user: User):
    password = accounts.reset_password(user, actor_id=current_user.id)
    oversight.password_reset(user, actor_id=current_user.id)
    db.session.commit()
    return render_template("admin/password_shown.html", user=user, password=password, created=False)


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@authorised("admin.users", User)
@requires_recent_sign_in(return_to=lambda user: url_for("admin.edit_user", user_id=user.id))
def reset_two_factor(user: User):
    accounts.reset_two_factor(user, actor_id=current_user.id)
    oversight.two_factor_reset(user, actor_id=current_user.id)
    db.session.commit()
    flash(_("Two-factor sign-in is reset. The person sets it up again at their next sign-in."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _confirm_first(user_id: int):
    flash(_("For your safety, confirm it is you before you go on."), "info")
    return redirect(url_for("auth.security.reauthenticate", next=url_for("admin.edit_user", user_id=user_id)))


def _attach_error(form, error: accounts.AccountError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        target = form.role
    target.errors = list(target.errors) + [str(error.message)]


@bp.route("/organisations")
@guarded("admin.organisations")
def organisations():
    rows = sort_for(str(get_locale()), db.session.execute(directory.organisations_with_counts()).all(),
                    key=lambda row: row[0].name)
    return render_template("admin/organisations.html", rows=rows)


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@authorised("admin.organisations", Organisation)
def edit_organisation(organisation: Organisation | None = None):
    form = OrganisationForm(obj=organisation)
    form.kind.choices = [(k, str(label)) for k, label in KIND_LABELS.items()]
    form.country.choices = country_choices(blank="—")
    if form.validate_on_submit():
        was_active = organisation.active if organisation else False
        try:
            organisation = directory.save_organisation(organisation, form.data, actor_id=current_user.id)
        except directory.DirectoryError as error:
            db.session.rollback()
            form.name.errors = list(form.name.errors) + [str(error.message)]
        else:
            db.session.commit()
            flash(_("The organisation is saved.") if organisation.active or not was_active else
                  _("The organisation is deactivated: its members are signed out and cannot sign in until it is "
                    "active again."), "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


@bp.route("/missions")
@guarded("admin.missions")
def missions():
    rows = sort_for(str(get_locale()), db.session.execute(directory.missions_with_counts()).all(),
                    key=lambda row: row[0].name)
    return render_template("admin/missions.html", rows=rows)


@bp.route("/missions/new", methods=["GET", "POST"])
@bp.route("/missions/<int:mission_id>", methods=["GET", "POST"])
@authorised("admin.missions", Mission)
def edit_mission(mission: Mission | None = None):
    form = MissionForm(obj=mission)
    form.represents.choices = country_choices(blank="—")
    form.host_country.choices = country_choices(blank="—")
    if form.validate_on_submit():
        was_active = mission.active if mission else False
        try:
            mission = directory.save_mission(mission, form.data, actor_id=current_user.id)
        except directory.DirectoryError as error:
            db.session.rollback()
            form.name.errors = list(form.name.errors) + [str(error.message)]
        else:
            db.session.commit()
            flash(_("The mission is saved.") if mission.active or not was_active else
                  _("The mission is deactivated: its officers are signed out and cannot sign in until it is "
                    "active again."), "success")
            return redirect(url_for("admin.missions"))
    return render_template("admin/mission_form.html", form=form, mission=mission)
