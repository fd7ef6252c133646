"""The table of procedures (seeds 000-004) and the functions that read it."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from app.formats.choices import N_, AppealType, ApplicationKind, Coded, MarkKind, Outcome


class ApplicantType(Coded):
    """Who applies; the documents a procedure requires depend on it (elicense)."""

    LEGAL_ENTITY = "legal_entity", N_("Legal entity"), "Юридическое лицо", "Заңды тұлға"
    INDIVIDUAL = "individual", N_("Individual"), "Физическое лицо", "Жеке тұлға"
    SOLE_PROPRIETOR = (
        "sole_proprietor", N_("Sole proprietor"),
        "Индивидуальный предприниматель", "Жеке кәсіпкер",
    )


class Produces(enum.StrEnum):
    """What an outcome leaves in the register of permits and notifications."""

    NOTHING = "nothing"
    LICENCE = "licence"
    APPENDIX = "appendix"
    REISSUED_LICENCE = "reissued_licence"
    RESTORED_ENTRY = "restored_entry"
    NUMBERING_PERMIT = "numbering_permit"
    NOTIFICATION_TALON = "notification_talon"
    SANITARY_CONCLUSION = "sanitary_conclusion"

    @property
    def takes_licence_number(self) -> bool:
        """Only a new licence takes a number from the issued-licences journal."""
        return self is Produces.LICENCE


@dataclass(frozen=True)
class RequiredAttachment:
    """A document the procedure requires, as the portal names it; an attachment is taken
    for it when its title or file name contains one of ``keywords`` (case-folded)."""

    code: str
    #: English, the gettext msgid
    title: str
    ru: str
    kk: str
    keywords: tuple[str, ...]

    def label_in(self, language: str) -> str:
        return {"ru": self.ru, "kk": self.kk}.get(language) or self.title

    def found_in(self, names: Iterable[str]) -> bool:
        return any(word in name.casefold() for name in names for word in self.keywords)


RECEIPT = RequiredAttachment(
    "payment_receipt", N_("Scanned receipt of the licence fee payment"),
    "Сканированная копия квитанции об оплате лицензионного сбора",
    "Лицензиялық алымды төлеу түбіртегінің сканерленген көшірмесі",
    ("квитанц", "түбіртек", "kvitanc", "receipt", "оплат", "төлем"),
)
LICENCE_COPY = RequiredAttachment(
    "licence_copy", N_("Copy of the licence for the licensed activity"),
    "Копия лицензии на осуществление лицензируемого вида деятельности",
    "Лицензияланатын қызмет түрін жүзеге асыруға арналған лицензияның көшірмесі",
    ("копия лиценз", "лицензияның көшірме", "kopiya-licenz", "licence copy"),
)
APPLICATION_FORM = RequiredAttachment(
    "application_form", N_("Application in the established form"),
    "Заявление установленного образца", "Анықталған үлгідегі өтініш",
    ("заявлени", "өтініш", "zayavlen", "application form"),
)
PROOF_OF_CHANGE = RequiredAttachment(
    "proof_of_change", N_("Document confirming the change"),
    "Документ, подтверждающий изменения", "Өзгерістерді растайтын құжат",
    ("изменени", "өзгеріс", "izmenen", "change"),
)

ALL_APPLICANTS = frozenset(ApplicantType)
_APPEAL_MARKS = (MarkKind.DELIVERED, MarkKind.REGISTERED, MarkKind.PASSED_TO_RESOLUTION,
                 MarkKind.PASSED_TO_EXECUTION, MarkKind.EXECUTED, MarkKind.LETTER)


@dataclass(frozen=True)
class Procedure:
    """One procedure: an application kind or an appeal type."""

    key: AppealType | ApplicationKind
    applicant_types: frozenset[ApplicantType]
    #: what each outcome the executor may choose produces, in the order offered
    produces: Mapping[Outcome, Produces]
    #: the kind of deadline rule that applies: the ``kind`` of a rule in
    #: ``app/deadlines/rules.toml`` (the rules themselves belong to deadline control, which
    #: picks a document's rule by this key)
    deadline_rule: str
    #: documents every applicant must attach, and those only some types must
    required: tuple[RequiredAttachment, ...] = ()
    required_by_type: Mapping[ApplicantType, tuple[RequiredAttachment, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    #: the marks the portal gets on the way to the answer, in order (the state table sends
    #: them; the walk of every procedure in tests/permits checks they are these)
    marks: tuple[MarkKind, ...] = _APPEAL_MARKS

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return tuple(self.produces)

    def required_for(self, applicant: ApplicantType) -> tuple[RequiredAttachment, ...]:
        return self.required + tuple(self.required_by_type.get(applicant, ()))

    def result_of(self, outcome: Outcome) -> Produces:
        """What ``outcome`` produces; ValueError when this procedure does not offer it."""
        try:
            return self.produces[outcome]
        except KeyError:
            raise ValueError(f"{outcome.value} is not an outcome of {self.key.value}") from None


def _appeal(appeal_type: AppealType) -> Procedure:
    return Procedure(
        key=appeal_type,
        applicant_types=frozenset({ApplicantType.INDIVIDUAL, ApplicantType.LEGAL_ENTITY}),
        produces=MappingProxyType({
            Outcome.SATISFIED: Produces.NOTHING, Outcome.EXPLAINED: Produces.NOTHING,
            Outcome.REFUSED: Produces.NOTHING,
            Outcome.LEFT_WITHOUT_CONSIDERATION: Produces.NOTHING,
        }),
        deadline_rule=appeal_type.value,
    )


def _elicense(kind: ApplicationKind, issued: Outcome, produces: Produces, *,
              required: tuple[RequiredAttachment, ...]) -> Procedure:
    return Procedure(
        key=kind, applicant_types=ALL_APPLICANTS,
        produces=MappingProxyType({issued: produces, Outcome.LICENCE_REFUSED: Produces.NOTHING}),
        # each elicense procedure has a rule of its own kind
        required=required, deadline_rule=kind.value,
    )


PROCEDURES: Mapping[AppealType | ApplicationKind, Procedure] = MappingProxyType({
    **{appeal_type: _appeal(appeal_type) for appeal_type in AppealType},
    # seed 001: the licence and its appendices; the receipt of the fee is attached
    ApplicationKind.LICENCE_NEW: _elicense(
        ApplicationKind.LICENCE_NEW, Outcome.LICENCE_ISSUED, Produces.LICENCE,
        required=(RECEIPT,)),
    ApplicationKind.LICENCE_APPENDIX: _elicense(
        ApplicationKind.LICENCE_APPENDIX, Outcome.APPENDIX_ISSUED, Produces.APPENDIX,
        required=(RECEIPT,)),
    ApplicationKind.LICENCE_REISSUE: _elicense(
        ApplicationKind.LICENCE_REISSUE, Outcome.LICENCE_REISSUED, Produces.REISSUED_LICENCE,
        required=(RECEIPT, PROOF_OF_CHANGE)),
    # seed 000: the copy of the licence is the one required document
    ApplicationKind.LICENCE_RESTORE: _elicense(
        ApplicationKind.LICENCE_RESTORE, Outcome.DATA_RESTORED, Produces.RESTORED_ENTRY,
        required=(LICENCE_COPY,)),
    # seed 002: the application in the established form
    ApplicationKind.NUMBERING_PERMIT: _elicense(
        ApplicationKind.NUMBERING_PERMIT, Outcome.PERMIT_ISSUED, Produces.NUMBERING_PERMIT,
        required=(APPLICATION_FORM,)),
    # seed 003: a notification is accepted, never decided upon
    ApplicationKind.SANITARY_NOTIFICATION: Procedure(
        key=ApplicationKind.SANITARY_NOTIFICATION, applicant_types=ALL_APPLICANTS,
        produces=MappingProxyType({Outcome.NOTIFICATION_ACCEPTED: Produces.NOTIFICATION_TALON}),
        deadline_rule=ApplicationKind.SANITARY_NOTIFICATION.value),
    ApplicationKind.INSPECTION_REQUEST: Procedure(
        key=ApplicationKind.INSPECTION_REQUEST, applicant_types=ALL_APPLICANTS,
        produces=MappingProxyType({
            Outcome.CONCLUSION_POSITIVE: Produces.SANITARY_CONCLUSION,
            Outcome.CONCLUSION_NEGATIVE: Produces.SANITARY_CONCLUSION,
        }),
        deadline_rule=ApplicationKind.INSPECTION_REQUEST.value),
})


def procedure_for(kind: str, content: Mapping[str, Any] | None = None) -> Procedure:
    """The procedure of a stored document: its ``kind`` (an application kind, or
    "appeal_individual"/"appeal_legal") and, for an appeal, the type in its ``content``."""
    if kind.startswith("appeal"):
        subtype = (content or {}).get("subtype") or AppealType.STATEMENT.value
        return PROCEDURES[AppealType(subtype)]
    return PROCEDURES[ApplicationKind(kind)]


def applicant_type_of(content: Mapping[str, Any] | None) -> ApplicantType:
    """The applicant type a stored document's content says: a legal entity by its author,
    a sole proprietor by elicense's applicant block."""
    content = content or {}
    author = content.get("author") or {}
    if author.get("kind") == "legal_entity" or author.get("bin"):
        return ApplicantType.LEGAL_ENTITY
    if (content.get("applicant") or {}).get("sole_proprietor"):
        return ApplicantType.SOLE_PROPRIETOR
    return ApplicantType.INDIVIDUAL


def missing_attachments(procedure: Procedure, content: Mapping[str, Any] | None
                        ) -> tuple[RequiredAttachment, ...]:
    """The documents ``procedure`` requires of this applicant that no attachment is."""
    names = [
        name for item in (content or {}).get("attachments") or ()
        for name in (item.get("title") or "", item.get("file_name") or "")
    ]
    return tuple(r for r in procedure.required_for(applicant_type_of(content))
                 if not r.found_in(names))
