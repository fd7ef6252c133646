"""A head extends the deadline by a reasoned decision, never past two months from the
registration; the author's portal gets a signed "extended" mark with the date and the
reason; the executor may ask for more time, and the head grants or refuses."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest

from app.control.models import ControlKind
from app.control.service import (
    extend,
    extension_limit,
    pending_request,
    refuse_extension,
    request_extension,
)
from app.documents.states import Action
from app.errors import PermissionDenied, Refused
from app.formats.choices import MarkKind

#: Monday 2 November 2026, 10:00 in Almaty
REGISTERED = datetime(2026, 11, 2, 5, 0, tzinfo=UTC)
DUE = date(2026, 11, 23)
#: Friday 20 November 2026, 15:00 in Almaty: three days before the deadline
LATER = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

REASON = "Запрошено заключение акимата района; ответ ожидается до 10 декабря"


def test_a_head_extends_with_a_reason_and_the_author_is_told(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    marks_before = len(doc.marks)

    decision = extend(doc, head=org.head, due=date(2026, 12, 15), reason=f"  {REASON}\n",
                      now=LATER, rules=rules)

    assert doc.due_date == date(2026, 12, 15)
    # a decision: a later change of the rules or the calendar does not recompute it
    assert doc.due_date_by_hand
    assert (decision.kind, decision.previous_due, decision.due, decision.reason,
            decision.author_id) == (ControlKind.EXTENSION, DUE, date(2026, 12, 15), REASON,
                                    org.head.id)
    entry = doc.history[-1]
    assert (entry.action, entry.actor_id, entry.comment) == (Action.EXTEND, org.head.id, REASON)
    assert entry.facts == {"due": "2026-12-15", "previous_due": "2026-11-23"}
    assert [m.kind for m in doc.marks[marks_before:]] == [MarkKind.EXTENDED]
    assert b"<NewDueDate>2026-12-15</NewDueDate>" in doc.marks[-1].xml
    assert REASON.encode() in doc.marks[-1].xml


@pytest.mark.parametrize(("registered_at", "limit"), [
    # two months from the day after registration end on the registration's date
    (datetime(2026, 3, 14, 5, 0, tzinfo=UTC), date(2026, 5, 14)),
    (datetime(2026, 11, 2, 5, 0, tzinfo=UTC), date(2027, 1, 2)),
    # a month without that day: its last day
    (datetime(2026, 12, 31, 5, 0, tzinfo=UTC), date(2027, 2, 28)),
    (datetime(2027, 12, 31, 5, 0, tzinfo=UTC), date(2028, 2, 29)),
    # 20:00 UTC on 31 December is 1 January in Almaty: the office's day counts
    (datetime(2026, 12, 31, 20, 0, tzinfo=UTC), date(2027, 3, 1)),
])
def test_the_limit_is_two_calendar_months_from_the_registration(
        rules, in_execution, registered_at, limit):
    doc = in_execution(registered_at, date(registered_at.year + 1, 1, 29))
    assert extension_limit(doc, rules) == limit


def test_past_two_months_is_refused_naming_the_limit(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)

    with pytest.raises(Refused) as refused:
        extend(doc, head=org.head, due=date(2027, 1, 4), reason=REASON, now=LATER, rules=rules)

    assert refused.value.code == "extension_past_limit"
    assert refused.value.details == {"due": "2027-01-04", "limit": "2027-01-02"}
    assert "02.01.2027" in str(refused.value.message)
    assert doc.due_date == DUE and doc.history[-1].action is Action.ASSIGN
    # up to the limit itself is within the law
    extend(doc, head=org.head, due=date(2027, 1, 2), reason=REASON, now=LATER, rules=rules)
    assert doc.due_date == date(2027, 1, 2)


@pytest.mark.parametrize(("due", "reason", "code"), [
    (date(2026, 12, 1), "   ", "extension_reason_missing"),
    (DUE, REASON, "extension_not_later"),
    (date(2026, 11, 10), REASON, "deadline_in_past"),
])
def test_an_extension_is_later_and_reasoned(org, rules, in_execution, due, reason, code):
    doc = in_execution(REGISTERED, DUE)
    with pytest.raises(Refused) as refused:
        extend(doc, head=org.head, due=due, reason=reason, now=LATER, rules=rules)
    assert refused.value.code == code
    assert doc.due_date == DUE


def test_the_executor_asks_and_the_head_grants(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)

    asked = request_extension(doc, executor=org.executor, due=date(2026, 12, 4),
                              reason=REASON, now=LATER, rules=rules)
    assert pending_request(doc) is asked
    assert doc.due_date == DUE  # asking moves nothing
    assert doc.history[-1].facts == {"proposed_due": "2026-12-04"}
    with pytest.raises(Refused) as twice:
        request_extension(doc, executor=org.executor, due=date(2026, 12, 10), reason="ещё",
                          now=LATER, rules=rules)
    assert twice.value.code == "extension_request_pending"

    granted = extend(doc, head=org.head, due=asked.due, reason=asked.reason, now=LATER,
                     rules=rules, request=asked)

    assert granted.answers is asked and pending_request(doc) is None
    assert doc.due_date == date(2026, 12, 4)
    assert doc.marks[-1].kind is MarkKind.EXTENDED
    with pytest.raises(Refused) as again:
        extend(doc, head=org.head, due=date(2026, 12, 10), reason=REASON, now=LATER,
               rules=rules, request=asked)
    assert again.value.code == "extension_request_answered"


def test_the_heads_own_extension_answers_a_waiting_request(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    asked = request_extension(doc, executor=org.executor, due=date(2026, 12, 4),
                              reason=REASON, now=LATER, rules=rules)
    decided = extend(doc, head=org.head, due=date(2026, 11, 30), reason="Неделя, не больше",
                     now=LATER, rules=rules)
    assert decided.answers is asked and pending_request(doc) is None


def test_the_head_refuses_with_a_reason_the_executor_reads(org, rules, in_execution):
    doc = in_execution(REGISTERED, DUE)
    marks_before = len(doc.marks)
    asked = request_extension(doc, executor=org.executor, due=date(2026, 12, 4),
                              reason=REASON, now=LATER, rules=rules)
    with pytest.raises(Refused) as unreasoned:
        refuse_extension(doc, head=org.head, reason=" ", now=LATER)
    assert unreasoned.value.code == "extension_refusal_reason_missing"

    refusal = refuse_extension(doc, head=org.head, reason="Срок достаточен, ответьте вовремя",
                               now=LATER)

    assert (refusal.kind, refusal.answers, refusal.author_id) == (
        ControlKind.REFUSAL, asked, org.head.id)
    assert doc.due_date == DUE and pending_request(doc) is None
    assert [e.action for e in doc.history[-2:]] == [Action.REQUEST_EXTENSION,
                                                   Action.REFUSE_EXTENSION]
    assert doc.history[-1].comment == "Срок достаточен, ответьте вовремя"
    assert len(doc.marks) == marks_before  # the author hears of decisions, not of requests
    # the executor may ask again
    request_extension(doc, executor=org.executor, due=date(2026, 11, 30), reason="Иначе",
                      now=LATER, rules=rules)


def test_only_the_controlling_heads_extend_and_only_the_executor_asks(org, rules,
                                                                      in_execution):
    doc = in_execution(REGISTERED, DUE)
    with pytest.raises(PermissionDenied):
        extend(doc, head=org.other_head, due=date(2026, 12, 4), reason=REASON, now=LATER,
               rules=rules)
    with pytest.raises(PermissionDenied):
        extend(doc, head=org.executor, due=date(2026, 12, 4), reason=REASON, now=LATER,
               rules=rules)
    with pytest.raises(PermissionDenied):
        request_extension(doc, executor=org.coexecutor, due=date(2026, 12, 4), reason=REASON,
                          now=LATER, rules=rules)
    # asking past the law's limit is refused before the head is bothered
    with pytest.raises(Refused) as too_far:
        request_extension(doc, executor=org.executor, due=date(2027, 2, 1), reason=REASON,
                          now=LATER, rules=rules)
    assert too_far.value.details["limit"] == "2027-01-02"


XMLSEC1 = shutil.which("xmlsec1")


def test_the_extended_mark_is_signed_and_verifies(org, rules, in_execution, pki, tmp_path):
    """The portal's check: our verifier reads the date and reason from what is signed;
    Debian's xmlsec1 agrees the signature holds."""
    from app.xmlsig.trust_store import load_policy
    from qujat_demo.portal.marks import verify_mark

    doc = in_execution(REGISTERED, DUE)
    extend(doc, head=org.head, due=date(2026, 12, 15), reason=REASON, now=LATER, rules=rules)
    xml = doc.marks[-1].xml

    policy = load_policy(anchors=[pki.state_root], intermediates=[pki.state_ca],
                         crls=[pki.state_crl, pki.state_root_crl], revocation_required=True)
    checked = verify_mark(xml, policy=policy, at=datetime.now(UTC))
    assert checked.indication == "PASSED", checked.summary
    assert checked.mark.kind is MarkKind.EXTENDED
    assert (checked.mark.extension.due, checked.mark.extension.reason) == (
        date(2026, 12, 15), REASON)
    assert verify_mark(xml.replace(b"2026-12-15", b"2027-12-15"), policy=policy,
                       at=datetime.now(UTC)).indication == "FAILED"

    assert XMLSEC1, "xmlsec1 is missing: scripts/setup installs it from Debian"
    path = tmp_path / "extended.xml"
    path.write_bytes(xml)
    result = subprocess.run([XMLSEC1, "--verify", "--trusted-pem", str(pki.state_root),
                             "--untrusted-pem", str(pki.state_ca), str(path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
