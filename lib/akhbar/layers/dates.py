"""Time expressions (codebook section 4), resolved against the article's publication date.

The expressions are found on the scan's normalised view by one regular expression whose
alternatives are the kinds of expression (a day of a month, a month, a year, a weekday or
«أمس», a relative week or month, a season, a count of units ...), built from the words of
``data/months.csv`` and ``data/time_words.csv``. Each match is then read again by the
pattern of its kind alone, to resolve it:

- a dual month name («أيار/مايو 2014», «أكتوبر (تشرين الأول) المقبل») is one expression
  with the month of its first name;
- a date without a year takes the publication year, or the one before or after as
  «الماضي», «المقبل» or the calendar say («يناير الماضي» in January is last year's; «في 30
  ديسمبر» in an article of 3 January too);
- weekdays resolve to the nearest such day on or before publication (strictly before with
  «الماضي», after with «المقبل»); «أمس», «اليوم», «غداً» and the present («حالياً») to days
  counted from it; «الأسبوع الماضي» to the ISO week before the publication week;
- «قبل عامين» is a point in time (two years before publication), «منذ عامين» a stretch
  (``P2Y``) and «منذ عام 2011» its start (2011).

An expression with no publication date to resolve against keeps its span and an empty value.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd
import regex

from ..resources import read_data
from ..scan import DIGIT, Scan
from ..text import normalize

LABELS = ("DATE", "DURATION")
"""The time expressions' types (codebook section 4): a point or stretch of time, or a length."""
_L = "\u0621-\u064A"
_ROLES = ("relative", "preposition", "duration", "about", "unit", "number", "ordinal", "weekday", "day",
          "part", "present", "vague", "decade", "season", "anaphora", "period", "not_before", "not_after", "future", "measure",
          "hijri")


@lru_cache(maxsize=1)
def _time_words() -> dict[str, dict[str, str]]:
    """``data/time_words.csv`` by role: word -> value, in file order."""
    df = read_data("time_words.csv")
    out: dict[str, dict[str, str]] = {r: {} for r in _ROLES}
    for i, (word, role, value) in enumerate(zip(df["word"], df["role"], df["value"])):
        if role not in out:
            raise ValueError(f"akhbar/data/time_words.csv: row {i + 1} ({word!r}): unknown role {role!r} "
                             f"(one of {sorted(out)})")
        out[role][" ".join(normalize(word, ta_marbuta=True).split())] = value
    return out


@lru_cache(maxsize=1)
def _relative() -> dict[str, int]:
    """Relative word -> -1 (before publication), 0 (current) or 1 (after)."""
    return {w: int(v) for w, v in _time_words()["relative"].items()}


_UNIT_VALUE = re.compile(r"([DWMYHN])(\d+|#)?")


@lru_cache(maxsize=1)
def _units() -> dict[str, tuple[str, int | str | None]]:
    """Unit word -> (designator, the count the word says, None for a plural, '#' when it needs a number)."""
    out = {}
    for w, v in _time_words()["unit"].items():
        m = _UNIT_VALUE.fullmatch(v)
        if not m:
            raise ValueError(f"akhbar/data/time_words.csv: unit {w!r}: value {v!r} is not a designator "
                             "(D, W, M, Y, H, N) with an optional count or #")
        out[w] = (m[1], int(m[2]) if m[2] and m[2] != "#" else m[2])
    return out


def _alternation(words, longest_first: bool = False) -> str:
    """Words (or phrases, their words apart by any space) as a regex alternation."""
    words = sorted(words, key=len, reverse=True) if longest_first else list(words)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in words)


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    df = read_data("months.csv")
    return {" ".join(normalize(f, ta_marbuta=True).split()): int(m) for f, m in zip(df["form"], df["month"])}


_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?!\d)"


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """The pattern of each kind of expression, with the named groups that resolve it, in
    the order they are tried at one position (the first that matches wins)."""
    w = _time_words()
    alt = lambda role: _alternation(w[role], longest_first=True)  # noqa: E731
    month = _alternation(_months(), longest_first=True)
    rel = _alternation(_relative(), longest_first=True)
    prep = rf"(?:[وف]?(?:{alt('preposition')})\s+){{0,2}}"
    units = _units()
    unit = _alternation(units, longest_first=True)
    plural = _alternation([u for u, (_d, n) in units.items() if n is None], longest_first=True)
    dual_or_plural = _alternation([u for u, (_d, n) in units.items() if n is None or n == 2], longest_first=True)
    dual = _alternation([u for u, (_d, n) in units.items() if n == 2], longest_first=True)
    single = _alternation([u for u, (_d, n) in units.items() if n == 1], longest_first=True)
    num = rf"(?:\d+|{alt('number')})"
    ones = _alternation([o for o, v in w["ordinal"].items() if int(v) < 20], longest_first=True)
    tens = _alternation([o for o, v in w["ordinal"].items() if int(v) >= 20])
    day = rf"(?:(?:ال\s+)?\d{{1,2}}(?!\d)|(?:{ones})(?:\s+عشر|\s+و(?:{tens}))?|{tens})"
    month_x = rf"(?P<month>{month})(?P<pair>\s+(?:[/-]\s+)?(?:{month})|\s+\(\s+(?:{month})\s+\))?"
    year_part = rf"(?:\s+(?:من\s+)?(?:(?:عام|العام|سنه)\s+)?(?P<year>{_YEAR}))"
    weekday, part = alt("weekday"), alt("part")
    dated = rf"(?P<wday>\d{{1,2}})\s+(?:من\s+)?(?P<wmonth>{month})(?:\s+[/-]\s+(?:{month})|\s+\(\s+(?:{month})\s+\))?" \
            rf"(?:\s+(?P<wyear>{_YEAR}))?"
    rel_plural = "الماضيه|الاخيره|المقبله|القادمه|الماضيين|الاخيرين|المقبلين|القادمين|الفائته|المنصرمه"
    return {
        "full": rf"{prep}(?P<day>{day})\s+(?:من\s+)?(?:شهر\s+)?{month_x}{year_part}?(?:\s+(?P<rel>{rel}))?"
                rf"(?P<every>\s+من\s+كل\s+(?:عام|سنه))?",
        "day_of_month": rf"{prep}(?P<day>{day})\s+من\s+(?P<this>هذا\s+)?الشهر(?:\s+(?P<rel>{rel}))?",
        "month": rf"{prep}(?:شهر\s+)?{month_x}{year_part}?(?:\s+(?P<rel>{rel}))?",
        "season": rf"{prep}(?:(?P<this>هذا|هذه)\s+)?(?:فصل\s+)?(?P<season>{alt('season')})"
                  rf"(?:{year_part}|\s+(?P<rel>{rel}))?",
        "decade": rf"{prep}(?:(?:اواخر|اوائل|منتصف|مطلع)\s+)?(?:{alt('decade')})"
                  r"(?:\s+(?:من\s+)?القرن\s+(?:الماضي|العشرين|المنصرم))?",
        "year": rf"{prep}(?:[لب]?(?:عام|العام|سنه|السنه))\s+(?P<year>{_YEAR})",
        "bare_year": rf"[وف]?(?:في|منذ|بين|حتي|قبل|بعد|خلال|مطلع|اواخر|اوائل|منتصف)\s+(?P<year>{_YEAR})",
        "year_from": rf"[وف]?من\s+(?P<year>{_YEAR})(?=\s+(?:الي|حتي|و)\s*{_YEAR})",
        "year_to": rf"(?:و|الي|حتي)\s+(?P<year>{_YEAR})",
        "relative": rf"{prep}(?:(?P<this>هذا|هذه)\s+)?(?P<unit>العام|الشهر|الاسبوع|السنه)(?:\s+(?P<rel>{rel}))?",
        "weekday": rf"{prep}[وف]?(?:(?P<part>{part})\s+)?(?:يوم\s+)?"
                   rf"(?:(?P<dayword>{alt('day')})(?:\s+(?:\(\s+)?(?P<wd1>{weekday})(?:\s+\))?)?"
                   rf"|(?P<wd2>{weekday})(?:\s+(?P<wd3>{weekday}))?)"
                   rf"(?:\s+(?P<rel>{rel}))?(?:\s+{dated})?",
        "present": rf"{prep}[وف]?(?:{alt('present')})",
        "vague": rf"{prep}[وف]?(?:{alt('vague')})",
        "anaphora": rf"[وف]?(?:{alt('anaphora')})",
        "period": rf"[وف]?(?P<period>{alt('period')})",
        "plural": rf"{prep}(?:ال)?(?P<unit>{dual_or_plural})\s+(?:{rel_plural})",
        "duration": rf"[وف]?(?P<opener>{alt('duration')})\s+(?:(?:{alt('about')})\s+)?(?:(?P<num>{num})\s+)?"
                    rf"(?P<unit>{unit})(?:\s+(?:{alt('measure')}))?",
        "counted": rf"(?:(?:{alt('about')})\s+)?[وفلب]?(?P<num>{num})\s+(?P<unit>{unit})(?:\s+(?:{alt('measure')}))?",
        "dual": rf"(?P<unit>{dual})",
        "for_units": rf"ل(?P<unit>{plural})",
        "units_before": rf"(?P<unit>{plural})(?=\s+(?:قبل|بعد)\s)",
        "in_one": rf"[وف]?في\s+(?P<unit>{single})(?:\s+واحد)?(?=\s+[^\s{_L}\d]|\s*$)",
    }


_EDGES = frozenset({"مطلع", "بدايه", "نهايه", "منتصف", "اواخر", "اوائل", "اواسط", "مستهل"})
"""Prepositions naming an edge of a period: with «العام», «الشهر», «الأسبوع» alone they mean the current one."""

_NAMED = re.compile(r"\(\?P<\w+>")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    """All kinds as one pattern, each kind a named group (its inner groups unnamed)."""
    kinds = "|".join(f"(?P<{k}>{_NAMED.sub('(?:', p)})" for k, p in _kinds().items())
    return re.compile(rf"(?<![{_L}\d])(?:{kinds})(?![{_L}])")


@lru_cache(maxsize=1)
def _readers() -> dict[str, re.Pattern]:
    """The pattern of each kind alone, to read a match of that kind."""
    return {k: re.compile(p) for k, p in _kinds().items()}


_ANCHOR_WORDS = ("العام", "الشهر", "الاسبوع", "السنه", "عام", "سنه", "الفتره", "عشر")
"""Words every time expression holds one of, besides the words of the data files (see :func:`_view_anchors`)."""


@lru_cache(maxsize=1)
def _view_anchors():
    """Anchor words as word endings in a scan view (so «لعام» and «وحينها» are found): every
    month and unit, and the last word of every phrase of the roles an expression may end with."""
    import ahocorasick

    w = _time_words()
    last_words = {p.split()[-1] for role in ("weekday", "day", "present", "vague", "decade", "season",
                                            "anaphora", "period", "number", "ordinal") for p in w[role]}
    auto = ahocorasick.Automaton()
    for word in set(_ANCHOR_WORDS) | set(_units()) | {m.split()[-1] for m in _months()} | last_words:
        auto.add_word(word + " ", 0)
    auto.make_automaton()
    return auto


_LOOK_BACK = 7
"""Tokens before an anchor where an expression may start («في الرابع عشر من تموز / يوليو»)."""


@lru_cache(maxsize=1 << 16)
def _may_start(word: str) -> bool:
    """Whether a time expression can begin with the token ``word`` (as the scan view holds
    it, two spaces after it): whether the pattern matches the word and its spaces, or
    would match them were the text longer (a partial match, :mod:`regex`). Few words can
    (a preposition, a number, a month, a weekday ...): the pattern is tried only at them.

    Example:
        >>> [_may_start(w) for w in ("في", "2018", "مايو", "الرئيس")]
        [True, True, True, False]
    """
    return _partial_pattern().match(word + "  ", partial=True) is not None


@lru_cache(maxsize=1)
def _partial_pattern():
    """:func:`_pattern` compiled by :mod:`regex`, which can tell a partial match."""
    return regex.compile(_pattern().pattern, regex.V0)


def _time_matches_on_scan(sc: Scan) -> list[re.Match]:
    """The matches ``_pattern().finditer(view)`` would give, found by trying the pattern
    only at each anchor's token and the tokens before it (in the same text) that an
    expression may start with (:func:`_may_start`).

    Every kind of expression holds an anchor word (a month, a unit, a weekday, عام ...) or
    a year of four digits.
    """
    pattern = _pattern()
    ends = np.fromiter(chain.from_iterable(_view_anchors().iter_long(sc.view)), np.int64)[0::2]
    years = np.flatnonzero((sc.tok_kind == DIGIT) & (sc.tok_vend - sc.tok_view == 4))
    anchors = np.union1d(sc.token_at(ends - 1), years)
    tok_view, tok_doc, words = sc.tok_view, sc.tok_doc, sc.words
    out, done = [], 0
    for a in anchors.tolist():
        a_view = int(tok_view[a])
        if a_view < done:
            continue
        for s in range(max(0, a - _LOOK_BACK), a + 1):
            if tok_doc[s] != tok_doc[a] or tok_view[s] < done or not _may_start(words[s]):
                continue
            m = pattern.match(sc.view, int(tok_view[s]))
            if m and m.end() > a_view:
                out.append(m)
                done = m.end()
                break
    return out


# --- Resolution ----------------------------------------------------------------------------
def _step(rel: str | None) -> int | None:
    return _relative()[" ".join(rel.split())] if rel else None


def _day_value(year: int, month: int, day: int) -> str:
    """``YYYY-MM-DD``, or empty for a day the calendar has not («30 فبراير»)."""
    try:
        return _iso_day(dt.date(year, month, day))
    except ValueError:
        return ""


def _resolve_day(pub: pd.Timestamp | None, day: int, month: int, year: int | None, rel: str | None,
                 future: bool = False) -> str:
    """A day of a month: its own year, else the publication year as «الماضي», «المقبل»
    or a future sentence (``future``: the day on or after publication) move it."""
    if not 1 <= day <= 31:
        return ""
    if year:
        return _day_value(year, month, day)
    if pub is None:
        return ""
    y, step = pub.year, _step(rel)
    if step is None and future:
        this_year = _day_value(y, month, day)
        if this_year and pd.Timestamp(this_year) < pub - dt.timedelta(days=14):
            return _day_value(y + 1, month, day)  # «ستعقد في 12 مارس» in May: next March
        return this_year  # a plan reported from the last two weeks stays this year's
    if step is not None and step < 0 and (month > pub.month or (month == pub.month and day > pub.day)):
        y -= 1  # «4 يناير الماضي»: the last 4 January before publication
    elif step is not None and step > 0 and (month < pub.month or (month == pub.month and day < pub.day)):
        y += 1
    elif step is None and (month, day) > (pub.month, pub.day + 7):
        y -= 1  # an undated day later in the year than publication is last year's
    return _day_value(y, month, day)


def _resolve_month(pub, month: int, year: int | None, rel: str | None, future: bool = False) -> str:
    """A month: its own year, else the publication year as «الماضي», «المقبل» or a future
    sentence (``future``: this month or a later one) move it."""
    if year:
        return f"{year:04d}-{month:02d}"
    if pub is None:
        return ""
    y, step = pub.year, _step(rel) or 0
    if step < 0 and month >= pub.month:
        y -= 1  # «يناير الماضي» in January is last year's: this month is «الجاري»
    elif step > 0 and month <= pub.month:
        y += 1
    elif rel is None and future and month < pub.month:
        y += 1
    elif rel is None and not future and month > pub.month:
        y -= 1
    return f"{y:04d}-{month:02d}"


def _shift_month(pub, step: int) -> tuple[int, int]:
    year, month = divmod(pub.year * 12 + pub.month - 1 + step, 12)
    return year, month + 1


def _resolve_relative(pub, unit: str, rel: str | None, this: bool) -> str:
    step = 0 if this or rel is None else _step(rel)
    if pub is None:
        return ""
    if unit in ("العام", "السنه"):
        return f"{pub.year + step:04d}"
    if unit == "الشهر":
        return "%04d-%02d" % _shift_month(pub, step)
    iso = (pub + dt.timedelta(weeks=step)).isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _iso_day(d) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


def _resolve_weekday(pub, weekday: int, step: int | None, future: bool = False) -> str:
    """The nearest such day on or before publication; strictly before with «الماضي», after
    with «المقبل» (on or after when the sentence speaks of the future)."""
    if pub is None:
        return ""
    if step is not None and step > 0:
        delta = (weekday - pub.weekday()) % 7 or 7
    elif future and step is None:
        delta = (weekday - pub.weekday()) % 7
    else:
        delta = -((pub.weekday() - weekday) % 7 or (7 if step is not None and step < 0 else 0))
    return _iso_day(pub + dt.timedelta(days=delta))


def _ordinal_day(text: str) -> int:
    """The day a numeral or ordinal of :func:`_kinds`' ``day`` says («الرابع عشر» -> 14)."""
    words = text.split()
    if words[-1].isdigit():
        return int(words[-1])
    ordinals = _time_words()["ordinal"]
    value = int(ordinals[words[0]])
    if len(words) > 1 and words[1] == "عشر":
        value += 10
    elif len(words) > 1 and words[1].startswith("و"):
        value += int(ordinals[words[1][1:]])
    return value


def _count(num: str | None, unit: str) -> tuple[str, int | str | None]:
    """``(designator, count)`` of a unit with its number: 'X' for a vague count, None when
    the unit needs a number it does not have."""
    letter, n = _units()[unit]
    if num:
        n = int(num) if num.isdigit() else _time_words()["number"][num]
        n = int(n) if n != "X" else "X"
    elif n == "#":
        return letter, None
    return letter, "X" if n is None else n


def _period(letter: str, n) -> str:
    if letter in "HN":
        return f"PT{n}{'H' if letter == 'H' else 'M'}"
    return f"P{n}{letter}"


def _before(pub, letter: str, n) -> str:
    """The point ``n`` units before publication («قبل عامين»), at the unit's precision."""
    if n == "X":
        return "PAST_REF"
    if pub is None:
        return ""
    if letter == "Y":
        return f"{pub.year - n:04d}"
    if letter == "M":
        return "%04d-%02d" % _shift_month(pub, -n)
    if letter == "W":
        iso = (pub - dt.timedelta(weeks=n)).isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if letter == "D":
        return _iso_day(pub - dt.timedelta(days=n))
    return _iso_day(pub)  # hours or minutes ago: the publication day (its hour is not known)


def _resolve_season(pub, start_month: int, year: int | None, rel: str | None, this: bool) -> str:
    """A season at year precision (the codebook has no season value): the year it starts in."""
    if year:
        return f"{year:04d}"
    if pub is None:
        return ""
    step = 0 if this else _step(rel)
    current = pub.year if pub.month >= start_month else pub.year - 1  # its latest start on or before publication
    if step < 0:
        return f"{current - 1 if current == pub.year and pub.month < start_month + 3 else current:04d}"
    if step > 0:
        return f"{current + 1:04d}"
    return f"{pub.year:04d}"


def _previous_word(view: str, pos: int) -> str:
    words = view[max(0, pos - 40):pos].split()
    return words[-1] if words else ""


def _next_word(view: str, pos: int) -> str:
    words = view[pos:pos + 40].split()
    return words[0] if words else ""


@lru_cache(maxsize=1)
def _future() -> re.Pattern:
    """A word that puts its sentence in the future: «سوف», «المقرر», or a verb with the
    future prefix «سـ» (``stem`` rows: «سيعقد», «ستبدأ», «سيلتقيان»)."""
    w = _time_words()["future"]
    words = _alternation([k for k, v in w.items() if v == "word"], longest_first=True)
    stems = _alternation([k for k, v in w.items() if v == "stem"], longest_first=True)
    return re.compile(rf"[وف]?(?:{words}|س[يتن](?:{stems})(?:ون|ان|ين)?)")


def _of_something(word: str) -> bool:
    """Whether the word after «يوم», «شهر», «أسبوع» (no number) makes it the day or month of
    something: a definite noun («يوم الانتخابات») or a month of the Hijri calendar («شهر رمضان»)."""
    return word.startswith("ال") or word in _time_words()["hijri"]


def _in_future(view: str, pos: int) -> bool:
    """Whether the twelve words of the sentence before ``pos`` put it in the future
    (:func:`_future`), not in a future seen from the past («كان من المقرر أن يسافر»)."""
    sentence = re.split(r"[.!?؟¶]", view[max(0, pos - 120):pos])[-1].split()
    window = sentence[-12:]
    said = [k for k, t in enumerate(window) if _future().fullmatch(t)]
    return bool(said) and not any(t in ("كان", "كانت", "وكان", "وكانت") for t in window[:said[0]])


def _resolve(kind: str, m: re.Match, pub, last: str) -> tuple[str, str, str] | None:
    """``(label, value, note)`` of one time expression match, or None to drop it."""
    g = _readers()[kind].match(m.string, m.start(kind)).groupdict()
    months, words = _months(), _time_words()
    view = m.string
    label, value, note = "DATE", "", ""
    if kind == "full":
        month = months[" ".join(g["month"].split())]
        day = _ordinal_day(g["day"])
        if g["every"]:
            return label, f"XXXX-{month:02d}-{day:02d}" if _day_value(2000, month, day) else "", "every year"
        value = _resolve_day(pub, day, month, int(g["year"]) if g["year"] else None, g["rel"],
                             not g["year"] and not g["rel"] and _in_future(view, m.start(kind)))
    elif kind == "day_of_month":
        if not (g["this"] or g["rel"]):
            return None  # «الأول من الشهر» with no month named
        month = _resolve_relative(pub, "الشهر", g["rel"], bool(g["this"]))
        day = _ordinal_day(g["day"])
        value = _day_value(*map(int, month.split("-")), day) if month else ""
    elif kind == "month":
        has_prep = not m.group(kind).startswith(g["month"])
        if not (g["year"] or g["rel"] or g["pair"] or has_prep):
            return None  # a bare «مارس» may be the verb
        value = _resolve_month(pub, months[" ".join(g["month"].split())], int(g["year"]) if g["year"] else None,
                               g["rel"], not g["year"] and not g["rel"] and _in_future(view, m.start(kind)))
    elif kind == "season":
        if not (g["this"] or g["rel"] or g["year"]):
            return None  # «الربيع العربي» is no date
        if not g["season"].startswith("ال") and not g["year"]:
            return None
        value = _resolve_season(pub, int(words["season"][g["season"]]), int(g["year"]) if g["year"] else None,
                                g["rel"], bool(g["this"]))
        note = "season, at year precision"
    elif kind == "decade":
        after = view[m.end(kind):m.end(kind) + 40].split()[:2]
        if after and (after[0].startswith(("عمر", "العمر")) or after[:1] == ["من"] and len(after) > 1
                      and after[1].startswith(("عمر", "العمر"))):
            return None  # «في الخمسينيات من عمره»: an age
        value, note = "PAST_REF", "decade (no codebook value)"
    elif kind in ("year", "bare_year", "year_from"):
        value = g["year"]
    elif kind == "year_to":
        return label, g["year"], "end of a range"  # kept only right after a year (see date_columns)
    elif kind == "relative":
        edge = set(m.group(kind).split()[:-1]) & _EDGES
        if not (g["this"] or g["rel"] or edge):
            return None  # «العام» alone is not a time expression; «مطلع العام» is this year's start
        value = _resolve_relative(pub, g["unit"], g["rel"], bool(g["this"]))
    elif kind == "weekday":
        before, after = _previous_word(view, m.start(kind)), _next_word(view, m.end(kind))
        if before in words["not_before"] and not g["part"]:
            return None  # «صلاة الجمعة», «روسيا اليوم»
        dayword = " ".join(g["dayword"].split()) if g["dayword"] else None
        if dayword == "اليوم" and not g["wd1"] and (after in words["not_after"] or
                                                   (after.startswith("ال") and after not in words["weekday"])):
            return None  # «اليوم الأول», «اليوم العالمي», «اليوم ذاته»
        if g["wday"]:
            return label, _resolve_day(pub, int(g["wday"]), months[" ".join(g["wmonth"].split())],
                                       int(g["wyear"]) if g["wyear"] else None, None), ""
        if dayword:
            value = _iso_day(pub + dt.timedelta(days=int(words["day"][dayword]))) if pub is not None else ""
        else:
            second = g["wd3"]
            wd = int(words["weekday"][second if second else g["wd2"]])
            future = _in_future(view, m.start(kind))
            value = _resolve_weekday(pub, wd, _step(g["rel"]), future and not second)
            if second and value:  # «ليل الخميس الجمعة»: the night from the first day to the second
                value = _iso_day(pd.Timestamp(value) - dt.timedelta(days=1))
            note = "future: on or after publication" if future and not second and not g["rel"] else ""
    elif kind == "present":
        value = _iso_day(pub) if pub is not None else ""
    elif kind == "vague":
        text = " ".join(m.group(kind).split())
        if text.endswith("قريبا") and _next_word(view, m.end(kind)) in ("من", "منه", "منها", "عن"):
            return None  # «قريباً من الحدود»: near, not soon
        after = _next_word(view, m.end(kind))
        if text.endswith("سابق") and (after in ("هذا", "هذه") or after in words["day"] or after in words["weekday"]):
            return None  # «في وقت سابق هذا الشهر», «… اليوم»: the date after it names the time
        value = next(v for p, v in sorted(words["vague"].items(), key=lambda kv: -len(kv[0])) if p in text)
    elif kind == "anaphora":
        value, note = last, "anaphoric: the previous date"
    elif kind == "period":
        label, value, note = "DURATION", words["period"][" ".join(g["period"].split())], "vague period"
    elif kind == "plural":
        letter, n = _count(None, g["unit"])
        label, value, note = "DURATION", _period(letter, n), "vague period" if n == "X" else ""
    elif kind in ("duration", "counted", "dual", "for_units", "units_before", "in_one"):
        letter, n = _count(g.get("num"), g["unit"])
        if n is None:
            return None  # «عاما» with no number is the adjective «general»
        if kind == "duration" and not g["num"] and _units()[g["unit"]][1] == 1 \
                and _of_something(_next_word(view, m.end(kind))):
            return None  # «منذ يوم القسم», «خلال شهر رمضان»: the day or month of something
        opener = " ".join(g["opener"].split()) if g.get("opener") else ""
        if opener == "قبل" and _next_word(view, m.end(kind)) not in ("من", "علي"):
            return label, _before(pub, letter, n), "point before publication"
        label, value = "DURATION", _period(letter, n)
    return label, value, note


def _timestamp(published):
    """The publication day as a naive timestamp at midnight (its own wall-clock day), or None."""
    if published is None or pd.isna(published):
        return None
    ts = pd.Timestamp(published)
    return (ts.tz_localize(None) if ts.tzinfo is not None else ts).normalize()


_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?")


def date_columns(sc: Scan, published: list) -> dict[str, np.ndarray]:
    """Time expressions of every text of a scan with type (DATE|DURATION) and ISO value.

    Relative expressions («يوليو الجاري», «أكتوبر الماضي», «العام الماضي», «هذا الأسبوع»,
    «الثلاثاء», «أمس») resolve against the text's publication date; a duration gets an
    ISO-8601 period (``P2M`` for «منذ نحو شهرين», ``PXY`` for «بعد سنوات»); «حينها» takes
    the previous date's value. What cannot be resolved keeps an empty value and the text.

    Args:
        sc: The scan.
        published: Publication date of each text (None when unknown).

    Returns:
        Arrays ``start, end, label, value, note`` (offsets into ``sc.text``).

    Example:
        >>> from akhbar.scan import scan
        >>> sc = scan("وصل الوفد في يوليو الجاري بعد محادثات استمرت منذ نحو شهرين، والتقى الوزير الأحد")
        >>> found = date_columns(sc, [pd.Timestamp("2020-07-21")])
        >>> found["label"].tolist(), found["value"].tolist()
        (['DATE', 'DURATION', 'DATE'], ['2020-07', 'P2M', '2020-07-19'])
    """
    pubs = [_timestamp(p) for p in published]
    rows, last, last_doc = [], "", -1
    matches = _time_matches_on_scan(sc)
    vs = np.array([m.start() for m in matches], np.int64)
    ve = np.array([m.end() for m in matches], np.int64)
    starts, ends = sc.original(vs, ve) if matches else (vs, ve)
    docs = sc.doc_of(starts).tolist()
    keep, prev_year_end = [], -10
    for n, (m, doc) in enumerate(zip(matches, docs)):
        if doc != last_doc:
            last, last_doc = "", doc
        kind = m.lastgroup
        if kind == "year_to" and m.start() > prev_year_end + 2:
            continue  # «و1988» is a date only as the end of a range («بين 1980 و1988»)
        found = _resolve(kind, m, pubs[doc], last)
        if found is None:
            continue
        label, value, note = found
        prev_year_end = m.end() if kind in ("year", "bare_year", "year_from", "year_to") else -10
        if label == "DATE" and _ISO.fullmatch(value):
            last = value
        keep.append(n)
        rows.append((label, value, note))
    keep = np.array(keep, np.int64)
    cols = {"start": starts[keep] if keep.size else vs[:0], "end": ends[keep] if keep.size else ve[:0]}
    for i, name in enumerate(("label", "value", "note")):
        cols[name] = np.array([r[i] for r in rows], dtype=object)
    return cols
