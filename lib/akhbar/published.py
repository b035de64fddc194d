"""Publication dates as feeds and spreadsheets give them: RFC 822 with any zone, ISO with or
without a time or an offset, mixed in one file; normalised to UTC, never guessed."""

from __future__ import annotations

import email.utils
import re

import pandas as pd


class MetadataWarning(UserWarning):
    """Warning about ``articles.csv``: a missing row, or a row with no file.

    Example:
        >>> import tempfile, warnings
        >>> from pathlib import Path
        >>> folder = Path(tempfile.mkdtemp())
        >>> _ = (folder / "a1.txt").write_text("قال حفتر", encoding="utf-8")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     arts = akhbar.load_articles(folder)
        >>> [str(w.message).endswith("a1.txt: no row in articles.csv, metadata left empty") for w in caught]
        [True]
    """


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                       r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?", re.I)
_RFC_DATE = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
                       r"(?:\s*(?P<zone>[A-Za-z]{1,5}|[+-]\d{4}))?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


def parse_published(value) -> tuple[pd.Timestamp, str]:
    """One publication date as a UTC time without zone, or NaT and why.

    Read: ISO 8601 dates with or without a time, ``Z`` or an offset
    (``2018-06-10T14:23:09+03:00``); RFC 822 (``Sun, 18 Feb 2018 20:50:44 GMT``,
    ``+0400``); ``2020/07/21``. Aware times are converted to UTC, then the zone is
    dropped. ``dd/mm/yyyy`` is read only when the order is certain: one number above 12
    (``13/04/2020`` is 13 April, ``04/13/2020`` too) or both equal; ``03/04/2020`` is
    ambiguous and left empty. Nothing else is guessed.

    A date outside :data:`EARLIEST`-:data:`LATEST` (the placeholder ``0001-01-01``) is
    left empty.

    Returns:
        ``(timestamp, "")`` or ``(NaT, problem)``; an empty value is ``(NaT, "")``.

    Example:
        >>> parse_published("Fri, 06 Jul 2018 23:28:01 +0400")
        (Timestamp('2018-07-06 19:28:01'), '')
        >>> parse_published("0001-01-01")[1]
        'outside the dates a table holds (1678-2261), a placeholder?'
    """
    v = str(value if value is not None else "").strip()
    if not v:
        return pd.NaT, ""
    try:
        if _ISO_DATE.fullmatch(v):
            ts = pd.Timestamp(v)
        elif m := _RFC_DATE.fullmatch(v):
            ts = pd.Timestamp(email.utils.parsedate_to_datetime(v))
            if ts.tzinfo is None and m.group("zone") not in (None, "-0000"):
                return pd.NaT, f"unknown time zone {m.group('zone')!r}"
        elif m := _YMD_SLASH.fullmatch(v):
            ts = pd.Timestamp(*map(int, m.groups()))
        elif m := _NUMERIC_DATE.fullmatch(v):
            a, b, year = map(int, m.groups())
            if a <= 12 and b <= 12 and a != b:
                return pd.NaT, "ambiguous day/month order (dd/mm or mm/dd?), not guessed"
            ts = pd.Timestamp(year, b, a) if a > 12 or a == b else pd.Timestamp(year, a, b)
        else:
            return pd.NaT, "not a date akhbar reads (ISO 8601 or RFC 822)"
    except (ValueError, TypeError, OverflowError) as exc:
        return pd.NaT, f"not a valid date ({exc})"
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    if not EARLIEST <= ts <= LATEST:  # 0001-01-01 is a common "no date" placeholder
        return pd.NaT, f"outside the dates a table holds ({EARLIEST.year}-{LATEST.year}), a placeholder?"
    return ts, ""


EARLIEST, LATEST = pd.Timestamp("1678-01-01"), pd.Timestamp("2261-12-31")
"""The dates a ``datetime64[ns]`` column holds (pandas' range, within whole years)."""



def published_column(values, where=None, dtype: str | None = "datetime64[ns]") -> tuple[pd.Series, list[tuple[str, str]]]:
    """Parse a column of publication dates (see :func:`parse_published`).

    Args:
        values: The raw strings.
        where: For each value, where it came from (``file:line``), used in the problems.
        dtype: The Series' datetime type (``None``: the resolution pandas infers).

    Returns:
        ``(datetimes, problems)``: a ``datetime64`` Series in UTC without zone (``NaT``
        where empty or unreadable) and ``(where, problem)`` pairs.

    Example:
        >>> published_column(["2018-02-18", "Sun, 18 Feb 2018 20:50:44 GMT"])[0].dt.day.tolist()
        [18, 18]
    """
    values = list(values)
    where = list(where) if where is not None else [f"value {i + 1}" for i in range(len(values))]
    stamps, problems = [], []
    for value, place in zip(values, where):
        stamp, problem = parse_published(value)
        stamps.append(stamp)
        if problem:
            problems.append((place, f"published {str(value).strip()!r}: {problem}"))
    stamps = pd.to_datetime(pd.Series(stamps, dtype=object))
    return (stamps.astype(dtype) if dtype else stamps), problems
