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

from .entities import actor_names, load_gazetteer
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
        DataFrame ``article_id, target, polarity, target_confidence, cue, sentence, start,
        end`` (the cue's offsets) in text order.

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
                     " ".join(sentence.split()), s, e))
    return pd.DataFrame(rows, columns=["article_id", "target", "polarity", "target_confidence", "cue", "sentence",
                                       "start", "end"])


def quoted(spans: pd.DataFrame) -> pd.DataFrame:
    """Who is quoted in each article, how often, and in which mode, with the evidence.

    Returns:
        DataFrame ``article_id, speaker, direct, indirect, mixed, total, via`` and the
        evidence of the speaker's first report: ``mention`` (the speaker as the text names
        it there; empty when the subject is implicit), ``verb``, ``said`` (the first words
        of what was said), ``start`` and ``end`` (that report's offsets), and ``implicit``
        (how many of the reports have an implicit
        subject, carried from an earlier report). A report without a speaker shows as
        ``(unnamed)``.

    Example:
        >>> arts = akhbar.inputs.as_articles(["قال المشير خليفة حفتر إن الجيش الليبي سيدخل طرابلس.",
        ...     "قال وزير الخارجية التركي إن أنقرة تدعم حكومة الوفاق في طرابلس."])
        >>> spans = akhbar.annotate(arts)
        >>> quoted(spans)[["article_id", "speaker", "indirect", "mention", "verb", "said"]].values.tolist()[0]
        ['text1', 'khalifa_haftar', 1, 'خليفة حفتر', 'قال', 'الجيش الليبي سيدخل طرابلس']
    """
    q = spans[spans["layer"] == "quote"].copy()
    q["speaker"] = q["canonical_id"].replace("", "(unnamed)")
    from .quotes import complementisers
    from .text import normalize

    ents = spans[spans["layer"] == "entity"]
    mentions = ents.groupby(["article_id", "canonical_id"]).indices if len(ents) else {}
    e_start, e_surface = ents["start"].to_numpy(np.int64), ents["surface"].astype(str).to_numpy()

    def evidence(report) -> dict:
        """The mention, verb and first words of one quote row (a ``spans`` row as a tuple)."""
        start, surface = int(report.start), str(report.surface)
        verb = str(getattr(report, "verb", "") or "")
        cs, ce = int(report.content_start) - start, int(report.content_end) - start
        said = " ".join(surface[cs:ce].split()[:8]) if 0 <= cs < ce else ""
        mention = ""
        note = str(getattr(report, "note", "") or "")
        if report.canonical_id and not note.startswith(("implicit subject", "continues the previous report")):
            rows = mentions.get((report.article_id, report.canonical_id), np.zeros(0, np.int64))
            dist = np.abs(e_start[rows] - start)
            if rows.size and dist.min() <= 200:  # the speaker's mention nearest the verb
                mention = str(e_surface[rows[dist.argmin()]])
            else:  # a name the entity layer does not hold, or an unnamed kind: the words after the verb
                words = surface[len(verb):max(cs, len(verb))].split()
                k = next((i for i, w in enumerate(words) if normalize(w, ta_marbuta=True) in complementisers()), len(words))
                mention = " ".join(words[:min(k, 5)])
        return {"article_id": report.article_id, "speaker": report.speaker, "mention": mention, "verb": verb,
                "said": said, "start": start, "end": int(report.end)}

    table = pd.crosstab([q["article_id"], q["speaker"]], q["label"])
    table = table.reindex(columns=["direct", "indirect", "mixed"], fill_value=0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    via = q.groupby(["article_id", "speaker"])["via"].agg(lambda v: "|".join(sorted(set(filter(None, v)))))
    table["via"] = via.reindex(table.index)
    notes = q["note"].fillna("").astype(str) if "note" in q else pd.Series("", index=q.index)
    q["implicit"] = notes.str.startswith(("implicit subject", "continues the previous report"))
    table["implicit"] = q.groupby(["article_id", "speaker"])["implicit"].sum().reindex(table.index).astype(int)
    first = pd.DataFrame([evidence(r) for r in q.sort_values("start", kind="stable")
                          .drop_duplicates(["article_id", "speaker"]).itertuples()],
                         columns=["article_id", "speaker", "mention", "verb", "said", "start", "end"])
    table = table.reset_index().merge(first, on=["article_id", "speaker"], how="left")
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


# --- Groups of articles to compare -----------------------------------------------------
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


def grouped_keyness(tokens: pd.DataFrame, groups: dict[str, list[str]], top: int = 12) -> pd.DataFrame:
    """Key words of each group of :func:`article_groups`: with two groups the first against
    the second (both sides); with more, each group against all the others (its own side).

    Returns:
        :func:`keyness` rows with ``group`` (whose words they are) and ``against``, ``top``
        per group; ``a`` and ``target_total`` are always the group's own counts.

    Example:
        >>> toks = akhbar.tokens(akhbar.inputs.as_articles(["حفتر يهاجم طرابلس وحفتر يتقدم.",
        ...                                                  "السراج يزور أنقرة."]))
        >>> kw = grouped_keyness(toks, {"text1": ["text1"], "text2": ["text2"]}, top=1)
        >>> kw[["group", "against", "word", "a", "b"]].values.tolist()
        [['text1', 'text2', 'حفتر', 2, 0], ['text2', 'text1', 'السراج', 1, 0]]
    """
    names = list(groups)
    frames = []
    if len(names) == 2:
        kw = keyness(tokens, groups[names[0]], groups[names[1]])
        frames.append(kw[kw["side"] == "target"].head(top).assign(group=names[0], against=names[1]))
        # the second group's words, counted from its side: a is its own count, b the first group's
        theirs = kw[kw["side"] == "reference"].head(top).rename(columns={
            "a": "b", "b": "a", "target_total": "reference_total", "reference_total": "target_total"})
        frames.append(theirs.assign(log_ratio=-theirs["log_ratio"], side="target", group=names[1], against=names[0]))
    else:
        for name in names:
            rest = [a for n in names if n != name for a in groups[n]]
            kw = keyness(tokens, groups[name], rest)
            frames.append(kw[kw["side"] == "target"].head(top).assign(group=name, against="all the others"))
    out = pd.concat(frames, ignore_index=True)
    return out[["group", "against", *[c for c in out.columns if c not in ("group", "against")]]]


# --- The articles' own names for the actors -------------------------------------------
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
    from .resources import read_data

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
