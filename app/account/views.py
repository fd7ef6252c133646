"""Logging in and out, and the language switch."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.account.forms import LoginForm, PasswordChangeForm
from app.auth.service import authenticate
from app.web.forms import form_problems
from app.web.helpers import home_url, safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.login.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or home_url(user))
        flash(_("Wrong login or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
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
                    reset_password(current_user, form.new.data, by=current_user)
            except QujatError as exc:
                flash(text(exc), "error")
            else:
                flash(_("Your password is changed."), "success")
                return redirect(home_url(current_user))
    elif form.errors:
        flash(_("Check the form: %(problems)s", problems=form_problems(form)), "error")
    return render_template("auth/password.html", form=form)
