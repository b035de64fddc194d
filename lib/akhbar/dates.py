"""Time expressions (codebook section 4), resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd

from .resources import read_data
from .scan import Scan
from .text import normalize

_L = "\u0621-\u064A"


@lru_cache(maxsize=1)
def _time_words() -> dict[str, dict[str, str]]:
    """``data/time_words.csv`` by role: word -> value, in file order."""
    df = read_data("time_words.csv")
    out: dict[str, dict[str, str]] = {r: {} for r in ("relative", "preposition", "duration", "about", "unit")}
    for i, (word, role, value) in enumerate(zip(df["word"], df["role"], df["value"])):
        if role not in out:
            raise ValueError(f"akhbar/data/time_words.csv: row {i + 1} ({word!r}): unknown role {role!r} "
                             f"(one of {sorted(out)})")
        out[role][normalize(word, ta_marbuta=True)] = value
    return out


@lru_cache(maxsize=1)
def _relative() -> dict[str, int]:
    """Relative word -> -1 (before publication), 0 (current) or 1 (after)."""
    return {w: int(v) for w, v in _time_words()["relative"].items()}


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, int | None]]:
    """Unit word -> (ISO-8601 designator, the count the word says or None)."""
    return {w: (v[0], int(v[1:]) if v[1:] else None) for w, v in _time_words()["unit"].items()}


def _alternation(words, longest_first: bool = False) -> str:
    return "|".join(sorted(words, key=len, reverse=True) if longest_first else words)


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    df = read_data("months.csv")
    return {normalize(f, ta_marbuta=True): int(m) for f, m in zip(df["form"], df["month"])}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    month = _alternation(_months(), longest_first=True)
    words = _time_words()
    rel = _alternation(_relative(), longest_first=True)
    unit = _alternation(_units(), longest_first=True)
    prep = rf"(?:[وف]?(?:{_alternation(words['preposition'])})\s+)?"
    durations, about = _alternation(words["duration"]), _alternation(words["about"])
    plural = _alternation(w for w, (_unit, n) in _units().items() if n is None)  # «أيام», «أشهر»
    return re.compile(
        rf"(?<![{_L}\d])(?:"
        rf"(?P<full>{prep}(?P<day>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{month})"
        rf"(?:\s+(?:عام\s+)?(?P<year>\d{{4}}))?(?:\s+(?P<rel>{rel}))?)"
        rf"|(?P<monthonly>{prep}(?P<shahr>شهر\s+)?(?P<month2>{month})(?:\s+(?:عام\s+)?(?P<year2>\d{{4}}))?"
        rf"(?:\s+(?P<rel2>{rel}))?)"
        rf"|(?P<yearonly>{prep}(?:عام|العام|سنه|السنه|لعام)\s+(?P<year3>\d{{4}}))"
        rf"|(?P<relative>{prep}(?:(?P<this>هذا|هذه)\s+)?(?P<unit1>العام|الشهر|الاسبوع|السنه)"
        rf"(?:\s+(?P<rel4>{rel}))?)"
        rf"|(?P<duration>[وف]?(?:{durations})\s+(?:(?:{about})\s+)?(?:(?P<num>\d+)\s+)?"
        rf"(?P<unit>{unit}))"
        rf"|(?P<plural>{prep}(?:ال)?(?P<unit2>{plural})\s+"
        rf"(?P<rel5>الماضيه|الاخيره|المقبله|القادمه))"
        rf"|(?P<vague>{prep}الفتره\s+(?P<rel6>الاخيره|الماضيه|المقبله))"
        rf"|(?P<then>[وف]?حينها|[وف]?وقتها)"
        rf")(?![{_L}])"
    )


_ANCHOR_WORDS = ("العام", "الشهر", "الاسبوع", "السنه", "عام", "سنه", "الفتره", "حينها", "وقتها",
                 "ايام", "اسابيع", "اشهر", "شهور", "سنوات", "اعوام")
"""Words every time expression holds one of, besides a month and a unit (see :func:`_view_anchors`)."""


@lru_cache(maxsize=1)
def _view_anchors():
    """Anchor words as word endings in a scan view (so «لعام» and «وحينها» are found)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for word in set(_ANCHOR_WORDS) | set(_units()) | set(_months()):
        auto.add_word(word + " ", 0)
    auto.make_automaton()
    return auto


def _time_matches_on_scan(sc: Scan) -> list[re.Match]:
    """The matches ``_pattern().finditer(view)`` would give, found by trying the pattern
    only at each anchor's token and the three tokens before it (in the same text).

    Every alternative of the pattern holds an anchor word (a month, a unit, عام, الفترة,
    حينها ...), so digits need not be anchors.
    """
    pattern = _pattern()
    ends = np.fromiter(chain.from_iterable(_view_anchors().iter_long(sc.view)), np.int64)[0::2]
    anchors = np.unique(sc.token_at(ends - 1))
    tok_view, tok_doc = sc.tok_view, sc.tok_doc
    out, done = [], 0
    for a in anchors.tolist():
        a_view = int(tok_view[a])
        if a_view < done:
            continue
        for s in range(max(0, a - 3), a + 1):
            if tok_doc[s] != tok_doc[a] or tok_view[s] < done:
                continue
            m = pattern.match(sc.view, int(tok_view[s]))
            if m and m.end() > a_view:
                out.append(m)
                done = m.end()
                break
    return out


def _resolve_day(pub: pd.Timestamp | None, day: int, month: int, year: int | None, rel: str | None) -> str:
    if year:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if pub is None:
        return ""
    y = pub.year
    if rel and _relative()[rel] < 0 and (month, day) > (pub.month, pub.day):
        y -= 1
    elif rel and _relative()[rel] > 0 and (month, day) < (pub.month, pub.day):
        y += 1
    elif not rel and (month, day) > (pub.month, pub.day + 7):
        y -= 1  # an undated day later in the year than publication is last year's
    return f"{y:04d}-{month:02d}-{day:02d}"


def _resolve_month(pub, month: int, year: int | None, rel: str | None) -> str:
    if year:
        return f"{year:04d}-{month:02d}"
    if pub is None:
        return ""
    y = pub.year
    step = _relative().get(rel, 0) if rel else 0
    if step < 0 and month >= pub.month:
        y -= 1
    elif step > 0 and month <= pub.month:
        y += 1
    elif not rel and month > pub.month:
        y -= 1
    return f"{y:04d}-{month:02d}"


def _resolve_relative(pub, unit: str, rel: str | None, this: bool) -> str:
    step = 0 if this or rel is None else _relative()[rel]
    if pub is None:
        return ""
    if unit in ("العام", "السنه"):
        return f"{pub.year + step:04d}"
    if unit == "الشهر":
        year, month = divmod(pub.year * 12 + pub.month - 1 + step, 12)
        return f"{year:04d}-{month + 1:02d}"
    iso = (pub + dt.timedelta(weeks=step)).isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _resolve(m: re.Match, pub, last: str) -> tuple[str, str, str] | None:
    """``(label, value, note)`` of one time expression match, or None to drop it."""
    months = _months()
    g = m.groupdict()
    label, value, note = "DATE", "", ""
    if g["full"]:
        value = _resolve_day(pub, int(g["day"]), months[g["month"]],
                             int(g["year"]) if g["year"] else None, g["rel"])
    elif g["monthonly"]:
        has_prep = m.start("month2") > m.start()
        if not (g["year2"] or g["rel2"] or has_prep):
            return None  # a bare «مارس» may be the verb
        value = _resolve_month(pub, months[g["month2"]], int(g["year2"]) if g["year2"] else None, g["rel2"])
    elif g["yearonly"]:
        value = g["year3"]
    elif g["relative"]:
        if not (g["this"] or g["rel4"]):
            return None  # «العام» alone is not a time expression
        value = _resolve_relative(pub, g["unit1"], g["rel4"], bool(g["this"]))
    elif g["duration"]:
        unit, n = _units()[g["unit"]]
        n = int(g["num"]) if g["num"] else n
        label, value = "DURATION", f"P{n if n else 'X'}{unit}"
    elif g["plural"]:
        unit, _n = _units()[g["unit2"]]
        label, value = "DURATION", f"P{'X'}{unit}"
        note = "vague period"
    elif g["vague"]:
        value = "PAST_REF" if g["rel6"] != "المقبله" else "FUTURE_REF"
    elif g["then"]:
        value, note = last, "anaphoric: the previous date"
    return label, value, note


def _timestamp(published):
    return None if published is None or pd.isna(published) else pd.Timestamp(published)


def date_columns(sc: Scan, published: list) -> dict[str, np.ndarray]:
    """Time expressions of every text of a scan with type (DATE|DURATION) and ISO value.

    Relative expressions («يوليو الجاري», «أكتوبر الماضي», «العام الماضي», «هذا الأسبوع»)
    resolve against the text's publication date; a duration gets an ISO-8601 period
    (``P2M`` for «منذ نحو شهرين», ``PXY`` for «بعد سنوات»); «حينها» takes the previous
    date's value. What cannot be resolved keeps an empty value and the text.

    Args:
        sc: The scan.
        published: Publication date of each text (None when unknown).

    Returns:
        Arrays ``start, end, label, value, note`` (offsets into ``sc.text``).

    Example:
        >>> from akhbar.scan import scan
        >>> sc = scan("وصل الوفد في يوليو الجاري بعد محادثات استمرت منذ نحو شهرين")
        >>> found = date_columns(sc, [pd.Timestamp("2020-07-21")])
        >>> found["label"].tolist(), found["value"].tolist()
        (['DATE', 'DURATION'], ['2020-07', 'P2M'])
    """
    pubs = [_timestamp(p) for p in published]
    rows, last, last_doc = [], "", -1
    matches = _time_matches_on_scan(sc)
    vs = np.array([m.start() for m in matches], np.int64)
    ve = np.array([m.end() for m in matches], np.int64)
    starts, ends = sc.original(vs, ve) if matches else (vs, ve)
    docs = sc.doc_of(starts).tolist()
    keep = []
    for n, (m, doc) in enumerate(zip(matches, docs)):
        if doc != last_doc:
            last, last_doc = "", doc
        found = _resolve(m, pubs[doc], last)
        if found is None:
            continue
        label, value, note = found
        if label == "DATE" and value and not value.startswith(("PAST", "FUTURE")):
            last = value
        keep.append(n)
        rows.append((label, value, note))
    keep = np.array(keep, np.int64)
    cols = {"start": starts[keep] if keep.size else vs[:0], "end": ends[keep] if keep.size else ve[:0]}
    for i, name in enumerate(("label", "value", "note")):
        cols[name] = np.array([r[i] for r in rows], dtype=object)
    return cols
