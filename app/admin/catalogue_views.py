"""The administrator's reference lists: the standard instructions a head's resolution
offers (``/admin/instructions``) and the directory of state bodies a document is
redirected to (``/admin/state-bodies``). Nothing is deleted: an entry no longer wanted is
switched off and stays for the record. Every change is chained into the audit log."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.admin.catalogue_forms import InstructionForm, StateBodyForm
from app.admin.views import bp
from app.auth.models import Role
from app.auth.session import roles_required
from app.catalogues.models import StandardInstruction, StateBody
from app.catalogues.service import (
    save_instruction,
    save_state_body,
    standard_instructions,
    state_bodies,
)
from app.extensions import db
from app.web.acting import act


def _by_code(model, code: str | None):
    """The entry a posted form changes (its code is read-only there); None: a new one."""
    code = (code or "").strip()
    return db.session.scalar(select(model).where(model.code == code)) if code else None


def _edited(model, form_class):
    """The form for the entry named by ``?edit=<id>``, filled; else an empty one."""
    item = db.session.get(model, request.args.get("edit", type=int) or 0)
    return (form_class(obj=item) if item is not None else form_class()), item


@bp.get("/instructions")
@roles_required(Role.ADMIN)
def instructions():
    form, editing = _edited(StandardInstruction, InstructionForm)
    return render_template("admin/instructions.html", form=form, editing=editing,
                           items=standard_instructions(active_only=False))


@bp.post("/instructions")
@roles_required(Role.ADMIN)
def save_instruction_view():
    form = InstructionForm()
    back = url_for(".instructions")
    return act(form, lambda: save_instruction(
        code=form.code.data, text_ru=form.text_ru.data, text_kk=form.text_kk.data,
        text_en=form.text_en.data or "",
        position=form.position.data, active=form.active.data, by=current_user),
        done=_("The standard instruction is saved."), back=back,
        render=lambda: render_template(
            "admin/instructions.html", form=form,
            editing=_by_code(StandardInstruction, form.code.data),
            items=standard_instructions(active_only=False))) or redirect(back)


@bp.get("/state-bodies")
@roles_required(Role.ADMIN)
def state_bodies_page():
    form, editing = _edited(StateBody, StateBodyForm)
    return render_template("admin/state_bodies.html", form=form, editing=editing,
                           bodies=state_bodies(active_only=False))


@bp.post("/state-bodies")
@roles_required(Role.ADMIN)
def save_state_body_view():
    form = StateBodyForm()
    back = url_for(".state_bodies_page")
    return act(form, lambda: save_state_body(
        code=form.code.data, name_ru=form.name_ru.data, name_kk=form.name_kk.data,
        name_en=form.name_en.data or "",
        bin=form.bin.data, active=form.active.data, by=current_user),
        done=_("The state body is saved."), back=back,
        render=lambda: render_template(
            "admin/state_bodies.html", form=form,
            editing=_by_code(StateBody, form.code.data),
            bodies=state_bodies(active_only=False))) or redirect(back)
