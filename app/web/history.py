"""A history entry's facts in the reader's words: the step stored them as data (numbers,
names, dates, codes) precisely so that each language can say them its own way."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.formats.choices import Outcome, RefusalReason
from app.org.models import Department
from app.web.helpers import locale_code
from app.web.labels import LABELS

_FINDINGS = {
    "reasoned": _l("a reasoned answer"),
    "norms": _l("the legal norms"),
    "appeal": _l("how to appeal"),
    "language": _l("the language of the appeal"),
}


def _day(value: str) -> str:
    return date.fromisoformat(value).strftime("%d.%m.%Y")


def _department(facts: dict) -> str:
    """The department a step sent the document to, named in the reader's language when
    the step kept its code (the name it had then, in Russian, otherwise)."""
    code = facts.get("department_code")
    department = db.session.scalar(select(Department).where(Department.code == code)) \
        if code else None
    return department.name_in(locale_code()) if department is not None else facts["department"]


def describe(facts: dict | None) -> list[str]:
    """One short phrase per fact, in the order a reader wants them."""
    facts = facts or {}
    out: list[str] = []
    if facts.get("indication"):
        out.append(LABELS.indication(facts["indication"]))
    if facts.get("number"):
        out.append(_("registration No. %(number)s", number=facts["number"]))
    if facts.get("confirmed_indeterminate"):
        out.append(_("registered on the clerk's confirmation, the signature check undecided"))
    if facts.get("refusal_reason"):
        out.append(RefusalReason(facts["refusal_reason"]).label_in(locale_code()))
    if facts.get("department"):
        out.append(_department(facts))
    if facts.get("body"):
        out.append(facts["body"])
    if facts.get("executor"):
        out.append(_("executor: %(name)s", name=facts["executor"]))
    if facts.get("coexecutors"):
        out.append(_("co-executors: %(names)s", names=", ".join(facts["coexecutors"])))
    if facts.get("previous_due"):
        out.append(_("deadline was %(date)s", date=_day(facts["previous_due"])))
    if facts.get("due"):
        out.append(_("deadline %(date)s", date=_day(facts["due"])))
    if facts.get("changed_rule"):
        out.append(_("the deadline rule %(code)s changed", code=facts["changed_rule"]))
    if facts.get("calendar_day"):
        day = _day(facts["calendar_day"])
        out.append(_("the swap of %(date)s removed from the calendar", date=day)
                   if facts.get("calendar_removed") else
                   _("%(date)s made a working day", date=day) if facts.get("calendar_working")
                   else _("%(date)s made a day off", date=day))
    if facts.get("deadline_rule"):
        out.append(_("by the rule %(code)s", code=facts["deadline_rule"]))
    if facts.get("lengthened_from"):
        out.append(_("lengthened from %(date)s", date=_day(facts["lengthened_from"])))
    if facts.get("proposed_due"):
        out.append(_("asked for %(date)s", date=_day(facts["proposed_due"])))
    if facts.get("suspended_days") is not None:
        out.append(_("%(n)s working days suspended", n=facts["suspended_days"]))
    if facts.get("round"):
        out.append(_("Round %(n)s", n=facts["round"]))
    if facts.get("acknowledged"):
        out.append(_("warnings acknowledged: %(list)s", list=", ".join(
            str(_FINDINGS.get(code, code)) for code in facts["acknowledged"])))
    if facts.get("signer"):
        out.append(_("to sign: %(name)s", name=facts["signer"]))
    if facts.get("outgoing_number"):
        out.append(_("outgoing No. %(number)s", number=facts["outgoing_number"]))
    if facts.get("outcome"):
        out.append(Outcome(facts["outcome"]).label_in(locale_code()))
    if facts.get("licence_number"):
        out.append(_("licence No. %(number)s", number=facts["licence_number"]))
    return out
