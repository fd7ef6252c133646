"""The one hash chain of the document history and the audit log: it verifies, and a row
changed or removed behind the application's back is named by ``qujat audit verify``; a
rewrite with every hash recomputed is caught by the signed checkpoint."""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text

from app.audit.chain import canonical, entry_hash, seal_pending
from app.audit.log import note_reading, record
from app.audit.models import GENESIS, AuditEntry, AuditKind, Checkpoint
from app.audit.service import seal_and_sign
from app.auth.models import User
from app.extensions import db
from app.registration.service import register
from app.timeutil import utcnow
from app.workflow.models import HistoryEntry
from tests.factories import make_document


def verify(app):
    from app.audit.cli import audit

    return app.test_cli_runner().invoke(audit, ["verify"])


def _documents(app, n: int = 3, *, first: int = 1) -> list[int]:
    """``n`` documents received and registered: two history entries each."""
    with app.app_context():
        clerk = db.session.scalar(select(User).where(User.login == "clerk"))
        ids = []
        for i in range(n):
            document = make_document(n=first + i)
            register(document, clerk=clerk, now=utcnow(), zone="Asia/Almaty")
            ids.append(document.id)
        db.session.commit()
        return ids


def _history(app) -> list[tuple[int, int]]:
    """(id, seq) of every history entry, in chain order."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(HistoryEntry.id, HistoryEntry.seq).order_by(HistoryEntry.seq))]


def _raw(app, sql: str, **params) -> None:
    """What a DBA with psql can do: SQL straight at the tables, bypassing the app."""
    with app.app_context():
        db.session.execute(text(sql), params)
        db.session.commit()


def test_canonical_form_is_sorted_compact_json_with_utc_microseconds():
    from datetime import UTC, datetime

    fields = {"at": datetime(2026, 11, 2, 6, 5, tzinfo=UTC), "actor_id": None,
              "kind": AuditKind.USER_CREATED, "document_id": None, "target": "user Әлия",
              "details": {"roles": ("head",), "b": 1.5}}
    expected = ('{"fields":{"actor_id":null,"at":"2026-11-02T06:05:00.000000Z",'
                '"details":{"b":1.5,"roles":["head"]},"document_id":null,'
                '"kind":"user_created","target":"user Әлия"},'
                f'"prev":"{GENESIS}","seq":1,"table":"audit_entries","v":1}}').encode()

    assert canonical("audit_entries", 1, GENESIS, fields) == expected
    assert entry_hash("audit_entries", 1, GENESIS, fields) == hashlib.sha256(expected).hexdigest()


def test_history_and_admin_acts_form_one_chain_that_verifies(app):
    _documents(app)
    with app.app_context():
        record(AuditKind.ROUTE_DELETED, actor_id=None, target="route 1")
        db.session.commit()
        history = db.session.scalar(select(db.func.count()).select_from(HistoryEntry))
        audit = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
        seqs = sorted([*db.session.scalars(select(HistoryEntry.seq)),
                       *db.session.scalars(select(AuditEntry.seq))])

    assert seqs == list(range(1, history + audit + 1))  # one chain over both tables
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK: {history + audit} entries verified" in result.output


def test_a_history_row_changed_in_the_database_is_named(app):
    _documents(app)
    entry_id, seq = _history(app)[2]
    assert verify(app).exit_code == 0

    _raw(app, "UPDATE history SET comment = 'nothing happened' WHERE id = :id", id=entry_id)

    result = verify(app)
    assert result.exit_code == 1
    assert f"entry #{seq} (history id {entry_id}, document" in result.output
    assert "was changed" in result.output


def test_a_history_row_deleted_from_the_database_is_named(app):
    _documents(app)
    entry_id, seq = _history(app)[3]

    _raw(app, "DELETE FROM history WHERE id = :id", id=entry_id)

    result = verify(app)
    assert result.exit_code == 1
    assert f"entry #{seq} is missing: removed" in result.output


def test_the_last_entry_deleted_is_named_by_the_head(app):
    _documents(app)
    entry_id, seq = _history(app)[-1]

    _raw(app, "DELETE FROM history WHERE id = :id", id=entry_id)

    result = verify(app)
    assert result.exit_code == 1
    assert f"entry #{seq} is missing: removed from the end of the chain" in result.output


def _rewrite_from(app, seq: int, comment: str) -> None:
    """A DBA who knows the canonical form: change entry #seq, then recompute its hash and
    every link and hash after it, and move the head row, all in SQL."""
    with app.app_context():
        db.session.execute(text("UPDATE history SET comment = :c WHERE seq = :s"),
                           {"c": comment, "s": seq})
        prev = db.session.scalar(text("SELECT hash FROM history WHERE seq = :s"
                                      " UNION ALL SELECT hash FROM audit_entries"
                                      " WHERE seq = :s"), {"s": seq - 1}) or GENESIS
        top = db.session.scalar(text("SELECT seq FROM audit_chain_head"))
        for n in range(seq, top + 1):
            for model in (HistoryEntry, AuditEntry):
                row = db.session.execute(select(model.__table__).where(
                    model.__table__.c.seq == n)).one_or_none()
                if row is None:
                    continue
                fields = {f: row._mapping[f] for f in model.__chain_fields__}
                new = entry_hash(model.__tablename__, n, prev, fields)
                db.session.execute(text(f"UPDATE {model.__tablename__} SET prev_hash = :p, "
                                        "hash = :h WHERE seq = :s"),
                                   {"p": prev, "h": new, "s": n})
                prev = new
        db.session.execute(text("UPDATE audit_chain_head SET hash = :h"), {"h": prev})
        db.session.commit()


def test_a_rewrite_with_every_hash_recomputed_passes_the_walk_alone(app):
    """Why the checkpoints exist: without one, a recomputed chain is a valid chain."""
    _documents(app)
    _rewrite_from(app, _history(app)[2][1], "nothing happened")

    assert verify(app).exit_code == 0


def test_a_rewrite_with_every_hash_recomputed_is_caught_by_the_signed_checkpoint(app):
    _documents(app)
    with app.app_context():
        signed = seal_and_sign(reason="manual")
        checkpoint_id, entries = signed.id, signed.entries
    assert verify(app).exit_code == 0
    seq = _history(app)[2][1]

    _rewrite_from(app, seq, "nothing happened")

    result = verify(app)
    assert result.exit_code == 1
    assert (f"checkpoint {checkpoint_id} of " in result.output
            and f"was signed over entry #{entries}" in result.output
            and "was rewritten and the hashes after it recomputed" in result.output)


def test_a_later_checkpoint_narrows_down_the_rewrite(app):
    _documents(app, 2)
    with app.app_context():
        first = seal_and_sign(reason="manual").entries
    _documents(app, 2, first=3)
    with app.app_context():
        seal_and_sign(reason="manual")
    seq = _history(app)[-2][1]
    assert seq > first

    _rewrite_from(app, seq, "nothing happened")

    result = verify(app)
    assert result.exit_code == 1
    assert f"an entry after #{first}" in result.output


def test_a_checkpoint_row_changed_or_signed_by_another_key_is_refused(app, pki):
    from app.audit.checkpoint import sign_checkpoint
    from qujat_demo.portal.documents import load_key

    _documents(app, 1)
    with app.app_context():
        honest = seal_and_sign(reason="manual")
        other = load_key(pki.keys["official_sign"].path, pki.password)
        forged = sign_checkpoint(key=other, now=utcnow(), reason="manual")
        db.session.commit()
        honest_id, forged_id = honest.id, forged.id
    _raw(app, "UPDATE audit_checkpoints SET entries = entries + 1 WHERE id = :id",
         id=honest_id)

    result = verify(app)
    assert result.exit_code == 1
    assert f"checkpoint {honest_id} of" in result.output and "the row says" in result.output
    assert f"checkpoint {forged_id} of" in result.output and "not by the system key" \
        in result.output


def test_readings_wait_with_one_insert_then_are_sealed_in_order(app):
    ids = _documents(app, 1)
    with app.app_context():
        clerk = db.session.scalar(text("SELECT id FROM users WHERE login = 'clerk'"))
        for kind in (AuditKind.DOCUMENT_VIEWED, AuditKind.ORIGINAL_READ):
            note_reading(kind, actor_id=clerk, document_id=ids[0])
        db.session.commit()
        assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.seq.is_(None))) == 2
    waiting = verify(app)
    assert waiting.exit_code == 0 and "2 reading(s) wait to be sealed" in waiting.output

    with app.app_context():
        assert seal_pending() == 2
        db.session.commit()
        sealed = list(db.session.execute(select(AuditEntry.kind, AuditEntry.seq)
                                         .where(AuditEntry.document_id == ids[0])
                                         .order_by(AuditEntry.id)))
    assert [k for k, _ in sealed] == [AuditKind.DOCUMENT_VIEWED, AuditKind.ORIGINAL_READ]
    assert sealed[0][1] + 1 == sealed[1][1]
    result = verify(app)
    assert result.exit_code == 0 and "wait to be sealed" not in result.output


def test_a_sealed_reading_deleted_is_named(app):
    ids = _documents(app, 1)
    with app.app_context():
        note_reading(AuditKind.ORIGINAL_READ, actor_id=1, document_id=ids[0])
        db.session.commit()
        seal_pending()
        record(AuditKind.ROUTE_ADDED, actor_id=None, target="route 9")  # an entry after it
        db.session.commit()
        reading = db.session.execute(select(AuditEntry.id, AuditEntry.seq)
                                     .where(AuditEntry.kind == AuditKind.ORIGINAL_READ)).one()

    _raw(app, "DELETE FROM audit_entries WHERE id = :id", id=reading.id)

    result = verify(app)
    assert result.exit_code == 1 and f"entry #{reading.seq} is missing" in result.output


def test_an_act_slipped_in_beside_the_chain_is_named(app):
    _documents(app, 1)
    _raw(app, "INSERT INTO audit_entries (at, actor_id, kind, target, details) VALUES "
              "('2026-01-01 00:00:00', NULL, 'user_created', 'user ghost', '{}')")

    result = verify(app)
    assert result.exit_code == 1
    assert "user_created is not in the chain" in result.output


def test_checkpoints_are_rows_signed_by_the_system_key(app):
    _documents(app, 1)
    with app.app_context():
        checkpoint = seal_and_sign(reason="manual")
        db.session.commit()
        row = db.session.get(Checkpoint, checkpoint.id)
        assert b"<AuditCheckpoint" in row.signed and b"ds:Signature" in row.signed
        assert row.entries == db.session.scalar(text("SELECT seq FROM audit_chain_head"))
    result = verify(app)
    assert result.exit_code == 0 and "1 signed checkpoint(s) match" in result.output
