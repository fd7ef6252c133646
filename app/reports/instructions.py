"""How often each standard instruction was chosen in a period's resolutions (pass-downs
and assignments), counted by the database: a section of the discipline report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, func, select

from app.catalogues.models import StandardInstruction
from app.extensions import db
from app.reports.discipline import Period
from app.resolution.models import Resolution, ResolutionKind


@dataclass(frozen=True)
class InstructionCount:
    #: the instruction as the list names it now, in the reader's language; None: the
    #: heads' own words, no standard instruction chosen
    text: str | None
    resolutions: int
    #: of those, how many the head reworded after choosing it
    reworded: int


def instruction_counts(period: Period, *, scope: set[int] | None,
                       language: str) -> list[InstructionCount]:
    """The resolutions written in ``period`` in the departments of ``scope`` (None: all)
    by the standard instruction chosen, most used first; the heads' own words last."""
    begin, after = period.bounds()
    reworded = func.sum(func.coalesce(
        (Resolution.instruction != Resolution.standard_instruction_text).cast(Integer), 0))
    stmt = (select(Resolution.standard_instruction_id, func.count(), reworded)
            .where(Resolution.kind.in_((ResolutionKind.ASSIGN, ResolutionKind.PASS_DOWN)),
                   Resolution.created_at >= begin, Resolution.created_at < after)
            .group_by(Resolution.standard_instruction_id))
    if scope is not None:
        stmt = stmt.where(Resolution.department_id.in_(scope))
    rows = db.session.execute(stmt).all()
    ids = [row[0] for row in rows if row[0] is not None]
    items = {item.id: item for item in db.session.scalars(
        select(StandardInstruction).where(StandardInstruction.id.in_(ids)))} if ids else {}
    counts = [InstructionCount(items[i].text_in(language) if i in items else None,
                               int(n), int(changed or 0) if i is not None else 0)
              for i, n, changed in rows]
    return sorted(counts, key=lambda c: (c.text is None, -c.resolutions, c.text or ""))
