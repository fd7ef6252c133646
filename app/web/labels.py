"""Plain words for the coded values of a verification report, in the user's language."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

_INDICATIONS = {
    "PASSED": _l("Signature is valid"),
    "FAILED": _l("Signature is NOT valid"),
    "INDETERMINATE": _l("Signature could not be fully checked"),
}

_SUB_INDICATIONS = {
    "FORMAT_FAILURE": _l("the signature is malformed or shaped in a way we do not accept"),
    "HASH_FAILURE": _l("the document was changed after it was signed"),
    "SIG_CRYPTO_FAILURE": _l("the signature value does not match the signer's key"),
    "SIG_CONSTRAINTS_FAILURE": _l("the key or the signer may not sign this document"),
    "CRYPTO_CONSTRAINTS_FAILURE": _l("a weak or unsupported algorithm was used"),
    "CHAIN_CONSTRAINTS_FAILURE": _l("the certificate chain breaks a rule"),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": _l("the certificate chain could not be checked"),
    "NO_SIGNING_CERTIFICATE_FOUND": _l("the signer's certificate is missing"),
    "NO_CERTIFICATE_CHAIN_FOUND": _l("the certificate was not issued by a trusted authority"),
    "SIGNED_DATA_NOT_FOUND": _l("the document carries no signature"),
    "REVOKED": _l("the certificate is revoked"),
    "EXPIRED": _l("the certificate had expired when the document arrived"),
    "NOT_YET_VALID": _l("the certificate was not yet valid when the document arrived"),
    "TRY_LATER": _l("the revocation list is out of date; check again later"),
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": _l("no revocation information covers that moment"),
}

_CHECKS = {
    "well_formed": _l("Readable XML"),
    "schema": _l("Matches our format"),
    "signature_present": _l("Carries a signature"),
    "signature_shape": _l("Signature structure"),
    "algorithms": _l("Algorithms"),
    "reference_covers_document": _l("Signature covers the whole document"),
    "digest": _l("Document unchanged since signing"),
    "signature_value": _l("Signature value matches the key"),
    "certificate_present": _l("Signer's certificate present"),
    "certificate_chain": _l("Issued by a trusted authority"),
    "certificate_validity": _l("Certificate valid at receipt"),
    "revocation": _l("Certificate not revoked"),
    "key_purpose": _l("A signing key, not a login key"),
    "signer_is_author": _l("Signer is the author"),
    "signer_authority": _l("Signer may sign for the organisation"),
}

#: what a check found, in the reader's words, by check and outcome. The report's own
#: detail is English and technical (it is also read by `qujat verify` and the API): the page
#: keeps it for experts, as a tooltip and, where a check did not pass, in small print.
_FINDINGS = {
    ("well_formed", "passed"): _l("Read as plain XML, without DTD or entities."),
    ("well_formed", "failed"): _l("The file is not XML that can be read safely."),
    ("schema", "passed"): _l("The document matches the exchange format."),
    ("schema", "failed"): _l("The document does not match the exchange format."),
    ("signature_present", "passed"): _l("The document carries a signature."),
    ("signature_present", "failed"): _l("The document carries no signature."),
    ("signature_shape", "passed"): _l("One signed reference and the signer's certificate, "
                                      "as accepted."),
    ("signature_shape", "failed"): _l("The signature is built in a way that is not "
                                      "accepted."),
    ("algorithms", "passed"): _l("The algorithms are accepted ones."),
    ("algorithms", "failed"): _l("A weak or refused algorithm is used."),
    ("algorithms", "indeterminate"): _l("An algorithm is used that cannot be checked here."),
    ("reference_covers_document", "passed"): _l("The signature covers the whole document."),
    ("reference_covers_document", "failed"): _l("The signature does not cover the whole "
                                                "document."),
    ("digest", "passed"): _l("The document is unchanged since signing."),
    ("digest", "failed"): _l("The document was changed after it was signed."),
    ("digest", "indeterminate"): _l("Whether the document changed could not be computed."),
    ("signature_value", "passed"): _l("The signature was made with the key of the "
                                      "signer's certificate."),
    ("signature_value", "failed"): _l("The signature value does not match the signer's key."),
    ("signature_value", "indeterminate"): _l("The signature value could not be checked."),
    ("certificate_present", "passed"): _l("The signer's certificate travels with the "
                                          "signature."),
    ("certificate_present", "failed"): _l("The signer's certificate is missing or cannot be "
                                          "read."),
    ("certificate_chain", "passed"): _l("The certificate leads to a trusted authority."),
    ("certificate_chain", "failed"): _l("No path from the certificate to a trusted "
                                        "authority."),
    ("certificate_chain", "indeterminate"): _l("The path to a trusted authority could not be "
                                               "fully checked."),
    ("certificate_validity", "passed"): _l("The certificate was valid at that moment."),
    ("certificate_validity", "failed"): _l("The certificate was not valid at that moment."),
    ("revocation", "passed"): _l("Not in the revocation list of the issuing authority."),
    ("revocation", "failed"): _l("The certificate is revoked."),
    ("revocation", "indeterminate"): _l("The revocation list is not fresh enough to decide."),
    ("key_purpose", "passed"): _l("The key is meant for signing."),
    ("key_purpose", "failed"): _l("The key is not meant for signing (a login key)."),
    ("signer_is_author", "passed"): _l("The signer is the author named in the document."),
    ("signer_is_author", "failed"): _l("The signer is not the author named in the document."),
    ("signer_authority", "passed"): _l("The signer may sign for the organisation."),
    ("signer_authority", "failed"): _l("The signer may not sign for the organisation."),
    ("signer_authority", "indeterminate"): _l("Whether the signer may sign for the "
                                              "organisation could not be decided."),
}

#: a check skipped for a reason of its own (not applicable, not configured)
_SKIPPED = {
    "signer_is_author": _l("Not applicable: the document names no author."),
    "signer_authority": _l("Not applicable: the document names no organisation for the "
                           "signer to represent."),
    "revocation": _l("Not checked: no revocation list of the issuing authority is "
                     "configured."),
    "key_purpose": _l("Not required by the policy."),
}
#: a check the verifier did not run because an earlier one did not pass; its detail says
#: so in a fixed form, "not checked: <why>"
_NOT_CHECKED = _l("Not checked: an earlier check did not pass.")

_OUTCOMES = {
    "passed": _l("passed"),
    "failed": _l("failed"),
    "indeterminate": _l("undecided"),
    "skipped": _l("not applicable"),
}

_DETAILS = {
    "appeal_type": _l("Type of appeal"),
    "activity": _l("Activity"),
    "subactivities": _l("Sub-activities"),
    "territory": _l("Territory"),
    "licence": _l("Licence"),
    "reason": _l("Reason"),
    "reason_text": _l("Reason, in words"),
    "category": _l("Category"),
    "resource": _l("Numbering resource"),
    "territories": _l("Territories and number counts"),
    "procedure": _l("Procedure"),
    "region": _l("Region"),
    "district": _l("District"),
    "region_code": _l("Region code"),
    "district_code": _l("District code"),
    "object_name": _l("Object"),
    "object_address": _l("Object's address"),
    "readiness_date": _l("Ready for inspection on"),
    "staff_count": _l("Staff count"),
    # the parts of a detail that is a record (a licence, a territory and its numbers)
    "series": _l("series"),
    "number": _l("number"),
    "issue_date": _l("issue date"),
    "name": _l("name"),
    "code": _l("code"),
    "area_code": _l("area code"),
    "count": _l("count"),
}

_BADGES = {"PASSED": "ok", "FAILED": "bad", "INDETERMINATE": "warn"}

# The report names algorithms in English (it is also read by `qujat verify` and the API);
# the desk says them in the reader's words, "ГОСТ 34.10-2015, 512 бит".
_ALGORITHMS = {
    "GOST 34.10-2015 512 bit": _l("GOST 34.10-2015, 512 bit"),
    "GOST 34.10-2015 256 bit": _l("GOST 34.10-2015, 256 bit"),
    "GOST 34.11-2015 512 bit (Streebog)": _l("GOST 34.11-2015, 512 bit (Streebog)"),
    "GOST 34.310-2004": _l("GOST 34.310-2004 (not supported)"),
}


_SIZED_KEY = re.compile(r"^(?P<algorithm>[A-Z][\w-]*) (?P<bits>\d+) bit$")


class Labels:
    """Exposed to templates as ``labels``."""

    def indication(self, value: str) -> str:
        return str(_INDICATIONS.get(value, value))

    def sub_indication(self, value: str | None) -> str:
        return str(_SUB_INDICATIONS.get(value, value)) if value else ""

    def check(self, code: str) -> str:
        return str(_CHECKS.get(code, code))

    def outcome(self, value: str) -> str:
        return str(_OUTCOMES.get(value, value))

    def finding(self, code: str, outcome: str, detail: str = "") -> str:
        """What the check found, in the reader's words; "" where there are none (the page
        then shows the report's own detail)."""
        if outcome == "skipped":
            found = _NOT_CHECKED if detail.startswith("not checked:") else _SKIPPED.get(code)
        else:
            found = _FINDINGS.get((code, outcome))
        return str(found) if found is not None else ""

    def detail(self, key: str) -> str:
        return str(_DETAILS.get(key, key.replace("_", " ")))

    def algorithm(self, name: str | None) -> str:
        known = _ALGORITHMS.get(name or "")
        if known is not None:
            return str(known)
        sized = _SIZED_KEY.match(name or "")  # "RSA 2048 bit"
        if sized:
            return _("%(algorithm)s, %(bits)s bit", algorithm=sized["algorithm"],
                     bits=sized["bits"])
        return name or ""

    def badge(self, indication: str) -> str:
        return _BADGES.get(indication, "warn")


LABELS = Labels()
