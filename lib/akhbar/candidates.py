"""Actors the gazetteer misses: frequent name-like sequences after titles, with context."""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from .text import normalize, tokenize

TITLES = ("الرئيس", "الوزير", "المشير", "اللواء", "الشيخ", "رئيس", "وزير", "وزيره", "الدكتور",
          "الفريق", "العقيد", "الامير", "امير", "الملك", "المتحدث", "السفير", "المبعوث", "النائب",
          "زعيم", "قائد", "مستشار", "المستشار", "مساعده", "مندوب", "المندوب", "السيد", "السيده")
_TITLES = {normalize(t, ta_marbuta=True) for t in TITLES}
_SKIP_AFTER_TITLE = {"ال", "الي", "في", "من", "علي", "عن", "مع", "و"}


def suggest_actors(articles: pd.DataFrame, spans: pd.DataFrame, min_count: int = 1,
                   max_words: int = 3, top: int = 30) -> pd.DataFrame:
    """List name-like sequences the gazetteer does not know, most frequent first.

    Two sources: the 1-3 words after a title (الرئيس، الوزير، المشير، الشيخ ...) that
    are not already inside an entity span, and word n-grams (2-3 words, no stop words
    at either end) repeated in the corpus and not covered by any entity span.

    Returns:
        DataFrame ``candidate, count, articles, cue, example_article, kwic``.
    """
    from .text import stopwords

    stops = stopwords()
    covered = defaultdict(list)
    for aid, s, e in spans.loc[spans["layer"].isin(["entity", "date"]), ["article_id", "start", "end"]].itertuples(index=False):
        covered[aid].append((int(s), int(e)))
    counts, where, cue, example = Counter(), defaultdict(set), {}, {}

    def inside(aid, s, e):
        return any(cs < e and s < ce for cs, ce in covered[aid])

    for aid, text in zip(articles["article_id"], articles["text"]):
        toks = [t for t in tokenize(text)]
        for i, (s, e, kind, norm) in enumerate(toks):
            if kind != "word":
                continue
            bare = norm[1:] if norm[:1] in "وف" and norm[1:] in _TITLES else norm
            if bare in _TITLES:
                seq = []
                for t in toks[i + 1:i + 1 + max_words]:
                    if t[2] != "word" or t[3] in stops or t[3] in _SKIP_AFTER_TITLE or inside(aid, t[0], t[1]):
                        break
                    seq.append(t)
                if seq and not (len(seq) == 1 and seq[0][3].startswith("ال")):
                    key = text[seq[0][0]:seq[-1][1]]
                    counts[key] += 1
                    where[key].add(aid)
                    cue.setdefault(key, f"after «{text[s:e]}»")
                    example.setdefault(key, (aid, seq[0][0], seq[-1][1]))
        words = [t for t in toks if t[2] == "word"]
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0][3] in stops or gram[-1][3] in stops or any(g[3] in _TITLES for g in gram):
                    continue
                if text[gram[0][0]:gram[-1][1]].count("\n") or inside(aid, gram[0][0], gram[-1][1]):
                    continue
                key = text[gram[0][0]:gram[-1][1]]
                counts[key] += 0  # registered; counted below only if repeated
                where[key].add(aid)
                cue.setdefault(key, "repeated n-gram")
                example.setdefault(key, (aid, gram[0][0], gram[-1][1]))
                counts[("ngram", key)] += 1
    texts = dict(zip(articles["article_id"], articles["text"]))
    rows = []
    for key, n in counts.items():
        if isinstance(key, tuple):
            continue
        total = n if cue[key].startswith("after") else counts[("ngram", key)]
        if cue[key] == "repeated n-gram" and total < 2:
            continue
        if total < min_count:
            continue
        aid, s, e = example[key]
        t = texts[aid]
        rows.append({"candidate": key, "count": total, "articles": len(where[key]), "cue": cue[key],
                     "example_article": aid,
                     "kwic": " ".join(t[max(0, s - 40):s].split()[-5:]) + " [" + t[s:e] + "] "
                             + " ".join(t[e:e + 40].split()[:5])})
    df = pd.DataFrame(rows, columns=["candidate", "count", "articles", "cue", "example_article", "kwic"])
    df["_title"] = df["cue"].str.startswith("after")
    df = df.sort_values(["_title", "count", "candidate"], ascending=[False, False, True]).drop(columns="_title")
    return df.head(top).reset_index(drop=True)
