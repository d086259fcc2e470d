"""Signing in and out, two-factor codes, invitations and password resets."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker.accounts import services, twofactor
from tracker.accounts.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    TwoFactorForm,
)
from tracker.accounts.models import TokenPurpose, User
from tracker.extensions import db, limiter
from tracker.policy import Access, access
from tracker.safety import safe_next
from tracker.text import fold

bp = Blueprint("auth", __name__)

PENDING = "pending_2fa"


def _account_key() -> str:
    return "account:" + fold(request.form.get("email", ""))


def _pending_key() -> str:
    return f"pending:{session.get(PENDING, {}).get('id', 'none')}"


def _failed(response: object) -> bool:
    return getattr(response, "status_code", 200) >= 400


def _per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _per_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _finish_login(user: User, remember: bool) -> ResponseReturnValue:
    login_user(user, remember=remember)
    services.record_login(user)
    db.session.commit()
    return redirect(safe_next(request.args.get("next")) or url_for("core.index"))


@bp.route("/login", methods=["GET", "POST"])
@access(Access.PUBLIC)
@limiter.limit(_per_ip, methods=["POST"], deduct_when=_failed)
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> ResponseReturnValue:
    """Sign in with email and password; then a second factor if the account has one."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.is_submitted() else 200
    user = services.authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        db.session.commit()  # keep a rehash, if any
        form.password.errors.append(_("The email or password is not correct."))
        return render_template("auth/login.html", form=form), 401
    if user.totp_enabled:
        session[PENDING] = {"id": user.id, "remember": bool(form.remember.data)}
        return redirect(url_for("auth.login_code", next=request.args.get("next")))
    return _finish_login(user, bool(form.remember.data))


@bp.route("/login/code", methods=["GET", "POST"])
@access(Access.PUBLIC)
@limiter.limit(_per_account, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def login_code() -> ResponseReturnValue:
    """Second step of signing in: a TOTP code or a recovery code."""
    pending = session.get(PENDING)
    user = db.session.get(User, pending["id"]) if pending else None
    if user is None or not user.active:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if twofactor.verify(user, form.code.data or ""):
            session.pop(PENDING, None)
            return _finish_login(user, pending.get("remember", False))
        db.session.rollback()
        form.code.errors.append(_("That code is not correct or was already used."))
        return render_template("auth/login_code.html", form=form), 401
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login_code.html", form=form), status


@bp.route("/logout", methods=["GET", "POST"])
@access(Access.PUBLIC)
def logout() -> ResponseReturnValue:
    """Sign out (POST); a GET shows the button, so no link can sign anyone out."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        if current_user.is_authenticated:
            services.sign_out(current_user)
            db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "success")
        return redirect(url_for("core.index"))
    return render_template("auth/logout.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@access(Access.PUBLIC)
@limiter.limit(_per_ip, methods=["POST"])
def reset_request() -> ResponseReturnValue:
    """Ask for a password reset link; the answer is the same whether the address exists."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        db.session.commit()
        flash(_("If an account uses that address, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@access(Access.PUBLIC)
def reset(token: str) -> ResponseReturnValue:
    """Set a new password through an emailed link (single use, short-lived)."""
    if services.find_token(token, TokenPurpose.RESET) is None:
        return render_template("auth/link_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data or "")
        except services.AccountError as err:
            form.password.errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your password is changed. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/reset.html", form=form), status


@bp.route("/invite/<token>", methods=["GET", "POST"])
@access(Access.PUBLIC)
def accept_invitation(token: str) -> ResponseReturnValue:
    """Set up an account from an invitation link (single use, expires)."""
    invitation = services.find_token(token, TokenPurpose.INVITE)
    if invitation is None:
        return render_template("auth/link_invalid.html"), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = services.accept_invitation(token, form.name.data or "", form.password.data or "")
        except services.AccountError as err:
            db.session.rollback()
            form.password.errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Welcome. Your account is ready."), "success")
            return _finish_login(user, remember=False)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/invitation.html", form=form, invitation=invitation), status
