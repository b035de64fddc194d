"""Paragraph themes (codebook section 3): one to three themes per paragraph from the cues
of ``data/themes.csv``, a layer of its own that reads the same scan as the others."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..matcher import PhraseMatcher
from ..resources import read_data
from ..scan import Scan, scan
from ..zones import paragraph_spans

THEMES = ("MIL", "DIP", "ECO", "LEG", "WAR", "AXIS", "DOM", "PROC")
THEMED_ZONES = ("title", "subhead", "body")
MAX_THEMES = 3
MIN_SCORE = 2
"""The least summed cue weight that gives a paragraph a theme: one generic word (weight 1) is not enough."""
THEME_COLUMNS = ["article_id", "para", "zone", "theme_1", "theme_2", "theme_3", "themes", "borderline", "scores",
                 "cues", "text"]


@lru_cache(maxsize=4)
def theme_matcher(path: str | None = None) -> PhraseMatcher:
    """The phrase matcher of the theme cues (the package's, or those of ``path``).

    Example:
        >>> from akhbar.scan import scan
        >>> cues = theme_matcher()
        >>> [cues.entries[e] for e in cues.find_in(scan("اتفاقية تعاون عسكري")).entry]
        [('اتفاقية', {'theme': 'ECO', 'weight': 1}), ('تعاون عسكري', {'theme': 'MIL', 'weight': 3})]
    """
    cues = read_data(path or "themes.csv")
    bad = cues[~cues["theme"].isin(THEMES)]
    if len(bad):
        raise ValueError(f"{path or 'akhbar/data/themes.csv'}: unknown theme {bad['theme'].iloc[0]!r}")
    entries = []
    for r in cues.to_dict("records"):
        payload = {"theme": r["theme"], "weight": int(r["weight"])}
        entries += [(form, payload) for form in with_pronouns(r["cue"])]
    return PhraseMatcher(entries)


def with_pronouns(cue: str) -> list[str]:
    """A theme cue and, for a one-word cue without ال or ``*``, its forms with an attached
    pronoun (``data/suffixes.csv``); a final ة is written ت before the pronoun.

    Example:
        >>> with_pronouns("سيطرة")[:3]
        ['سيطرة', 'سيطرته', 'سيطرتها']
        >>> with_pronouns("الزيارة"), with_pronouns("عسكري*")
        (['الزيارة'], ['عسكري*'])
    """
    cue = cue.strip()
    if " " in cue or cue.endswith("*") or cue.startswith("ال") or len(cue) < 3:
        return [cue]
    stem = cue[:-1] + "ت" if cue.endswith("ة") else cue
    return [cue] + [stem + s for s in _suffixes()]


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(read_data("suffixes.csv")["suffix"].str.strip())


def paragraph_themes(articles: pd.DataFrame, paras: pd.DataFrame | None = None,
                     path: str | None = None, sc: Scan | None = None) -> pd.DataFrame:
    """One to three themes per paragraph (codebook section 3) from ``data/themes.csv``.

    Themes are ranked by summed cue weight; ties go to the theme whose first cue comes
    earlier, then to codebook order (MIL DIP ECO LEG WAR AXIS DOM PROC). A theme needs
    a score of :data:`MIN_SCORE` (one generic word of weight 1 is not enough). Bylines,
    boilerplate and paragraphs without a theme get ``NONE``; a fourth theme, if any,
    is kept as ``borderline``.

    Args:
        articles: From :func:`akhbar.load_articles`.
        paras: From :func:`akhbar.paragraphs` (computed when None).
        path: Another themes CSV (same columns ``theme,cue,weight``).
        sc: The scan of the articles' texts, in table order, when the other layers have
            built it already (:func:`akhbar.pipeline.batches.annotate_batch`); built here otherwise.

    Returns:
        DataFrame ``article_id, para, zone, theme_1, theme_2, theme_3, themes,
        borderline, scores, cues, text``; ``themes`` joins the chosen themes with ``|``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["وقع البلدان اتفاقية تعاون عسكري وتدريب القوات"])
        >>> paragraph_themes(arts)[["zone", "themes", "scores", "cues"]].values.tolist()
        [['title', 'MIL', 'MIL:5 ECO:1 WAR:1', 'اتفاقية · تعاون عسكري · وتدريب · القوات']]
    """
    rows, texts = _paragraph_rows(articles, paras)
    sc = scan(texts) if sc is None else sc
    found = theme_matcher(path).find_in(sc)  # one pass over every article, not one per paragraph
    themed = [i for i, r in enumerate(rows) if r[2] in THEMED_ZONES]
    p_start = np.array([sc.starts[rows[i][6]] + rows[i][3] for i in themed], np.int64)
    p_end = np.array([sc.starts[rows[i][6]] + rows[i][4] for i in themed], np.int64)
    lo = np.searchsorted(found.start, p_start)
    hi = np.searchsorted(found.start, p_end)
    hit = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist())] or [np.zeros(0, int)])
    hit_row = np.repeat(np.asarray(themed, np.int64), hi - lo)
    # a cue listed under several themes scores for each, with its highest weight there
    table = _key_themes(path)
    count = table["count"][found.key[hit]]
    pos = np.repeat(table["offset"][found.key[hit]] - np.cumsum(count) + count, count) + np.arange(count.sum())
    scored = pd.DataFrame({"row": np.repeat(hit_row, count), "start": np.repeat(found.start[hit], count),
                           "theme": table["theme"][pos], "weight": table["weight"][pos]})
    scored = (scored.groupby(["row", "theme"], sort=False)
              .agg(score=("weight", "sum"), first=("start", "min")).reset_index()
              .sort_values(["row", "score", "first", "theme"], ascending=[True, False, True, True], kind="stable"))
    columns = {i: list(_NO_THEME) for i in themed}
    ranked: dict[int, list] = {}
    for row, theme, score in zip(scored["row"].tolist(), scored["theme"].tolist(), scored["score"].tolist()):
        ranked.setdefault(row, []).append((THEMES[theme], score))
    cues: dict[int, list] = {}
    for row, s_, e_ in zip(hit_row.tolist(), found.start[hit].tolist(), found.end[hit].tolist()):
        cues.setdefault(row, []).append(sc.text[s_:e_])
    for row, scored_themes in ranked.items():
        themes = [(t, score) for t, score in scored_themes if score >= MIN_SCORE]
        chosen = [t for t, _score in themes[:MAX_THEMES]] or ["NONE"]  # single generic words: no theme
        columns[row] = [*(chosen + ["", "", ""])[:MAX_THEMES], "|".join(chosen),
                        themes[MAX_THEMES][0] if len(themes) > MAX_THEMES else "",
                        " ".join(f"{t}:{score}" for t, score in scored_themes), " · ".join(cues[row])]
    out = [(aid, para, zone, *columns.get(i, _NO_THEME), text)
           for i, (aid, para, zone, _s, _e, text, _d) in enumerate(rows)]
    return pd.DataFrame(out, columns=["article_id", "para", "zone", "theme_1", "theme_2", "theme_3",
                                      "themes", "borderline", "scores", "cues", "text"])


@lru_cache(maxsize=4)
def _key_themes(path: str | None) -> dict[str, np.ndarray]:
    """For each key of the theme matcher, its ``(theme, weight)`` pairs as flat arrays:
    the pairs of key ``k`` are ``offset[k] - count[k] .. offset[k]`` (one pair per theme,
    the highest weight)."""
    matcher = theme_matcher(path)
    theme, weight, count = [], [], []
    for entries in matcher.key_entries:
        best: dict[int, int] = {}
        for n in entries:
            payload = matcher.entries[n][1]
            t = THEMES.index(payload["theme"])
            best[t] = max(best.get(t, 0), payload["weight"])
        theme += list(best)
        weight += list(best.values())
        count.append(len(best))
    count = np.asarray(count, np.int64)
    return {"theme": np.asarray(theme, np.int64), "weight": np.asarray(weight, np.int64),
            "count": count, "offset": np.cumsum(count)}


_NO_THEME = ("NONE", "", "", "NONE", "", "", "")
"""``theme_1 ... cues`` of a paragraph without any cue (or outside the themed zones)."""


def _paragraph_rows(articles: pd.DataFrame, paras: pd.DataFrame | None) -> tuple[list, list[str]]:
    """Paragraphs ``(article_id, para, zone, start, end, text, doc)`` in table order, and
    the article texts they index (``doc``).

    Without ``paras`` the texts are cut with :func:`paragraph_spans` as
    :func:`akhbar.paragraphs` cuts them, each paragraph indexing its own article row.
    """
    if paras is not None:
        texts = dict(zip(articles["article_id"], articles["text"]))
        doc = {aid: d for d, aid in enumerate(texts)}
        rows = [(*r, doc[r[0]]) for r in zip(*(paras[c] for c in ("article_id", "para", "zone", "start",
                                                                   "end", "text")))]
        return rows, list(texts.values())
    texts = list(articles["text"])
    sources = articles["source"] if "source" in articles else [""] * len(articles)
    rows = [(aid, para, zone, s, e, text[s:e], d)
            for d, (aid, text, source) in enumerate(zip(articles["article_id"], texts, sources))
            for para, zone, s, e in paragraph_spans(text, source)]
    return rows, texts
