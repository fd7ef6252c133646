"""Flask-Login wiring and the role guard used by every page."""

from __future__ import annotations

from functools import wraps

from flask import Flask, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.auth.service import session_user
from app.errors import PermissionDenied
from app.extensions import login_manager

#: the key of the login session's token in Flask's (signed) session cookie
SESSION_TOKEN = "qujat_session"


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    # a stolen session cookie must not survive a change of IP / browser
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # the cookie alone proves nothing: its session must still be open on the server
        # (not logged out, not ended by a password change, a reset or a lockout)
        try:
            uid = int(user_id)
        except ValueError:
            return None
        return session_user(uid, session.get(SESSION_TOKEN))


def roles_required(*roles: Role):
    """Allow the view to users holding any of ``roles`` (admins hold every role)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                raise PermissionDenied(_l("Your role does not give access to this page."),
                                       code="role_lacks_page",
                                       roles=[role.value for role in roles])
            return view(*args, **kwargs)

        return wrapped

    return decorator
