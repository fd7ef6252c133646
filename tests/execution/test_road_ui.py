"""The whole road through the HTTP API and the desks: the portal sends, the clerk
registers, heads resolve, executors draft, a head approves, the official signs, and the
portal receives every mark and the signed letter."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.documents.models import Document
from app.documents.states import DocumentState
from app.extensions import db
from tests.conftest import SENDER_TOKENS, csrf_token, form_value
from tests.execution.road import GOOD_ANSWER, LEGAL_BASIS
from tests.factories import Org

#: the executor read the law's warnings and submits anyway
ACK = {"acknowledge": "y"}


@pytest.fixture
def org(app):
    with app.app_context():
        Org()
        db.session.commit()


class Desk:
    """One browser session that logs in as whoever acts next."""

    def __init__(self, client, login):
        self.client, self.login = client, login

    def as_(self, login: str):
        self.client.post("/logout", data={"csrf_token": self._token("/resolution/")})
        self.login(login)
        return self

    def _token(self, path: str) -> str:
        page = self.client.get("/login")
        return csrf_token(page.text)

    def page(self, document_id: int) -> str:
        response = self.client.get(f"/documents/{document_id}")
        assert response.status_code == 200, response.status_code
        return response.text

    def act(self, document_id: int, action: str, data: dict, *, page: str | None = None,
            files: dict | None = None) -> str:
        html = page or self.page(document_id)
        form = {"csrf_token": csrf_token(html), "version": form_value(html, "version"), **data}
        if files:
            form.update(files)
        response = self.client.post(f"/documents/{document_id}/{action}", data=form,
                                    follow_redirects=True,
                                    content_type="multipart/form-data" if files else None)
        # a refused form is shown again as it was filled in (422; 409 when stale)
        assert response.status_code in (200, 409, 422)
        return response.text


@pytest.fixture
def desk(client, login):
    return Desk(client, login)


def _state(app, document_id: int) -> DocumentState:
    with app.app_context():
        return db.session.get(Document, document_id).state


def _send_and_register(app, portal, desk, kind="appeal") -> int:
    answer = portal.send(kind)
    assert answer.status_code == 202
    document_id = int(answer.json["id"])
    desk.as_("clerk")
    html = desk.act(document_id, "register", {})
    assert "Registered under number" in html or "Зарегистрирован" in html or "Тіркелді" in html
    return document_id


def _draft(desk, document_id: int, *, outcome="explained", grounds="") -> None:
    page = desk.client.get(f"/documents/{document_id}/reply").text
    response = desk.client.post(f"/documents/{document_id}/reply", data={
        "csrf_token": csrf_token(page), "draft_version": form_value(page, "draft_version"),
        "outcome": outcome, "text": GOOD_ANSWER, "legal_basis": LEGAL_BASIS,
        "appeal_procedure": "Решение может быть обжаловано в суд.",
        "refusal_grounds": grounds,
    }, follow_redirects=True)
    assert response.status_code == 200


def _rounds(html: str) -> list[tuple[str, str, str]]:
    """The approval rounds the page lists: (round, decision, remarks) for each."""
    listed = re.search(r'<ol class="rounds">(.*?)</ol>', html, re.S)
    assert listed, "the page lists no approval rounds"
    rounds = []
    for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S):
        decision = re.search(r"<b>([^<]*)</b>", item)
        remarks = re.search(r"<i>([^<]*)</i>", item)
        rounds.append((item.split("·", 1)[0].strip(), decision.group(1) if decision else "",
                       remarks.group(1) if remarks else ""))
    return rounds


def _sign(desk, pki, document_id: int, key: str = "official_sign") -> str:
    html = desk.page(document_id)
    return desk.act(document_id, "sign", {"password": pki.password, "confirm": "y"}, page=html,
                    files={
        "key": (pki.keys[key].path.open("rb"), "key.p12")})


def test_an_appeal_with_two_levels_a_return_and_a_refused_signature(app, org, portal, desk,
                                                                    pki, tmp_path):
    document_id = _send_and_register(app, portal, desk)
    assert _state(app, document_id) is DocumentState.ON_RESOLUTION

    # the first head passes it down; the roads head names the executor and a co-executor
    desk.as_("head")
    html = desk.page(document_id)
    roads = re.search(r'<option value="(\d+)">Отдел дорог', html).group(1)
    desk.act(document_id, "pass-down", {"department": roads, "instruction": "Разобраться"},
             page=html)
    desk.as_("roads-head")
    html = desk.page(document_id)
    ids = dict(re.findall(r'<option value="(\d+)">([^<—]+?) —', html))
    by_name = {v.strip(): k for k, v in ids.items()}
    proposed = form_value(html, "due_date")
    desk.act(document_id, "assign", {
        "executor": by_name["Test executor"], "coexecutors": [by_name["Сейітов Асқар"]],
        "due_date": proposed, "instruction": "Подготовить ответ"}, page=html)
    assert _state(app, document_id) is DocumentState.IN_EXECUTION

    # the co-executor adds a part and a file; the executor drafts and submits
    desk.as_("coexecutor")
    page = desk.client.get(f"/documents/{document_id}/reply").text
    desk.client.post(f"/documents/{document_id}/reply/parts", data={
        "csrf_token": csrf_token(page), "text": "Сметы на ремонт приложены."})
    desk.client.post(f"/documents/{document_id}/reply/files", data={
        "csrf_token": csrf_token(page), "file": (tmp_path.joinpath("x").open("wb+"), "")},
        content_type="multipart/form-data")
    smeta = tmp_path / "смета.txt"
    smeta.write_text("Смета: 12 000 000 тенге", encoding="utf-8")
    desk.client.post(f"/documents/{document_id}/reply/files", data={
        "csrf_token": csrf_token(page), "file": (smeta.open("rb"), "смета.txt")},
        content_type="multipart/form-data")
    desk.as_("executor")
    _draft(desk, document_id)
    warned = desk.act(document_id, "submit", {})
    # the sample appeal is in Kazakh: the language check warns and asks to acknowledge
    assert 'name="acknowledge"' in warned
    assert _state(app, document_id) is DocumentState.IN_EXECUTION
    desk.act(document_id, "submit", ACK)
    assert _state(app, document_id) is DocumentState.ON_APPROVAL

    # the roads head (who assigned it) returns it once, then approves
    desk.as_("roads-head")
    desk.act(document_id, "return", {"remarks": "Укажите сроки работ"})
    assert _state(app, document_id) is DocumentState.IN_EXECUTION
    desk.as_("executor")
    desk.act(document_id, "submit", ACK)
    desk.as_("roads-head")
    html = desk.page(document_id)
    signer = re.search(r'<option value="(\d+)">Test signer', html).group(1)
    desk.act(document_id, "approve", {"signer": signer}, page=html)
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE

    # the official refuses once, then a citizen's key is refused, then she signs
    desk.as_("signer")
    desk.act(document_id, "refuse-signature", {"remarks": "Добавьте ссылку на план"})
    assert _state(app, document_id) is DocumentState.IN_EXECUTION
    desk.as_("executor")
    desk.act(document_id, "submit", ACK)
    desk.as_("roads-head")
    desk.act(document_id, "approve", {"signer": signer})
    desk.as_("signer")
    refused = _sign(desk, pki, document_id, key="individual_sign")
    # the desk speaks Russian by default
    assert ("нельзя подписывать от имени государственного органа" in refused
            or "Владелец ключа" in refused)
    assert _state(app, document_id) is DocumentState.ON_SIGNATURE
    wrong_password = desk.act(document_id, "sign", {"password": "nope-nope", "confirm": "y"},
                              files={
        "key": (pki.keys["official_sign"].path.open("rb"), "key.p12")})
    assert "Не удалось открыть файл ключа" in wrong_password
    done = _sign(desk, pki, document_id)
    assert "ШЫҒ-" in done  # the reply is in the appeal's Kazakh: so is its number
    assert _state(app, document_id) is DocumentState.ANSWERED

    # every round is kept, each with what became of it (the desk speaks Russian)
    assert _rounds(done) == [
        ("Круг 1", "Возвращено на доработку", "Укажите сроки работ"),
        ("Круг 2", "Отказано в подписании", "Добавьте ссылку на план"),
        ("Круг 3", "Подписано и отправлено", ""),
    ]
    # the portal pulls the marks and the signed letter, verifies it and reads it
    portal = {"Authorization": f"Bearer {SENDER_TOKENS['EGOV']}"}
    pulled = desk.client.get("/api/v1/marks", headers=portal).json
    mine = [m for m in pulled["marks"] if m["document_id"] == document_id]
    assert [m["kind"] for m in mine] == ["delivered", "registered", "passed_to_resolution",
                                         "passed_to_execution", "executed"]
    letter_xml = mine[-1]["letter_xml"].encode()
    # pulling on past it says the portal has the letter: now the "letter" mark follows
    after = desk.client.get(f"/api/v1/marks?since={pulled['next_since']}",
                            headers=portal).json["marks"]
    assert [(m["kind"], m["document_id"]) for m in after] == [("letter", document_id)]
    from app.timeutil import utcnow
    from app.trust import official_policy
    from qujat_demo.portal.marks import verify_letter

    with app.app_context():
        checked = verify_letter(letter_xml, policy=official_policy(), at=utcnow())
    assert checked.indication == "PASSED", checked.printout
    assert "Ремонт дороги" in checked.printout
    assert checked.letter.attachments[0].file_name == "смета.txt"
    if shutil.which("xmlsec1"):
        path = tmp_path / "letter.xml"
        path.write_bytes(letter_xml)
        result = subprocess.run(
            ["xmlsec1", "--verify", "--trusted-pem", str(pki.state_root),
             "--untrusted-pem", str(pki.state_ca), "--id-attr:Id", "ResponseLetter",
             str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_a_licence_application_ends_in_a_decision_to_issue(app, org, portal, desk, pki):
    answer = portal.send("licence-new", sender="ELICENSE")
    document_id = int(answer.json["id"])
    desk.as_("clerk")
    desk.act(document_id, "register", {})
    # the licence route sends it to education, whose head assigns to its executor
    with app.app_context():
        doc = db.session.get(Document, document_id)
        assert doc.department.code == "EDU"
    desk.as_("edu-head")
    html = desk.page(document_id)
    outsider = re.search(r'<option value="(\d+)">Бекова', html).group(1)
    desk.act(document_id, "assign", {"executor": outsider,
                                     "due_date": form_value(html, "due_date")}, page=html)
    desk.as_("outsider")
    _draft(desk, document_id, outcome="licence_issued")
    desk.act(document_id, "submit", ACK)
    desk.as_("edu-head")
    html = desk.page(document_id)
    signer = re.search(r'<option value="(\d+)">Test signer', html).group(1)
    desk.act(document_id, "approve", {"signer": signer}, page=html)
    desk.as_("signer")
    done = _sign(desk, pki, document_id)
    assert "LIC" in done
    with app.app_context():
        letter = db.session.get(Document, document_id).letters[0]
        assert letter.outcome == "licence_issued" and letter.licence_number.startswith("KZ")
        letter_id, number = letter.id, letter.outgoing_number
    # the printable letter is read back from the signed XML
    pdf = desk.client.get(f"/documents/{document_id}/letters/{letter_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True)
        assert number in text.stdout.decode()


def test_a_redirect_by_competence_closes_the_document_and_tells_the_portal(app, org, portal,
                                                                          desk):
    document_id = _send_and_register(app, portal, desk)
    desk.as_("head")
    desk.act(document_id, "redirect", {"confirm": "y", "body_code": "MVD",
                                       "body_name": "Министерство внутренних дел",
                                       "reason": "Вопрос полиции"})
    assert _state(app, document_id) is DocumentState.REDIRECTED
    with app.app_context():
        mark = db.session.get(Document, document_id).marks[-1]
        assert mark.kind.value == "redirected"
        assert "Министерство внутренних дел".encode() in mark.xml
    # closed: the head has nothing left to do, the admin may reopen it with a reason
    assert f'action="/documents/{document_id}/assign"' not in desk.page(document_id)
    desk.as_("admin")
    desk.act(document_id, "reopen", {"reason": "Ошибочно перенаправлено", "confirm": "y"})
    assert _state(app, document_id) is DocumentState.ON_RESOLUTION


def test_a_lengthened_deadline_needs_a_reason(app, org, portal, desk):
    document_id = _send_and_register(app, portal, desk)
    desk.as_("head")
    html = desk.page(document_id)
    executor = re.search(r'<option value="(\d+)">Test executor', html).group(1)
    proposed = date.fromisoformat(form_value(html, "due_date"))
    later = (proposed + timedelta(days=10)).isoformat()
    refused = desk.act(document_id, "assign", {"executor": executor, "due_date": later},
                       page=html)
    # in Russian, the dates as people write them
    assert (f"Срок исполнения {(proposed + timedelta(days=10)).strftime('%d.%m.%Y')} позже "
            f"предложенного ({proposed.strftime('%d.%m.%Y')}); укажите причину продления"
            in refused)
    assert _state(app, document_id) is DocumentState.ON_RESOLUTION
    desk.act(document_id, "assign", {"executor": executor, "due_date": later,
                                     "extension_reason": "Нужна экспертиза"})
    assert _state(app, document_id) is DocumentState.IN_EXECUTION


def test_a_stale_form_is_told_the_document_changed(app, org, portal, desk):
    document_id = _send_and_register(app, portal, desk)
    desk.as_("head")
    stale = desk.page(document_id)
    executor = re.search(r'<option value="(\d+)">Test executor', stale).group(1)
    desk.act(document_id, "leave", {"reason": "Анонимное", "confirm": "y"})
    answer = desk.act(document_id, "assign", {"executor": executor,
                                              "due_date": form_value(stale, "due_date")},
                      page=stale)
    # the desk speaks Russian by default: "changed meanwhile", without blaming anyone
    assert "Документ тем временем изменился" in answer
    assert _state(app, document_id) is DocumentState.LEFT_WITHOUT_CONSIDERATION


def test_only_their_documents_reach_each_role(app, org, portal, desk):
    document_id = _send_and_register(app, portal, desk)
    with app.app_context():
        assert db.session.scalar(select(Document.state).where(Document.id == document_id)) \
            is DocumentState.ON_RESOLUTION
    for login, status in [("head", 200), ("roads-head", 404), ("edu-head", 404),
                          ("executor", 404), ("outsider", 404), ("signer", 404),
                          ("clerk", 200), ("admin", 200)]:
        desk.as_(login)
        assert desk.client.get(f"/documents/{document_id}").status_code == status, login
    # the reply is the team's: the clerk sees the card, not the draft
    desk.as_("clerk")
    assert desk.client.get(f"/documents/{document_id}/reply").status_code == 403
    assert desk.client.get("/resolution/").status_code == 403
    desk.as_("executor")
    assert desk.client.get("/resolution/").status_code == 403
    assert desk.client.get("/admin/routes").status_code == 403
