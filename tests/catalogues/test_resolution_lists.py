"""The office's standard instructions and its directory of state bodies, as a head uses
them in a resolution and an administrator keeps them."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.catalogues.models import StandardInstruction, StateBody
from app.documents.models import Document
from app.extensions import db
from app.marks.models import Mark, MarkKind
from app.resolution.models import Resolution, ResolutionKind
from tests.conftest import csrf_token, form_value
from tests.execution import road
from tests.factories import Org, make_document


def _waiting(app, *, language: str = "ru"):
    with app.app_context():
        org = Org()
        doc = make_document()
        doc.language = language
        road.registered(doc, org)
        db.session.commit()
        return doc.id, org.executor.id


def _form(html: str, action: str) -> str:
    start = html.index(f'action="{action}"')
    return html[start:html.index("</form>", start)]


def _assign(client, doc_id: int, executor_id: int, **fields):
    page = client.get(f"/documents/{doc_id}").text
    return client.post(f"/documents/{doc_id}/assign", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "executor": str(executor_id), "due_date": (date.today() + timedelta(days=5)).isoformat(),
        "extension_reason": "", **fields})


def _instruction_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(StandardInstruction.id).where(
            StandardInstruction.code == code))


def _body_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(StateBody.id).where(StateBody.code == code))


def _last_resolution(app, doc_id: int) -> Resolution:
    with app.app_context():
        return db.session.scalars(select(Resolution).where(
            Resolution.document_id == doc_id).order_by(Resolution.id.desc())).first()


def test_the_head_is_offered_the_standard_instructions_in_his_language(app, login):
    doc_id, _executor = _waiting(app)
    client = login("head")
    client.get("/language/kk")
    form = _form(client.get(f"/documents/{doc_id}").text, f"/documents/{doc_id}/assign")
    assert 'name="standard"' in form and 'data-fills="assign-instruction"' in form
    assert "Қарап, жауап дайындау" in form and "Мәлімет үшін" in form
    client.get("/language/ru")
    form = _form(client.get(f"/documents/{doc_id}").text, f"/documents/{doc_id}/assign")
    assert "Рассмотреть и подготовить ответ" in form and "Для сведения" in form


def test_a_chosen_standard_instruction_becomes_the_resolutions_instruction(app, login):
    doc_id, executor_id = _waiting(app)
    client = login("head")
    client.get("/language/ru")
    response = _assign(client, doc_id, executor_id, instruction="",
                       standard=str(_instruction_id(app, "draft-in-time")))
    assert response.status_code == 302
    resolution = _last_resolution(app, doc_id)
    assert resolution.kind is ResolutionKind.ASSIGN
    assert resolution.instruction == "Подготовить проект ответа в срок"


def test_what_the_head_typed_wins_over_the_standard_instruction(app, login):
    doc_id, executor_id = _waiting(app)
    client = login("head")
    response = _assign(client, doc_id, executor_id,
                       instruction="Для сведения. Проверить на месте до пятницы",
                       standard=str(_instruction_id(app, "for-information")))
    assert response.status_code == 302
    assert _last_resolution(app, doc_id).instruction == (
        "Для сведения. Проверить на месте до пятницы")


def test_the_administrator_adds_an_instruction_and_switches_one_off(app, login):
    doc_id, _executor = _waiting(app)
    admin = login("admin")
    page = admin.get("/admin/instructions").text
    assert "Для сведения" in page
    response = admin.post("/admin/instructions", data={
        "csrf_token": csrf_token(page), "code": "urgent", "position": "5",
        "text_ru": "Срочно: ответить в течение трёх дней",
        "text_kk": "Шұғыл: үш күн ішінде жауап беру", "active": "y"})
    assert response.status_code == 302
    item_id = _instruction_id(app, "for-information")
    edit = admin.get(f"/admin/instructions?edit={item_id}").text
    assert 'value="for-information"' in edit
    admin.post("/admin/instructions", data={
        "csrf_token": csrf_token(edit), "code": "for-information", "position": "50",
        "text_ru": "Для сведения", "text_kk": "Мәлімет үшін"})  # "active" unticked

    head = login("head")
    head.get("/language/ru")
    form = _form(head.get(f"/documents/{doc_id}").text, f"/documents/{doc_id}/assign")
    assert "Срочно: ответить в течение трёх дней" in form
    assert "Для сведения" not in form
    with app.app_context():
        kept = db.session.get(StandardInstruction, item_id)
        assert kept is not None and kept.active is False


def test_an_instruction_without_its_kazakh_text_is_refused_and_kept(app, login):
    admin = login("admin")
    admin.get("/language/en")
    page = admin.get("/admin/instructions").text
    response = admin.post("/admin/instructions", data={
        "csrf_token": csrf_token(page), "code": "half", "position": "5",
        "text_ru": "Только по-русски", "text_kk": "", "active": "y"})
    assert response.status_code == 422
    assert 'value="Только по-русски"' in response.text
    assert "field-error" in _form(response.text, "/admin/instructions")
    with app.app_context():
        assert db.session.scalar(select(StandardInstruction).where(
            StandardInstruction.code == "half")) is None


def _redirect(client, doc_id: int, **fields):
    page = client.get(f"/documents/{doc_id}").text
    return client.post(f"/documents/{doc_id}/redirect", data={
        "csrf_token": csrf_token(page), "version": form_value(page, "version"),
        "reason": "Вопрос относится к компетенции полиции", "confirm": "y", **fields})


def test_the_head_redirects_to_a_body_of_the_directory(app, login):
    doc_id, _executor = _waiting(app, language="kk")
    with app.app_context():  # the body itself is in the directory too (its letterhead)
        db.session.add(StateBody(code="MIO-DEMO", name_ru="Демо орган", name_kk="Демо орган"))
        db.session.commit()
    client = login("head")
    form = _form(client.get(f"/documents/{doc_id}").text, f"/documents/{doc_id}/redirect")
    assert "(MVD-ALM)" in form and "(AKIMAT-SHY)" in form
    # a document is not redirected to the body that holds it
    assert "(MIO-DEMO)" not in form

    response = _redirect(client, doc_id, body=str(_body_id(app, "MVD-ALM")),
                         body_code="", body_name="")
    assert response.status_code == 302
    resolution = _last_resolution(app, doc_id)
    assert resolution.kind is ResolutionKind.REDIRECT
    # the author wrote in Kazakh: the body is named to him in Kazakh
    assert (resolution.redirect_body_code, resolution.redirect_body_name) == (
        "MVD-ALM", "Алматы қаласының Полиция департаменті")
    with app.app_context():
        mark = db.session.scalar(select(Mark).where(Mark.document_id == doc_id,
                                                    Mark.kind == MarkKind.REDIRECTED))
        assert b"MVD-ALM" in mark.xml
        assert "Алматы қаласының Полиция департаменті".encode() in mark.xml


def test_a_body_not_in_the_directory_is_typed(app, login):
    doc_id, _executor = _waiting(app)
    response = _redirect(login("head"), doc_id, body="", body_code="AKIMAT-KRG",
                         body_name="Акимат Карагандинской области")
    assert response.status_code == 302
    resolution = _last_resolution(app, doc_id)
    assert (resolution.redirect_body_code, resolution.redirect_body_name) == (
        "AKIMAT-KRG", "Акимат Карагандинской области")


def test_a_redirection_naming_no_body_says_so_next_to_the_choice(app, login):
    doc_id, _executor = _waiting(app)
    client = login("head")
    client.get("/language/en")
    response = _redirect(client, doc_id, body="", body_code="", body_name="")
    assert response.status_code == 422
    form = _form(response.text, f"/documents/{doc_id}/redirect")
    choice, error = form.index('name="body"'), form.index("field-error")
    assert choice < error < form.index('name="body_code"')
    assert "Choose the state body" in form
    assert "Вопрос относится к компетенции полиции" in form
    with app.app_context():
        assert db.session.get(Document, doc_id).state.value == "on_resolution"


def test_a_body_switched_off_is_offered_no_more_but_old_redirections_keep_it(app, login):
    doc_id, _executor = _waiting(app)
    admin = login("admin")
    body_id = _body_id(app, "MT")
    edit = admin.get(f"/admin/state-bodies?edit={body_id}").text
    assert 'value="MT"' in edit
    response = admin.post("/admin/state-bodies", data={
        "csrf_token": csrf_token(edit), "code": "MT", "bin": "",
        "name_ru": "Министерство транспорта Республики Казахстан",
        "name_kk": "Қазақстан Республикасының Көлік министрлігі"})
    assert response.status_code == 302
    form = _form(login("head").get(f"/documents/{doc_id}").text,
                 f"/documents/{doc_id}/redirect")
    assert "(MT)" not in form and "(MVD)" in form
    # a stale page posting the switched-off body is refused, not redirected there
    response = _redirect(login("head"), doc_id, body=str(body_id))
    assert response.status_code == 422


def test_the_administrator_adds_a_state_body_its_bin_checked(app, login):
    admin = login("admin")
    admin.get("/language/en")
    page = admin.get("/admin/state-bodies").text
    assert "starter list" in page
    data = {"csrf_token": csrf_token(page), "code": "AKIMAT-KRG",
            "name_ru": "Акимат Карагандинской области",
            "name_kk": "Қарағанды облысының әкімдігі", "active": "y"}
    refused = admin.post("/admin/state-bodies", data={**data, "bin": "123456789012"})
    assert refused.status_code == 422
    assert re.search(r'name="bin"[^>]*value="123456789012"', refused.text)
    assert "not a valid BIN" in refused.text
    assert admin.post("/admin/state-bodies", data={**data, "bin": ""}).status_code == 302
    with app.app_context():
        body = db.session.scalar(select(StateBody).where(StateBody.code == "AKIMAT-KRG"))
        assert body.name_kk == "Қарағанды облысының әкімдігі" and body.active


def test_the_standard_instruction_chosen_is_recorded_as_it_was(app, login):
    """Which one the head chose and its text then: the list may be edited later."""
    doc_id, executor_id = _waiting(app)
    client = login("head")
    client.get("/language/ru")
    chosen = _instruction_id(app, "draft-in-time")
    assert _assign(client, doc_id, executor_id, instruction="",
                   standard=str(chosen)).status_code == 302
    with app.app_context():
        # the administrator rewords it afterwards
        item = db.session.get(StandardInstruction, chosen)
        item.text_ru = "Подготовить ответ за три дня"
        db.session.commit()
    resolution = _last_resolution(app, doc_id)
    assert resolution.standard_instruction_id == chosen
    assert resolution.standard_instruction_text == "Подготовить проект ответа в срок"

    page = client.get(f"/documents/{doc_id}").text
    listed = page[page.index('class="resolutions"'):page.index("</ol>")]
    assert "Подготовить проект ответа в срок" in listed and "типовое поручение" in listed
    assert "Подготовить ответ за три дня" not in listed


def test_a_standard_instruction_reworded_by_the_head_keeps_what_was_chosen(app, login):
    doc_id, executor_id = _waiting(app)
    client = login("head")
    client.get("/language/kk")
    chosen = _instruction_id(app, "for-information")
    assert _assign(client, doc_id, executor_id, standard=str(chosen),
                   instruction="Мәлімет үшін. Жұмада тексеру").status_code == 302
    resolution = _last_resolution(app, doc_id)
    assert resolution.instruction == "Мәлімет үшін. Жұмада тексеру"
    assert (resolution.standard_instruction_id, resolution.standard_instruction_text) == (
        chosen, "Мәлімет үшін")
    page = client.get(f"/documents/{doc_id}").text
    listed = page[page.index('class="resolutions"'):page.index("</ol>")]
    assert "«Мәлімет үшін»" in listed or "“Мәлімет үшін”" in listed


def test_what_the_head_typed_alone_records_no_standard_instruction(app, login):
    doc_id, executor_id = _waiting(app)
    client = login("head")
    assert _assign(client, doc_id, executor_id,
                   instruction="Проверить на месте").status_code == 302
    resolution = _last_resolution(app, doc_id)
    assert resolution.standard_instruction_id is None
    assert resolution.standard_instruction_text is None


def test_a_standard_instruction_switched_off_meanwhile_is_refused_by_its_field(app, login):
    doc_id, executor_id = _waiting(app)
    client = login("head")
    client.get("/language/ru")
    chosen = _instruction_id(app, "for-information")
    with app.app_context():
        db.session.get(StandardInstruction, chosen).active = False
        db.session.commit()
    response = _assign(client, doc_id, executor_id, instruction="Свой текст",
                       standard=str(chosen))
    assert response.status_code == 422
    form = _form(response.text, f"/documents/{doc_id}/assign")
    standard = form[form.index('name="standard"'):]
    assert "field-error" in standard[:standard.index("</label>")]
    assert "Свой текст" in form
    assert _last_resolution(app, doc_id) is None
