"""The XSDs of the exchange formats: compiled once, chosen by the root's namespace.

Besides the XSD, ``validate`` enforces the one document-wide rule XSD 1.0 cannot sum up:
at most 30 MB of decoded attachments. It computes the decoded size from the length of the
base64 text, without decoding, so the size check costs nothing on a large document; the
hashes need the bytes and are checked where they are decoded anyway (read.py).
"""

from __future__ import annotations

import enum
import threading
from pathlib import Path

from lxml import etree

from app.formats.errors import SchemaSetError
from app.formats.model import MAX_ATTACHMENTS_BYTES
from app.shipped import shipped_dir
from app.xmlsig.errors import SchemaViolation

COMMON_NS = "urn:qujat:common:1"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

#: the namespace of every family is versioned; a version 2 is a new family member here
_ROOTS = {
    "urn:qujat:appeal:1": ("Appeal", "appeal-1.xsd"),
    "urn:qujat:application:1": ("Application", "application-1.xsd"),
    "urn:qujat:status-mark:1": ("StatusMark", "status-mark-1.xsd"),
    "urn:qujat:response-letter:1": ("ResponseLetter", "response-letter-1.xsd"),
    "urn:qujat:permit:1": ("Permit", "permit-1.xsd"),
}


class Family(enum.StrEnum):
    """A document family; its value is the target namespace of its schema."""

    APPEAL = "urn:qujat:appeal:1"
    APPLICATION = "urn:qujat:application:1"
    STATUS_MARK = "urn:qujat:status-mark:1"
    RESPONSE_LETTER = "urn:qujat:response-letter:1"
    #: what a procedure issued: a licence, appendix, permit, талон, conclusion
    PERMIT = "urn:qujat:permit:1"

    @property
    def root(self) -> str:
        """The local name of the root element."""
        return _ROOTS[self.value][0]

    @property
    def root_tag(self) -> str:
        return f"{{{self.value}}}{self.root}"

    @property
    def file_name(self) -> str:
        return _ROOTS[self.value][1]


def default_schema_dir() -> Path:
    """The shipped XSDs: ``xml_schemas/`` at the root of the repository, ``app/xml_schemas``
    in an installed Qujat."""
    return shipped_dir("xml_schemas")


#: glosses of the XSD validation rules libxml2 reports most, so a clerk's refusal reason
#: says more than an error code
_GLOSSES = {
    "cvc-elt.1": "the root element is not declared by the schema",
    "cvc-elt.4.3": "the value of xsi:type is not allowed",
    "cvc-type.3.1.2": "this element holds a value and may not hold elements",
    "cvc-complex-type.2.1": "this element must be empty",
    "cvc-complex-type.2.4": "a required element is missing, or an element is out of place",
    "cvc-complex-type.2.3": "text is not allowed in this element",
    "cvc-complex-type.3.2.2": "this attribute is not allowed",
    "cvc-complex-type.4": "a required attribute is missing",
    "cvc-pattern-valid": "the value does not match the required pattern",
    "cvc-enumeration-valid": "the value is not one of the allowed codes",
    "cvc-datatype-valid.1.2.1": "the value is not of the declared type",
    "cvc-minLength-valid": "the value is too short",
    "cvc-maxLength-valid": "the value is too long",
    "cvc-length-valid": "the value has the wrong length",
    "cvc-minInclusive-valid": "the value is too small",
    "cvc-maxInclusive-valid": "the value is too large",
}


def _spec_rule(type_name: str) -> str:
    """libxml2's SCHEMAV_CVC_COMPLEX_TYPE_2_4 is the spec's rule cvc-complex-type.2.4."""
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        # libxml2's own name for "this element is not expected", which is 2.4 in the spec
        return "cvc-complex-type.2.4"
    name = type_name.removeprefix("SCHEMAV_")
    parts = name.split("_")
    words = [p for p in parts if not p.isdigit()]
    numbers = [p for p in parts if p.isdigit()]
    rule = "-".join(w.lower() for w in words)
    for facet in ("minlength", "maxlength", "mininclusive", "maxinclusive"):
        rule = rule.replace(facet, facet[:3] + facet[3].upper() + facet[4:])
    return ".".join([rule, *numbers]) if numbers else rule


class SchemaSet:
    """The compiled schemas of one directory. Each XSD is compiled on first use, once;
    validations of one family are serialised because an lxml validator keeps its error
    log on the instance, which concurrent validations would overwrite."""

    def __init__(self, directory: Path | str | None = None):
        self.directory = Path(directory) if directory is not None else default_schema_dir()
        self._compiled: dict[Family, etree.XMLSchema] = {}
        self._compile_lock = threading.Lock()
        self._validate_locks = {family: threading.Lock() for family in Family}

    def schema(self, family: Family) -> etree.XMLSchema:
        compiled = self._compiled.get(family)
        if compiled is None:
            with self._compile_lock:
                compiled = self._compiled.get(family)
                if compiled is None:
                    compiled = self._compile(family)
                    self._compiled[family] = compiled
        return compiled

    def load_all(self) -> None:
        """Compile every schema now: call at start-up so a missing XSD fails fast."""
        for family in Family:
            self.schema(family)

    def validate(self, root: etree._Element) -> Family:
        """The family of ``root``, once it matches its schema and the attachment limit;
        :class:`SchemaViolation` naming the first broken rule otherwise."""
        family = family_of(root)
        schema = self.schema(family)
        with self._validate_locks[family]:
            if not schema.validate(root):
                error = _first_error(schema.error_log)
                raise _violation(family, error, root)
        check_attachments_total(root)
        return family

    def _compile(self, family: Family) -> etree.XMLSchema:
        path = self.directory / family.file_name
        if not path.is_file():
            raise SchemaSetError(f"schema file {path} is missing ({family.value})")
        # our own files, but parsed as carefully as anything else: no DTD, no network
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return etree.XMLSchema(etree.parse(str(path), parser))
        except (etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
            raise SchemaSetError(f"schema file {path} does not compile: {exc}") from exc


def family_of(root: etree._Element) -> Family:
    """The family ``root`` claims by its namespace; SchemaViolation for any other."""
    qname = etree.QName(root)
    try:
        return Family(qname.namespace or "")
    except ValueError:
        accepted = ", ".join(f"{f.value} ({f.root})" for f in Family)
        namespace = f"namespace {qname.namespace!r}" if qname.namespace else "no namespace"
        raise SchemaViolation(
            f"root element <{qname.localname}> is in {namespace}, which we do not accept; "
            f"we accept {accepted}",
            rule="known-namespace",
            line=root.sourceline,
        ) from None


def full_text(element: etree._Element) -> str:
    """The text of ``element`` as its signature covers it: every text node, comments and
    processing instructions left out (what canonical XML without comments keeps, and what
    the schema validated). ``element.text`` is only the text before the first comment, so
    ``EGOV<!--x-->X`` read "EGOV" where the signature and the schema saw "EGOVX"."""
    if not len(element):  # no comment, instruction or child: one text node at most
        return element.text or ""
    return "".join(element.itertext())


def base64_decoded_size(text: str) -> int:
    """The number of bytes ``text`` (valid base64, possibly wrapped) decodes to."""
    length = len(text)
    for blank in (" ", "\n", "\r", "\t"):
        if blank in text:
            length -= text.count(blank)
    padding = 0
    tail = text.rstrip()
    if tail.endswith("=="):
        padding = 2
    elif tail.endswith("="):
        padding = 1
    return length * 3 // 4 - padding


def check_attachments_total(root: etree._Element) -> int:
    """The decoded size of all attachments of ``root``; SchemaViolation past 30 MB."""
    total = 0
    for content in root.iter(f"{{{COMMON_NS}}}Content"):
        total += base64_decoded_size(full_text(content))
    if total > MAX_ATTACHMENTS_BYTES:
        raise SchemaViolation(
            f"attachments total {total} bytes, more than the {MAX_ATTACHMENTS_BYTES} bytes "
            "(30 MB) a document may carry",
            rule="attachments-total: at most 30 MB of decoded attachments per document",
        )
    return total


def _first_error(log: etree._ListErrorLog) -> etree._LogEntry:
    errors = [entry for entry in log if entry.level >= etree.ErrorLevels.ERROR]
    return errors[0] if errors else log[0]


def element_path(element: etree._Element) -> str:
    """``Application/Attachments/Attachment[2]/Sha256``: a path a person can follow."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                name = f"{name}[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/".join(reversed(steps))


def _readable_path(root: etree._Element, path: str | None) -> str:
    """libxml2 reports ``/*/*[4]/*[6]``; find that element again and name it properly."""
    if not path:
        return ""
    steps = path.split("/")[2:]  # "", the root step, then the steps below the root
    if not steps:
        return element_path(root)
    namespaces = {p: ns for el in root.iter() for p, ns in el.nsmap.items() if p}
    try:
        found = root.xpath("/".join(steps), namespaces=namespaces)
    except etree.XPathError:
        return path
    if found and isinstance(found[0], etree._Element):
        return element_path(found[0])
    return path


def _violation(family: Family, error: etree._LogEntry, root: etree._Element) -> SchemaViolation:
    spec_rule = _spec_rule(error.type_name)
    gloss = _GLOSSES.get(spec_rule, "the schema forbids this")
    readable = _readable_path(root, error.path)
    where = f" at {readable}" if readable else ""
    line = error.line or None
    at_line = f" (line {line})" if line else ""
    return SchemaViolation(
        f"not a valid {family.root} ({family.file_name}): {error.message}{at_line}",
        rule=f"{spec_rule}: {gloss}{where}",
        line=line,
    )


_default: SchemaSet | None = None
_default_lock = threading.Lock()


def default_schemas() -> SchemaSet:
    """The schemas of :func:`default_schema_dir`, created on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = SchemaSet()
    return _default


def validate(root: etree._Element, *, schemas: SchemaSet | None = None) -> Family:
    """Validate ``root`` against the schema of its namespace; see :meth:`SchemaSet.validate`.
    Pass ``schemas`` to use a directory other than the shipped ``xml_schemas/``."""
    return (schemas or default_schemas()).validate(root)
