import shutil
import threading

import pytest
from lxml import etree

from app.formats import Family, SchemaSet, SchemaSetError, build_document
from app.formats.schemas import default_schema_dir
from app.xmlsig.errors import SchemaViolation
from qujat_demo.samples import sample_document

from .conftest import reparse

XS = "{http://www.w3.org/2001/XMLSchema}"


def test_schema_directory_is_found_in_the_repository():
    assert (default_schema_dir() / "common-1.xsd").is_file()
    SchemaSet().load_all()


@pytest.mark.parametrize("family", list(Family))
def test_every_root_ends_with_a_skipped_signature_slot_and_nothing_else_foreign(family):
    tree = etree.parse(str(default_schema_dir() / family.file_name))
    assert tree.getroot().get("targetNamespace") == family.value
    root = tree.find(f"{XS}element[@name='{family.root}']")
    sequence = root.find(f"{XS}complexType/{XS}sequence")
    wildcards = tree.getroot().findall(f".//{XS}any")
    assert wildcards == [sequence[-1]]
    assert dict(sequence[-1].attrib) == {
        "namespace": "http://www.w3.org/2000/09/xmldsig#", "processContents": "skip",
        "minOccurs": "0", "maxOccurs": "unbounded",
    }
    assert tree.getroot().findall(f".//{XS}anyAttribute") == []


def test_families_import_the_common_namespace():
    for family in Family:
        tree = etree.parse(str(default_schema_dir() / family.file_name))
        (imported,) = tree.getroot().findall(f"{XS}import")
        assert imported.get("namespace") == "urn:qujat:common:1"


def test_directory_can_be_overridden(tmp_path):
    for xsd in default_schema_dir().glob("*.xsd"):
        shutil.copy(xsd, tmp_path)
    schemas = SchemaSet(tmp_path)
    root = reparse(build_document(sample_document("appeal", seed=1)))
    assert schemas.validate(root) is Family.APPEAL


def test_missing_schema_fails_fast_and_is_not_blamed_on_the_sender(tmp_path):
    shutil.copy(default_schema_dir() / "common-1.xsd", tmp_path)
    schemas = SchemaSet(tmp_path)
    with pytest.raises(SchemaSetError, match="appeal-1.xsd is missing") as caught:
        schemas.load_all()
    assert not isinstance(caught.value, SchemaViolation)


def test_broken_schema_fails_fast(tmp_path):
    for xsd in default_schema_dir().glob("*.xsd"):
        shutil.copy(xsd, tmp_path)
    (tmp_path / "appeal-1.xsd").write_text("<xs:schema xmlns:xs='nope'/>")
    with pytest.raises(SchemaSetError, match="does not compile"):
        SchemaSet(tmp_path).load_all()


def test_each_schema_is_compiled_once():
    schemas = SchemaSet()
    assert schemas.schema(Family.APPEAL) is schemas.schema(Family.APPEAL)


def test_concurrent_validation_reports_each_document_its_own_error():
    schemas = SchemaSet()
    good = etree.tostring(build_document(sample_document("appeal", seed=2)))
    bad_root = build_document(sample_document("appeal", seed=2))
    bad_root.find("{urn:qujat:common:1}Contacts/{urn:qujat:common:1}Phone").text = "phone"
    bad = etree.tostring(bad_root)
    outcomes: list[str] = []

    def work(data: bytes) -> None:
        for _ in range(20):
            try:
                schemas.validate(reparse(data))
                outcomes.append("ok")
            except SchemaViolation as error:
                outcomes.append(error.rule)

    threads = [threading.Thread(target=work, args=(good if i % 2 else bad,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 80
    assert set(outcomes) - {"ok"} == {
        "cvc-pattern-valid: the value does not match the required pattern at "
        "Appeal/Contacts/Phone"
    }
