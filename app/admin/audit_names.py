"""What the audit log's entries are about, as people read it: a user by full name and
login, a department by name, a document by its registration number, a route described, a
list entry by its text, in the reader's language.

The log keeps its targets as words that outlive the rows ("user clerk", "route 12",
"department ROADS"): evidence that follows no change. This module only reads them for the
page, a query per kind of thing named for the whole page (never one per row), and says
the target as the log wrote it when the row it named is gone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.catalogues.models import StandardInstruction, StateBody
from app.deadlines.models import DeadlineRuleRecord
from app.documents.models import Document, Sender
from app.extensions import db
from app.formats import regions
from app.journals.models import Journal
from app.org.models import Department
from app.web.helpers import locale_code
from app.web.kinds import KIND_LABELS
from app.web.words import day

#: the words an entry's target begins with (app/*/service.py: record(..., target=...)),
#: longest first so "state body" is not read as something else
TARGET_KINDS = ("deadline rule", "state body", "instruction", "department", "calendar",
                "document", "journal", "sender", "route", "user")


@dataclass(frozen=True)
class Named:
    """A thing an entry names: its words, a smaller second line, the page it is on."""

    text: str
    detail: str = ""
    url: str | None = None


def split_target(target: str) -> tuple[str, str]:
    """("user", "clerk") of "user clerk"; ("", target) when the words are not known."""
    for kind in TARGET_KINDS:
        if target.startswith(kind + " "):
            return kind, target[len(kind) + 1:]
    return "", target


class AuditNames:
    """The names of everything a page of entries mentions, loaded at once."""

    def __init__(self, entries: Iterable[AuditEntry]) -> None:
        self.entries = list(entries)
        self.language = locale_code()
        wanted: dict[str, set[str]] = defaultdict(set)
        documents: set[int] = set()
        inspectors: set[int] = set()
        for entry in self.entries:
            kind, key = split_target(entry.target or "")
            if kind:
                wanted[kind].add(key)
            if entry.document_id:
                documents.add(entry.document_id)
            details = entry.details or {}
            for name in ("before", "after", "parent", "department"):
                value = details.get(name)
                if isinstance(value, str) and entry.kind.value in _DEPARTMENT_DETAILS:
                    wanted["department"].add(value)
            if entry.kind.value == "head_set":
                wanted["user"].update(v for v in (details.get("before"), details.get("after"))
                                      if isinstance(v, str))
            if kind == "document" and key.isdigit():
                documents.add(int(key))
            if isinstance(details.get("inspector"), int):
                inspectors.add(details["inspector"])
        self.users = _by(User, User.login, wanted["user"])
        self.departments = _by(Department, Department.code, wanted["department"])
        self.instructions = _by(StandardInstruction, StandardInstruction.code,
                                wanted["instruction"])
        self.bodies = _by(StateBody, StateBody.code, wanted["state body"])
        self.journals = _by(Journal, Journal.code, wanted["journal"])
        self.senders = _by(Sender, Sender.code, wanted["sender"])
        self.rules = _by(DeadlineRuleRecord, DeadlineRuleRecord.code, wanted["deadline rule"])
        self.people_by_id = {person.id: person for person in db.session.scalars(
            select(User).where(User.id.in_(inspectors)))} if inspectors else {}
        self.documents: dict[int, tuple[int, str | None]] = {
            row.id: (row.id, row.registration_number) for row in db.session.execute(
                select(Document.id, Document.registration_number).where(
                    Document.id.in_(documents)))} if documents else {}

    # --- what the page shows ---------------------------------------------------------

    def target(self, entry: AuditEntry) -> Named | None:
        """The entry's target in words, None when it has none (a reading: its document
        is in the document column)."""
        if not entry.target:
            return None
        kind, key = split_target(entry.target)
        if kind == "document" and key == str(entry.document_id):
            return None  # the document column names it
        namer = getattr(self, "_" + kind.replace(" ", "_"), None)
        named = namer(key, entry) if namer is not None else None
        return named or Named(entry.target)

    def document(self, document_id: int | None) -> Named | None:
        if not document_id:
            return None
        url = url_for("documents.show", document_id=document_id)
        found = self.documents.get(document_id)
        if found is None:
            return Named(_("Document no. %(id)s", id=document_id))
        number = found[1]
        return Named(number, url=url) if number else Named(
            _("Document no. %(id)s", id=document_id), _("not registered"), url)

    def detail_lines(self, entry: AuditEntry) -> list[tuple[str, str]]:
        """An entry's details as (label, value) lines in the reader's language: roles by
        their names, departments and people by name; ids are left out (the target names
        the row) but stay in the log."""
        lines = []
        people_codes = entry.kind.value in _DEPARTMENT_DETAILS
        for key, value in (entry.details or {}).items():
            if key.endswith("_id") or key in _SHOWN_BY_TARGET.get(entry.kind.value, ()):
                continue
            if key in ("roles", "before", "after") and _is_roles(value):
                shown = ", ".join(_role_label(v) for v in value) or "—"
            elif people_codes and key in ("before", "after", "parent", "department") \
                    and isinstance(value, str) and value in self.departments:
                shown = self.departments[value].name_in(self.language)
            elif entry.kind.value == "head_set" and key in ("before", "after") \
                    and isinstance(value, str) and value in self.users:
                person = self.users[value]
                shown = f"{person.full_name} ({person.login})"
            elif key == "inspector" and value in self.people_by_id:
                shown = self.people_by_id[value].full_name
            elif key in ("on", "not_after") and isinstance(value, str):
                shown = day(value)
            elif key == "kind" and isinstance(value, str):
                shown = str(KIND_LABELS.get(value, value))
            else:
                shown = _value(value)
            label = DETAIL_LABELS["order"] if (key, entry.kind.value) == (
                "position", "catalogue_saved") else DETAIL_LABELS.get(key, key)
            lines.append((str(label), shown))
        return lines

    # --- each kind of target ---------------------------------------------------------

    def _user(self, login: str, entry: AuditEntry) -> Named | None:
        person = self.users.get(login)
        if person is None:
            full_name = (entry.details or {}).get("full_name")
            return Named(full_name or login, login if full_name else _("no longer exists"))
        return Named(person.full_name, person.login,
                     url_for("admin.users", _anchor=f"user-{person.id}"))

    def _department(self, code: str, entry: AuditEntry) -> Named | None:
        department = self.departments.get(code)
        name = department.name_in(self.language) if department \
            else (entry.details or {}).get("name")
        return Named(_("Department “%(name)s”", name=name or code), code,
                     url_for("admin.people") if department else None)

    def _route(self, key: str, entry: AuditEntry) -> Named:
        details = entry.details or {}
        return Named(_("Route no. %(id)s", id=key), self.route_words(details),
                     url_for("admin.routes"))

    def route_words(self, details: dict[str, Any]) -> str:
        """A route as the routes page lists it: its conditions, then where it leads."""
        parts = [str(KIND_LABELS.get(details.get("kind"), details.get("kind")))
                 if details.get("kind") else _("Any kind")]
        if details.get("activity"):
            parts.append(_("activity contains “%(words)s”", words=details["activity"]))
        if details.get("recipient"):
            parts.append(_("recipient contains “%(words)s”", words=details["recipient"]))
        region = regions.region(details["region"]) if details.get("region") else None
        if region is not None:
            parts.append(region.name_in(self.language))
        district = regions.district(details["district"]) if details.get("district") else None
        if district is not None:
            parts.append(district.name_in(self.language))
        code = details.get("department")
        department = self.departments.get(code) if code else None
        to = department.name_in(self.language) if department else code
        return "; ".join(parts) + (f" → {to}" if to else "")

    def _instruction(self, code: str, entry: AuditEntry) -> Named:
        item = self.instructions.get(code)
        text = item.text_in(self.language) if item else (entry.details or {}).get("text_ru")
        return Named(_("Standard instruction “%(text)s”", text=text or code), code,
                     url_for("admin.instructions", edit=item.id, _anchor="edit")
                     if item else None)

    def _state_body(self, code: str, entry: AuditEntry) -> Named:
        body = self.bodies.get(code)
        name = body.name_in(self.language) if body else (entry.details or {}).get("name_ru")
        return Named(_("State body “%(name)s”", name=name or code), code,
                     url_for("admin.state_bodies_page", edit=body.id, _anchor="edit")
                     if body else None)

    def _journal(self, code: str, entry: AuditEntry) -> Named:
        journal = self.journals.get(code)
        return Named(_("Journal “%(name)s”", name=journal.name if journal else code), code)

    def _sender(self, code: str, entry: AuditEntry) -> Named:
        sender = self.senders.get(code)
        name = sender.name_in(self.language) if sender else code
        return Named(_("Sending portal “%(name)s”", name=name), code,
                     url_for("admin.senders", _anchor=f"sender-{code}") if sender else None)

    def _deadline_rule(self, code: str, entry: AuditEntry) -> Named:
        rule = self.rules.get(code)
        kind = rule.kind if rule else ((entry.details or {}).get("after") or {}).get("kind")
        return Named(_("Deadline rule of “%(kind)s”",
                       kind=KIND_LABELS.get(kind, kind) if kind else code), code,
                     url_for("admin.deadline_rules", _anchor=f"rule-{code}"))

    def _calendar(self, key: str, entry: AuditEntry) -> Named:
        try:
            on = date.fromisoformat(key)
        except ValueError:
            return Named(entry.target)
        return Named(_("Calendar: %(day)s", day=day(on)),
                     url=url_for("admin.calendar", year=on.year))

    def _document(self, key: str, entry: AuditEntry) -> Named | None:
        return self.document(int(key)) if key.isdigit() else None


def _by(model, column, keys: set[str]) -> dict[str, Any]:
    """The rows of ``model`` whose ``column`` is one of ``keys``, by that value: one query."""
    if not keys:
        return {}
    return {getattr(row, column.key): row
            for row in db.session.scalars(select(model).where(column.in_(keys)))}


#: the entries whose details name departments by code
_DEPARTMENT_DETAILS = {"department_added", "person_placed", "route_added", "route_deleted"}
#: details the target line already says
_SHOWN_BY_TARGET = {
    "route_added": ("order", "kind", "activity", "recipient", "region", "district",
                    "department"),
    "route_deleted": ("order", "kind", "activity", "recipient", "region", "district",
                      "department"),
    "catalogue_saved": ("list", "code"),
    "department_added": ("code", "name"),
    "user_created": ("login", "full_name"),
    "sender_added": ("name",),
}

#: the names of what an entry's details hold
DETAIL_LABELS = {
    "login": _l("Login"),
    "full_name": _l("Full name"),
    "roles": _l("Roles"),
    "before": _l("Before"),
    "after": _l("After"),
    "before_kk": _l("Before, in Kazakh"),
    "after_kk": _l("After, in Kazakh"),
    "code": _l("Code"),
    "name": _l("Name"),
    "parent": _l("Department above"),
    "department": _l("Department"),
    "position": _l("Position"),
    "position_kk": _l("Position in Kazakh"),
    "iin_changed": _l("IIN changed"),
    "order": _l("Order"),
    "kind": _l("Document kind"),
    "activity": _l("Licence or activity kind contains"),
    "recipient": _l("Recipient (subdivision) contains"),
    "callback_url": _l("Where marks are pushed"),
    "reason": _l("Reason"),
    "file_name": _l("File"),
    "outgoing_number": _l("Outgoing number"),
    "list": _l("List"),
    "text_ru": _l("Text in Russian"),
    "text_kk": _l("Text in Kazakh"),
    "name_ru": _l("Name in Russian"),
    "name_kk": _l("Name in Kazakh"),
    "bin": _l("BIN"),
    "active": _l("Offered"),
    "working": _l("Working day"),
    "note": _l("Note"),
    "inspector": _l("Inspector"),
    "on": _l("Date"),
    "name_en": _l("Name in English"),
    "mark": _l("Status mark"),
    "attempts": _l("Failed pushes"),
    "given_up_at": _l("Given up at"),
    "last_error": _l("Last error"),
    "subject": _l("Certificate subject"),
    "fingerprint": _l("Certificate SHA-256"),
    "not_after": _l("Valid until"),
    "replaced": _l("Certificate pinned before (SHA-256)"),
}


def _is_roles(value: Any) -> bool:
    known = {r.value for r in Role}
    return isinstance(value, list) and bool(value) and all(v in known for v in value)


def _role_label(value: str) -> str:
    return str(Role(value).label)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    return str(value)
