"""Fixtures for the execution tests."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.execution import road
from tests.factories import Org, make_document


@pytest.fixture
def in_execution(app) -> int:
    """The id of a committed appeal the management head gave to "executor"."""
    with app.app_context():
        org = Org()
        doc = road.assigned(road.registered(make_document(), org), org)
        db.session.commit()
        return doc.id
