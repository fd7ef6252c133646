"""The administrator's registration journals (``/admin/journals``): each journal's number
pattern, and its Kazakh one, with the number the next document would get. Numbering
itself is never touched here: a counter only goes up (app/journals/numbering.py)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.admin.forms import JournalForm
from app.admin.views import bp
from app.auth.models import Role
from app.auth.session import roles_required
from app.extensions import db
from app.journals.models import Journal, JournalCounter
from app.journals.numbering import format_number, set_patterns
from app.timeutil import utcnow
from app.web.acting import act
from app.web.kinds import KIND_LABELS

#: what a journal numbers besides incoming documents (app/setup.py: DEFAULT_JOURNALS)
NUMBERED = {
    **KIND_LABELS,
    "outgoing_letter": _l("Outgoing letters"),
    "issued_licence": _l("Licences issued"),
    "issued_permit": _l("Numbering resource permits issued"),
    "notification_talon": _l("Notification talons"),
    "sanitary_conclusion": _l("Sanitary-epidemiological conclusions"),
}


@bp.get("/journals")
@roles_required(Role.ADMIN)
def journals():
    return _journals_page()


def _journals_page(posted: JournalForm | None = None, posted_for: int | None = None):
    """Every journal with its form; ``posted`` the form of journal ``posted_for`` as the
    administrator sent it (the others as the database has them)."""
    rows = list(db.session.scalars(select(Journal).order_by(Journal.id)))
    year = utcnow().year
    counters = dict(db.session.execute(
        select(JournalCounter.journal_id, JournalCounter.value).where(
            JournalCounter.year == year)).all())
    forms = {}
    for journal in rows:
        forms[journal.id] = posted if posted is not None and journal.id == posted_for else \
            JournalForm(formdata=None, prefix=f"j{journal.id}", pattern=journal.pattern,
                        pattern_kk=journal.pattern_kk or "")
    following = {journal.id: {language: format_number(
        journal, year=year, seq=counters.get(journal.id, 0) + 1, language=language)
        for language in ("ru", "kk")} for journal in rows}
    return render_template("admin/journals.html", journals=rows, forms=forms,
                           following=following, kind_labels=NUMBERED,
                           posted_for=posted_for)


@bp.post("/journals/<int:journal_id>")
@roles_required(Role.ADMIN)
def save_journal(journal_id: int):
    journal = db.session.get(Journal, journal_id)
    if journal is None:
        abort(404)
    form = JournalForm(prefix=f"j{journal.id}")
    back = url_for(".journals")
    return act(form, lambda: set_patterns(
        journal, pattern=form.pattern.data, pattern_kk=form.pattern_kk.data, by=current_user),
        done=_("The journal “%(name)s” is saved.", name=journal.name), back=back,
        render=lambda: _journals_page(form, journal.id)) or redirect(back)
