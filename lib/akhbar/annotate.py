"""One table of spans for all layers, with the researcher's corrections merged over it."""

from __future__ import annotations

import bisect
import warnings
from pathlib import Path

import pandas as pd

from .corpus import paragraph_spans
from .dates import find_dates
from .entities import find_entities, mark_counted
from .framing import find_framing
from .quotes import find_quotes
from .text import normalize_with_offsets, sentence_spans

SPAN_COLUMNS = ["article_id", "start", "end", "surface", "layer", "label", "canonical_id", "type",
                "paragraph", "zone", "source", "counts", "literal_id", "polarity", "value", "verb",
                "via", "voice", "content_start", "content_end", "note"]
LAYERS = ("entity", "framing", "date", "quote")
MANUAL_COLUMNS = ["action", "start", "end", "surface", "layer", "label", "canonical_id", "type", "note"]
ACTIONS = {"add", "correct", "reject"}


class AnnotationDrift(UserWarning):
    """A manual annotation whose offsets no longer slice to its stored surface text."""


def annotate_text(article_id: str, text: str, published=None, source: str = "",
                  layers=LAYERS) -> list[dict]:
    """All automatic spans of one article: a pure function of the article (for Dask).

    Returns:
        A list of span dicts (columns of :data:`SPAN_COLUMNS`, ``counts`` not yet set).
    """
    norm, index = normalize_with_offsets(text)
    paras = paragraph_spans(text, source)
    rows = []
    ents = find_entities(text, norm, index)
    if "entity" in layers:
        rows += [{**e, "layer": "entity"} for e in ents]
    present = {e["canonical_id"] for e in ents}
    if "framing" in layers:
        for f in find_framing(text, norm, index, ents):
            # a fixed target from the cue file holds only for actors this article names
            f["canonical_id"] = "|".join(t for t in f["canonical_id"].split("|") if t in present)
            rows.append({**f, "layer": "framing", "type": ""})
    if "date" in layers:
        rows += [{**d, "layer": "date", "canonical_id": "", "type": ""}
                 for d in find_dates(text, norm, index, published)]
    if "quote" in layers:
        cues = [(f["start"], f["end"]) for f in rows if f["layer"] == "framing"]
        for q in find_quotes(text, norm, index, ents, sentence_spans(text)):
            if any(s <= q["start"] < e for s, e in cues):
                continue  # «موطئ قدم» is a framing cue, not the verb قدّم
            rows.append({**q, "layer": "quote", "type": ""})
    quotes = [r for r in rows if r["layer"] == "quote"]
    for r in rows:
        if r["layer"] == "framing":
            inside = [q for q in quotes if q["content_start"] <= r["start"] < q["content_end"]]
            r["voice"] = inside[-1]["canonical_id"] or "unnamed" if inside else "author"
    for r in rows:
        r["article_id"], r["source"] = article_id, "auto"
        r["paragraph"], r["zone"] = paragraph_at(paras, r["start"])
    return rows


def spans_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of spans as a DataFrame with every span column, in a stable order."""
    df = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    for col in ("start", "end", "paragraph", "content_start", "content_end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in SPAN_COLUMNS:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            df[col] = df[col].fillna("").astype(str)
    order = {layer: i for i, layer in enumerate(LAYERS)}
    df["_layer"] = df["layer"].map(order)
    df = df.sort_values(["article_id", "start", "_layer", "end"], kind="stable").drop(columns="_layer")
    return df.reset_index(drop=True)


def read_manual(path: Path, text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``annotations/<article_id>.csv`` and check every row against the text.

    Returns:
        ``(valid, drifted)``: rows whose offsets slice to their surface, and rows that
        do not (with the place the surface is found now, if anywhere).

    Raises:
        ValueError: naming the file and row, for a missing column or unknown action/layer.
    """
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    missing = {"action", "start", "end", "surface", "layer"} - set(df.columns)
    if missing:
        raise ValueError(f"{path}: missing columns {sorted(missing)}")
    df["row"] = range(2, len(df) + 2)
    for _, r in df.iterrows():
        if r["action"] not in ACTIONS or r["layer"] not in LAYERS:
            raise ValueError(f"{path}: row {r['row']}: action must be one of {sorted(ACTIONS)} and "
                             f"layer one of {list(LAYERS)}, got {r['action']!r}/{r['layer']!r}")
    df["start"] = pd.to_numeric(df["start"], errors="coerce").astype("Int64")
    df["end"] = pd.to_numeric(df["end"], errors="coerce").astype("Int64")
    ok = [pd.notna(s) and pd.notna(e) and text[int(s):int(e)] == surf
          for s, e, surf in zip(df["start"], df["end"], df["surface"])]
    ok = pd.Series(ok, index=df.index, dtype=bool)
    drifted = df[~ok].copy()
    drifted["file"] = str(path)
    drifted["found_at"] = [_nearest(text, surf, s) for surf, s in zip(drifted["surface"], drifted["start"])]
    return df[ok].drop(columns="row"), drifted


def _nearest(text: str, surface: str, start) -> str:
    if not surface:
        return ""
    hits, i = [], text.find(surface)
    while i >= 0:
        hits.append(i)
        i = text.find(surface, i + 1)
    if not hits:
        return "not in text"
    best = min(hits, key=lambda h: abs(h - (int(start) if pd.notna(start) else 0)))
    return f"{best}-{best + len(surface)}"


def merge_manual(auto: pd.DataFrame, manual: pd.DataFrame, article_id: str) -> pd.DataFrame:
    """Apply one article's manual rows over its automatic spans.

    ``reject`` removes the automatic span with the same offsets and layer (and label,
    if given); ``correct`` replaces its fields; ``add`` appends a new span. Manual
    spans are marked ``source == "manual"``.
    """
    auto = auto.copy()
    for _, m in manual.iterrows():
        same = ((auto["start"] == m["start"]) & (auto["end"] == m["end"])
                & (auto["layer"] == m["layer"]))
        if m["action"] == "reject":
            if m.get("label"):
                same &= auto["label"] == m["label"]
            auto = auto[~same]
            continue
        row = {c: m[c] for c in SPAN_COLUMNS if c in m.index and m[c] != ""}
        row.update({"article_id": article_id, "source": "manual"})
        if m["action"] == "correct" and same.any():
            base = auto[same].iloc[0].to_dict()
            auto = auto[~same]
            row = {**base, **row}
        auto = pd.concat([auto, pd.DataFrame([row])], ignore_index=True)
    return auto


def annotate(articles: pd.DataFrame, annotations_dir: str | Path | None = None,
             layers=LAYERS, progress: bool = False) -> pd.DataFrame:
    """Annotate every article: entities, framing cues, dates and quotes as offset spans.

    Args:
        articles: From :func:`akhbar.load_articles`.
        annotations_dir: Folder of manual ``<article_id>.csv`` files merged over the
            automatic spans (never written by akhbar).
        layers: Which layers to compute.
        progress: Show a progress bar.

    Returns:
        DataFrame with :data:`SPAN_COLUMNS`; ``text[start:end] == surface`` for every row.
        ``df.attrs["drifted"]`` lists manual rows that no longer fit their article
        (also raised as :class:`AnnotationDrift` warnings).
    """
    from tqdm import tqdm

    rows = []
    it = zip(articles["article_id"], articles["text"], articles["published"],
             articles.get("source", pd.Series([""] * len(articles))))
    for aid, text, pub, src in tqdm(list(it), desc="annotate", disable=not progress):
        rows.extend(annotate_text(aid, text, pub, src or "", layers))
    spans = spans_frame(rows)
    drifted = pd.DataFrame(columns=MANUAL_COLUMNS + ["file", "found_at"])
    if annotations_dir is not None:
        spans, drifted = apply_corrections(spans, articles, annotations_dir)
    spans["counts"] = mark_counted(spans)
    spans.attrs["drifted"] = drifted
    return spans


def apply_corrections(spans: pd.DataFrame, articles: pd.DataFrame,
                      annotations_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge each ``<article_id>.csv`` of ``annotations_dir`` over the spans of its article.

    A row whose offsets no longer slice to its ``surface`` is not applied: it is warned
    about (:class:`AnnotationDrift`, naming file and row) and returned in ``drifted``.

    Returns:
        ``(spans, drifted)``.
    """
    folder = Path(annotations_dir)
    texts = dict(zip(articles["article_id"], articles["text"]))
    drifted = []
    for aid in sorted(texts):
        path = folder / f"{aid}.csv"
        if not path.is_file():
            continue
        valid, bad = read_manual(path, texts[aid])
        for _, b in bad.iterrows():
            warnings.warn(f"{path}: row {b['row']}: offsets {b['start']}-{b['end']} no longer slice to "
                          f"{b['surface']!r} (found at {b['found_at']}); row not applied",
                          AnnotationDrift, stacklevel=3)
        drifted.append(bad)
        mine = merge_manual(spans[spans["article_id"] == aid], valid, aid)
        spans = pd.concat([spans[spans["article_id"] != aid], mine], ignore_index=True)
    if drifted:
        spans = _fill_context(spans_frame(spans.to_dict("records")), articles)
        return spans, pd.concat(drifted, ignore_index=True)
    return spans, pd.DataFrame(columns=MANUAL_COLUMNS + ["file", "found_at"])


def paragraph_at(paras: list[tuple[int, str, int, int]], start: int) -> tuple[int, str]:
    """``(para, zone)`` of the paragraph an offset falls in (from :func:`paragraph_spans`)."""
    if not paras:
        return 0, "body"
    i = max(0, bisect.bisect_right([p[2] for p in paras], start) - 1)
    return paras[i][0], paras[i][1]


def _fill_context(spans: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Paragraph and zone for manual rows, as :func:`annotate_text` gives automatic ones."""
    need = spans["zone"] == ""
    if not need.any():
        return spans
    sources = articles["source"] if "source" in articles else [""] * len(articles)
    paras = {aid: paragraph_spans(text, src or "")
             for aid, text, src in zip(articles["article_id"], articles["text"], sources)}
    for idx in spans.index[need]:
        para, zone = paragraph_at(paras[spans.at[idx, "article_id"]], int(spans.at[idx, "start"]))
        spans.at[idx, "paragraph"], spans.at[idx, "zone"] = para, zone
    return spans
