"""A user's own account page, password change, and two-factor set-up."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user

from tracker.accounts import services, twofactor
from tracker.extensions import db
from tracker.policy import Access, access, can, needs_second_factor
from tracker.settings.forms import LanguageForm, PasswordChangeForm, TwoFactorCodeForm

bp = Blueprint("settings", __name__, url_prefix="/account")

SETUP_SECRET = "totp_setup_secret"  # noqa: S105 - a session key name


@bp.route("/", methods=["GET", "POST"])
@access(Access.SIGNED_IN)
def index() -> ResponseReturnValue:
    """Your account: details and preferred language."""
    form = LanguageForm(locale=current_user.locale or "sr_Latn")
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your language is saved."), "success")
        return redirect(url_for("settings.index"))
    return render_template("settings/index.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@access(Access.SIGNED_IN)
def password() -> ResponseReturnValue:
    """Change your password; your other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current.data or "", form.password.data or ""
            )
        except services.AccountError as err:
            db.session.rollback()
            field = form.current if isinstance(err, services.WrongPassword) else form.password
            field.errors.append(str(err))
        else:
            db.session.commit()
            # The session token changed, which ended every session: renew this one.
            login_user(current_user._get_current_object())
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("settings.index"))
    return render_template("settings/password.html", form=form), 400 if form.errors else 200


@bp.route("/two-factor", methods=["GET", "POST"])
@access(Access.SIGNED_IN)
def two_factor() -> ResponseReturnValue:
    """Turn on two-factor login: scan the code, confirm with a six-digit code."""
    if current_user.totp_enabled:
        return render_template(
            "settings/two_factor_on.html",
            regen=TwoFactorCodeForm(prefix="regen"),
            off=TwoFactorCodeForm(prefix="off"),
            remaining=twofactor.remaining_recovery_codes(current_user),
        )
    secret = session.get(SETUP_SECRET) or twofactor.new_secret()
    session[SETUP_SECRET] = secret
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.enable(current_user, secret, form.code.data or "")
        except services.AccountError as err:
            form.code.errors.append(str(err))
        else:
            db.session.commit()
            session.pop(SETUP_SECRET, None)
            flash(_("Two-factor login is on."), "success")
            return render_template("settings/recovery_codes.html", codes=codes)
    uri = twofactor.provisioning_uri(current_user, secret)
    return render_template(
        "settings/two_factor_setup.html",
        form=form,
        secret=secret,
        qr=twofactor.qr_svg(uri),
        required=needs_second_factor(current_user),
    ), 400 if form.errors else 200


@bp.route("/two-factor/<action>", methods=["POST"])
@access(Access.SIGNED_IN)
def two_factor_change(action: str) -> ResponseReturnValue:
    """Disable two-factor login or get new recovery codes; both need a current code."""
    form = TwoFactorCodeForm(prefix="regen" if action == "recovery-codes" else "off")
    if action not in {"disable", "recovery-codes"} or not current_user.totp_enabled:
        abort(404)
    if action == "disable" and not can(current_user, "two_factor.disable"):
        abort(403)
    if not (form.validate_on_submit() and twofactor.verify(current_user, form.code.data or "")):
        db.session.rollback()
        flash(_("That code is not correct or was already used."), "error")
        return redirect(url_for("settings.two_factor"), code=303)
    if action == "recovery-codes":
        codes = twofactor.regenerate_recovery_codes(current_user)
        db.session.commit()
        return render_template("settings/recovery_codes.html", codes=codes)
    twofactor.disable(current_user)
    db.session.commit()
    flash(_("Two-factor login is off."), "success")
    return redirect(url_for("settings.two_factor"))
