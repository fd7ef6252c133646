"""Writers appending at the same moment keep one chain: no two entries take the same
place, none is lost. The point is PostgreSQL, where transactions really run side by side
(the head row's lock makes them take turns); on SQLite the database lock does it."""

from __future__ import annotations

import threading
from itertools import count

import pytest
from sqlalchemy import select

from app.audit.log import note_reading, record
from app.audit.models import AuditEntry, AuditKind
from app.audit.service import seal_all
from app.audit.verify import verify
from app.extensions import db
from app.trust import system_key
from app.web.transaction import unit_of_work
from app.workflow.models import HistoryEntry
from tests.factories import make_document

THREADS = 6
APPENDS = 8


@pytest.mark.usefixtures("committed_db")  # each writer commits on its own connection
def test_concurrent_writers_keep_one_chain(app):
    with app.app_context():
        seeded = verify(system_certificate=system_key().certificate).entries
        document_id = make_document(n=999).id
        db.session.commit()
        seeded += 1  # its "received"
    numbers = count(1)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                for _ in range(APPENDS):
                    with unit_of_work():
                        # a reading waits unlinked; the append after it seals it
                        note_reading(AuditKind.DOCUMENT_VIEWED, actor_id=1,
                                     document_id=document_id)
                    with unit_of_work():
                        if index % 2:  # an administrative act: audit_entries
                            record(AuditKind.ROUTE_ADDED, actor_id=None,
                                   target=f"route {index}")
                        else:  # a document received: history
                            make_document(n=next(numbers))
            except BaseException as exc:  # collected and asserted on below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    with app.app_context():
        seal_all()
        verdict = verify(system_certificate=system_key().certificate)
        seqs = sorted([*db.session.scalars(select(HistoryEntry.seq)),
                       *db.session.scalars(select(AuditEntry.seq))])
    appended = THREADS * APPENDS * 2  # an act or a document, and a reading, each round
    assert verdict.ok, verdict.problems
    assert verdict.entries == seeded + appended and verdict.pending == 0
    assert seqs == list(range(1, seeded + appended + 1))  # no place taken twice, no gap
