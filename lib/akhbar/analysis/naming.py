"""Names and labels: what to call an actor (its English name, its name in these articles) and an article
(date and source), the order articles are shown in and the groups a comparison sets against each other."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..layers.entities import actor_names, load_gazetteer
from ..matcher import match_key
from ..resources import read_data
from ..text import clitic_splits


@lru_cache(maxsize=1)
def _actor_keys() -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for cid, form in zip(*[load_gazetteer()[c] for c in ("canonical_id", "form")]):
        keys.setdefault(cid, set()).add(match_key(form))
    return keys


def strip_proclitics_ar(surface: str, *ids: str) -> str:
    """A mention without its proclitics: «للقيادة العامة» -> «القيادة العامة».

    The stem must be a gazetteer form of one of ``ids`` (canonical or literal ids, so
    names stay whole); the original spelling of the rest of the surface is kept.

    Example:
        >>> strip_proclitics_ar("للقيادة العامة", "lna")
        'القيادة العامة'
    """
    norm = match_key(surface)
    known = set().union(*[_actor_keys().get(i, set()) for i in ids])
    for prefix, stem in clitic_splits(norm):
        if prefix and stem in known:
            if stem.startswith("ال") and not norm[len(prefix):].startswith("ا"):
                return "ال" + surface[len(prefix) + 1:]  # لل = ل + ال
            return surface[len(prefix):]
    return surface


def actor_labels(spans: pd.DataFrame) -> pd.DataFrame:
    """How each actor is labelled in each article: titles, names and descriptions.

    ``title`` rows are TITLE framing cues aimed at the actor («المشير», «اللواء
    المتقاعد») with their polarity; ``name`` (NAM) and ``description`` (NOM) rows are
    the entity mentions, proclitics removed. Boilerplate and bylines are left out.

    Returns:
        DataFrame ``canonical_id, article_id, kind, form, polarity, n``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> labels = actor_labels(spans)
        >>> labels[labels["canonical_id"] == "khalifa_haftar"][["kind", "form", "polarity"]].values.tolist()
        [['title', 'المشير', '+'], ['name', 'خليفة حفتر', '']]
    """
    live = spans[~spans["zone"].isin(["boilerplate", "byline"])]
    ent = live[(live["layer"] == "entity") & live["label"].isin(["NAM", "NOM"])]
    rows = [(cid, aid, "name" if lab == "NAM" else "description", strip_proclitics_ar(s, cid, lit), "")
            for cid, lit, aid, lab, s in zip(ent["canonical_id"], ent["literal_id"], ent["article_id"],
                                             ent["label"], ent["surface"])]
    tit = live[(live["layer"] == "framing") & (live["label"] == "TITLE")]
    for aid, s, target, pol in zip(tit["article_id"], tit["surface"], tit["canonical_id"], tit["polarity"]):
        for cid in filter(None, target.split("|")):
            rows.append((cid, aid, "title", s.strip(), pol))
    df = pd.DataFrame(rows, columns=["canonical_id", "article_id", "kind", "form", "polarity"])
    out = df.groupby(["canonical_id", "article_id", "kind", "form", "polarity"]).size().rename("n").reset_index()
    kind_order = {"title": 0, "name": 1, "description": 2}
    out["_k"] = out["kind"].map(kind_order)
    out = out.sort_values(["canonical_id", "article_id", "_k", "n", "form"],
                          ascending=[True, True, True, False, True], kind="stable")
    return out.drop(columns="_k").reset_index(drop=True)


def article_order(articles: pd.DataFrame) -> list[str]:
    """Article ids by publication date (undated last), then id: the order of legends and columns.

    Example:
        >>> order = article_order(pd.DataFrame({"article_id": ["b", "a", "c"],
        ...     "published": pd.to_datetime(["2025-04-04", "2020-07-21", None])}))
        >>> order
        ['a', 'b', 'c']
    """
    dated = articles[["article_id", "published"]].sort_values(["published", "article_id"],
                                                              na_position="last", kind="stable")
    return list(dated["article_id"])


def article_labels(articles: pd.DataFrame) -> pd.Series:
    """Short label of each article for charts and tables: «2020-07-21 التغيير».

    The publication date and the source; without a source, the first three words of
    the title; without a date, the article id. A guessed date (``published_guess``, see
    :mod:`akhbar.articles.dateguess`) ends in «?». Bidi overrides, isolates and marks in the
    metadata are removed: a label must not reorder the page around it.

    Example:
        >>> article_labels(pd.DataFrame({"article_id": ["a", "b"],
        ...     "published": pd.to_datetime(["2020-07-21", None]), "source": ["التغيير", ""],
        ...     "title": ["", "حفتر يعلن الهجوم على طرابلس"]})).tolist()
        ['2020-07-21 التغيير', 'b حفتر يعلن الهجوم']
    """
    out = {}
    guessed = articles["published_guess"] if "published_guess" in articles else [""] * len(articles)
    for aid, pub, src, title, guess in zip(articles["article_id"], articles["published"],
                                           articles["source"], articles["title"], guessed):
        day = pub.date().isoformat() + ("?" if guess else "") if pd.notna(pub) else aid
        name = src or " ".join(str(title).split()[:3])
        out[aid] = _BIDI_CONTROLS.sub("", f"{day} {name}").strip()
    return pd.Series(out, name="label")


_BIDI_CONTROLS = re.compile("[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]")
"""Marks, embeddings, overrides and isolates (LRM RLM LRE RLE PDF LRO RLO LRI RLI FSI PDI ALM)."""


def article_groups(articles: pd.DataFrame, by=None) -> dict[str, list[str]]:
    """The groups of articles a comparison sets against each other, named.

    ``by`` is ``None`` (the earliest article, named by its label, against all the others), ``"source"`` (one
    group per outlet, in order of their first article), ``"period"`` (the earlier and the
    later half of the articles by publication date; undated articles left out), or two
    lists of article ids (``[["a1", "a2"], ["b1"]]``, named «group 1» and «group 2»).

    Raises:
        ValueError: an unknown ``by``, an unknown article id, or fewer than two groups.

    Example:
        >>> arts = pd.DataFrame({"article_id": ["a", "b", "c"], "source": ["BBC", "CNN", "BBC"],
        ...                      "published": pd.to_datetime(["2018-03-01", "2018-05-01", "2018-07-01"])})
        >>> article_groups(arts)
        {'a': ['a'], 'the other 2 articles': ['b', 'c']}
        >>> article_groups(arts, "source")
        {'BBC': ['a', 'c'], 'CNN': ['b']}
        >>> article_groups(arts, "period")
        {'2018-03-01': ['a'], '2018-05-01 to 2018-07-01': ['b', 'c']}
        >>> article_groups(arts, [["a"], ["c"]])
        {'group 1': ['a'], 'group 2': ['c']}
    """
    order = article_order(articles)
    if by is None or (isinstance(by, str) and by in ("", "first")):
        if len(order) < 2:
            raise ValueError("a comparison needs two groups of articles; only one article was given")
        rest, names = order[1:], article_labels(articles) if "source" in articles and "title" in articles else {}
        return {names.get(order[0], order[0]): order[:1],
                (names.get(rest[0], rest[0]) if len(rest) == 1 else f"the other {len(rest)} articles"): rest}
    if isinstance(by, str) and by == "source":
        src = articles.set_index("article_id")["source"].fillna("").astype(str).str.strip()
        groups: dict[str, list[str]] = {}
        for aid in order:
            groups.setdefault(src[aid] or "(no source)", []).append(aid)
    elif isinstance(by, str) and by == "period":
        dated = [a for a in order if pd.notna(articles.set_index("article_id")["published"][a])]
        when = articles.set_index("article_id")["published"]
        half = max(len(dated) // 2, 1)
        groups = {}
        for part in (dated[:half], dated[half:]):
            if part:
                first, last = when[part[0]].date(), when[part[-1]].date()
                groups[str(first) if first == last else f"{first} to {last}"] = part
    elif isinstance(by, (list, tuple)) and len(by) == 2 and all(isinstance(g, (list, tuple)) for g in by):
        unknown = sorted({a for g in by for a in g} - set(order))
        if unknown:
            raise ValueError(f"compare_by: no article {unknown[0]!r} (known: {order[:5]})")
        groups = {f"group {i}": [a for a in order if a in set(g)] for i, g in enumerate(by, 1)}
        if set(groups["group 1"]) & set(groups["group 2"]):
            raise ValueError("compare_by: the two groups share articles")
    else:
        raise ValueError(f"compare_by must be None, 'source', 'period' or two lists of article ids, not {by!r}")
    groups = {k: v for k, v in groups.items() if v}
    if len(groups) < 2:
        raise ValueError(f"compare_by={by!r}: these articles make only one group")
    return groups


def own_names(spans: pd.DataFrame) -> pd.Series:
    """The name each actor goes by in these articles: its commonest proclitic-free name
    mention (NAM; bylines and boilerplate left out), ties to the earliest mention.

    Charts and tables label an actor with it (beside the English name), so an actor is
    shown as the loaded articles write it, not as the gazetteer lists it first. A form
    the framing lexicon codes as a label («برلمان طبرق»), or one opening with an
    evaluative cue («ميليشيات الحوثي»), is passed over for the next form. Actors the
    articles never name (only describe or target) are not in it.

    Example:
        >>> spans = akhbar.annotate(akhbar.inputs.as_articles(
        ...     ["قال المشير حفتر إن قوات حفتر تتقدم، وإن المشير خليفة حفتر يقود الهجوم."]))
        >>> own_names(spans)["khalifa_haftar"]
        'حفتر'
    """
    live = spans[(spans["layer"] == "entity") & (spans["label"] == "NAM")
                 & ~spans["zone"].isin(["boilerplate", "byline"]) & (spans["canonical_id"] != "")]
    if live.empty:
        return pd.Series(dtype="str", name="name")
    lits = live["literal_id"] if "literal_id" in live else live["canonical_id"]
    forms = [" ".join(strip_proclitics_ar(s, cid, lit).replace("_", " ").split())
             for s, cid, lit in zip(live["surface"], live["canonical_id"], lits)]
    df = pd.DataFrame({"canonical_id": live["canonical_id"].to_numpy(), "form": forms,
                       "order": np.arange(len(live))})
    df = df[[not _coded(f) for f in df["form"]]]
    ranked = (df.groupby(["canonical_id", "form"]).agg(n=("order", "size"), first=("order", "min")).reset_index()
              .sort_values(["canonical_id", "n", "first"], ascending=[True, False, True], kind="stable"))
    return ranked.drop_duplicates("canonical_id").set_index("canonical_id")["form"].rename("name")


@lru_cache(maxsize=1)
def _lexicon_keys() -> tuple[frozenset, tuple[str, ...]]:
    """The framing lexicon's cues as match keys: whole cues, and the opening words of the
    evaluative (+ or -) ones (a trailing ``*`` kept as a prefix)."""
    from ..resources import read_data

    lex = read_data("framing_lexicon.csv")
    whole = frozenset(match_key(c.rstrip("*")) for c in lex["cue"].astype(str))
    opening = tuple(sorted({match_key(c.rstrip("*")) + ("" if c.endswith("*") else " ")
                            for c, pol in zip(lex["cue"].astype(str), lex["polarity"].astype(str)) if pol in "+-"}))
    return whole, opening


def _coded(form: str) -> bool:
    """Whether a name form is a framing-lexicon label, or opens with an evaluative cue."""
    whole, opening = _lexicon_keys()
    key = match_key(form)
    return key in whole or (key + " ").startswith(opening)


def actor_display(cids, spans: pd.DataFrame) -> list[str]:
    """Table labels of actors: the articles' own Arabic name (:func:`own_names`) and the
    English name, «حفتر · Khalifa Haftar»; an actor the articles never name shows the
    English name alone, a speaker without an actor «(unnamed)».

    Example:
        >>> spans = akhbar.annotate(akhbar.inputs.as_articles(["قال حفتر إن قواته تتقدم."]))
        >>> actor_display(["khalifa_haftar", "turkey", ""], spans)
        ['حفتر · Khalifa Haftar', 'Turkey', '(unnamed)']
    """
    own, english = own_names(spans), actor_names()
    out = []
    for cid in cids:
        if not cid:
            out.append("(unnamed)")
            continue
        en = "(not yet reviewed)" if cid.startswith("new:") else english.get(cid, cid)
        ar = own.get(cid, "") or (cid[4:].replace("_", " ") if cid.startswith("new:") else "")
        out.append(f"{ar} · {en}" if ar else en)
    return out


@lru_cache(maxsize=1)
def arabic_names() -> pd.Series:
    """First Arabic name form of every canonical id in the gazetteer, never one the framing
    lexicon codes as a label (the House of Representatives is not «برلمان طبرق»). Charts
    prefer the articles' own name (:func:`own_names`); this is the fallback.

    Example:
        >>> arabic_names()[["turkey", "khalifa_haftar"]].tolist()
        ['تركيا', 'خليفة حفتر']
        >>> arabic_names()["hor"] != "برلمان طبرق"
        True
    """
    actors = load_gazetteer()
    # a form the framing lexicon codes as a label («برلمان طبرق», a localising name) never names the actor
    coded = set(read_data("framing_lexicon.csv")["cue"].str.strip())
    actors = pd.concat([actors[~actors["form"].isin(coded)], actors[actors["form"].isin(coded)]])
    names = actors[actors["kind"].isin(["name", "capital"])].drop_duplicates("canonical_id")
    rest = actors.drop_duplicates("canonical_id")
    return pd.concat([names, rest]).drop_duplicates("canonical_id").set_index("canonical_id")["form"]
