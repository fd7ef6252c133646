"""Labels of the document kinds the desk shows and filters by."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "appeal_individual": _l("Appeal of an individual"),
    "appeal_legal": _l("Appeal of a legal entity"),
    "licence_new": _l("Licence application"),
    "licence_appendix": _l("Licence appendix application"),
    "licence_reissue": _l("Licence re-issue application"),
    "licence_restore": _l("Restoration of licence data"),
    "numbering_permit": _l("Numbering resource permit application"),
    "sanitary_notification": _l("Sanitary notification"),
    "inspection_request": _l("Sanitary inspection request"),
}
