"""Walking the chain: every entry's hash recomputed, every link followed, every signed
checkpoint checked against what the chain now says.

The walk stops at the first entry that breaks the chain and names it; what comes after a
break cannot be judged. Checkpoints are then checked: each must carry the system key's
signature over exactly its row, and each one the walk reached must match the hash the
chain now gives its last entry. That second check is what catches a rewrite with the
hashes recomputed, which the walk alone cannot see.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from sqlalchemy import Row, select

from app.audit.chain import chained_tables, entry_hash, table_of, utc_text
from app.audit.checkpoint import CheckpointForged, read_signed
from app.audit.models import GENESIS, READINGS, AuditEntry, Chained, ChainHead, Checkpoint
from app.extensions import db
from app.xmlsig.policy import TrustPolicy

BATCH = 1000


@dataclass
class Verdict:
    #: entries verified, from #1 on (all of them when nothing is wrong)
    entries: int = 0
    #: the hash of the last verified entry
    head: str = GENESIS
    #: verified entries by table
    by_table: Counter[str] = field(default_factory=Counter)
    #: readings logged and not yet sealed into the chain
    pending: int = 0
    #: checkpoints whose signature holds and that match the chain
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None
    #: what is wrong, the first break of the chain first
    problems: list[str] = field(default_factory=list)
    #: True when the walk stopped at a break (``entries`` is where it stopped)
    broken: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, system_certificate: x509.Certificate,
           official_policy: TrustPolicy | None = None) -> Verdict:
    verdict = Verdict()
    checkpoints = list(db.session.scalars(select(Checkpoint)
                                          .order_by(Checkpoint.entries, Checkpoint.id)))
    wanted = {c.entries for c in checkpoints}
    hashes_at: dict[int, str] = {}
    broken_at = _walk(verdict, wanted, hashes_at)
    verdict.broken = broken_at is not None
    if broken_at is None:
        _compare_head(verdict)
    _unlinked(verdict)
    _check_checkpoints(verdict, checkpoints, hashes_at, broken_at,
                       system_certificate=system_certificate, official_policy=official_policy)
    return verdict


def _walk(verdict: Verdict, wanted: set[int], hashes_at: dict[int, str]) -> int | None:
    """Follow the chain from #1; the seq where it breaks (the problem recorded), or None."""
    expected, prev = 1, GENESIS
    previous = "the start of the chain"
    tables = chained_tables()
    for seq, name, row in heapq.merge(*(_rows(n, c) for n, c in tables.items()),
                                      key=lambda item: item[0]):
        here = f"entry #{seq} ({_describe(name, row)})"
        if seq < expected:
            verdict.problems.append(
                f"{here} has the place of {previous}: the chain forked, two entries "
                f"claim #{seq}")
            return seq
        if seq > expected:
            gap = f"#{expected}" if seq == expected + 1 else f"#{expected} to #{seq - 1}"
            verdict.problems.append(
                f"entry {gap} is missing: removed (the chain goes from {previous} to {here})")
            return expected
        if row.prev_hash != prev:
            verdict.problems.append(
                f"{here} does not follow {previous}: either #{seq - 1} was changed and its "
                f"hash recomputed, or the link of #{seq} was changed")
            return seq - 1 if seq > 1 else seq
        fields = {column: row._mapping[column] for column in tables[name].__chain_fields__}
        if entry_hash(name, seq, prev, fields) != row.hash:
            verdict.problems.append(f"{here} was changed: its content no longer gives its "
                                    "hash")
            return seq
        prev = row.hash
        if seq in wanted:
            hashes_at[seq] = prev
        verdict.entries, verdict.head = seq, prev
        verdict.by_table[name] += 1
        expected, previous = seq + 1, here
    return None


def _rows(name: str, cls: type[Chained]) -> Iterator[tuple[int, str, Row[Any]]]:
    """The table's linked rows in chain order, a batch at a time."""
    table = table_of(cls)
    last = 0
    while True:
        rows = db.session.execute(select(table).where(table.c.seq > last)
                                  .order_by(table.c.seq).limit(BATCH)).all()
        for row in rows:
            yield row.seq, name, row
        if len(rows) < BATCH:
            return
        last = rows[-1].seq


def _describe(name: str, row: Row[Any]) -> str:
    values = row._mapping
    said = [f"{name} id {row.id}"]
    if values.get("document_id") is not None:
        said.append(f"document {values['document_id']}")
    for column in ("action", "kind"):
        if values.get(column) is not None:
            said.append(getattr(values[column], "value", str(values[column])))
    return ", ".join(said)


def _compare_head(verdict: Verdict) -> None:
    row = db.session.execute(select(ChainHead.seq, ChainHead.hash)
                             .where(ChainHead.id == 1)).one_or_none()
    if row is None:
        if verdict.entries:
            verdict.problems.append("the chain's head row is missing")
        return
    if row.seq > verdict.entries:
        gap = (f"#{row.seq}" if row.seq == verdict.entries + 1
               else f"#{verdict.entries + 1} to #{row.seq}")
        verdict.problems.append(f"entry {gap} is missing: removed from the end of the chain "
                                f"(the head says {row.seq} entries, {verdict.entries} remain)")
    elif row.seq < verdict.entries or row.hash != verdict.head:
        verdict.problems.append(f"the chain's head row (#{row.seq}, {row.hash}) does not match "
                                f"the chain (#{verdict.entries}, {verdict.head})")


def _unlinked(verdict: Verdict) -> None:
    """Rows without a link: readings waiting to be sealed, or rows slipped in beside the
    chain (anything else, which every append links at once)."""
    for name, cls in chained_tables().items():
        table = table_of(cls)
        for row in db.session.execute(select(table).where(table.c.seq.is_(None))
                                      .order_by(table.c.id)):
            if cls is AuditEntry and row.kind in READINGS:
                verdict.pending += 1
            else:
                verdict.problems.append(f"{_describe(name, row)} is not in the chain: it was "
                                        "written around it")


def _check_checkpoints(verdict: Verdict, checkpoints: list[Checkpoint],
                       hashes_at: dict[int, str], broken_at: int | None, *,
                       system_certificate: x509.Certificate,
                       official_policy: TrustPolicy | None) -> None:
    matched: Checkpoint | None = None
    for checkpoint in checkpoints:
        name = f"checkpoint {checkpoint.id} of {utc_text(checkpoint.at)} ({checkpoint.entries} " \
               "entries)"
        try:
            read_signed(checkpoint, system_certificate=system_certificate,
                        official_policy=official_policy)
        except CheckpointForged as exc:
            verdict.problems.append(f"{name} is not the system key's: {exc}")
            continue
        if broken_at is not None and checkpoint.entries >= broken_at:
            continue  # the break is the finding; the chain after it is not judged
        if checkpoint.entries > verdict.entries:
            verdict.problems.append(
                f"{name} vouches for {checkpoint.entries} entries, the chain has only "
                f"{verdict.entries}: entries #{verdict.entries + 1} to #{checkpoint.entries} "
                "were removed")
            continue
        now = hashes_at.get(checkpoint.entries, GENESIS)
        if now != checkpoint.head:
            since = (f"after #{matched.entries} (checkpoint {matched.id} still matches)"
                     if matched is not None else "from #1")
            verdict.problems.append(
                f"{name} was signed over entry #{checkpoint.entries} with hash "
                f"{checkpoint.head}, the chain now gives {now}: an entry {since} up to "
                f"#{checkpoint.entries} was rewritten and the hashes after it recomputed")
            continue
        matched = checkpoint
        verdict.checkpoints += 1
        verdict.last_checkpoint = checkpoint
