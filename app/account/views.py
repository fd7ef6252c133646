"""Logging in and out, and the language switch."""

import math

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from app.account.forms import LoginForm, NotificationSettingsForm, PasswordChangeForm
from app.auth import throttle
from app.auth.service import authenticate, end_session, open_session
from app.auth.session import SESSION_TOKEN
from app.extensions import db
from app.timeutil import utcnow
from app.web.forms import form_problems
from app.web.helpers import home_url, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        # counted before the password is looked at, a login nobody has like any other
        attempt = throttle.begin(form.login.data, request.remote_addr or "", now=utcnow())
        if attempt.refused:
            flash(wait_message(attempt.wait_seconds), "error")
            return (render_template("auth/login.html", form=form), 429,
                    {"Retry-After": str(attempt.wait_seconds)})
        user = authenticate(form.login.data, form.password.data)
        if user is not None:
            throttle.succeeded(attempt)
            session.clear()
            token = open_session(user, now=utcnow(), address=request.remote_addr or "")
            db.session.commit()
            login_user(user)
            session[SESSION_TOKEN] = token
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        flash(_("Wrong login or password."), "error")
    return render_template("auth/login.html", form=form)


def wait_message(seconds: int) -> str:
    """How long a paused login waits, in words: seconds under a minute, else minutes."""
    if seconds < 60:
        return ngettext("Too many failed logins. Try again in %(num)d second.",
                        "Too many failed logins. Try again in %(num)d seconds.", seconds)
    return ngettext("Too many failed logins. Try again in %(num)d minute.",
                    "Too many failed logins. Try again in %(num)d minutes.",
                    math.ceil(seconds / 60))


@bp.post("/logout")
def logout():
    # ended on the server: a copy of this cookie opens nothing from now on
    end_session(session.pop(SESSION_TOKEN, None), now=utcnow())
    db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))


@bp.get("/language/<code>")
def set_language(code: str):
    from flask import current_app

    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
    return redirect(safe_next(request.args.get("next")) or home_url(current_user))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    from app.auth.service import reset_password
    from app.errors import QujatError, text
    from app.web.transaction import unit_of_work

    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            flash(_("The current password is wrong."), "error")
        else:
            try:
                with unit_of_work():
                    # the other sessions end; this one, whose user just proved it, stays
                    reset_password(current_user, form.new.data, now=utcnow(),
                                   by=current_user, keep_session=session.get(SESSION_TOKEN))
            except QujatError as exc:
                flash(text(exc), "error")
            else:
                flash(_("Your password is changed."), "success")
                return redirect(home_url(current_user))
    elif form.errors:
        flash(_("Check the form: %(problems)s", problems=form_problems(form)), "error")
    return render_template("auth/password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own page: the e-mail address notifications go to, and whether they
    go by e-mail at all (the password has its own page)."""
    from app.auth.service import set_email
    from app.web.acting import act

    form = NotificationSettingsForm(
        email=current_user.email, email_notifications=current_user.email_notifications)

    def render():
        return render_template("auth/account.html", form=form)

    if request.method == "POST":
        refused = act(form, lambda: set_email(
            current_user, form.email.data, by=current_user,
            notifications=bool(form.email_notifications.data)),
            done=_("Saved."), back=url_for(".account"), render=render)
        return refused or redirect(url_for(".account"))
    return render()
