"""Publication dates: ISO, written out (``3 March 2024``), numeric in a set order, RFC 2822.

python-dateutil reads what is not ISO; a date in a URL path is a fallback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

__all__ = ["date_in_url", "date_order", "parse_date", "written_date"]

#: How a numeric date such as 03/04/2024 is read unless a header or ``sources.csv``
#: says ``date-order: MDY``: day first, as in most of the world's press.
DEFAULT_DATE_ORDER = "DMY"
DATE_ORDERS = frozenset({"DMY", "MDY", "YMD"})
MAX_DATE_LINE_CHARS = 80
FUTURE_DATE_SLACK = dt.timedelta(days=2)

_ISO_DATE = re.compile(r"\A(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\Z")


def parse_date(
    value: str | None, problems: list[str], *, order: str | None = None
) -> dt.date | None:
    """Read a written date: ISO, ``3 March 2024``, ``March 3, 2024``, ``03/03/2024``, RFC 2822.

    A numeric date is read in ``order`` (``DMY``, ``MDY`` or ``YMD``); without
    one, day first, and where both orders give a real date a warning says so.  Problems are
    appended to ``problems``; the date is then None.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        try:
            date = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            problems.append(f"date {value!r} does not exist; indexed without a date")
            return None
    else:
        written = written_date(value, order or DEFAULT_DATE_ORDER)
        if written is None:
            problems.append(
                f"date {value!r} is not a date searchkit can read (2024-03-03, 3 March 2024, "
                "03/03/2024, RFC 2822); indexed without a date"
            )
            return None
        date = written
        numeric = _NUMERIC_DATE.match(value)
        if numeric and order is None:
            first, second = int(numeric.group(1)), int(numeric.group(2))
            if first != second and first <= 12 and second <= 12:
                problems.append(
                    f"date {value!r} read as {date.isoformat()} ({DEFAULT_DATE_ORDER}); "
                    "add 'date-order: MDY' to the header or sources.csv if that is wrong"
                )
    if date > dt.date.today() + FUTURE_DATE_SLACK:
        problems.append(f"date {value!r} is in the future; kept as written")
    return date


# A numeric date: two numbers and a year, e.g. 03/04/2024 or 3.4.24.
_NUMERIC_DATE = re.compile(r"\A(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# What a line must hold to be worth asking the date parser about: a year and a
# month name, or a numeric date.  "2024 Olympics" and "1984" are headlines.
_DATE_HINT = re.compile(
    r"\A(?:19|20)\d{6}T\d|"  # GDELT's 20240303T120000Z
    rf"(?:\b(?:{_MONTH})\b.*\b(?:1[89]|20)\d\d\b|\b(?:1[89]|20)\d\d\b.*\b(?:{_MONTH})\b)"
    r"|\A\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\A\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b",
    re.IGNORECASE,
)
# "Published on", "Posted:", "Last updated" before a date line.
_DATE_LABEL = re.compile(
    r"\A(?:(?:first |last )?(?:published|posted|updated|dated?|pubdate)(?: on)?[ \t]*:?[ \t]*)",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\b)")


def written_date(value: str, order: str) -> dt.date | None:
    """Parse a date written out in full with python-dateutil, or return None."""
    # Imported here: only dates that are not ISO need it.
    import warnings

    from dateutil import parser

    value = _DATE_LABEL.sub("", value)
    if len(value) > MAX_DATE_LINE_CHARS or not _DATE_HINT.search(value):
        return None
    dates = []
    # Parsed against two different defaults: a date that names no day ("March
    # 2024") takes the default's, so the two parses differ and it is refused.
    for default in (dt.datetime(2000, 1, 1), dt.datetime(2001, 2, 2)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown time zones ("ET"): only the day matters
                moment = parser.parse(
                    value,
                    default=default,
                    dayfirst=order == "DMY",
                    yearfirst=order == "YMD",
                    ignoretz=True,
                )
        except (ValueError, OverflowError):
            return None
        dates.append(moment.date())
    return dates[0] if dates[0] == dates[1] else None


def date_order(header: Mapping[str, str], problems: list[str]) -> str | None:
    """Return the date order a header or ``sources.csv`` gives, or None."""
    order = header.get("date-order", "").strip().upper()
    if order and order not in DATE_ORDERS:
        known = ", ".join(sorted(DATE_ORDERS))
        problems.append(f"date-order {order!r} unknown (known: {known}); ignored")
        return None
    return order or None


def date_in_url(url: str | None) -> dt.date | None:
    """Return the date a URL path holds (``/2024/03/03/``), a fallback for undated articles."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
