"""Everyone's "/" is her desk; error pages speak the reader's language and lead back to
her desk, not to a page she may not open."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("role", "desk"), [("executor", "/execution"), ("head", "/resolution"),
                                            ("signer", "/signing"), ("clerk", None)])
def test_the_start_page_is_each_roles_desk(client, login, role, desk):
    login(role)
    answer = client.get("/")
    if desk is None:
        assert answer.status_code == 200
    else:
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith(desk), answer.headers["Location"]
        assert client.get(answer.headers["Location"]).status_code == 200


def test_a_403_leads_back_to_the_readers_desk(client, login):
    login("executor")
    client.get("/language/ru")
    page = client.get("/admin/routes")
    assert page.status_code == 403
    assert 'href="/execution' in page.text
    assert "Доступ запрещён" in page.text


@pytest.mark.parametrize(("language", "title"), [("ru", "Страница не найдена"),
                                                 ("kk", "Бет табылмады")])
def test_a_404_is_ours_and_translated(client, login, language, title):
    login("head")
    client.get(f"/language/{language}")
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert title in page.text and f'<html lang="{language}">' in page.text
    assert "Not Found" not in page.text and "requested URL" not in page.text
    assert 'href="/resolution' in page.text


@pytest.mark.parametrize(("language", "title"), [("ru", "Действие здесь невозможно"),
                                                 ("kk", "Бұл әрекет мұнда мүмкін емес")])
def test_a_405_is_translated(client, login, language, title):
    login("clerk")
    client.get(f"/language/{language}")
    page = client.get("/documents/1/assign")
    assert page.status_code == 405
    assert title in page.text and "Method Not Allowed" not in page.text


@pytest.mark.parametrize(("language", "title"), [("ru", "Внутренняя ошибка"),
                                                 ("kk", "Ішкі қате")])
def test_the_internal_error_is_translated(app, client, login, monkeypatch, language, title):
    def broken():
        raise RuntimeError("a bug")

    login("executor")
    client.get(f"/language/{language}")
    monkeypatch.setitem(app.view_functions, "execution.desk", broken)
    page = client.get("/execution/")
    assert page.status_code == 500
    assert title in page.text and "Internal error" not in page.text
    assert "a bug" not in page.text
