"""The span table: its columns, its layers, and where in its article a span sits.

Every layer's spans share one table (:data:`SPAN_COLUMNS`), keyed by ``article_id`` and
character offsets; :func:`paragraph_table` and :func:`paragraph_at` give an offset its
paragraph and zone. The annotation engine (:mod:`akhbar.annotate`), the corrections merge and
the exporters build on it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..layers.registry import names_of
from ..zones import paragraph_spans

SPAN_COLUMNS = ["article_id", "start", "end", "surface", "layer", "label", "canonical_id", "type",
                "paragraph", "zone", "source", "counts", "literal_id", "polarity", "value", "verb",
                "via", "voice", "target_confidence", "content_start", "content_end", "note"]
LAYERS = names_of()
"""Layers of spans, from the layer registry (:mod:`akhbar.layers.registry`); ``name`` is the name
tagger (:mod:`akhbar.layers.names`), whose proposals are ``entity`` rows with ``source="model"``."""
LAYER_ORDER = {layer: i for i, layer in enumerate(LAYERS)}


DATELINE = re.compile(r"[^\n.()«»\"]{1,60}?\s*\([^()\n]{1,25}\)\s*[-\u2013\u2014]+")
"""A dateline opening the first body paragraph: place, country, then the outlet in
brackets and a dash («دبي، الإمارات العربية المتحدة (CNN)—»). Its mentions are the
outlet's line, zoned ``byline`` and not counted (codebook counting rule c)."""


def paragraph_table(texts: list[str], sources=None) -> dict[str, np.ndarray]:
    """Paragraphs of texts laid end to end as :func:`akhbar.scan.scan` joins them; the
    dateline of a first body paragraph (:data:`DATELINE`) is a ``byline`` piece of it.

    Returns:
        ``text_start`` (where each text begins), and per paragraph ``start`` (offset in
        the joined texts), ``para`` and ``zone``; ``first`` is each text's first row (a
        text without paragraphs gets one, paragraph 0 in the body).
    """
    text_start = np.r_[0, np.cumsum([len(t) + 1 for t in texts], dtype=np.int64)]
    sources = [""] * len(texts) if sources is None else ["" if s is None or s != s else s for s in sources]
    p_start, p_num, p_zone, first = [], [], [], []
    for base, text, source in zip(text_start.tolist(), texts, sources):
        first.append(len(p_start))
        for para, zone, s, e in paragraph_spans(text, source) or [(0, "body", 0, 0)]:
            dateline = DATELINE.match(text, s, e) if zone == "body" and para <= 2 else None
            if dateline:  # «دبي، الإمارات العربية المتحدة (CNN)—»: the outlet's line
                p_start.append(base + s)
                p_num.append(para)
                p_zone.append("byline")
                s = dateline.end()
            p_start.append(base + s)
            p_num.append(para)
            p_zone.append(zone)
    return {"text_start": text_start, "start": np.asarray(p_start, np.int64),
            "para": np.asarray(p_num, np.int64), "zone": np.asarray(p_zone, dtype=object),
            "first": np.asarray(first, np.int64)}


def paragraph_at(paras: dict, doc: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph number and zone of each offset ``start`` (into the joined texts) of text
    ``doc``, from :func:`paragraph_table`."""
    k = np.searchsorted(paras["start"], start, side="right") - 1
    k = np.maximum(k, paras["first"][doc]) if paras["first"].size else k
    return paras["para"][k], paras["zone"][k]


def spans_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows of spans as a DataFrame with every span column, in a stable order.

    Example:
        >>> df = spans_frame([{"article_id": "a", "start": 5, "end": 10, "surface": "أنقرة", "layer": "entity"},
        ...                   {"article_id": "a", "start": 0, "end": 4, "surface": "زار", "layer": "quote"}])
        >>> df[["surface", "start"]].values.tolist(), len(df.columns) == len(SPAN_COLUMNS)
        ([['زار', 0], ['أنقرة', 5]], True)
    """
    df = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    for col in ("start", "end", "paragraph", "content_start", "content_end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in SPAN_COLUMNS:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            df[col] = df[col].fillna("").astype(str)
    df["_layer"] = df["layer"].map(LAYER_ORDER)
    df = df.sort_values(["article_id", "start", "_layer", "end"], kind="stable").drop(columns="_layer")
    return df.reset_index(drop=True)
