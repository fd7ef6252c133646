"""Flask-Login wiring and the role guard used by every page."""

from __future__ import annotations

from functools import wraps

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.errors import PermissionDenied
from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    # a stolen session cookie must not survive a change of IP / browser
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id))
        # a user locked out by an administrator loses the sessions already open, too
        return user if user is not None and user.active else None


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
