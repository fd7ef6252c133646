"""Where the files Qujat ships beside its code lie: the page templates and the XML schemas.

The repository keeps them in top-level ``templates/`` and ``xml_schemas/`` (translators and
the portals' developers find them there). An installed Qujat carries them inside the ``app``
package instead, as ``app/templates`` and ``app/xml_schemas`` (setup.py maps the folders
there), so its site-packages holds no top-level packages with such generic names."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """``app/<name>`` in an installed Qujat, ``<name>/`` beside ``app/`` in a checkout (and
    its editable install)."""
    installed = _PACKAGE / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
