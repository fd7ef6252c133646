"""Values every page shows, said one way per language: dates, file sizes, amounts of money,
certificates.
(The public holidays' names come from ``app.workdays.holiday_name``.)"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal as babel_decimal
from flask import Flask
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def day(value: date | datetime | str | None) -> str:
    """A date as every page shows it: dd.mm.yyyy (an ISO date string too, as documents'
    details keep them; an ISO moment as dd.mm.yyyy hh:mm in the body's zone); anything
    else as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        from app.web.helpers import format_moment

        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_moment(moment) if moment.tzinfo else moment.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def file_size(size: int | None) -> str:
    """A file's size as a person reads it: tenths of a kilobyte under 10 KB (a short PDF is
    "0,6 KB", never "0 KB"), whole kilobytes under a megabyte, then megabytes with one
    decimal; the number formatted in the reader's language."""
    if size is None:
        return ""
    kilobytes = size / 1024
    if kilobytes < 10:
        shown = max(kilobytes, 0.1) if size else 0
        return _("%(size)s KB", size=format_decimal(shown, format="#,##0.#"))
    if kilobytes < 1024:
        return _("%(size)s KB", size=format_decimal(round(kilobytes), format="#,##0"))
    return _("%(size)s MB", size=format_decimal(kilobytes / 1024, format="#,##0.0"))


#: the tenge's sign, after the amount and a non-breaking space, as Kazakhstan's offices write
TENGE = "\u00a0₸"


def money(amount: Decimal | int | float | str | None, *, language: str | None = None) -> str:
    """An amount in tenge as the reader's language writes it, always with its tiyn:
    "3 932,00 ₸" in Russian and Kazakh (a non-breaking space between thousands), "3,932.00
    ₸" in English. ``language`` None: the request's. Text that is not a number (a portal's
    odd value) is shown as it came. Exports keep amounts as numbers and do not use this."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        return str(amount)
    if not value.is_finite():
        return str(amount)
    locale = language or str(get_locale() or "ru")
    return babel_decimal(value, format="#,##0.00", locale=locale) + TENGE


_RDN = re.compile(r",\s*(?=[A-Za-z][\w.]*=)")


def certificate_words(subject: str | None) -> str:
    """A certificate's subject ("CN=…, serialNumber=IIN…, O=…") as a reader says it: the
    name, the IIN or BIN and the organisation, not the distinguished name's codes."""
    if not subject:
        return ""
    parts: dict[str, str] = {}
    for rdn in _RDN.split(subject):
        key, _sep, value = rdn.partition("=")
        parts.setdefault(key.strip(), value.strip())
    words = [parts.get("CN", "")]
    serial = parts.get("serialNumber", "")
    if serial.startswith("IIN"):
        words.append(_("IIN %(iin)s", iin=serial[3:]))
    business = parts.get("OU", "")
    if business.startswith("BIN"):
        words.append(_("BIN %(bin)s", bin=business[3:]))
    words.append(parts.get("O", ""))
    return ", ".join(word for word in words if word)


def register_words(app: Flask) -> None:
    app.jinja_env.filters["certificate_words"] = certificate_words
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["money"] = money
