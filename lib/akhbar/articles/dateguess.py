"""Publication dates that no metadata gives, guessed and marked as guessed.

An article with no ``published`` value gets one from, in order:

1. its file name, when the name holds one date (``CN-middleEast-305-20180319.txt``,
   ``2018-03-19-sisi.txt``): archives and scrapers name files this way;
2. its text: the latest day it names in full, with day, month and year («في 4 يونيو 2018»),
   since a report is written on or after the last day it tells of.

The column ``published_guess`` says where each date came from: ``""`` (given by the
metadata), ``"file name"`` or ``"text"``. Charts and tables show a guessed date with a
question mark (:func:`akhbar.article_labels`), so a reader never takes it for a given one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

GUESS_SOURCES = ("file name", "text")

_NAME_DATE = re.compile(r"(?<!\d)(19[89]\d|20\d\d)([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
"""YYYYMMDD or YYYY-MM-DD (also ``_`` or ``.``) standing apart from other digits, 1980 on."""
_FULL_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_in_name(name: str) -> pd.Timestamp:
    """The one date written in a file name, or NaT when there is none or more than one.

    Example:
        >>> date_in_name("CN-middleEast-305-20180319.txt")
        Timestamp('2018-03-19 00:00:00')
        >>> date_in_name("report-305.txt")
        NaT
    """
    found = {m.group(1) + m.group(3) + m.group(4) for m in _NAME_DATE.finditer(Path(name).stem)}
    if len(found) != 1:
        return pd.NaT
    return pd.to_datetime(found.pop(), format="%Y%m%d", errors="coerce")


def latest_named_day(text: str) -> pd.Timestamp:
    """The latest day a text names with day, month and year, or NaT.

    Example:
        >>> latest_named_day("وصل الوفد في 3 يونيو 2018، وغادر في 5 يونيو 2018.")
        Timestamp('2018-06-05 00:00:00')
    """
    return latest_named_days([text])[0]


def latest_named_days(texts: list[str]) -> list[pd.Timestamp]:
    """:func:`latest_named_day` of many texts, read by the date layer in one pass.

    Example:
        >>> latest_named_days(["في 3 يونيو 2018", "منذ عام 2015"])
        [Timestamp('2018-06-03 00:00:00'), NaT]
    """
    from ..layers.dates import date_columns  # the date layer alone, without a publication date
    from ..scan import scan

    texts = list(texts)
    sc = scan(texts)
    found = date_columns(sc, [None] * len(texts))
    doc = sc.doc_of(found["start"]) if len(found["start"]) else found["start"]
    dated = pd.DataFrame({"doc": doc, "label": found["label"], "value": found["value"]})
    dated = dated[(dated["label"] == "DATE") & dated["value"].astype(str).str.fullmatch(_FULL_DAY)]
    latest = pd.to_datetime(dated["value"], errors="coerce").groupby(dated["doc"]).max()
    return [latest.get(i, pd.NaT) for i in range(len(texts))]


def guess_missing_dates(articles: pd.DataFrame) -> pd.DataFrame:
    """Fill the missing ``published`` values by guessing, and say so in ``published_guess``.

    Returns:
        A copy of ``articles`` with ``published`` filled where a guess was found and a
        column ``published_guess``: ``""``, ``"file name"`` or ``"text"``.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a"], "path": ["x/a-20180319.txt"], "text": [""],
        ...                      "published": [pd.NaT]})
        >>> guess_missing_dates(arts)[["published", "published_guess"]].iloc[0].tolist()
        [Timestamp('2018-03-19 00:00:00'), 'file name']
    """
    out = articles.copy()
    guess = pd.Series("", index=out.index, dtype=object)
    undated = out.index[out["published"].isna()]
    by_name = pd.Series([date_in_name(str(p)) for p in out.loc[undated, "path"]], index=undated, dtype=object)
    rest = by_name.index[by_name.isna()]
    by_text = pd.Series(latest_named_days([str(t) for t in out.loc[rest, "text"]]) if len(rest) else [],
                        index=rest, dtype=object)  # every text the names leave undated, in one pass
    for found, how in ((by_name.dropna(), "file name"), (by_text.dropna(), "text")):
        out.loc[found.index, "published"] = pd.to_datetime(found.astype("datetime64[us]"))
        guess[found.index] = how
    out["published_guess"] = guess.astype(str)
    return out
