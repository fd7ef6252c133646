import pytest
from lxml import etree

from app.formats import choices
from app.formats.schemas import default_schema_dir

ENUMS = [
    choices.Language, choices.DocumentKind, choices.AuthorKind, choices.AppealType,
    choices.ApplicationKind, choices.LicenceCategory, choices.ReissueReason,
    choices.SanitaryProcedure, choices.MarkKind, choices.RefusalReason, choices.Outcome,
    choices.ExecutionDecision,
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_three_labels(enum):
    for member in enum:
        assert set(member.labels) == {"en", "ru", "kk"}
        assert all(label.strip() for label in member.labels.values()), member
        assert member.label == member.labels["en"]
    assert len({m.value for m in enum}) == len(enum)


def test_unknown_value_is_refused():
    with pytest.raises(ValueError):
        choices.MarkKind("lost")


def test_labels_for_the_ui():
    assert choices.MarkKind.REFUSED.label_in("ru") == "Отказ в регистрации"
    assert choices.MarkKind.REFUSED.label_in("kk") == "Тіркеуден бас тарту"
    assert choices.MarkKind.REFUSED.label_in("de") == "Registration refused"
    assert choices.Outcome.choices("kk")[0] == ("satisfied", "Қанағаттандырылды")


def _xsd_enumeration(file_name: str, type_name: str) -> list[str]:
    tree = etree.parse(str(default_schema_dir() / file_name))
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    return tree.xpath(f"//xs:simpleType[@name='{type_name}']//xs:enumeration/@value",
                      namespaces=ns)


@pytest.mark.parametrize(("enum", "file_name", "type_name"), [
    (choices.Language, "common-1.xsd", "Language"),
    (choices.AppealType, "appeal-1.xsd", "AppealType"),
    (choices.LicenceCategory, "application-1.xsd", "LicenceCategory"),
    (choices.ReissueReason, "application-1.xsd", "ReissueReason"),
    (choices.RefusalReason, "status-mark-1.xsd", "RefusalReason"),
    (choices.ExecutionDecision, "status-mark-1.xsd", "ExecutionDecision"),
])
def test_enums_and_schemas_agree(enum, file_name, type_name):
    assert _xsd_enumeration(file_name, type_name) == [m.value for m in enum]
