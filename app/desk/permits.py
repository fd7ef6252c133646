"""The register of permits and notifications on the desk: the search, each entry with its
history and its signed documents, the printable copy, and the XLSX export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from app.execution.models import Letter
from app.extensions import db
from app.permits.models import EntryKind, EntryStatus, PermitEntry, PermitVersion
from app.permits.pdf import render_permit
from app.permits.queries import PAGE_SIZE, Search, export_xlsx, find
from app.settings import current_settings
from app.timeutil import utcnow
from app.workflow.permissions import can_see, can_see_register

bp = Blueprint("permits", __name__)

_FIELDS = ("number", "licensor", "holder", "iin_bin", "activity", "status", "kind")


def _search() -> Search:
    values = {name: (request.args.get(name) or "")[:200] for name in _FIELDS}
    if request.args.get("q") and not values["number"]:
        values["number"] = request.args["q"][:200]
    return Search(**values, body=current_settings().body)


def _allowed() -> None:
    if not can_see_register(current_user):
        abort(403)


@bp.get("/permits")
@login_required
def register():
    _allowed()
    search = _search()
    return render_template("permits/register.html", entries=find(search), search=search,
                           statuses=list(EntryStatus), kinds=list(EntryKind),
                           page_size=PAGE_SIZE, body=current_settings().body,
                           args={k: v for k, v in request.args.items() if k in _FIELDS})


@bp.get("/permits/export.xlsx")
@login_required
def export():
    _allowed()
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(export_xlsx(_search()), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="permits-{stamp}.xlsx"'})


def _entry(entry_id: int) -> PermitEntry:
    _allowed()
    entry = db.session.get(PermitEntry, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.get("/permits/<int:entry_id>")
@login_required
def entry(entry_id: int):
    found = _entry(entry_id)
    return render_template("permits/entry.html", entry=found, body=current_settings().body,
                           may_open=lambda document: can_see(current_user, document))


@bp.get("/permits/<int:entry_id>/versions/<int:version>.xml")
@login_required
def version_xml(entry_id: int, version: int):
    kept = _version(entry_id, version)
    return Response(kept.xml, headers={
        "Content-Type": "application/xml",
        "Content-Disposition": f'attachment; filename="permit-{entry_id}-v{version}.xml"'})


@bp.get("/permits/<int:entry_id>/versions/<int:version>.pdf")
@login_required
def version_pdf(entry_id: int, version: int):
    kept = _version(entry_id, version)
    entry = kept.entry
    appendices = tuple(a.xml for a in entry.appendices if a.xml) \
        if entry.kind == EntryKind.LICENCE.value and version == entry.version else ()
    assert kept.xml is not None
    letter = db.session.get(Letter, entry.letter_id) if entry.letter_id else None
    signed_by = (f"{letter.certificate_subject} · {letter.certificate_serial}"
                 if letter is not None and version == entry.version else "")
    return Response(render_permit(kept.xml, appendices=appendices, signed_by=signed_by),
                    headers={
        "Content-Type": "application/pdf",
        "Content-Disposition": f'inline; filename="permit-{entry_id}-v{version}.pdf"'})


def _version(entry_id: int, version: int) -> PermitVersion:
    found = _entry(entry_id)
    kept = next((v for v in found.versions if v.version == version and v.xml), None)
    if kept is None:
        abort(404)
    return kept
