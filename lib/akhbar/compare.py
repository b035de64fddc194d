"""Comparing articles: theme shares, keyness, actors' labels, framing, quotes, networks, dates."""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .entities import load_gazetteer
from .matcher import match_key
from .text import clitic_splits, display_forms, sentence_spans
from .themes import MAX_THEMES, THEMED_ZONES, THEMES, paragraph_themes  # noqa: F401 (also importable from here)

if TYPE_CHECKING:  # networkx is imported where a graph is built, not with akhbar
    import networkx as nx

ISO_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?|-W(?P<w>\d{2}))?$")


def theme_matrix(themes: pd.DataFrame, by: str = "split") -> pd.DataFrame:
    """Share of each article's paragraphs per theme (title, subheads and body only).

    Args:
        themes: From :func:`paragraph_themes`.
        by: ``split`` (a paragraph's weight of 1 is shared equally by its themes; rows
            sum to 1), ``primary`` (only the first theme; rows sum to 1) or ``any``
            (share of paragraphs where the theme appears at all).

    Returns:
        DataFrame indexed by ``article_id`` with columns ``MIL ... PROC NONE``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق."])
        >>> theme_matrix(akhbar.paragraph_themes(arts)).loc["text1", ["DIP", "AXIS"]].tolist()
        [0.5, 0.5]
    """
    if by not in ("split", "primary", "any"):
        raise ValueError(f"by must be split, primary or any, got {by!r}")
    kept = themes[themes["zone"].isin(THEMED_ZONES)]
    rows = []
    for aid, t in zip(kept["article_id"], kept["themes"]):
        names = t.split("|")
        if by == "primary":
            names = names[:1]
        weight = 1 / len(names) if by == "split" else 1.0
        rows += [(aid, n, weight) for n in names]
    long = pd.DataFrame(rows, columns=["article_id", "theme", "w"])
    table = long.pivot_table(index="article_id", columns="theme", values="w", aggfunc="sum", fill_value=0.0)
    n = kept.groupby("article_id").size()
    table = table.reindex(index=sorted(themes["article_id"].unique()), columns=[*THEMES, "NONE"], fill_value=0.0)
    table = table.div(n.reindex(table.index), axis=0).fillna(0.0)
    table.columns.name = "theme"
    return table


# --- Keyness --------------------------------------------------------------------------
def log_likelihood(a, b, c: float, d: float):
    """Dunning's G2 on the 2x2 table [[a, c-a], [b, d-b]] (word vs other words, two corpora).

    ``a`` and ``b`` may be numbers or arrays (one table per word, computed at once).

    Example:
        >>> round(float(log_likelihood(20, 5, 100, 100)), 3)
        10.925
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = c + d
    k = a + b
    total = np.zeros(a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):  # an empty cell adds 0
        for o, e in ((a, c * k / n), (c - a, c * (n - k) / n), (b, d * k / n), (d - b, d * (n - k) / n)):
            total = total + np.where(o > 0, o * np.log(np.where(o > 0, o, 1) / e), 0.0)
    return 2 * total


def log_ratio(a, b, c: float, d: float, smooth: float = 0.5):
    """Hardie's binary log ratio log2((a/c)/(b/d)), with ``smooth`` added to a and b
    (numbers or arrays).

    Example:
        >>> round(float(log_ratio(20, 5, 100, 100)), 3)
        1.898
    """
    return np.log2(((np.asarray(a, dtype=float) + smooth) / c) / ((np.asarray(b, dtype=float) + smooth) / d))


def _ids(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x)


def williams_q(a, b, c, d):
    """Williams' (1976) correction factor ``q`` for the 2x2 tables of :func:`log_likelihood`.

    In the akhbar notation (``a``/``b`` the word in target/reference, ``c``/``d`` the two
    totals) the table is [[a, b], [c-a, d-b]] with N = c + d, row sums a+b and N-(a+b),
    column sums c and d, and

        q = 1 + (N/(a+b) + N/(N-a-b) - 1) * (N/c + N/d - 1) / (6N)

    (Williams 1976; Sokal and Rohlf, *Biometry*, G-test of independence; quanteda.textstats
    ``williams_correction`` in ``src/keyness.cpp``). The corrected statistic is G2 / q.
    Works element-wise on numbers or numpy arrays.

    Example:
        >>> round(float(williams_q(10, 20, 1000, 2000)), 6)
        1.019446
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    n = c + d
    k = a + b
    return 1 + (n / k + n / (n - k) - 1) * (n / c + n / d - 1) / (6 * n)


_erfc = np.frompyfunc(math.erfc, 1, 1)


G2_THRESHOLD = 6.63
"""G² above which a word's difference is significant at p < 0.01 (one degree of freedom)."""


def keyness(tokens: pd.DataFrame, target_ids, reference_ids=None, correction: str | None = None) -> pd.DataFrame:
    """Key words of a target group of articles against a reference group.

    Counts the ``base`` form of non-stop Arabic words. Each word gets Dunning's G2 on
    its 2x2 table and Hardie's log ratio (0.5 added to both frequencies). Computed on
    whole columns at once (numpy), so a corpus vocabulary costs no Python loop.

    With ``correction="williams"`` G2 is divided by Williams' ``q`` (:func:`williams_q`:
    q = 1 + (N/R1 + N/R2 - 1)(N/C1 + N/C2 - 1) / 6N for row sums R and column sums C of
    the word's 2x2 table, N the two groups' words together), which brings G2 closer to
    its chi-squared distribution for small counts; ``p`` then follows the corrected G2.
    This is quanteda.textstats' ``textstat_keyness(measure="lr", correction="williams")``,
    except that quanteda leaves a table with an empty cell (a word absent from one group)
    uncorrected while akhbar corrects every table alike (q needs only the margins), and
    quanteda's G2 is signed (akhbar gives ``side``). Note that quanteda's documentation calls
    Williams its default for ``"lr"``, but its code applies Yates' correction when
    ``correction="default"``: pass ``correction="williams"`` there to compare.

    Args:
        tokens: From :func:`akhbar.tokens`.
        target_ids: One article id or a list of them.
        reference_ids: The other group (default: every other article).
        correction: ``None`` (plain G2, the default) or ``"williams"``.

    Returns:
        DataFrame ``base, word, a, b, target_total, reference_total, g2, log_ratio, p,
        side`` sorted by G2 (then word); ``a``/``b`` are the word's frequencies in the
        target/reference, ``side`` says which group uses it relatively more.

    Example:
        >>> toks = akhbar.tokens(akhbar.inputs.as_articles(["حفتر يهاجم طرابلس وحفتر يتقدم.",
        ...                                                  "السراج يزور أنقرة."]))
        >>> keyness(toks, "text1", correction="williams")[["word", "a", "b"]].head(1).values.tolist()
        [['حفتر', 2, 0]]
    """
    if correction not in (None, "williams"):
        raise ValueError(f"keyness: correction must be None or 'williams', got {correction!r}")
    target = _ids(target_ids)
    reference = (sorted(set(tokens["article_id"]) - set(target)) if reference_ids is None
                 else _ids(reference_ids))
    if not target or not reference or set(target) & set(reference):
        raise ValueError("keyness needs two non-empty, disjoint groups of articles")
    unknown = sorted((set(target) | set(reference)) - set(tokens["article_id"]))
    if unknown:
        raise ValueError(f"keyness: no tokens for article ids {unknown[:5]} "
                         f"(known: {sorted(set(tokens['article_id']))[:5]}…)")
    words = tokens[(tokens["kind"] == "word") & ~tokens["stop"]]
    in_t = words[words["article_id"].isin(target)]["base"].value_counts()
    in_r = words[words["article_id"].isin(reference)]["base"].value_counts()
    c, d = int(in_t.sum()), int(in_r.sum())
    forms = display_forms(tokens[tokens["article_id"].isin(target + reference)])
    bases = sorted(set(in_t.index) | set(in_r.index))
    a = in_t.reindex(bases, fill_value=0).to_numpy(dtype=np.int64)
    b = in_r.reindex(bases, fill_value=0).to_numpy(dtype=np.int64)
    af, bf = a.astype(float), b.astype(float)
    g2 = log_likelihood(af, bf, float(c), float(d))
    if correction == "williams":
        g2 = g2 / williams_q(af, bf, c, d)
    out = pd.DataFrame({
        "base": pd.Series(bases, dtype="str"),
        "word": pd.Series(bases, dtype="str").map(forms).fillna(pd.Series(bases, dtype="str")),
        "a": a, "b": b, "target_total": np.full(len(bases), c, dtype=np.int64),
        "reference_total": np.full(len(bases), d, dtype=np.int64),
        "g2": g2,
        "log_ratio": log_ratio(af, bf, c, d),
        "p": _erfc(np.sqrt(g2 / 2)).astype(float) if len(bases) else np.zeros(0),
        "side": pd.Series(np.where(af / c > bf / d, "target", "reference"), dtype="str"),
    })
    out["g2"] = out["g2"].round(6)
    return out.sort_values(["g2", "base"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --- Actors ---------------------------------------------------------------------------
def actor_presence(spans: pd.DataFrame) -> pd.DataFrame:
    """Counted mentions of each actor per article, and where it is absent.

    Returns:
        DataFrame indexed by ``canonical_id``: one count column per article, then
        ``articles`` (how many mention it) and ``absent_from`` (ids joined with ``|``),
        sorted by how widely and how often the actor is named.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> actor_presence(spans).loc[["turkey"], ["text1", "text2", "absent_from"]].values.tolist()
        [[0, 1, 'text1']]
    """
    aids = sorted(spans["article_id"].unique())
    ent = spans[(spans["layer"] == "entity") & spans["counts"].astype(bool)]
    table = (ent.groupby(["canonical_id", "article_id"]).size().unstack(fill_value=0)
             .reindex(columns=aids, fill_value=0).astype(int))
    table.columns.name = None
    table["articles"] = (table[aids] > 0).sum(axis=1)
    table["absent_from"] = ["|".join(a for a in aids if row[a] == 0) for _, row in table[aids].iterrows()]
    total = table[aids].sum(axis=1)
    order = sorted(table.index, key=lambda c: (-table.at[c, "articles"], -total[c], c))
    return table.loc[order]


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


# --- Framing and quotes ---------------------------------------------------------------
LOW_CONFIDENCE_TARGET = "(low confidence)"
"""The target :func:`legitimacy_by_target` counts a cue under when its target was read by a
wider rule (``target_confidence`` ``low``), not linked to the cue directly."""


def _confident(f: pd.DataFrame) -> pd.Series:
    """Which framing spans have a target read from a direct link: ``target_confidence`` other
    than ``low`` (a researcher's own rows and tables written before the column hold)."""
    if "target_confidence" not in f:
        return pd.Series(True, index=f.index)
    return f["target_confidence"].fillna("").astype(str) != "low"


def legitimacy_by_target(spans: pd.DataFrame, codes=("LEGITIMACY",), split_relations: bool = False,
                         confident_only: bool = True) -> pd.DataFrame:
    """Framing cues of the given codes counted by target and polarity in each article.

    Args:
        spans: From :func:`akhbar.annotate`.
        codes: Framing codes to keep (one code or several); None keeps all.
        split_relations: Count a relationship target («turkey|lna») once per member.
        confident_only: Count a cue under its target only when the target was linked to
            the cue directly (``target_confidence`` high); the others are counted apart
            under :data:`LOW_CONFIDENCE_TARGET`, so every cue is counted once. False
            counts every target.

    Returns:
        DataFrame ``article_id, code, target, +, 0, -, total`` (empty target shown
        as ``(none)``), sorted by article, code and total; ``attrs["left_out"]`` holds
        how many cues had a low-confidence target.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> legitimacy_by_target(spans)[["article_id", "target", "+", "total"]].values.tolist()
        [['text1', 'lna', 1, 1]]
    """
    f = spans[spans["layer"] == "framing"]
    if codes is not None:
        f = f[f["label"].isin([codes] if isinstance(codes, str) else list(codes))]
    sure = _confident(f).tolist()
    rows = []
    for aid, code, target, pol, ok in zip(f["article_id"], f["label"], f["canonical_id"], f["polarity"], sure):
        if confident_only and target and not ok:
            rows.append((aid, code, LOW_CONFIDENCE_TARGET, pol))
            continue
        targets = [t for t in target.split("|") if t] if split_relations else [target]
        rows += [(aid, code, t or "(none)", pol) for t in (targets or ["(none)"])]
    df = pd.DataFrame(rows, columns=["article_id", "code", "target", "polarity"])
    table = pd.crosstab([df["article_id"], df["code"], df["target"]], df["polarity"])
    table = table.reindex(columns=["+", "0", "-"], fill_value=0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    table = table.reset_index()
    table = table.sort_values(["article_id", "code", "total", "target"],
                              ascending=[True, True, False, True], kind="stable").reset_index(drop=True)
    table.attrs["left_out"] = int(sum(1 for t, ok in zip(f["canonical_id"], sure) if t and not ok)) \
        if confident_only else 0
    return table


def legitimacy_evidence(spans: pd.DataFrame, articles: pd.DataFrame, codes=("LEGITIMACY",),
                        width: int = 110) -> pd.DataFrame:
    """Each framing cue of the given codes with the sentence it stands in, as evidence.

    Args:
        spans: From :func:`akhbar.annotate`.
        articles: The same articles (``article_id``, ``text``).
        codes: Framing codes to keep; None keeps all.
        width: Longest sentence shown; a longer one is cut around the cue («…»).

    Returns:
        DataFrame ``article_id, target, polarity, target_confidence, cue, sentence`` in
        text order.

    Example:
        >>> arts = akhbar.inputs.as_articles(["وقال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس. ووصل الوفد."])
        >>> legitimacy_evidence(akhbar.annotate(arts), arts)[["cue", "sentence"]].values.tolist()
        [['الجيش الليبي', 'وقال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.']]
    """
    f = spans[spans["layer"] == "framing"]
    if codes is not None:
        f = f[f["label"].isin([codes] if isinstance(codes, str) else list(codes))]
    texts = dict(zip(articles["article_id"], articles["text"]))
    cuts: dict[str, list[tuple[int, int]]] = {}
    rows = []
    sure = _confident(f).tolist()
    for aid, s, e, target, pol, ok, surface in zip(f["article_id"], f["start"], f["end"], f["canonical_id"],
                                                   f["polarity"], sure, f["surface"]):
        text = str(texts.get(aid, ""))
        if aid not in cuts:
            cuts[aid] = sentence_spans(text)
        s, e = int(s), int(e)
        a, b = next(((a, b) for a, b in cuts[aid] if a <= s < b), (s, e))
        b = max(b, e)
        if b - a > width:  # a long sentence: the words around the cue
            lo, hi = max(a, s - (width - (e - s)) // 2), min(b, e + (width - (e - s)) // 2)
            sentence = ("…" if lo > a else "") + text[lo:hi].strip() + ("…" if hi < b else "")
        else:
            sentence = text[a:b]
        rows.append((aid, target, pol, "high" if target and ok else ("low" if target else ""), surface,
                     " ".join(sentence.split())))
    return pd.DataFrame(rows, columns=["article_id", "target", "polarity", "target_confidence", "cue", "sentence"])


def quoted(spans: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted in each article, how often, and in which mode.

    Returns:
        DataFrame ``article_id, speaker, direct, indirect, mixed, total, via``; a
        report without a named speaker shows as ``(unnamed)``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> quoted(spans)[["article_id", "speaker", "indirect"]].values.tolist()
        [['text1', 'khalifa_haftar', 1], ['text2', '(unnamed)', 1]]
    """
    q = spans[spans["layer"] == "quote"].copy()
    q["speaker"] = q["canonical_id"].replace("", "(unnamed)")
    table = pd.crosstab([q["article_id"], q["speaker"]], q["label"])
    table = table.reindex(columns=["direct", "indirect", "mixed"], fill_value=0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    via = q.groupby(["article_id", "speaker"])["via"].agg(lambda v: "|".join(sorted(set(filter(None, v)))))
    table["via"] = via.reindex(table.index)
    table = table.reset_index()
    return table.sort_values(["article_id", "total", "speaker"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def cooccurrence(spans: pd.DataFrame, paras: pd.DataFrame, article_ids=None) -> nx.Graph:
    """Actors named together in the same title, subhead or body paragraph.

    Nodes are canonical ids of counted mentions, with ``mentions`` (article -> count)
    and ``total``; an edge's ``weight`` is the number of paragraphs naming both, and
    ``articles`` splits it by article.

    Args:
        spans: From :func:`akhbar.annotate`.
        paras: From :func:`akhbar.paragraphs` (gives each paragraph's zone).
        article_ids: Restrict to these articles (default: all).

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> g = cooccurrence(spans, akhbar.paragraphs(arts))
        >>> sorted(g.neighbors("turkey")), g["gna"]["turkey"]["weight"]
        (['gna', 'tripoli'], 1)
    """
    zones = paras[paras["zone"].isin(THEMED_ZONES)][["article_id", "para"]]
    ent = spans[(spans["layer"] == "entity") & spans["counts"].astype(bool)].copy()
    if article_ids is not None:
        ent = ent[ent["article_id"].isin(_ids(article_ids))]
    ent["para"] = ent["paragraph"].astype(int)
    ent = ent.merge(zones, on=["article_id", "para"])
    import networkx as nx  # here, not at import: `import akhbar` stays light for the command line

    g = nx.Graph()
    mentions = ent.groupby(["canonical_id", "article_id"]).size()
    for cid in sorted(ent["canonical_id"].unique()):
        per = {aid: int(n) for aid, n in mentions[cid].items()}
        g.add_node(cid, mentions=per, total=sum(per.values()))
    for (aid, _para), ids in ent.groupby(["article_id", "para"])["canonical_id"]:
        for u, v in combinations(sorted(set(ids)), 2):
            if not g.has_edge(u, v):
                g.add_edge(u, v, weight=0, articles={})
            g[u][v]["weight"] += 1
            g[u][v]["articles"][aid] = g[u][v]["articles"].get(aid, 0) + 1
    return g


def edges_frame(g: nx.Graph) -> pd.DataFrame:
    """Edges of a co-occurrence graph as a table ``source, target, weight``, heaviest first.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph()
        >>> g.add_edge("turkey", "gna", weight=3)
        >>> g.add_edge("lna", "egypt", weight=5)
        >>> edges_frame(g).values.tolist()
        [['egypt', 'lna', 5], ['gna', 'turkey', 3]]
    """
    rows = [(min(u, v), max(u, v), d["weight"]) for u, v, d in g.edges(data=True)]
    df = pd.DataFrame(rows, columns=["source", "target", "weight"])
    return df.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


# --- Dates ----------------------------------------------------------------------------
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
    :mod:`akhbar.dateguess`) ends in «?». Bidi overrides, isolates and marks in the
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
