"""The timeline: dates the articles mention, placed on a calendar with the sentence around them."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ..text import sentence_spans


ISO_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?|-W(?P<w>\d{2}))?$")


def iso_start(value: str) -> tuple[pd.Timestamp | None, str]:
    """First day of an ISO date value and its precision: ``2020-W30`` -> (2020-07-20, week).

    Example:
        >>> day, precision = iso_start("2020-W30")
        >>> str(day.date()), precision
        ('2020-07-20', 'week')
        >>> iso_start("PAST_REF")
        (None, '')
    """
    m = ISO_DATE.match(value or "")
    if not m:
        return None, ""
    y = int(m["y"])
    if m["w"]:
        return pd.Timestamp(dt.date.fromisocalendar(y, int(m["w"]), 1)), "week"
    if m["d"]:
        return pd.Timestamp(y, int(m["m"]), int(m["d"])), "day"
    if m["m"]:
        return pd.Timestamp(y, int(m["m"]), 1), "month"
    return pd.Timestamp(y, 1, 1), "year"


def timeline(spans: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Dated events: DATE spans with an ISO value, with the sentence around each.

    Vague values (``PAST_REF``) and durations are left out; an anaphoric «حينها» in
    the same sentence as the date it repeats is dropped.

    Returns:
        DataFrame ``date, value, precision, article_id, surface, start, sentence``,
        sorted by date, article and offset.

    Example:
        >>> arts = akhbar.inputs.as_articles(["دخلت القوات طرابلس في 4 أبريل 2019."])
        >>> timeline(akhbar.annotate(arts), arts)[["value", "precision", "surface"]].values.tolist()
        [['2019-04-04', 'day', 'في 4 أبريل 2019']]
    """
    texts = dict(zip(articles["article_id"], articles["text"]))
    d = spans[(spans["layer"] == "date") & (spans["label"] == "DATE")]
    rows, sentences = [], {}
    for aid, s, value, surface in zip(d["article_id"], d["start"], d["value"], d["surface"]):
        date, precision = iso_start(value)
        if date is None or aid not in texts:
            continue
        text = texts[aid]
        if aid not in sentences:  # each article cut into sentences once, however many dates it has
            cut = sentence_spans(text)
            sentences[aid] = (np.array([a for a, _b in cut], np.int64), cut)
        starts, cut = sentences[aid]
        k = int(np.searchsorted(starts, s, side="right")) - 1
        sent = cut[k] if k >= 0 and cut[k][0] <= s < cut[k][1] else (s, s)
        rows.append((date, value, precision, aid, surface, int(s), " ".join(text[sent[0]:sent[1]].split())))
    df = pd.DataFrame(rows, columns=["date", "value", "precision", "article_id", "surface", "start", "sentence"])
    df["date"] = pd.to_datetime(df["date"])  # a datetime column even when no date was found
    df = df.drop_duplicates(["article_id", "value", "sentence"])
    return df.sort_values(["date", "article_id", "start"], kind="stable").reset_index(drop=True)
