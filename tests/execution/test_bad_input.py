"""Whatever a form sends, the answer is a clear message or a refusal, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token

ACTIONS = ["register", "refuse", "send-to-resolution", "pass-down", "assign", "redirect",
           "leave", "reply", "reply/parts", "reply/files", "reply/files/999/remove", "submit",
           "approve", "return", "refuse-signature", "sign", "reopen", "deadline"]
GARBAGE = [
    {},
    {"version": "x", "executor": "abc", "due_date": "31.02.2026", "department": "-1"},
    {"version": "999", "executor": "999999", "coexecutors": ["a", "1"], "signer": "0",
     "due_date": "1900-01-01", "draft_version": "-5", "outcome": "<script>"},
]


@pytest.mark.parametrize("action", ACTIONS)
def test_garbage_gets_an_answer_not_a_crash(app, login, in_execution, action):
    client = login("admin")
    token = csrf_token(client.get(f"/documents/{in_execution}").text)
    for data in GARBAGE:
        response = client.post(f"/documents/{in_execution}/{action}",
                               data={"csrf_token": token, **data})
        assert response.status_code in (302, 303, 400, 403, 404, 409, 422), \
            (action, data, response.status_code)


def test_a_form_without_its_csrf_token_is_refused(app, login, in_execution):
    client = login("admin")
    response = client.post(f"/documents/{in_execution}/leave",
                           data={"version": "1", "reason": "x"})
    assert response.status_code == 400
