"""Actors the gazetteer does not know yet: the pattern layer's proposals, ranked for review."""

from __future__ import annotations

import pandas as pd

from ..layers.entities import is_proposal, mark_counted

KWIC_WORDS = 6
"""Words of context on each side of a mention in :func:`new_actors`' lines."""
KWIC_CHARS = 20
"""Characters per word allowed when cutting the context (words are rarely longer)."""


def new_actors(spans: pd.DataFrame, articles: pd.DataFrame | None = None, lines: int = 3) -> pd.DataFrame:
    """Rank the names the pattern layer proposed (``source == "pattern"``), not yet reviewed.

    Each row is one proposed actor across all articles: how often and in how many
    articles it is named, the cue that found it, and keyword-in-context lines to judge
    it by. To confirm one, add it to your ``gazetteer/actors.csv`` (docs/gazetteer.md);
    to reject one, add its form there with ``kind=exclude``.

    Args:
        spans: From :func:`akhbar.annotate`.
        articles: The annotated articles; with them, each row gets KWIC lines.
        lines: KWIC lines per actor.

    Returns:
        DataFrame ``canonical_id, name, type, mentions, articles, cue, first_article,
        kwic``, most mentioned first (``kwic`` is a list of strings, «before [name] after»).

    Example:
        >>> import akhbar
        >>> arts = pd.DataFrame({"article_id": ["a"], "published": [None], "source": [""],
        ...     "text": ["قال المتحدث باسم الجيش سالم الورفلي إن الوضع مستقر. وأضاف الورفلي أن الحوار مستمر."]})
        >>> new_actors(akhbar.annotate(arts), arts)[["name", "mentions"]].values.tolist()
        [['سالم الورفلي', 2]]
    """
    found = spans[(spans["layer"] == "entity") & (spans["source"] == "pattern")]
    columns = ["canonical_id", "name", "type", "mentions", "articles", "cue", "first_article", "kwic"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    texts = dict(zip(articles["article_id"], articles["text"])) if articles is not None else {}
    would_count = mark_counted(found, proposals=True)  # as they would count once confirmed
    rows = []
    for cid, g in found.groupby("canonical_id", sort=False):
        longest = g.loc[g["surface"].str.len().idxmax(), "surface"]  # the full name, not the surname alone
        cues = g["note"].str.replace("pattern: ", "", regex=False)
        kwic = []
        for aid, s, e in list(zip(g["article_id"], g["start"], g["end"]))[:lines]:
            t = texts.get(aid)
            if t is not None:
                s, e = int(s), int(e)
                before = t[max(0, s - KWIC_CHARS * 3):s].split()[-KWIC_WORDS:]
                after = t[e:e + KWIC_CHARS * 3].split()[:KWIC_WORDS]
                kwic.append(" ".join(before) + " [" + t[s:e] + "] " + " ".join(after))
        rows.append({"canonical_id": cid, "name": longest, "type": g["type"].mode().iloc[0],
                     "mentions": int(would_count[g.index].sum()) or len(g),
                     "articles": g["article_id"].nunique(), "cue": cues.mode().iloc[0],
                     "first_article": g["article_id"].iloc[0], "kwic": kwic})
    out = pd.DataFrame(rows, columns=columns)
    out = out.sort_values(["mentions", "articles", "canonical_id"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True)


def proposals_left_out(spans: pd.DataFrame) -> pd.Series:
    """How many mentions of unreviewed proposals each article's counts leave out: the
    ``new:`` names that would count as actor mentions once confirmed in the project
    gazetteer (:func:`new_actors` lists them for review).

    Returns:
        Mentions per ``article_id`` (every article of ``spans``, 0 where none).

    Example:
        >>> import akhbar
        >>> spans = akhbar.annotate(["قال المتحدث باسم الجيش سالم الورفلي إن تركيا تدعم الحوار",
        ...                          "رحبت قطر بالاتفاق"])
        >>> proposals_left_out(spans).tolist()
        [1, 0]
    """
    left = is_proposal(spans) & mark_counted(spans, proposals=True)
    aids = pd.unique(spans["article_id"])
    return left.groupby(spans["article_id"]).sum().reindex(aids, fill_value=0).astype(int)
