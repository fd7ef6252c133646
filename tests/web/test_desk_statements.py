"""Every desk page asks the database a fixed, small number of questions, however many
documents it lists: nothing is loaded row by row (what makes a page of 200 rows slow at
a million documents long before any query is)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, event

from app.auth.models import Role
from app.auth.service import create_user
from app.documents.states import DocumentState
from app.extensions import db
from app.timeutil import utcnow
from app.workflow.parties import Part, add_party
from tests.conftest import PASSWORD
from tests.factories import Org, make_controlled, make_document

#: page → the most statements it may issue, with one row or many: the login session, the
#: user and roles, the bell, the calendar and departments (heads), the counts in one
#: statement, the list (a page of it: with the rows without a deadline in a second
#: statement on the page where the others run out, and a count when the list goes past
#: one page), its executors and their roles in one statement each; the clerk's
#: inbox reads the calendar too (by when each application's completeness is checked)
CLERK, POLL, HEAD, EXECUTOR, SIGNER = 9, 6, 11, 10, 9
PAGES = {
    ("clerk", "/"): CLERK,
    ("clerk", "/?show=all"): CLERK,
    ("clerk", "/inbox/poll?since=1"): POLL,
    ("head", "/resolution/"): HEAD,
    ("head", "/resolution/?tab=approval"): HEAD,
    ("head", "/resolution/?tab=control"): HEAD,
    ("head", "/resolution/?tab=due_soon"): HEAD,
    ("head", "/resolution/?tab=overdue&kind=appeal_individual&sort=number"): HEAD,
    ("roads-head", "/resolution/?tab=control"): HEAD,
    ("executor", "/execution/"): EXECUTOR,
    ("executor", "/execution/?due=overdue&sort=newest"): EXECUTOR,
    ("signer", "/signing/"): SIGNER,
}


def _documents(app, rows: int) -> None:
    """``rows`` documents of every desk, each with another executor."""
    with app.app_context():
        org = Org()
        executors = [org.executor] + [
            create_user(login=f"ex{n}", full_name=f"Исполнитель {n}", password=PASSWORD,
                        roles=[Role.EXECUTOR]) for n in range(rows - 1)]
        today = utcnow().date()
        n = 0
        for k, executor in enumerate(executors):
            for state in (DocumentState.IN_EXECUTION, DocumentState.ON_APPROVAL,
                          DocumentState.ON_SIGNATURE):
                n += 1
                doc = make_controlled(n=n, due=today + timedelta(days=k - 2), executor=executor,
                                      approver=org.head, state=state)
                doc.department_id = org.roads.id if k % 2 else org.management.id
                doc.signer_id = org.signer.id
                add_party(doc, org.executor.id, Part.COEXECUTOR)
            n += 1
            waiting = make_document(n=n)
            waiting.state = DocumentState.ON_RESOLUTION
            waiting.department_id = org.management.id
            waiting.resolver_id = org.head.id
            n += 1
            make_document(n=n)
        db.session.commit()


def _statements(client, url: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE",
                                                   "DELETE")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert response.status_code == 200, (url, response.status_code)
    return len(seen)


@pytest.mark.parametrize("rows", [1, 6, 18])
def test_each_desk_page_issues_a_few_statements_whatever_it_lists(app, login, rows):
    _documents(app, rows)
    issued = {}
    for who, url in PAGES:
        client = login(who)
        issued[who, url] = _statements(client, url)
        client.get("/logout")
    print(rows, issued)
    assert {page: n for page, n in issued.items() if n > PAGES[page]} == {}, issued
