"""URL converters: an ``<int:...>`` in a route is an id, bounded to the database's range."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from app.dbtypes import MAX_ID


class IdConverter(IntegerConverter):
    """Werkzeug's ``int`` with a ceiling: a number past the largest id a column can hold
    matches no route (a plain 404), rather than reaching a query that fails with a 500."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def init_converters(app: Flask) -> None:
    """Replace the ``int`` converter itself, so every route, present and future, is
    bounded without having to remember it; before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter
