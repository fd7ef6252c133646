"""The sending portals (``/admin/senders``): each one's code, names, where its marks go,
and the TLS client certificate pinned to its token. Read only: portals are added and
certificates pinned on the command line (``qujat sender add``, ``qujat sender
pin-certificate``), where the token is printed once and the PEM file is at hand."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from sqlalchemy import select

from app.admin.views import bp
from app.auth.models import Role
from app.auth.session import roles_required
from app.documents.client_certificates import short_fingerprint
from app.documents.models import Sender
from app.extensions import db
from app.settings import current_settings
from app.timeutil import utcnow

#: a pinned certificate this close to its end is flagged: the portal needs a new one, and
#: the new one pinned, before then
EXPIRY_WARNING = timedelta(days=30)


@bp.get("/senders")
@roles_required(Role.ADMIN)
def senders():
    now = utcnow()
    return render_template("admin/senders.html",
                           senders=db.session.scalars(select(Sender).order_by(Sender.code)),
                           settings=current_settings(), now=now, soon=now + EXPIRY_WARNING,
                           short_fingerprint=short_fingerprint)
