"""The audit page says what an entry concerns in the reader's language: the log keeps
"user clerk", role codes and kinds (chained, never rewritten); the page names them."""

from __future__ import annotations

import re
from pathlib import Path

from app.admin.audit_names import TARGET_KINDS, AuditNames, split_target
from app.audit.models import AuditEntry, AuditKind


def test_every_kind_of_target_the_code_writes_is_named():
    """Each record(..., target=f"<kind> ...") in app/ names a kind the page knows."""
    written = set()
    for path in Path("app").rglob("*.py"):
        written |= set(re.findall(r'target=f"([a-z ]+) \{', path.read_text(encoding="utf-8")))
    assert written and written <= set(TARGET_KINDS), written - set(TARGET_KINDS)


def test_a_target_of_two_words_is_not_read_as_one_of_its_words():
    assert split_target("state body 123") == ("state body", "123")
    assert split_target("deadline rule appeal") == ("deadline rule", "appeal")
    assert split_target("M12") == ("", "M12")


def test_roles_and_kinds_in_the_details_are_named_not_coded(app):
    entry = AuditEntry(kind=AuditKind.ROLES_CHANGED,
                       details={"user_id": 3, "before": ["clerk"], "after": ["clerk", "head"],
                                "kind": "licence_new"})
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        lines = dict(AuditNames([]).detail_lines(entry))
    clerk = "Сотрудник службы документационного обеспечения"
    assert lines["Было"] == clerk
    assert lines["Стало"] == f"{clerk}, Руководитель подразделения"
    assert lines["Вид документа"] == "Заявление на получение лицензии"
