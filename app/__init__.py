"""Qujat: the back office that receives, verifies and registers signed appeals and
applications and answers the sending portals with signed status marks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # imported inside create_app: `qujat verify` and `qujat deadline` import packages of
    # app without ever building it, and should not pay for Flask, Jinja and Werkzeug
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    from flask import Flask

    from app.shipped import shipped_dir

    app = Flask(__name__, instance_relative_config=True,
                template_folder=shipped_dir("templates"))
    # settings: defaults, the TOML file, the environment, then the caller's overrides
    from app.config import check_config, load_config

    load_config(app, config)
    check_config(app)
    _init_logging(app)
    _init_settings(app)
    _init_proxies(app)
    _init_extensions(app)
    _init_services(app)
    _init_routing(app)
    _register_blueprints(app)
    _register_error_handlers(app)
    _register_template_helpers(app)
    _init_security_headers(app)
    return app


def _init_logging(app: Flask) -> None:
    # log lines on stdout (JSON or text), each with the id of its request
    from app.logs import init_logging

    init_logging(app)


def _init_settings(app: Flask) -> None:
    # the body's settings as one frozen value, checked now rather than at first use
    from app.settings import init_settings

    init_settings(app)


def _init_proxies(app: Flask) -> None:
    # behind N reverse proxies: the client's address and scheme as the outermost one saw
    # them (werkzeug's ProxyFix); with none configured X-Forwarded-* are ignored
    trusted = app.extensions["qujat.settings"].trusted_proxies
    if trusted:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every table known before the first query)
    from app.auth.session import init_login
    from app.extensions import MIGRATIONS_DIR, babel, csrf, db, init_engine, migrate
    from app.i18n import select_locale

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            init_engine(engine)
    # Alembic through Flask-Migrate: `qujat db upgrade`, `qujat db migrate -m ...`;
    # render_as_batch so that ALTERs work on SQLite too, compare_type to see type changes
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_login(app)


def _init_services(app: Flask) -> None:
    # the trust policy and the system key, loaded once and swapped whole on reload
    from app.trust import init_trust

    init_trust(app)
    # the blob store of raw documents and files, opened once
    from app.documents.storage import init_blob_store

    init_blob_store(app)


def _init_routing(app: Flask) -> None:
    # ids in URLs bounded to the database's range (before any rule is added)
    from app.web.converters import init_converters

    init_converters(app)


def _register_blueprints(app: Flask) -> None:
    from app.account.views import bp as auth_bp
    from app.admin import (
        catalogue_views,  # noqa: F401  (its pages join the admin blueprint)
        deadline_views,  # noqa: F401  (its pages join the admin blueprint)
        journal_views,  # noqa: F401  (its page joins the admin blueprint)
        mark_views,  # noqa: F401  (its pages join the admin blueprint)
        sender_views,  # noqa: F401  (its page joins the admin blueprint)
    )
    from app.admin.views import bp as admin_bp
    from app.control.views import bp as control_bp
    from app.desk.notifications import bp as notifications_bp
    from app.desk.permits import bp as permits_bp
    from app.desk.views import bp as documents_bp
    from app.execution.views import bp as execution_bp
    from app.health import bp as health_bp
    from app.inspections.views import bp as inspections_bp
    from app.intake.views import bp as intake_bp
    from app.marks.views import bp as marks_bp
    from app.registration.views import bp as registration_bp
    from app.repeats.views import bp as repeats_bp
    from app.reports.views import bp as reports_bp
    from app.resolution.views import bp as resolution_bp
    from app.search.views import bp as search_bp
    from app.status.views import bp as status_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(intake_bp)
    app.register_blueprint(marks_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(resolution_bp)
    app.register_blueprint(control_bp)
    app.register_blueprint(execution_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(repeats_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(reports_bp)
    # the author's status check: a public page and GET /api/v1/status, no login
    app.register_blueprint(status_bp)
    app.register_blueprint(permits_bp)
    # GET /healthz for the load balancer: no login
    app.register_blueprint(health_bp)
    # GET /metrics for Prometheus (a bearer token), and the intake's counts
    from app.metrics import init_metrics

    init_metrics(app)


def _register_error_handlers(app: Flask) -> None:
    from app.errors import register_error_handlers

    register_error_handlers(app)


def _init_security_headers(app: Flask) -> None:
    from app.web.headers import init_security_headers

    init_security_headers(app)


def _register_template_helpers(app: Flask) -> None:
    from app.web.helpers import register_template_helpers

    register_template_helpers(app)
