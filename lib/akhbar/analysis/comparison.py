"""Comparison tables: theme shares, who is present where, legitimacy by target and who is quoted, article by article."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..layers.themes import THEMED_ZONES, THEMES
from ..text import sentence_spans


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
    from ..layers.quotes import complementisers
    from ..text import normalize

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
