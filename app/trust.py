"""The trust policy and the system key of a running app, loaded at start-up.

Both are immutable values swapped whole: the CRL reload job builds a new policy and
replaces the reference, so a verification in flight keeps the policy it started with.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from app.errors import ConfigError
from app.xmlsig.errors import XmlSigError
from app.xmlsig.keys import SigningKey, load_pkcs12
from app.xmlsig.policy import TrustPolicy
from app.xmlsig.trust_store import load_policy

log = logging.getLogger(__name__)


@dataclass
class TrustState:
    policy: TrustPolicy
    system_key: SigningKey | None
    lock: threading.Lock
    #: the state bodies' CA, for officials' keys; None when not configured
    official_policy: TrustPolicy | None = None


def build_policy(config) -> TrustPolicy:
    try:
        return load_policy(
            anchors=config["QUJAT_TRUST_ANCHORS"],
            intermediates=config["QUJAT_INTERMEDIATES"],
            crls=config["QUJAT_CRLS"],
            crl_index_dir=_index_dir(config),
            revocation_required=bool(config["QUJAT_REVOCATION_REQUIRED"]),
            max_document_bytes=int(config["QUJAT_MAX_DOCUMENT_BYTES"]),
        )
    except XmlSigError as exc:
        raise ConfigError(_l("The trust store cannot be loaded: %(problem)s", problem=str(exc)),
                          code="trust_store_unusable", problem=str(exc)) from exc


def build_official_policy(config) -> TrustPolicy | None:
    """The policy an official's key must pass: the state bodies' CA (УЦ ГО), its CRLs."""
    if not config["QUJAT_OFFICIAL_ANCHORS"]:
        return None
    try:
        return load_policy(
            anchors=config["QUJAT_OFFICIAL_ANCHORS"],
            intermediates=config["QUJAT_OFFICIAL_INTERMEDIATES"],
            crls=config["QUJAT_OFFICIAL_CRLS"],
            crl_index_dir=_index_dir(config),
            revocation_required=bool(config["QUJAT_REVOCATION_REQUIRED"]),
        )
    except XmlSigError as exc:
        raise ConfigError(_l("The officials' trust store cannot be loaded: %(problem)s",
                             problem=str(exc)),
                          code="official_trust_store_unusable", problem=str(exc)) from exc


def _index_dir(config) -> Path | None:
    directory = config.get("QUJAT_CRL_INDEX_DIR")
    return Path(directory) if directory else None


def _load_system_key(config) -> SigningKey | None:
    path = config["QUJAT_SYSTEM_KEY"]
    if not path:
        return None
    password = config["QUJAT_SYSTEM_KEY_PASSWORD"] or ""
    try:
        with open(path, "rb") as handle:
            return load_pkcs12(handle.read(), password)
    except XmlSigError as exc:
        raise ConfigError(_l("The system key QUJAT_SYSTEM_KEY (%(path)s) cannot be opened: "
                             "%(problem)s", path=str(path), problem=str(exc)),
                          code="system_key_unusable", path=str(path), problem=str(exc)) from exc


def init_trust(app: Flask) -> None:
    from app.xmlsig.gost import fast_path_warning

    if warning := fast_path_warning():  # most citizens' signatures are GOST: say it at start
        app.logger.warning(warning)
    app.extensions["qujat.trust"] = TrustState(
        policy=build_policy(app.config),
        system_key=_load_system_key(app.config),
        lock=threading.Lock(),
        official_policy=build_official_policy(app.config),
    )


def current_policy() -> TrustPolicy:
    return current_app.extensions["qujat.trust"].policy


def official_policy() -> TrustPolicy:
    policy = current_app.extensions["qujat.trust"].official_policy
    if policy is None:
        raise ConfigError(_l("Signing is not configured: the state bodies' CA "
                             "(QUJAT_OFFICIAL_ANCHORS) is missing from the settings. Tell the "
                             "administrator."),
                          code="signing_not_configured", setting="QUJAT_OFFICIAL_ANCHORS")
    return policy


def system_key() -> SigningKey:
    key = current_app.extensions["qujat.trust"].system_key
    if key is None:
        raise ConfigError(_l("The system key (QUJAT_SYSTEM_KEY) is not set, so status marks "
                             "cannot be signed. Tell the administrator."),
                          code="system_key_not_configured", setting="QUJAT_SYSTEM_KEY")
    return key


def reload_policy(app: Flask) -> TrustPolicy:
    """Re-read anchors, intermediates and CRLs; keep the old policy if the new one fails."""
    state: TrustState = app.extensions["qujat.trust"]
    with state.lock:
        try:
            state.policy = build_policy(app.config)
            state.official_policy = build_official_policy(app.config)
        except ConfigError:
            log.exception("trust store reload failed; keeping the previous policy")
        return state.policy
