"""Column types shared by every model."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on both databases: SQLite keeps no zone, so we attach it."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum_class, length: int = 32) -> Enum:
    """An enum stored as its value (the wire code), not its Python name, in a plain
    VARCHAR: readable in SQL and free of PostgreSQL enum migrations."""
    return Enum(enum_class, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


#: the largest value of an ``Integer`` column on every database we run on (PostgreSQL's
#: ``integer``; SQLite would take up to 2**63 - 1, but our ids are declared ``Integer``).
#: A number from a URL or a query string is checked against this before it reaches a
#: query: past it, PostgreSQL answers "integer out of range" and SQLite cannot bind it.
MAX_ID = 2**31 - 1
