"""What the signature tests share: a small signed appeal, one signature checked alone, and
edits to a signed document."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from app.xmlsig.parsing import parse_xml
from app.xmlsig.report import Check, CheckCode
from app.xmlsig.shape import DS, enveloped_signatures, misplaced_signatures
from app.xmlsig.signature import SignatureVerification, verify_signature

NS = {"ds": DS}
#: an appeal with a comment in it: canonicalization without comments must ignore it
APPEAL = ('<appeal xmlns="urn:qujat:test:appeal" xml:lang="ru"><!-- draft 2 -->'
          "<author>ТЕСТОВ ТЕСТ</author><text>Прошу рассмотреть</text></appeal>").encode()
#: the password of the NCA's test containers
PASSWORD = "Qwerty12"
#: the NCA's GOST test containers (keys/gost2015/*.p12)
GOST_KEYS = ["individual_valid", "individual_revoked", "legal_head_valid", "legal_employee_valid"]


def check(data: bytes, *, keep_signed: bool = True) -> SignatureVerification:
    tree = parse_xml(data, max_bytes=10_000_000, max_depth=64)
    root = tree.getroot()
    signature = (enveloped_signatures(root) or misplaced_signatures(root))[-1]
    return verify_signature(tree, signature, keep_signed=keep_signed)


def result_of(verification: SignatureVerification, code: CheckCode) -> Check:
    return next(c for c in verification.checks if c.code is code)


def edited(data: bytes, change: Callable[[etree._Element], object]) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root)


def find(root: etree._Element, path: str) -> etree._Element:
    return root.xpath(path, namespaces=NS)[0]
