"""IIN and BIN: Kazakhstan's 12-digit individual and business identification numbers.

The check digit (digit 12) follows the official algorithm: the first 11 digits weighted
1..11, sum mod 11; if that gives 10, weighted 3,4,5,6,7,8,9,10,11,1,2, mod 11; a second 10
means no number may be issued with those 11 digits.

An IIN also encodes its holder: digits 1-6 are the birth date YYMMDD, digit 7 the century
and sex (1/2: 19th century male/female, 3/4: 20th, 5/6: 21st). A BIN's digits 1-4 are the
year and month of registration, digit 5 the entity type (4 resident legal entity,
5 non-resident legal entity, 6 sole proprietorship in joint form), digit 6 its attribute
(head office, branch, representative office, peasant farm).
"""

from __future__ import annotations

from datetime import date

from app.formats.errors import IdentifierError

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}
BIN_ENTITY_TYPES = frozenset({4, 5, 6})


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no valid number can end them."""
    if len(first_eleven) != 11 or not first_eleven.isascii() or not first_eleven.isdigit():
        raise ValueError("check_digit needs exactly 11 ASCII digits")
    digits = [int(d) for d in first_eleven]
    total = sum(d * w for d, w in zip(digits, _FIRST_WEIGHTS, strict=True)) % 11
    if total == 10:
        total = sum(d * w for d, w in zip(digits, _SECOND_WEIGHTS, strict=True)) % 11
        if total == 10:
            return None
    return total


def check_iin(value: str, *, field: str = "") -> str:
    """Return ``value`` if it is a valid IIN, else raise :class:`IdentifierError` saying why."""
    _check_shape(value, scheme="IIN", field=field)
    century_digit = int(value[6])
    if century_digit not in _CENTURY_BY_DIGIT:
        raise IdentifierError(
            f"IIN {value}: digit 7 is {century_digit}, but it must be 1-6 (century and sex)",
            scheme="IIN", value=value, field=field,
        )
    try:
        iin_birth_date(value)
    except ValueError:
        raise IdentifierError(
            f"IIN {value}: digits 1-6 ({value[:6]}) are not a birth date YYMMDD",
            scheme="IIN", value=value, field=field,
        ) from None
    _check_control(value, scheme="IIN", field=field)
    return value


def check_bin(value: str, *, field: str = "") -> str:
    """Return ``value`` if it is a valid BIN, else raise :class:`IdentifierError` saying why."""
    _check_shape(value, scheme="BIN", field=field)
    entity_type = int(value[4])
    if entity_type not in BIN_ENTITY_TYPES:
        raise IdentifierError(
            f"BIN {value}: digit 5 is {entity_type}, but a legal entity type is 4, 5 or 6",
            scheme="BIN", value=value, field=field,
        )
    _check_control(value, scheme="BIN", field=field)
    return value


def is_valid_iin(value: str) -> bool:
    try:
        check_iin(value)
    except IdentifierError:
        return False
    return True


def is_valid_bin(value: str) -> bool:
    try:
        check_bin(value)
    except IdentifierError:
        return False
    return True


def iin_birth_date(value: str) -> date:
    """The birth date an IIN encodes; ValueError if digits 1-7 do not make one."""
    century = _CENTURY_BY_DIGIT.get(int(value[6]))
    if century is None:
        raise ValueError(f"digit 7 of {value!r} is not a century digit")
    return date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))


def make_iin(*, birth_date: date, female: bool, serial: int) -> str:
    """An IIN for this birth date and sex; ``serial`` (0-9999) picks digits 8-11.

    When the serial gives 11 digits that cannot carry a check digit, the next serial is
    used, as the registry itself would skip that number.
    """
    century = (birth_date.year // 100) * 100
    base_digit = {1800: 1, 1900: 3, 2000: 5}.get(century)
    if base_digit is None:
        raise ValueError(f"no IIN century digit for year {birth_date.year}")
    head = f"{birth_date:%y%m%d}{base_digit + int(female)}"
    return _complete(head, serial=serial, serial_digits=4)


def make_bin(*, registered: date, entity_type: int = 4, attribute: int = 0, serial: int) -> str:
    """A BIN registered in this year and month; ``serial`` (0-99999) picks digits 7-11."""
    if entity_type not in BIN_ENTITY_TYPES:
        raise ValueError(f"BIN entity type must be one of 4, 5, 6, not {entity_type}")
    if not 0 <= attribute <= 9:
        raise ValueError("BIN attribute is one digit")
    head = f"{registered:%y%m}{entity_type}{attribute}"
    return _complete(head, serial=serial, serial_digits=5)


def _complete(head: str, *, serial: int, serial_digits: int) -> str:
    limit = 10**serial_digits
    if not 0 <= serial < limit:
        raise ValueError(f"serial must be 0..{limit - 1}")
    for candidate in range(serial, serial + limit):
        first_eleven = f"{head}{candidate % limit:0{serial_digits}d}"
        control = check_digit(first_eleven)
        if control is not None:
            return f"{first_eleven}{control}"
    raise AssertionError("unreachable: most serials admit a check digit")


def _check_shape(value: str, *, scheme: str, field: str) -> None:
    if not isinstance(value, str) or len(value) != 12 or not value.isascii() or not value.isdigit():
        raise IdentifierError(
            f"{scheme} {value!r}: must be exactly 12 digits", scheme=scheme, value=str(value),
            field=field,
        )


def _check_control(value: str, *, scheme: str, field: str) -> None:
    expected = check_digit(value[:11])
    if expected is None:
        raise IdentifierError(
            f"{scheme} {value}: no check digit exists for digits 1-11, so no such {scheme}",
            scheme=scheme, value=value, field=field,
        )
    if int(value[11]) != expected:
        raise IdentifierError(
            f"{scheme} {value}: check digit is {value[11]}, expected {expected}",
            scheme=scheme, value=value, field=field,
        )
