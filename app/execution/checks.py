"""What the law asks of an answer, checked on a draft before it goes for approval.

Errors block submission (no outcome, a licence refusal without grounds); warnings are
the checks a careful executor acknowledges knowingly (no legal norm cited, no word on how to
appeal, an answer that does not look written in the author's language).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.formats.choices import Outcome
from app.formats.model import GROUNDED_OUTCOMES

# "статья 12", "п. 3", "пункт", "бап", "тармақ", "Закон", "Кодекс", "Заң", "Кодекс"
_NORM = re.compile(
    r"(стат\w*|ст\.|пункт\w*|п\.\s*\d|подпункт\w*|закон\w*|кодекс\w*|приказ\w*|правил\w*|"
    r"бап\w*|тармақ\w*|заң\w*|бұйрық\w*|қағид\w*)",
    re.IGNORECASE,
)
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")
#: the response-letter format's limits on refusal grounds
MAX_GROUNDS = 20
MAX_GROUND_CHARS = 2000
#: fewer letters than this is hardly a reasoned answer
MIN_REASONED_LETTERS = 120


@dataclass(frozen=True)
class Finding:
    code: str
    #: a lazy translation: rendered in the reader's language where it is shown
    message: object
    blocking: bool = False


def check_draft(*, outcomes: tuple[Outcome, ...], outcome: str | None, language: str,
                text: str, legal_basis: str, appeal_procedure: str,
                refusal_grounds: str) -> list[Finding]:
    """``outcomes``: those the document's procedure offers (app.procedures)."""
    findings: list[Finding] = []
    allowed = {o.value for o in outcomes}
    if outcome not in allowed:
        findings.append(Finding("outcome", _l("Choose the outcome of the answer."), True))
    if not text.strip():
        findings.append(Finding("text", _l("The answer has no text."), True))
    grounds = [g.strip() for g in refusal_grounds.splitlines() if g.strip()]
    if outcome == Outcome.LICENCE_REFUSED.value and not grounds:
        findings.append(Finding("grounds", _l(
            "A decision to refuse a licence must name its grounds."), True))
    if outcome == Outcome.CONCLUSION_NEGATIVE.value and not grounds:
        findings.append(Finding("grounds", _l(
            "A negative conclusion must name its grounds."), True))
    if grounds and outcome not in {o.value for o in GROUNDED_OUTCOMES}:
        findings.append(Finding("grounds", _l(
            "Grounds belong to a refusal or a negative conclusion only: clear them or "
            "choose that outcome."), True))
    if len(grounds) > MAX_GROUNDS or any(len(g) > MAX_GROUND_CHARS for g in grounds):
        findings.append(Finding("grounds", _l(
            "At most 20 grounds, each at most 2000 characters."), True))
    letters = len(re.findall(r"\w", text))
    if text.strip() and letters < MIN_REASONED_LETTERS:
        findings.append(Finding("reasoned", _l(
            "The answer is very short: the law asks for a reasoned answer on the merits.")))
    if not (legal_basis.strip() or _NORM.search(text)):
        findings.append(Finding("norms", _l(
            "No legal norm is cited: name the articles of the laws the answer rests on.")))
    if not appeal_procedure.strip():
        findings.append(Finding("appeal", _l(
            "The answer does not say how the decision can be appealed.")))
    # the answer itself: the pre-filled appeal procedure is already in the right language
    body = text
    if language == "kk" and _CYRILLIC.search(body) and not _KAZAKH_LETTERS.search(body):
        findings.append(Finding("language", _l(
            "The appeal is in Kazakh, but the answer does not look Kazakh.")))
    if language == "ru" and len(_KAZAKH_LETTERS.findall(body)) > max(5, len(body) // 50):
        findings.append(Finding("language", _l(
            "The appeal is in Russian, but the answer looks Kazakh.")))
    return findings


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.blocking]


#: the appeal procedure offered in a new draft, in the language of the appeal
APPEAL_PROCEDURE_TEMPLATE = {
    "ru": ("В случае несогласия с решением Вы вправе обжаловать его в вышестоящий "
           "государственный орган или в суд в порядке, установленном "
           "Административным процедурно-процессуальным кодексом Республики Казахстан."),
    "kk": ("Шешіммен келіспеген жағдайда Сіз оған Қазақстан Республикасының "
           "Әкімшілік рәсімдік-процестік кодексінде белгіленген тәртіппен жоғары тұрған "
           "мемлекеттік органға немесе сотқа шағым жасауға құқылысыз."),
}
