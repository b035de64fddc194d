"""Time expressions (codebook section 4), resolved against the article's publication date."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd

from .entities import read_data
from .scan import Scan
from .text import normalize

_L = "\u0621-\u064A"
_REL = {"الماضي": -1, "الماضيه": -1, "المنصرم": -1, "الجاري": 0, "الحالي": 0, "هذا": 0,
        "المقبل": 1, "القادم": 1, "المقبله": 1}
_REL_RE = "|".join(sorted(_REL, key=len, reverse=True))
_PREP = r"(?:[وف]?(?:في|منذ|خلال|حتي|قبل|بعد|مطلع|اواخر|اوائل|منتصف|مع)\s+)?"
_UNITS = {"يوم": ("D", 1), "يومين": ("D", 2), "ايام": ("D", None),
          "اسبوع": ("W", 1), "اسبوعين": ("W", 2), "اسابيع": ("W", None),
          "شهر": ("M", 1), "شهرين": ("M", 2), "اشهر": ("M", None), "شهور": ("M", None),
          "سنه": ("Y", 1), "سنتين": ("Y", 2), "سنوات": ("Y", None),
          "عام": ("Y", 1), "عامين": ("Y", 2), "اعوام": ("Y", None)}
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    df = read_data("months.csv")
    return {normalize(f, ta_marbuta=True): int(m) for f, m in zip(df["form"], df["month"])}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    month = "|".join(sorted(_months(), key=len, reverse=True))
    return re.compile(
        rf"(?<![{_L}\d])(?:"
        rf"(?P<full>{_PREP}(?P<day>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{month})"
        rf"(?:\s+(?:عام\s+)?(?P<year>\d{{4}}))?(?:\s+(?P<rel>{_REL_RE}))?)"
        rf"|(?P<monthonly>{_PREP}(?P<shahr>شهر\s+)?(?P<month2>{month})(?:\s+(?:عام\s+)?(?P<year2>\d{{4}}))?"
        rf"(?:\s+(?P<rel2>{_REL_RE}))?)"
        rf"|(?P<yearonly>{_PREP}(?:عام|العام|سنه|السنه|لعام)\s+(?P<year3>\d{{4}}))"
        rf"|(?P<relative>{_PREP}(?:(?P<this>هذا|هذه)\s+)?(?P<unit1>العام|الشهر|الاسبوع|السنه)"
        rf"(?:\s+(?P<rel4>{_REL_RE}))?)"
        rf"|(?P<duration>[وف]?(?:منذ|خلال|بعد|قبل|طوال)\s+(?:نحو\s+|قرابه\s+|حوالي\s+)?(?:(?P<num>\d+)\s+)?"
        rf"(?P<unit>{_UNIT_RE}))"
        rf"|(?P<plural>{_PREP}(?:ال)?(?P<unit2>ايام|اسابيع|اشهر|شهور|سنوات|اعوام)\s+"
        rf"(?P<rel5>الماضيه|الاخيره|المقبله|القادمه))"
        rf"|(?P<vague>{_PREP}الفتره\s+(?P<rel6>الاخيره|الماضيه|المقبله))"
        rf"|(?P<then>[وف]?حينها|[وف]?وقتها)"
        rf")(?![{_L}])"
    )


_ANCHOR_WORDS = ("العام", "الشهر", "الاسبوع", "السنه", "عام", "سنه", "الفتره", "حينها", "وقتها",
                 "ايام", "اسابيع", "اشهر", "شهور", "سنوات", "اعوام", *_UNITS)
@lru_cache(maxsize=1)
def _view_anchors():
    """Anchor words as word endings in a scan view (so «لعام» and «وحينها» are found)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for word in set(_ANCHOR_WORDS) | set(_months()):
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
    if rel and _REL[rel] < 0 and (month, day) > (pub.month, pub.day):
        y -= 1
    elif rel and _REL[rel] > 0 and (month, day) < (pub.month, pub.day):
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
    step = _REL.get(rel, 0) if rel else 0
    if step < 0 and month >= pub.month:
        y -= 1
    elif step > 0 and month <= pub.month:
        y += 1
    elif not rel and month > pub.month:
        y -= 1
    return f"{y:04d}-{month:02d}"


def _resolve_relative(pub, unit: str, rel: str | None, this: bool) -> str:
    step = 0 if this or rel is None else _REL[rel]
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
        unit, n = _UNITS[g["unit"]]
        n = int(g["num"]) if g["num"] else n
        label, value = "DURATION", f"P{n if n else 'X'}{unit}"
    elif g["plural"]:
        unit, _n = _UNITS[g["unit2"]]
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
