"""A document in execution at a moment the test chooses: the control rules count days
from registration, so the clock is set, not read."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.registration.service import register
from app.resolution import service as resolution
from app.settings import current_settings
from app.workflow.deadlines import DeadlineRules
from tests.factories import Org, deadline_rules, make_document

#: the body's office clock (the test app runs on the default setting)
ZONE = "Asia/Almaty"


@pytest.fixture
def org(db_session):
    return Org()


@pytest.fixture
def rules(db_session) -> DeadlineRules:
    return DeadlineRules.of(current_settings())


@pytest.fixture
def in_execution(org):
    """``in_execution(registered_at, due)``: an appeal registered then, given by the
    management's head to "executor" the same moment, due on ``due``."""
    made = iter(range(1, 1000))

    def make(registered_at: datetime, due: date):
        doc = make_document(n=next(made), received_at=registered_at)
        register(doc, clerk=org.clerk, now=registered_at, zone=ZONE)
        resolution.assign(doc, head=org.head, executor=org.executor, due_date=due,
                          proposed=due, now=registered_at, instruction="Подготовить ответ",
                          rules=deadline_rules())
        return doc

    return make
